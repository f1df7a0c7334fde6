from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..models.working_calendar.tsq_calendar_exception import MAX_YEAR, MIN_YEAR


class TsqCalendarYearWizard(models.TransientModel):
    """Enter a year's holidays and make-up working days by hand: when the State
    Council's notice is out before the package has it, or for a company's own
    days.  Everything is checked first; then every row is written, or none."""

    _name = "tsq.calendar.year.wizard"
    _description = "Enter a Year of the Working Calendar"

    year = fields.Integer(
        required=True, default=lambda self: fields.Date.context_today(self).year + 1
    )
    company_id = fields.Many2one(
        "res.company",
        help="Empty: the days apply to every company (the national schedule). A company: "
        "its own days, which override the national ones on the same date.",
    )
    line_ids = fields.One2many("tsq.calendar.year.wizard.line", "wizard_id", string="Days")
    mark_complete = fields.Boolean(
        string="The year is complete",
        default=True,
        help="Every holiday and make-up day of the year is entered: deadlines counted "
        "through it stop being provisional and the open ones are recomputed.",
    )

    def action_apply(self):
        self.ensure_one()
        self.env["tsq.calendar.year"]._check_quality_manager()
        rows = self._check_and_collect()
        Exception_ = self.env["tsq.calendar.exception"].sudo()
        created = Exception_.create(
            [
                {
                    "date": day,
                    "kind": kind,
                    "name": name,
                    "company_id": self.company_id.id,
                    "origin": "manual",
                }
                for day, (kind, name) in sorted(rows.items())
            ]
        )
        Year = self.env["tsq.calendar.year"].sudo()
        year_row = Year.search(
            [("year", "=", self.year), ("company_id", "=", self.company_id.id)], limit=1
        )
        if not year_row:
            year_row = Year.create({"year": self.year, "company_id": self.company_id.id})
        year_row.message_post(
            body=self.env._(
                "%(count)s days of %(year)s entered by hand by %(user)s.",
                count=len(created),
                year=self.year,
                user=self.env.user.name,
            ),
            subtype_xmlid="mail.mt_note",
        )
        if self.mark_complete and not year_row.complete:
            year_row.with_user(self.env.user).action_mark_complete()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Holidays & Make-up Working Days"),
            "res_model": "tsq.calendar.exception",
            "view_mode": "list",
            "domain": [("year", "=", self.year)],
        }

    def _check_and_collect(self):
        """{date: (kind, name)} of the lines, or a ValidationError naming the
        first bad line; nothing is written before every line is checked."""
        if not MIN_YEAR <= self.year <= MAX_YEAR:
            raise ValidationError(
                self.env._(
                    "%(year)s: a working calendar holds the years %(low)s to %(high)s only.",
                    year=self.year,
                    low=MIN_YEAR,
                    high=MAX_YEAR,
                )
            )
        if not self.line_ids:
            raise ValidationError(self.env._("Add the year's holidays and make-up days."))
        rows, where = {}, {}
        makeups = []
        for number, line in enumerate(self.line_ids, start=1):
            label = self.env._("Line %(n)s (%(name)s)", n=number, name=line.name or "—")
            days = line._check(label, self.year)
            for day in days:
                if day in rows:
                    raise ValidationError(
                        self.env._(
                            "%(line)s: %(date)s is already on %(other)s.",
                            line=label,
                            date=day,
                            other=where[day],
                        )
                    )
                rows[day] = (line.kind, line.name.strip())
                where[day] = label
            if line.kind == "workday":
                makeups.append((days[0], label))
        for day, label in makeups:
            for number, line in enumerate(self.line_ids, start=1):
                if line.kind == "holiday" and line.date_from <= day <= line._date_to():
                    raise ValidationError(
                        self.env._(
                            "%(line)s: the make-up day %(date)s falls inside the holiday "
                            "of line %(n)s (%(name)s).",
                            line=label,
                            date=day,
                            n=number,
                            name=line.name,
                        )
                    )
        existing = self.env["tsq.calendar.exception"].search(
            [
                ("date", "in", list(rows)),
                ("company_id", "=", self.company_id.id),
            ],
            order="date",
        )
        if existing:
            first = existing[0]
            raise ValidationError(
                self.env._(
                    "%(line)s: the calendar already has %(date)s (%(name)s, %(origin)s). "
                    "Remove that line, or change the existing day on the calendar screen.",
                    line=where[first.date],
                    date=first.date,
                    name=first.name,
                    origin=first.origin_label,
                )
            )
        return rows


class TsqCalendarYearWizardLine(models.TransientModel):
    _name = "tsq.calendar.year.wizard.line"
    _description = "Day of a Year Entered by Hand"

    wizard_id = fields.Many2one(
        "tsq.calendar.year.wizard", string="Year to Enter", required=True, ondelete="cascade"
    )
    kind = fields.Selection(
        [("holiday", "Public holiday"), ("workday", "Make-up working day (调休)")],
        required=True,
        default="holiday",
    )
    name = fields.Char(required=True, help="e.g. 春节, 国庆节; a make-up day: 春节调休上班")
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="To", help="The last day of the holiday; empty: one day.")

    @api.onchange("kind", "date_from")
    def _onchange_single_day(self):
        if self.kind == "workday":
            self.date_to = False

    def _date_to(self):
        return self.date_to or self.date_from

    def _check(self, label, year):
        """The dates of this line, checked against ``year``."""
        self.ensure_one()
        if not (self.name or "").strip():
            raise ValidationError(self.env._("%(line)s: give the day a name.", line=label))
        last = self._date_to()
        for day in (self.date_from, last):
            if day.year != year:
                raise ValidationError(
                    self.env._(
                        "%(line)s: %(date)s is not in %(year)s.", line=label, date=day, year=year
                    )
                )
        if last < self.date_from:
            raise ValidationError(
                self.env._(
                    "%(line)s: the holiday ends (%(end)s) before it starts (%(start)s).",
                    line=label,
                    end=last,
                    start=self.date_from,
                )
            )
        if self.kind == "workday":
            if last != self.date_from:
                raise ValidationError(
                    self.env._("%(line)s: a make-up working day is a single day.", line=label)
                )
            if self.date_from.weekday() < 5:
                raise ValidationError(
                    self.env._(
                        "%(line)s: %(date)s is a weekday; a make-up working day is a "
                        "Saturday or a Sunday.",
                        line=label,
                        date=self.date_from,
                    )
                )
        return [self.date_from + timedelta(days=k) for k in range((last - self.date_from).days + 1)]
