from datetime import date

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..core.tsq_concurrency import claim_job, claim_rows
from .tsq_calendar_exception import MAX_YEAR, MIN_YEAR, ORIGINS, QUALITY_GROUP


class TsqCalendarYear(models.Model):
    """Which years the working calendar knows in full.

    A year is *covered* when the official package has it (the sync marks it) or
    when a Quality Manager marks a year entered by hand as complete.  A deadline
    counted through a year that is not covered is still computed, on the weekly
    pattern, but is *provisional*; loading the year recomputes the open ones.  A
    row that is not complete also stands for a year the year-end guard found
    missing: its activities ask the Quality Managers to load it."""

    _name = "tsq.calendar.year"
    _description = "Working Calendar Year"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "year desc, company_id nulls first, id"

    name = fields.Char(compute="_compute_name", store=True)
    year = fields.Integer(required=True, index=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Empty: the year is known for every company (the official schedule). A "
        "company's own year covers that company only.",
    )
    origin = fields.Selection(
        ORIGINS, string="Source", required=True, default="manual", readonly=True
    )
    package_version = fields.Char(readonly=True)
    complete = fields.Boolean(
        readonly=True,
        tracking=True,
        help="Every public holiday and make-up working day of the year is in the "
        "calendar: its deadlines are final.",
    )
    state = fields.Selection(
        [("covered", "Covered"), ("missing", "Not loaded")],
        compute="_compute_state",
        store=True,
    )
    holiday_count = fields.Integer(compute="_compute_counts", string="Holidays")
    workday_count = fields.Integer(compute="_compute_counts", string="Make-up Days")
    notified_user_ids = fields.Many2many(
        "res.users",
        "tsq_calendar_year_notified_rel",
        string="Reminded",
        readonly=True,
        help="Quality Managers the year-end guard already asked to load this year.",
    )

    _sql_constraints = [
        (
            "year_company_unique",
            "UNIQUE NULLS NOT DISTINCT (year, company_id)",
            "A year is listed once per company (and once for all companies).",
        ),
    ]

    @api.depends("year")
    def _compute_name(self):
        for row in self:
            row.name = str(row.year or "")

    @api.depends("complete")
    def _compute_state(self):
        for row in self:
            row.state = "covered" if row.complete else "missing"

    def _compute_counts(self):
        Exception_ = self.env["tsq.calendar.exception"]
        groups = Exception_._read_group(
            [("year", "in", self.mapped("year"))],
            ["year", "company_id", "kind"],
            ["__count"],
        )
        counts = {(y, c.id or False, k): n for y, c, k, n in groups}
        for row in self:
            company = row.company_id.id or False
            row.holiday_count = counts.get((row.year, company, "holiday"), 0)
            row.workday_count = counts.get((row.year, company, "workday"), 0)

    @api.constrains("year")
    def _check_year(self):
        for row in self:
            if not MIN_YEAR <= row.year <= MAX_YEAR:
                raise ValidationError(
                    self.env._(
                        "%(year)s: a working calendar holds the years %(low)s to %(high)s only.",
                        year=row.year,
                        low=MIN_YEAR,
                        high=MAX_YEAR,
                    )
                )

    # --------------------------------------------------------- open deadlines

    @api.model_create_multi
    def create(self, vals_list):
        rows = super().create(vals_list)
        rows.filtered("complete")._coverage_changed()
        return rows

    def write(self, vals):
        changed = self.filtered(lambda r: "complete" in vals and r.complete != vals["complete"])
        res = super().write(vals)
        changed._coverage_changed()
        return res

    def unlink(self):
        covered = self.filtered("complete")
        companies = covered._companies()
        res = super().unlink()
        if covered:
            self.env["tsq.calendar.exception"]._recompute_open_deadlines(companies)
        return res

    def _companies(self):
        """The companies whose coverage these rows make; None for all of them."""
        if any(not row.company_id for row in self):
            return None
        return self.company_id

    def _coverage_changed(self):
        """A year became known (or unknown): open deadlines are recomputed (and
        gain or lose their provisional flag); the year-end guard's reminders
        about a year now covered are done."""
        if not self:
            return
        self.env["tsq.calendar.exception"]._recompute_open_deadlines(self._companies())
        self._close_reminders()

    def _close_reminders(self):
        """Mark done the guard's activities about the years these rows now cover
        (for every company, or for the QMs of the row's company)."""
        for row in self.filtered("complete"):
            pending = self.sudo().search([("year", "=", row.year), ("complete", "=", False)])
            activities = (pending | row.sudo()).activity_ids
            if row.company_id:
                activities = activities.filtered(
                    lambda a, c=row.company_id: c in a.user_id.company_ids
                )
            if activities:
                activities.action_feedback(
                    feedback=self.env._("The year is now in the working calendar.")
                )

    # --------------------------------------------------------- by hand

    def action_mark_complete(self):
        """A Quality Manager states that a year entered by hand is complete."""
        self._check_quality_manager()
        for row in self:
            domain = [("year", "=", row.year), ("kind", "=", "holiday")]
            domain.append(("company_id", "in", [False, row.company_id.id]))
            if not self.env["tsq.calendar.exception"].search_count(domain, limit=1):
                raise ValidationError(
                    self.env._(
                        "No public holiday of %(year)s is in the calendar: enter the "
                        "year's holidays and make-up days first (Enter a Year).",
                        year=row.year,
                    )
                )
        self.sudo().write({"complete": True})
        for row in self:
            row.message_post(
                body=self.env._("Marked complete by %(user)s.", user=self.env.user.name),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_mark_incomplete(self):
        self._check_quality_manager()
        for row in self:
            if row.origin == "official":
                raise ValidationError(
                    self.env._(
                        "%(year)s comes from the official package and stays complete; "
                        "enter a company's own days to depart from it.",
                        year=row.year,
                    )
                )
        self.sudo().write({"complete": False})
        return True

    def _check_quality_manager(self):
        if not self.env.su and not self.env.user.has_group(QUALITY_GROUP):
            raise AccessError(
                self.env._("Only a Quality Manager can change which years the calendar knows.")
            )

    # --------------------------------------------------------- sync

    @api.model
    def _tsq_mark_official(self, years, version):
        """The package holds ``years``: they are covered for every company."""
        Year = self.sudo()
        rows = Year.search([("year", "in", list(years)), ("company_id", "=", False)])
        by_year = {row.year: row for row in rows}
        to_update = rows.filtered(
            lambda r: not r.complete or r.origin != "official" or r.package_version != version
        )
        if to_update:  # write() recomputes the open deadlines of the newly covered years
            to_update.write({"origin": "official", "package_version": version, "complete": True})
        created = Year.create(
            [
                {
                    "year": year,
                    "origin": "official",
                    "package_version": version,
                    "complete": True,
                }
                for year in years
                if year not in by_year
            ]
        )
        return rows | created

    # --------------------------------------------------------- year-end guard

    @api.model
    def _cron_year_end_guard(self, today=None):
        """Daily: from the company's guard day on, make sure the working calendar
        knows next year (and this year).  For each missing year, one activity
        per Quality Manager of the company, once, however often this runs."""
        Year = self.sudo()
        activity_type = self.env.ref("tech_service_quality.mail_activity_type_calendar_year")
        # one run at a time, whatever the number of servers: the year rows are
        # shared by the companies
        if not claim_job(self.env, "tsq.calendar.year.guard"):
            return True
        for company in self.env["res.company"].sudo().search([("active", "=", True)]):
            missing = company._tsq_missing_years(today)
            if not missing:
                continue
            managers = company._tsq_quality_managers()
            for year in missing:
                row = Year.search(
                    [("year", "=", year), ("company_id", "=", False)], limit=1
                ) or Year.create({"year": year})
                row = claim_rows(row)
                if not row:
                    continue
                for user in managers - row.notified_user_ids:
                    lang_row = row.with_context(lang=user.lang or self.env.lang)
                    lang_row.activity_schedule(
                        activity_type_id=activity_type.id,
                        user_id=user.id,
                        date_deadline=date(year, 1, 1),
                        summary=lang_row.env._(
                            "Load the %(year)s holidays into the working calendar", year=year
                        ),
                        note=lang_row.env._(
                            "The working calendar does not know the public holidays and "
                            "make-up working days of %(year)s: deadlines counted through "
                            "%(year)s are provisional. Install a chinese-calendar release "
                            "that has %(year)s and press Sync Official Calendar, or enter "
                            "the year by hand (Enter a Year) once the State Council's "
                            "notice is out, and mark it complete.",
                            year=year,
                        ),
                    )
                    row.notified_user_ids = [fields.Command.link(user.id)]
        return True
