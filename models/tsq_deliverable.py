from odoo import fields, models


class TsqDeliverable(models.Model):
    _name = "tsq.deliverable"
    _description = "Service Deliverable"
    _inherit = ["tsq.record.mixin"]
    _order = "service_id, sequence, id"
    _tsq_system_fields = frozenset({"handed_over_at"})

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

    def action_hand_over(self):
        todo = self.filtered(lambda d: not d.handed_over_at)
        todo.check_access("write")
        todo.sudo().write({"handed_over_at": fields.Datetime.now()})
        return True
