from odoo import api, fields, models
from odoo.exceptions import UserError

from .tsq_indicator import DIRECTIONS


class TsqIndicatorTarget(models.Model):
    """A target in force from a date on: a period is judged against the target
    in force on its last day."""

    _name = "tsq.indicator.target"
    _description = "Indicator Target"
    _order = "indicator_id, date_from desc"

    indicator_id = fields.Many2one("tsq.indicator", required=True, ondelete="cascade", index=True)
    date_from = fields.Date("In Force From", required=True, default=fields.Date.context_today)
    target = fields.Float("Target (%)", required=True, digits=(16, 2))
    direction = fields.Selection(DIRECTIONS, required=True, default="ge")
    user_id = fields.Many2one(
        "res.users", "Set By", default=lambda self: self.env.user, readonly=True
    )
    note = fields.Char("Reason")

    def _check_not_history(self, new_date=None):
        """A target line that has been in force (dated before today) is history."""
        today = fields.Date.context_today(self)
        past = self.filtered(lambda t: t.date_from < today) or (
            new_date and fields.Date.to_date(new_date) < today
        )
        if past and not self.env.su:
            raise UserError(
                self.env._(
                    "A target that has been in force is history: it cannot be changed or "
                    "deleted. Add a new target from the day it should apply."
                )
            )

    def write(self, vals):
        self._check_not_history(vals.get("date_from"))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        self._check_not_history()

    _sql_constraints = [
        ("one_per_day", "unique(indicator_id, date_from)", "One target per indicator and day."),
        (
            "target_range",
            "CHECK(target >= 0 AND target <= 100)",
            "A target is between 0 and 100 %.",
        ),
    ]
