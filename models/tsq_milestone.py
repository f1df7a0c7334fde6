from odoo import api, fields, models


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

    @api.depends("planned_date", "done_date", "service_id.service_stage")
    def _compute_is_late(self):
        today = fields.Date.context_today(self)
        for milestone in self:
            if milestone.service_id.service_stage in ("declined", "cancelled"):
                milestone.is_late = False
                continue
            reached = milestone.done_date or today
            milestone.is_late = bool(milestone.planned_date and reached > milestone.planned_date)
