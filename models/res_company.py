import functools
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from odoo import api, fields, models

from ..lib.worktime import WorkCalendar


def in_agency_language(method):
    """Run a demo loader in the language of the company (its action names,
    notes and messages are the agency's own records)."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        lang = self.env.company._tsq_demo_lang()
        if lang != self.env.lang:
            self = self.with_context(lang=lang)
        return method(self, *args, **kwargs)

    return wrapper


# Units in which a time limit of the standard can be expressed.
LIMIT_UNITS = [
    ("clock_hours", "Clock hours"),
    ("working_hours", "Working hours"),
    ("working_days", "Working days"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    tsq_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Service Working Calendar",
        help="Working hours used for every time limit of the service standard. "
        "Public holidays and make-up working days come from the calendar "
        "exceptions. Defaults to the company's working hours.",
    )
    tsq_day_limit_end = fields.Selection(
        [
            ("midnight", "At 24:00 of the last day"),
            ("business", "At the end of business hours of the last day"),
        ],
        string="Day Limits End",
        default="midnight",
        required=True,
        help="A limit counted in days does not count the day of receipt and ends "
        "at 24:00 of its last day (Civil Code art. 201–203), or at the end of "
        "business hours where the organization has set business hours.",
    )

    tsq_expiry_first_days = fields.Integer(
        string="First Expiry Reminder (days)",
        default=60,
        help="Remind this many days before a qualification or undertaking expires.",
    )
    tsq_expiry_second_days = fields.Integer(
        string="Second Expiry Reminder (days)",
        default=30,
        help="Remind again this many days before expiry.",
    )
    tsq_undertaking_months = fields.Integer(
        string="Undertakings Re-signed Every (months)",
        default=36,
        help="An undertaking without an end date must be signed again after this period.",
    )

    def write(self, vals):
        res = super().write(vals)
        if {"tsq_calendar_id", "tsq_day_limit_end", "resource_calendar_id"} & set(vals):
            self.env["tsq.calendar.exception"]._recompute_open_deadlines(self)
        return res

    def _tsq_calendar(self):
        self.ensure_one()
        return self.tsq_calendar_id or self.resource_calendar_id

    def _tsq_work_calendar(self):
        """Build the plain-Python working calendar of this company.

        Reads the attendances of the company's service calendar and the dated
        exceptions (global ones, overridden by the company's own), then hands
        everything to :class:`WorkCalendar`, which does all the arithmetic.
        """
        self.ensure_one()
        calendar = self._tsq_calendar()
        week = {}
        if calendar:
            for att in calendar.attendance_ids:
                if att.display_type or att.day_period == "lunch":
                    continue
                week.setdefault(int(att.dayofweek), []).append((att.hour_from, att.hour_to))
        for intervals in week.values():
            intervals.sort()
        tz = self._tsq_tz()
        exceptions = (
            self.env["tsq.calendar.exception"]
            .sudo()
            .search_read(
                [("company_id", "in", [False, self.id])],
                ["date", "kind", "company_id"],
                order="company_id nulls first, date",
            )
        )
        kinds = {}
        for exc in exceptions:  # company rows come last and override global ones
            kinds[exc["date"]] = exc["kind"]
        return WorkCalendar(
            tz=tz,
            week=week or None,
            holidays=[d for d, k in kinds.items() if k == "holiday"],
            workdays=[d for d, k in kinds.items() if k == "workday"],
            day_end=self.tsq_day_limit_end or "midnight",
        )

    @api.model
    def _tsq_add_limit(self, start, amount, unit, work_calendar=None):
        """Return the instant (naive UTC) at which a limit of ``amount`` ``unit``
        started at ``start`` runs out, on this company's working calendar."""
        if not start or not amount:
            return False
        cal = work_calendar or self._tsq_work_calendar()
        if unit == "clock_hours":
            return cal.add_clock_hours(start, amount)
        if unit == "working_hours":
            return cal.add_working_hours(start, amount)
        return cal.add_working_days(start, int(amount))

    def _tsq_demo_lang(self):
        """The language the demo agency writes its records in: its own (the
        company's), when that language is installed."""
        self.ensure_one()
        lang = self.partner_id.lang
        if lang and self.env["res.lang"]._get_data(code=lang):
            return lang
        return self.env.lang

    def _tsq_tz(self):
        self.ensure_one()
        calendar = self._tsq_calendar()
        return (calendar and calendar.tz) or self.partner_id.tz or "Asia/Shanghai"

    def _tsq_due_date(self, deadline):
        """The last day (company time) of a limit that runs out at ``deadline``
        (naive UTC): a limit ending at 24:00 of 27 Feb is due on 27 Feb."""
        self.ensure_one()
        last_instant = deadline.replace(tzinfo=UTC) - timedelta(microseconds=1)
        return last_instant.astimezone(ZoneInfo(self._tsq_tz())).date()

    def _tsq_format_instant(self, instant, with_time=True):
        """``instant`` (naive UTC) as "YYYY-MM-DD HH:MM" in the company's time zone;
        local midnight reads as 24:00 of the day before (the end of a day limit)."""
        self.ensure_one()
        local = instant.replace(tzinfo=UTC).astimezone(ZoneInfo(self._tsq_tz()))
        if local.time() == time.min and with_time:
            return f"{(local.date() - timedelta(days=1)).isoformat()} 24:00"
        return local.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")

    def _tsq_end_of_day(self, day):
        """24:00 local time of ``day`` (= 00:00 of the next day), as naive UTC."""
        self.ensure_one()
        local = datetime.combine(day + timedelta(days=1), time.min, ZoneInfo(self._tsq_tz()))
        return local.astimezone(UTC).replace(tzinfo=None)
