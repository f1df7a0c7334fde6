from odoo import api, models

HOME_ACTION = "tech_service_quality.project_project_action_services"


SERVICE_GROUP = "tech_service_quality.group_tsq_user"


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        users._tsq_set_home_action()
        return users

    def write(self, vals):
        res = super().write(vals)
        if any(name.startswith(("groups_id", "in_group_", "sel_groups_")) for name in vals):
            self._tsq_set_home_action()
        return res

    def _tsq_set_home_action(self):
        """Service staff land on their services after logging in (not in Discuss):
        the services become the home action of an internal user of the service
        groups who has none."""
        action = self.env.ref(HOME_ACTION, raise_if_not_found=False)
        if not action:
            return
        staff = self.sudo().filtered(
            lambda u: not u.share and not u.action_id and u.has_group(SERVICE_GROUP)
        )
        if staff:
            staff.write({"action_id": action.id})
