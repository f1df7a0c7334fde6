from datetime import timedelta

from odoo import fields, models
from odoo.exceptions import AccessError, ValidationError

from ..models.staff.tsq_staff_scorecard import MANAGER_GROUP, PERIOD_TYPES


class TsqStaffScorecardCompute(models.TransientModel):
    """Compute the staff scorecards of a company for a month, a quarter, a year
    or any period (Service Managers)."""

    _name = "tsq.staff.scorecard.compute"
    _description = "Compute Staff Scorecards"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.companies.ids)],
    )
    period_type = fields.Selection(PERIOD_TYPES, required=True, default="month")
    year = fields.Integer(required=True, default=lambda self: fields.Date.context_today(self).year)
    month = fields.Selection(
        [(str(m), f"{m:02d}") for m in range(1, 13)],
        default=lambda self: str(fields.Date.context_today(self).month),
    )
    quarter = fields.Selection(
        [(str(q), f"Q{q}") for q in range(1, 5)],
        default=lambda self: str((fields.Date.context_today(self).month - 1) // 3 + 1),
    )
    date_from = fields.Date("From")
    date_end = fields.Date("To", help="The last day of the period (included).")

    def _tsq_dates(self):
        self.ensure_one()
        if self.period_type == "custom":
            if not self.date_from or not self.date_end or self.date_end < self.date_from:
                raise ValidationError(
                    self.env._("Give the first and the last day of the period, in order.")
                )
            return self.date_from, self.date_end + timedelta(days=1)
        if not 1900 < self.year < 3000:
            raise ValidationError(self.env._("Give a valid year."))
        return self.env["tsq.staff.scorecard"]._tsq_period_dates(
            self.period_type, self.year, self.month or 1, self.quarter or 1
        )

    def action_compute(self):
        self.ensure_one()
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only a Service Manager can compute scorecards."))
        if self.company_id not in self.env.user.company_ids:
            raise AccessError(self.env._("You do not work for this company."))
        date_from, date_to = self._tsq_dates()
        cards = self.env["tsq.staff.scorecard"]._tsq_compute(
            self.company_id, date_from, date_to, self.period_type
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Staff Scorecards"),
            "res_model": "tsq.staff.scorecard",
            "view_mode": "list,form,pivot,graph",
            "domain": [("id", "in", cards.ids)],
            "context": {"search_default_group_department": 1},
        }
