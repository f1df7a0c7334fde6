from odoo import api, fields, models
from odoo.exceptions import ValidationError


class TsqCalendarException(models.Model):
    _name = "tsq.calendar.exception"
    _description = "Working Calendar Exception (Holiday / Make-up Working Day)"
    _order = "date desc, id"

    name = fields.Char(required=True, translate=True)
    date = fields.Date(required=True, index=True)
    kind = fields.Selection(
        [("holiday", "Public holiday"), ("workday", "Make-up working day (调休)")],
        required=True,
        default="holiday",
    )
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty for an official date that applies to every company; a "
        "company's own row overrides an official one on the same date.",
    )
    active = fields.Boolean(default=True)

    @api.constrains("date", "company_id", "active")
    def _check_unique_date(self):
        for exc in self.filtered("active"):
            if self.search_count(
                [
                    ("id", "!=", exc.id),
                    ("date", "=", exc.date),
                    ("company_id", "=", exc.company_id.id),
                ],
                limit=1,
            ):
                raise ValidationError(
                    self.env._(
                        "There is already a calendar exception on %(date)s for this company.",
                        date=exc.date,
                    )
                )
