import json
import logging
from datetime import date

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ...lib import official_calendar
from ...lib.stages import OPEN_STAGES

_logger = logging.getLogger(__name__)


# Dates the product accepts in a working calendar (the founding of the PRC to the end
# of the century): a year outside them is a typing error, not a holiday.
MIN_YEAR = 1949


MAX_YEAR = 2100


ORIGINS = [
    ("official", "Official (chinese-calendar)"),
    ("manual", "Entered by hand"),
]


QUALITY_GROUP = "tech_service_quality.group_tsq_quality_manager"


class TsqCalendarException(models.Model):
    """One day that breaks the weekly pattern: a public holiday or a make-up
    working day (调休上班).  Global rows (no company) hold the State Council's
    schedule, synced from the ``chinese-calendar`` package; a company's own row
    overrides a global one on the same date and is never touched by a sync."""

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
    origin = fields.Selection(
        ORIGINS,
        string="Source",
        required=True,
        default="manual",
        readonly=True,
        help="Official rows come from the chinese-calendar package and are kept in step "
        "with it by the sync; rows entered by hand are never changed by a sync.",
    )
    origin_version = fields.Char(
        string="Package Version",
        readonly=True,
        help="The version of the chinese-calendar package that last wrote this row.",
    )
    origin_label = fields.Char(string="Origin", compute="_compute_origin_label")
    year = fields.Integer(compute="_compute_year", store=True, index=True)
    active = fields.Boolean(default=True)

    @api.depends("date")
    def _compute_year(self):
        for exc in self:
            exc.year = exc.date.year if exc.date else 0

    @api.depends("origin", "origin_version")
    def _compute_origin_label(self):
        for exc in self:
            if exc.origin == "official":
                exc.origin_label = self.env._(
                    "Official (chinese-calendar %(version)s)", version=exc.origin_version or "?"
                )
            else:
                exc.origin_label = self.env._("Entered by hand")

    # ------------------------------------------------------------------ checks

    @api.constrains("date")
    def _check_year_range(self):
        for exc in self:
            if exc.date and not MIN_YEAR <= exc.date.year <= MAX_YEAR:
                raise ValidationError(
                    self.env._(
                        "%(date)s: a working calendar holds dates from %(low)s to %(high)s "
                        "only; check the year.",
                        date=exc.date,
                        low=MIN_YEAR,
                        high=MAX_YEAR,
                    )
                )

    @api.constrains("date", "kind", "company_id")
    def _check_make_up_day_on_weekend(self):
        for exc in self:
            if exc.kind == "workday" and exc.date and exc.date.weekday() < 5:
                if not exc.company_id:
                    raise ValidationError(
                        self.env._(
                            "%(date)s is a weekday: an official make-up working day is "
                            "always a Saturday or a Sunday. A company that works on one "
                            "of its own days enters it as its own row.",
                            date=exc.date,
                        )
                    )

    @api.constrains("date", "company_id", "active")
    def _check_unique_date(self):
        for exc in self.filtered("active"):
            if self.with_context(active_test=True).search_count(
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

    @api.onchange("date", "kind", "company_id")
    def _onchange_make_up_weekday(self):
        if self.kind == "workday" and self.date and self.date.weekday() < 5 and self.company_id:
            return {
                "warning": {
                    "title": self.env._("A make-up working day on a weekday"),
                    "message": self.env._(
                        "%(date)s is a weekday, which already works. Keep this row only "
                        "if the company works on it with make-up hours for a reason of its "
                        "own.",
                        date=self.date,
                    ),
                }
            }
        return None

    # --------------------------------------------------------- open deadlines

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(
            vals.get("origin", "manual") != "manual" or vals.get("origin_version")
            for vals in vals_list
        ):
            raise UserError(self.env._("Official days come from the sync only."))
        exceptions = super().create(vals_list)
        self._recompute_open_deadlines(exceptions._companies_affected())
        return exceptions

    def _check_not_official(self):
        """An official day is the package's: a company departs from it with a row
        of its own on that date, which a sync never touches."""
        official = self.filtered(lambda e: e.origin == "official")
        if official and not self.env.su:
            raise UserError(
                self.env._(
                    "%(date)s comes from the official schedule and is kept in step with it "
                    "by the sync. To depart from it, add your company's own day on that "
                    "date.",
                    date=official[0].date,
                )
            )

    def write(self, vals):
        if not self.env.su and {"origin", "origin_version"} & set(vals):
            raise UserError(self.env._("The origin of a calendar day is recorded by the system."))
        self._check_not_official()
        if set(vals) <= {"origin_version"}:
            return super().write(vals)  # which release confirmed a day: no deadline moves
        before = self._companies_affected()
        res = super().write(vals)
        after = self._companies_affected()
        everywhere = before is None or after is None
        self._recompute_open_deadlines(None if everywhere else before | after)
        return res

    def unlink(self):
        self._check_not_official()
        companies = self._companies_affected()
        res = super().unlink()
        self._recompute_open_deadlines(companies)
        return res

    def _companies_affected(self):
        """The companies whose deadlines these rows change; None for every
        company (an official row is shared by all)."""
        if any(not exc.company_id for exc in self):
            return None
        return self.company_id

    @api.model
    def _recompute_open_deadlines(self, companies):
        """Deadlines still running follow the calendar: open services' stage
        deadlines, unanswered inquiries' response deadlines, open objections'
        deadlines and open SLA clocks are recomputed, for ``companies`` (None:
        all); what is already answered or closed keeps the limit it was judged by."""
        Project = self.env["project.project"].sudo()
        domain = [
            ("is_service", "=", True),
            ("service_stage", "in", list(OPEN_STAGES)),
        ]
        if companies is not None:
            domain.append(("company_id", "in", companies.ids))
        services = Project.search(domain)
        for name in ("stage_deadline", "stage_deadline_provisional"):
            self.env.add_to_compute(Project._fields[name], services)
        unanswered = services.filtered(lambda s: not s.first_response_at)
        for name in ("response_deadline", "response_deadline_provisional"):
            self.env.add_to_compute(Project._fields[name], unanswered)
        Acceptance = self.env["tsq.acceptance"].sudo()
        objection_domain = [("state", "=", "objection")]
        if companies is not None:
            objection_domain.append(("company_id", "in", companies.ids))
        Acceptance.search(objection_domain)._recompute_objection_deadline()
        Clock = self.env["tsq.sla.clock"].sudo()
        clock_domain = [("is_open", "=", True)]
        if companies is not None:
            clock_domain.append(("company_id", "in", companies.ids))
        Clock._recompute(Clock.search(clock_domain), notify=False)
        # the notes that name a missing year are read again from the new flags
        for model, names in (
            ("project.project", ["stage_deadline_note", "response_deadline_note"]),
            ("tsq.acceptance", ["objection_deadline_note"]),
            ("tsq.sla.clock", ["deadline_note"]),
            ("helpdesk.ticket", ["tsq_sla_deadline_note"]),
        ):
            self.env[model].invalidate_model(names)
        return services

    # --------------------------------------------------------- official sync

    @api.model
    def _official_schedule(self):
        """The official schedule of the installed ``chinese-calendar`` package (an
        external dependency of the add-on: its data is inside the package)."""
        try:
            return official_calendar.load()
        except ImportError as error:
            raise UserError(
                self.env._(
                    "The Python package chinese-calendar is not installed on the server: "
                    "install it (pip install chinese-calendar) to sync the official "
                    "holidays."
                )
            ) from error

    @api.model
    def action_sync_official(self):
        """The *Sync official calendar* button (Quality Managers)."""
        if not self.env.user.has_group(QUALITY_GROUP):
            raise AccessError(self.env._("Only a Quality Manager can sync the official calendar."))
        log = self.sudo()._tsq_sync_official()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Official calendar synced"),
                "message": log.summary,
                "type": "success" if not log.kept_count else "warning",
                "sticky": bool(log.kept_count),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    @api.model
    def _cron_sync_official(self):
        """Monthly: bring the schedules of a newer package release in."""
        return self.sudo()._tsq_sync_official()

    @api.model
    def _tsq_sync_official(self):
        """Bring every year the installed package knows into the global rows:
        add the days it has and the calendar lacks, correct the official rows
        that differ, archive the official rows it no longer lists, never touch
        a row entered by hand (global or a company's).  Safe to run twice: a
        second run changes nothing.  Returns the sync's log line."""
        schedule = self._official_schedule()
        plan = self._tsq_sync_plan(schedule)
        created, corrected, stale = self._tsq_sync_apply(plan, schedule.version)
        self.env["tsq.calendar.year"]._tsq_mark_official(schedule.years, schedule.version)
        kept = plan["kept"]
        return self._tsq_sync_log(
            schedule,
            {
                "added_count": len(created),
                "corrected_count": len(corrected),
                "removed_count": len(stale),
                "unchanged_count": plan["unchanged"],
                "kept_count": len(kept),
                "kept_dates": ", ".join(str(e.date) for e in kept.sorted("date")) or False,
            },
        )

    @api.model
    def _tsq_sync_plan(self, schedule):
        """What a sync of ``schedule`` changes in the global rows of its years, as
        a dict: ``create`` [(day, kind, English, Chinese)], ``correct`` {row id:
        (kind, English, Chinese)}, ``bump`` (unchanged rows last confirmed by an
        older release), ``stale`` (official rows the schedule no longer lists),
        ``kept`` (days entered by hand that the schedule sees otherwise) and the
        number of ``unchanged`` days."""
        version, years = schedule.version, schedule.years
        days = {d: (o.kind, o.english, o.chinese) for d, o in schedule.days.items()}
        en = self.with_context(active_test=False, lang="en_US")
        existing = en.search([("company_id", "=", False), ("date", ">=", date(years[0], 1, 1))])
        existing = existing.filtered(lambda e: e.date.year in years)
        official = {e.date: e for e in existing if e.origin == "official" and e.active}
        manual = {e.date: e for e in existing if e.origin == "manual" and e.active}
        archived = {e.date: e for e in existing if e.origin == "official" and not e.active}
        names = existing._names()
        to_create, kept = [], en.browse()
        to_correct = {}  # row id -> (kind, English, Chinese)
        to_bump = en.browse()
        for day, (kind, english, chinese) in sorted(days.items()):
            if day in manual:
                if manual[day].kind != kind:
                    kept |= manual[day]
                continue
            row = official.get(day) or archived.get(day)
            if not row:
                to_create.append((day, kind, english, chinese))
            elif (
                not row.active
                or row.kind != kind
                or names.get(row.id) != {"en_US": english, "zh_CN": chinese}
            ):
                to_correct[row.id] = (kind, english, chinese)
            elif row.origin_version != version:
                to_bump |= row
        unchanged = len(days) - len(to_create) - len(to_correct) - len(manual.keys() & days.keys())
        return {
            "create": to_create,
            "correct": to_correct,
            "bump": to_bump,
            "stale": en.browse([e.id for d, e in official.items() if d not in days]),
            "kept": kept,
            "unchanged": unchanged,
        }

    @api.model
    def _tsq_sync_apply(self, plan, version):
        """Carry out a sync ``plan`` (see :meth:`_tsq_sync_plan`) for the package
        ``version``: (created, corrected, archived) rows."""
        en = self.with_context(active_test=False, lang="en_US")
        to_correct = plan["correct"]
        corrected = en.browse(list(to_correct))
        for kind in ("holiday", "workday"):
            rows = corrected.filtered(lambda r, k=kind: to_correct[r.id][0] == k)
            if rows:
                rows.write({"kind": kind, "active": True, "origin_version": version})
        for row in corrected:
            row._set_names(*to_correct[row.id][1:])
        if plan["bump"]:
            # the same day confirmed by a newer release: not a change of the calendar
            plan["bump"].write({"origin_version": version})
        stale = plan["stale"]
        if stale:
            stale.write({"active": False})
        to_create = plan["create"]
        created = en.browse()
        if to_create:
            created = en.create(
                [
                    {
                        "date": day,
                        "kind": kind,
                        "name": english,
                        "origin": "official",
                        "origin_version": version,
                    }
                    for day, kind, english, _chinese in to_create
                ]
            )
            for row, (_day, _kind, english, chinese) in zip(created, to_create, strict=True):
                row._set_names(english, chinese)
        return created, corrected, stale

    @api.model
    def _tsq_sync_log(self, schedule, counts):
        """Record a sync of ``schedule`` (``counts``: the log's figures) and log it."""
        version, years = schedule.version, schedule.years
        log = self.env["tsq.calendar.sync"].create(
            {
                "package_version": version,
                "first_year": years[0],
                "last_year": years[-1],
                **counts,
            }
        )
        _logger.info(
            "Official calendar sync (chinese-calendar %s, %s-%s): %s added, %s corrected, "
            "%s archived, %s unchanged, %s kept as entered by hand",
            version,
            years[0],
            years[-1],
            counts["added_count"],
            counts["corrected_count"],
            counts["removed_count"],
            counts["unchanged_count"],
            counts["kept_count"],
        )
        return log

    def _names(self):
        """{id: {lang: name}}: the stored translations of ``name``, one query."""
        self.flush_recordset(["name"])
        self.env.cr.execute(
            "SELECT id, name FROM tsq_calendar_exception WHERE id = ANY(%s)", [self.ids]
        )
        return {row_id: dict(name or {}) for row_id, name in self.env.cr.fetchall()}

    def _set_names(self, english, chinese):
        """Store the official name in English and Chinese (whether or not Chinese
        is installed yet: the value is there when it is)."""
        self.ensure_one()
        self.flush_recordset(["name"])
        self.env.cr.execute(
            "UPDATE tsq_calendar_exception SET name = %s::jsonb WHERE id = %s",
            [json.dumps({"en_US": english, "zh_CN": chinese}), self.id],
        )
        self.invalidate_recordset(["name"])
