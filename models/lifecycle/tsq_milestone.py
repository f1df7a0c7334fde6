from odoo import api, fields, models

from ...lib.stages import STOPPED_STAGES

# What the client confirmed with the plan (S2); reaching a milestone stays open.
PLAN_FIELDS = ("service_id", "name", "planned_date", "sequence")


class TsqMilestone(models.Model):
    _name = "tsq.milestone"
    _description = "Service Milestone"
    _order = "service_id, planned_date, sequence, id"

    service_id = fields.Many2one("project.project", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="service_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True)
    planned_date = fields.Date(required=True)
    done_date = fields.Date()
    note = fields.Text()
    is_late = fields.Boolean(compute="_compute_is_late", store=False)

    @api.model_create_multi
    def create(self, vals_list):
        services = self.env["project.project"].browse({vals["service_id"] for vals in vals_list})
        services._tsq_check_stage_open("s2", [self._description])
        return super().create(vals_list)

    def write(self, vals):
        touched = [name for name in PLAN_FIELDS if name in vals]
        if touched:
            services = self.service_id | self.env["project.project"].browse(vals.get("service_id"))
            services._tsq_check_stage_open(
                "s2", [self._fields[name]._description_string(self.env) for name in touched]
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_confirmed_plan(self):
        self.service_id._tsq_check_stage_open("s2", [self._description])

    @api.depends("planned_date", "done_date", "service_id.service_stage")
    def _compute_is_late(self):
        today = fields.Date.context_today(self)
        for milestone in self:
            if milestone.service_id.service_stage in STOPPED_STAGES:
                milestone.is_late = False
                continue
            reached = milestone.done_date or today
            milestone.is_late = bool(milestone.planned_date and reached > milestone.planned_date)
