import functools
from calendar import monthrange
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import babel.dates

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import babel_locale_parse

from ...lib.periods import local_today
from ...lib.sla import UnknownUnitError, base_deadline, check_unit, uncovered_years
from ...lib.worktime import WorkCalendar


def in_agency_language(method):
    """Run a job (a cron, a loader) in the language of the company (its action names,
    notes and messages are the agency's own records)."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        lang = self.env.company._tsq_lang()
        if lang != self.env.lang:
            self = self.with_context(lang=lang)
        return method(self, *args, **kwargs)

    return wrapper


def agency_lang(record, company=None):
    """``record`` in the agency's language: for a text several people read (a chatter
    message, a printed record), whoever's action wrote it."""
    lang = (company or record.env.company)._tsq_lang()
    return record.with_context(lang=lang) if lang != record.env.lang else record


def reader_lang(record, user):
    """``record`` in ``user``'s language: for a text one person reads (an activity
    assigned to them, a notification)."""
    lang = user.lang or record.env.lang
    return record.with_context(lang=lang) if lang != record.env.lang else record


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
    tsq_supplier_reevaluation_months = fields.Integer(
        string="Suppliers Re-evaluated Every (months)",
        default=12,
        help="How often a qualified supplier is evaluated again (R4.3.3), unless its "
        "service category sets its own interval.",
    )
    tsq_undertaking_months = fields.Integer(
        string="Undertakings Re-signed Every (months)",
        default=36,
        help="An undertaking without an end date must be signed again after this period.",
    )

    tsq_mgmtsystem_id = fields.Many2one(
        "mgmtsystem.system",
        string="Service Quality System",
        default=lambda self: self.env.ref(
            "tech_service_quality.mgmtsystem_system_service_quality", raise_if_not_found=False
        ),
        help="The management system the product files its improvement actions and audits "
        "under; the management-review pack counts this system's records only.",
    )
    tsq_calendar_guard_month = fields.Integer(
        string="Year-end Check From (month)",
        default=11,
        help="From this day of the year on, a daily check makes sure the working "
        "calendar knows next year's holidays, and reminds the Quality Managers if not.",
    )
    tsq_calendar_guard_day = fields.Integer(string="Year-end Check From (day)", default=1)

    @api.constrains("tsq_calendar_guard_month", "tsq_calendar_guard_day")
    def _check_calendar_guard_day(self):
        for company in self:
            month, day = company.tsq_calendar_guard_month, company.tsq_calendar_guard_day
            if not 1 <= month <= 12 or not 1 <= day <= monthrange(2001, month)[1]:
                raise ValidationError(
                    self.env._(
                        "The year-end check starts on a day of the year: month 1–12 and a "
                        "day that month has (got %(month)s/%(day)s).",
                        month=month,
                        day=day,
                    )
                )

    def write(self, vals):
        res = super().write(vals)
        if {"tsq_calendar_id", "tsq_day_limit_end", "resource_calendar_id"} & set(vals):
            self.env["tsq.calendar.exception"]._recompute_open_deadlines(self)
        if "tsq_supplier_reevaluation_months" in vals:
            # the due dates of the suppliers follow the company's interval
            Partner = self.env["res.partner"].sudo()
            suppliers = Partner.with_context(active_test=False).search(
                [("tsq_is_supplier", "=", True), ("company_id", "in", [False, *self.ids])]
            )
            self.env.add_to_compute(Partner._fields["tsq_next_evaluation_date"], suppliers)
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
            covered_years=self._tsq_covered_years(),
        )

    def _tsq_mgmtsystem(self):
        """The company's service-quality management system (the shipped one by default)."""
        self.ensure_one()
        return self.sudo().tsq_mgmtsystem_id or self.env.ref(
            "tech_service_quality.mgmtsystem_system_service_quality", raise_if_not_found=False
        )

    @api.model
    def _tsq_set_mgmtsystem(self, vals_list):
        """Put records created without a management system in their company's one
        (improvement actions, audits: the review pack counts only those)."""
        for vals in vals_list:
            if not vals.get("system_id"):
                company = self.browse(vals.get("company_id")) or self.env.company
                vals["system_id"] = company._tsq_mgmtsystem().id
        return vals_list

    def _tsq_covered_years(self):
        """The years whose holidays this company's calendar knows in full: those of
        the official package, and those a Quality Manager marked complete."""
        self.ensure_one()
        rows = (
            self.env["tsq.calendar.year"]
            .sudo()
            .search_read(
                [("complete", "=", True), ("company_id", "in", [False, self.id])], ["year"]
            )
        )
        return {row["year"] for row in rows}

    def _tsq_add_limit(self, start, amount, unit, work_calendar=None):
        """Return the instant (naive UTC) at which a limit of ``amount`` ``unit``
        started at ``start`` runs out, on this company's working calendar."""
        deadline, _years = self._tsq_limit(start, amount, unit, work_calendar)
        return deadline

    def _tsq_limit(self, start, amount, unit, work_calendar=None):
        """(deadline, uncovered years) of a limit of ``amount`` ``unit`` started at
        ``start``: the deadline (naive UTC, False without a start or an amount)
        and the years it was counted through whose holidays the calendar does not
        know (empty: the deadline is final; else it is provisional).

        The one model-level way from a limit to a deadline: the arithmetic is
        :func:`lib.sla.base_deadline`; a unit it does not know is a
        :class:`ValidationError`, never read as another unit."""
        try:
            check_unit(unit)
        except UnknownUnitError:
            raise ValidationError(
                self.env._(
                    "Unknown unit of a time limit: %(unit)s. Use clock hours, working "
                    "hours or working days.",
                    unit=unit,
                )
            ) from None
        if not start or not amount:
            return False, ()
        cal = work_calendar or (self or self.env.company)._tsq_work_calendar()
        deadline = base_deadline(cal, start, amount, unit)
        return deadline, uncovered_years(cal, unit, start, deadline)

    def _tsq_uncovered_between(self, start, end, cache=None):
        """The years of the local days from ``start`` to ``end`` (naive UTC) that
        this company's calendar does not know in full.  ``cache`` (a dict kept by
        the caller across records) saves reading the covered years again."""
        self.ensure_one()
        if not start or not end:
            return ()
        if cache is None:
            cache = {}
        if self.id not in cache:
            cache[self.id] = (ZoneInfo(self._tsq_tz()), self._tsq_covered_years())
        zone, covered = cache[self.id]
        first = start.replace(tzinfo=UTC).astimezone(zone).year
        last = (end.replace(tzinfo=UTC) - timedelta(microseconds=1)).astimezone(zone).year
        return tuple(y for y in range(first, max(first, last) + 1) if y not in covered)

    def _tsq_provisional_note(self, years):
        """What a provisional deadline says about itself (in the reader's language)."""
        if not years:
            return False
        return self.env._(
            "Provisional: the official holidays of %(years)s are not in the working "
            "calendar yet, so this deadline counts weekdays only. It is recomputed when "
            "the year is loaded.",
            years="、".join(str(y) for y in years),
        )

    def _tsq_missing_years(self, today=None):
        """The years the working calendar should know by now and does not: this
        year, and next year from the guard day on."""
        self.ensure_one()
        today = today or datetime.now(ZoneInfo(self._tsq_tz())).date()
        wanted = [today.year]
        month = min(max(self.tsq_calendar_guard_month or 11, 1), 12)
        day = min(max(self.tsq_calendar_guard_day or 1, 1), monthrange(today.year, month)[1])
        if today >= date(today.year, month, day):
            wanted.append(today.year + 1)
        covered = self._tsq_covered_years()
        return [year for year in wanted if year not in covered]

    def _tsq_quality_managers(self):
        """The active internal users of this company who are Quality Managers."""
        self.ensure_one()
        group = self.env.ref("tech_service_quality.group_tsq_quality_manager")
        return group.sudo().users.filtered(
            lambda u: u.active and not u.share and not u._is_superuser() and self in u.company_ids
        )

    @api.model
    def tsq_calendar_banner(self):
        """The warning the calendar screen and the Quality Dashboard show while the
        working calendar lacks this year or (from the guard day) next year."""
        company = self.env.company
        missing = company.sudo()._tsq_missing_years()
        if not missing:
            return False
        return self.env._(
            "The working calendar does not know the public holidays of %(years)s yet: "
            "deadlines counted through them are provisional (暂定). A Quality Manager "
            "syncs the official calendar or enters the year by hand.",
            years="、".join(str(y) for y in missing),
        )

    def _tsq_lang(self):
        """The agency's language: the one its records, chatter messages and printed
        documents are written in when several people read them (its partner's
        language, when installed; else the current one). Activities are written in
        their assignee's language, e-mails in their recipient's."""
        self.ensure_one()
        lang = self.partner_id.lang
        if lang and self.env["res.lang"]._get_data(code=lang):
            return lang
        return self.env.lang

    def _tsq_tz(self):
        self.ensure_one()
        calendar = self._tsq_calendar()
        return (calendar and calendar.tz) or self.partner_id.tz or "Asia/Shanghai"

    def _tsq_today(self, now=None):
        """The day it is in the company's time zone at ``now`` (naive UTC; default:
        now): the "today" of its periods, deadlines and scheduled jobs."""
        return local_today(self._tsq_tz(), now or fields.Datetime.now())

    def _tsq_due_date(self, deadline):
        """The last day (company time) of a limit that runs out at ``deadline``
        (naive UTC): a limit ending at 24:00 of 27 Feb is due on 27 Feb."""
        self.ensure_one()
        last_instant = deadline.replace(tzinfo=UTC) - timedelta(microseconds=1)
        return last_instant.astimezone(ZoneInfo(self._tsq_tz())).date()

    def _tsq_format_instant(self, instant, with_time=True, lang=None):
        """``instant`` (naive UTC) as the product shows every deadline and time stamp:
        in the company's time zone, in the reader's language, without seconds —
        "2026年12月10日 24:00", "Dec 10, 2026 24:00". A local midnight reads as
        24:00 of the day before (the end of a limit counted in days, as the standard
        states it). ``with_time=False``: the date only."""
        self.ensure_one()
        local = instant.replace(tzinfo=UTC).astimezone(ZoneInfo(self._tsq_tz()))
        day, clock = local.date(), local.strftime("%H:%M")
        if with_time and local.time() == time.min:
            day, clock = day - timedelta(days=1), "24:00"
        text = self._tsq_format_date(day, lang)
        return f"{text} {clock}" if with_time else text

    def _tsq_format_date(self, day, lang=None):
        """A date in the reader's language: "2026年12月10日", "Dec 10, 2026"."""
        locale = babel_locale_parse(lang or self.env.lang or "en_US")
        return babel.dates.format_skeleton("yMMMd", day, locale=locale)

    def _tsq_end_of_day(self, day):
        """24:00 local time of ``day`` (= 00:00 of the next day), as naive UTC."""
        self.ensure_one()
        local = datetime.combine(day + timedelta(days=1), time.min, ZoneInfo(self._tsq_tz()))
        return local.astimezone(UTC).replace(tzinfo=None)
