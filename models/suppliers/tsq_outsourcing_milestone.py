from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class TsqOutsourcingMilestone(models.Model):
    _name = "tsq.outsourcing.milestone"
    _description = "Outsourced Work Milestone"
    _order = "outsourcing_id, planned_date, sequence, id"

    outsourcing_id = fields.Many2one(
        "tsq.outsourcing", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="outsourcing_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True)
    planned_date = fields.Date(required=True)
    done_date = fields.Date(string="Actual Date")
    note = fields.Text()
    is_late = fields.Boolean(compute="_compute_is_late")

    @api.depends("planned_date", "done_date")
    def _compute_is_late(self):
        today = fields.Date.context_today(self)
        for milestone in self:
            reached = milestone.done_date or today
            milestone.is_late = bool(milestone.planned_date and reached > milestone.planned_date)

    @api.model_create_multi
    def create(self, vals_list):
        outsourcings = self.env["tsq.outsourcing"].browse(
            {vals["outsourcing_id"] for vals in vals_list if vals.get("outsourcing_id")}
        )
        self._tsq_check_open(outsourcings, manager_only=True)
        return super().create(vals_list)

    def write(self, vals):
        self._tsq_check_open(
            self.outsourcing_id, manager_only=bool(set(vals) - {"done_date", "note"})
        )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_accepted(self):
        self._tsq_check_open(self.outsourcing_id, manager_only=True)

    def _tsq_check_open(self, outsourcings, manager_only):
        if self.env.su:
            return
        if outsourcings.filtered("accepted_at"):
            raise UserError(
                self.env._(
                    "The acceptance of this outsourced work is recorded: its milestones are a record."
                )
            )
        if manager_only and not self.env.user.has_group("tech_service_quality.group_tsq_manager"):
            raise AccessError(
                self.env._(
                    "Only a Service Manager plans the milestones of outsourced work; its "
                    "monitor records when they are reached."
                )
            )
