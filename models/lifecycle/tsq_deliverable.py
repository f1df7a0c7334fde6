from odoo import api, fields, models
from odoo.exceptions import UserError

# What the client received: frozen once handed over (a revision is a new deliverable).
HANDED_OVER_FIELDS = {"service_id", "name", "description", "attachment_ids"}


class TsqDeliverable(models.Model):
    _name = "tsq.deliverable"
    _description = "Service Deliverable"
    _inherit = ["tsq.record.mixin"]
    _order = "service_id, sequence, id"

    service_id = fields.Many2one("project.project", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="service_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True)
    description = fields.Text()
    due_date = fields.Date()
    handed_over_at = fields.Datetime(readonly=True)
    attachment_ids = fields.Many2many(
        "ir.attachment", "tsq_deliverable_attachment_rel", string="Files"
    )

    def _tsq_system_fields(self):
        return super()._tsq_system_fields() | {"handed_over_at"}

    def write(self, vals):
        if HANDED_OVER_FIELDS & set(vals) and self.filtered("handed_over_at"):
            raise UserError(
                self.env._(
                    "“%(name)s” has been handed over to the client and is part of the "
                    "delivery record; hand over a revised deliverable instead.",
                    name=self.filtered("handed_over_at")[0].name,
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_handed_over(self):
        if self.filtered("handed_over_at"):
            raise UserError(
                self.env._("A deliverable handed over to the client cannot be deleted.")
            )

    def action_hand_over(self):
        todo = self.filtered(lambda d: not d.handed_over_at)
        todo.check_access("write")
        todo.sudo().write({"handed_over_at": fields.Datetime.now()})
        return True
