"""The management review (管理评审) of a period and its input pack.

``mgmtsystem.review._tsq_pack_data`` gathers every section of the pack into one
plain dict (numbers, labels, short lists); the QWeb PDF and the XLSX workbook
are both drawn from that same dict, so that their figures are the same. The
indicator figures are the snapshots of the indicator engine for the period."""

import logging
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from markupsafe import Markup
from psycopg2 import errors

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ...lib import charts
from ..core.res_company import in_agency_language, reader_lang
from ..core.tsq_concurrency import (
    CONCURRENCY_ERRORS,
    TsqConcurrentChange,
    claim_job,
    lock_for_decision,
)

_logger = logging.getLogger(__name__)


MODULE = "tech_service_quality"


QUALITY_MANAGER = f"{MODULE}.group_tsq_quality_manager"


PDF_REPORT = f"{MODULE}.action_report_review_pack"


XLSX_REPORT = f"{MODULE}.action_report_review_pack_xlsx"


REVIEW_INTERVALS = [("quarter", "Quarter"), ("half", "Half-year"), ("year", "Year")]


PERIOD_TYPES = [*REVIEW_INTERVALS, ("custom", "Custom dates")]


INTERVAL_MONTHS = {"quarter": 3, "half": 6, "year": 12}


# Expiring qualifications, undertakings and supplier documents: within this many days.
EXPIRY_DAYS = 60


LIST_LIMIT = 20  # rows of a detailed list printed in the pack


COMMENT_LIMIT = 10  # latest client comments


TREND_MONTHS = 12


OPEN_STAGES = ("s1", "s2", "s3", "s4", "s5", "s6")


# ---------------------------------------------------------------------- periods
def period_bounds(kind, year, index=1):
    """[date_from, date_to) of the ``index``-th quarter/half-year (1-based) or of
    the year ``year``."""
    months = INTERVAL_MONTHS[kind]
    start = date(year, 1 + (index - 1) * months, 1)
    return start, start + relativedelta(months=months)


def period_index(kind, day):
    return (day.month - 1) // INTERVAL_MONTHS[kind] + 1


def last_ended_period(kind, today):
    """(year, index, date_from, date_to) of the last period of ``kind`` that has
    ended on ``today`` (its exclusive end is on or before today)."""
    current_start, _end = period_bounds(kind, today.year, period_index(kind, today))
    start = current_start - relativedelta(months=INTERVAL_MONTHS[kind])
    return start.year, period_index(kind, start), start, current_start


class MgmtsystemReview(models.Model):
    _name = "mgmtsystem.review"
    _inherit = ["mgmtsystem.review", "tsq.evidence.mixin"]

    tsq_period_type = fields.Selection(PERIOD_TYPES, string="Period Type", readonly=True)
    tsq_date_from = fields.Date(string="Period From", index=True)
    tsq_date_to = fields.Date(
        string="Period Until",
        index=True,
        help="The first day after the period (the period runs up to, not including, this day).",
    )
    tsq_period_label = fields.Char(string="Period")
    tsq_review_interval = fields.Selection(
        related="company_id.tsq_review_interval", string="Company Review Interval"
    )
    tsq_pack_pdf_id = fields.Many2one(
        "ir.attachment", string="Pack (PDF)", readonly=True, copy=False, ondelete="set null"
    )
    tsq_pack_xlsx_id = fields.Many2one(
        "ir.attachment", string="Pack (XLSX)", readonly=True, copy=False, ondelete="set null"
    )
    tsq_generated_at = fields.Datetime(string="Pack Generated", readonly=True, copy=False)
    tsq_decision_ids = fields.One2many(
        "mgmtsystem.review.line",
        "review_id",
        string="Decisions to Take",
        domain=[("tsq_key", "!=", False)],
    )

    _sql_constraints = [
        (
            "tsq_period_unique",
            "unique(company_id, tsq_date_from, tsq_date_to)",
            "A company has one management review per period.",
        ),
    ]

    @api.constrains("tsq_date_from", "tsq_date_to")
    def _check_tsq_period(self):
        for review in self:
            if bool(review.tsq_date_from) != bool(review.tsq_date_to):
                raise ValidationError(
                    self.env._("%(review)s: give both ends of the period.", review=review.name)
                )
            if review.tsq_date_from and review.tsq_date_to <= review.tsq_date_from:
                raise ValidationError(
                    self.env._(
                        "%(review)s: the period must end after it starts.", review=review.name
                    )
                )

    # ------------------------------------------------------------- periods
    @api.model
    def _tsq_period_label_of(self, kind, date_from, date_to):
        if kind == "quarter":
            return self.env._(
                "%(year)s Q%(quarter)s",
                year=date_from.year,
                quarter=period_index("quarter", date_from),
            )
        if kind == "half":
            return self.env._(
                "%(year)s H%(half)s", year=date_from.year, half=period_index("half", date_from)
            )
        if kind == "year":
            return self.env._("Year %(year)s", year=date_from.year)
        return self.env._(
            "%(date_from)s – %(date_to)s",
            date_from=date_from.isoformat(),
            date_to=(date_to - timedelta(days=1)).isoformat(),
        )

    @api.model
    def _tsq_local_today(self, company):
        now = fields.Datetime.now().replace(tzinfo=UTC)
        return now.astimezone(ZoneInfo(company._tsq_tz())).date()

    @api.model
    def _tsq_quality_managers(self, company):
        group = self.env.ref(QUALITY_MANAGER)
        return (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("groups_id", "in", group.ids),
                    ("company_ids", "in", company.ids),
                    ("share", "=", False),
                ]
            )
        )

    def _tsq_evidence_final(self):
        return self.filtered(lambda r: r.state == "done")

    def _tsq_check_quality_manager(self):
        if not self.env.su and not self.env.user.has_group(QUALITY_MANAGER):
            raise AccessError(
                self.env._("Only a Quality Manager can prepare a management review pack.")
            )

    @api.model
    def _tsq_create_for_period(self, company, kind, date_from, date_to, name=None):
        """Create the management review of ``company`` for [date_from, date_to),
        with the Quality Managers as participants, and generate its pack."""
        self._tsq_check_quality_manager()
        if not claim_job(self.env, "tsq.review.prepare", company.id):
            raise TsqConcurrentChange(
                self.env._(
                    "The management review of %(company)s is being prepared by someone else "
                    "right now. Reload the page in a moment.",
                    company=company.name,
                )
            )
        existing = self.sudo().search(
            [
                ("company_id", "=", company.id),
                ("tsq_date_from", "=", date_from),
                ("tsq_date_to", "=", date_to),
            ],
            limit=1,
        )
        company_lang = self._tsq_pack_lang_of(company)
        label = self.with_context(lang=company_lang)._tsq_period_label_of(kind, date_from, date_to)
        if existing:
            raise UserError(
                self.env._(
                    "The management review of %(company)s for %(period)s exists already "
                    "(%(review)s): open it and regenerate its pack.",
                    company=company.name,
                    period=label,
                    review=existing.reference or existing.name,
                )
            )
        name = name or self.with_context(lang=company_lang).env._(
            "Management Review %(period)s", period=label
        )
        review = self.with_company(company).create(
            {
                "name": name[:50],
                "date": fields.Datetime.now(),
                "company_id": company.id,
                "user_ids": [Command.set(self._tsq_quality_managers(company).ids)],
                "tsq_period_type": kind,
                "tsq_date_from": date_from,
                "tsq_date_to": date_to,
                "tsq_period_label": label,
            }
        )
        review._tsq_generate_pack()
        return review

    # -------------------------------------------------------------- actions
    def action_tsq_generate_pack(self):
        """(Re)generate the PDF and the XLSX of the pack; they replace the previous ones."""
        self._tsq_check_quality_manager()
        lock_for_decision(self)
        for review in self:
            if review.state == "done":
                raise UserError(
                    self.env._(
                        "%(review)s is closed: its pack is the record of the review and is "
                        "not generated again.",
                        review=review.name,
                    )
                )
            if not (review.tsq_date_from and review.tsq_date_to):
                raise UserError(self.env._("%(review)s: set the period first.", review=review.name))
            review._tsq_generate_pack()
        return True

    def action_tsq_download_pdf(self):
        self.ensure_one()
        if self.tsq_pack_pdf_id:
            return self._tsq_download(self.tsq_pack_pdf_id)
        return self.env.ref(PDF_REPORT).report_action(self)

    def action_tsq_download_xlsx(self):
        self.ensure_one()
        if self.tsq_pack_xlsx_id:
            return self._tsq_download(self.tsq_pack_xlsx_id)
        return self.env.ref(XLSX_REPORT).report_action(self)

    def _tsq_download(self, attachment):
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    # ------------------------------------------------------------ generation
    def _tsq_pack_lang(self):
        """Chinese first: the company's language, else Simplified Chinese if loaded."""
        self.ensure_one()
        return self._tsq_pack_lang_of(self.company_id or self.env.company)

    @api.model
    def _tsq_pack_lang_of(self, company):
        installed = {code for code, _name in self.env["res.lang"].get_installed()}
        company_lang = company.partner_id.lang
        if company_lang in installed:
            return company_lang
        if "zh_CN" in installed:
            return "zh_CN"
        return self.env.lang or "en_US"

    def _tsq_render_pdf(self, data):
        """The PDF of the pack, or None when no PDF can be made now: while the
        module is being installed (wkhtmltopdf would wait for this very server),
        or in test mode without ``force_report_rendering`` (Odoo renders HTML)."""
        self.ensure_one()
        if not self.env.registry.ready:
            return None
        content, kind = self.env["ir.actions.report"]._render_qweb_pdf(
            PDF_REPORT, self.ids, data=data
        )
        return content if kind == "pdf" else None

    def _tsq_generate_pack(self, require_pdf=False):
        """Compute the pack once, draw the PDF and the XLSX from it, and attach
        both in place of the previous ones; add the decisions to take as review
        lines. With ``require_pdf``, nothing changes unless a PDF comes out."""
        self.ensure_one()
        review = self.with_context(lang=self._tsq_pack_lang())
        pack = review._tsq_pack_data()
        data = {"tsq_packs": {self.id: pack}}
        pdf = review._tsq_render_pdf(data)
        if require_pdf and not pdf:
            return False
        xlsx, _kind = review.env["ir.actions.report"]._render(XLSX_REPORT, self.ids, data=data)
        title = "管理评审输入报告"
        stem = f"{title}-{self.reference or self.id}-{self.tsq_period_label or ''}".replace(
            "/", "-"
        )
        Attachment = self.env["ir.attachment"]
        common = {"res_model": self._name, "res_id": self.id, "description": title}
        old = self.tsq_pack_pdf_id | self.tsq_pack_xlsx_id
        vals = {
            "tsq_generated_at": pack["generated_at"],
            "tsq_pack_xlsx_id": Attachment.create(
                dict(
                    common,
                    name=f"{stem}.xlsx",
                    raw=xlsx,
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                )
            ).id,
            "tsq_pack_pdf_id": Attachment.create(
                dict(common, name=f"{stem}.pdf", raw=pdf, mimetype="application/pdf")
            ).id
            if pdf
            else False,
        }
        self.write(vals)
        old.unlink()
        self._tsq_add_decision_lines(pack["decisions"])
        return True

    def _tsq_add_decision_lines(self, decisions):
        """One review line per decision to take, added once (a line keeps the
        decision written on it when the pack is generated again)."""
        self.ensure_one()
        known = set(self.line_ids.mapped("tsq_key"))
        self.env["mgmtsystem.review.line"].create(
            [
                {
                    "review_id": self.id,
                    "company_id": self.company_id.id,
                    "tsq_key": item["key"],
                    "name": item["title"][:300],
                    "type": "action" if item["action_id"] else False,
                    "action_id": item["action_id"],
                }
                for item in decisions
                if item["key"] not in known
            ]
        )

    # ------------------------------------------------------------- scheduled
    @api.model
    @in_agency_language
    def _cron_tsq_prepare_reviews(self):
        """For each company, when its review period (quarter, half-year or year)
        has ended and it has no review yet, create the review with its pack and
        ask the Quality Managers to hold it. Then complete the packs that could
        not be printed to PDF when they were made. Safe to run twice."""
        Review = self.sudo()
        created = Review.browse()
        for company in self.env["res.company"].sudo().search([("active", "=", True)]):
            # another server (or a manual run) preparing this company's review
            # prepares it alone; the period is unique per company besides
            if not claim_job(self.env, "tsq.review.prepare", company.id):
                continue
            kind = company.tsq_review_interval or "quarter"
            _year, _index, date_from, date_to = last_ended_period(
                kind, self._tsq_local_today(company)
            )
            if Review.search_count(
                [
                    ("company_id", "=", company.id),
                    ("tsq_date_from", "=", date_from),
                    ("tsq_date_to", "=", date_to),
                ],
                limit=1,
            ):
                continue
            try:
                with self.env.cr.savepoint():
                    review = Review._tsq_create_for_period(company, kind, date_from, date_to)
            except (TsqConcurrentChange, *CONCURRENCY_ERRORS, errors.UniqueViolation):
                _logger.info("Management review of %s prepared by another run", company.name)
                continue
            review._tsq_schedule_activities()
            created |= review
            _logger.info("Management review %s prepared for %s", review.reference, company.name)
        for review in Review.search(
            [
                ("state", "=", "open"),
                ("tsq_pack_xlsx_id", "!=", False),
                ("tsq_pack_pdf_id", "=", False),
            ]
        ):
            review._tsq_generate_pack(require_pdf=True)
        return created

    def _tsq_schedule_activities(self):
        todo = self.env.ref("mail.mail_activity_data_todo")
        for review in self:
            today = self._tsq_local_today(review.company_id)
            for user in review.user_ids:
                env = reader_lang(review, user).env
                review.activity_schedule(
                    activity_type_id=todo.id,
                    user_id=user.id,
                    date_deadline=today + timedelta(days=14),
                    summary=env._(
                        "Hold the management review %(period)s", period=review.tsq_period_label
                    ),
                    note=self.env._(
                        "The input pack (PDF and XLSX) is attached to the review; record "
                        "the decisions on its lines."
                    ),
                )

    # ------------------------------------------------------------- the pack
    def _tsq_pack_data(self):
        """Every section of the review pack, as one plain dict (see the module
        docstring). Read with the superuser on the review's company only: the
        pack is the company's figures for its top management, whoever prints it."""
        self.ensure_one()
        if not (self.tsq_date_from and self.tsq_date_to):
            raise UserError(self.env._("%(review)s: set the period first.", review=self.name))
        company = (self.company_id or self.env.company).sudo()
        tz = company._tsq_tz()
        env = self.env(su=True, context=dict(self.env.context, tz=tz, active_test=True))
        date_from, date_to = self.tsq_date_from, self.tsq_date_to
        zone = ZoneInfo(tz)

        def utc(day):
            local = datetime.combine(day, time.min, zone)
            return local.astimezone(UTC).replace(tzinfo=None)

        ctx = {
            "env": env,
            "company": company,
            "date_from": date_from,
            "date_to": date_to,
            "start": utc(date_from),
            "end": utc(date_to),
            "today": self._tsq_local_today(company),
            "zone": zone,
        }
        now = fields.Datetime.now()
        pack = {
            "review": {
                "name": self.name,
                "reference": self.reference,
                "participants": ", ".join(self.user_ids.mapped("name")),
            },
            "company": company.name,
            "period": {
                "label": self.tsq_period_label
                or self._tsq_period_label_of("custom", date_from, date_to),
                "date_from": date_from,
                "date_to": date_to,
                "date_last": date_to - timedelta(days=1),
            },
            "generated_at": now,
            "generated_label": company._tsq_format_instant(now),
            "generated_date": company._tsq_format_instant(now, with_time=False),
            "today": ctx["today"],
            "expiry_days": EXPIRY_DAYS,
            "indicators": self._tsq_pack_indicators(ctx),
            "complaints": self._tsq_pack_complaints(ctx),
            "services": self._tsq_pack_services(ctx),
            "feedback": self._tsq_pack_feedback(ctx),
            "suppliers": self._tsq_pack_suppliers(ctx),
            "staff": self._tsq_pack_staff(ctx),
            "audits": self._tsq_pack_audits(ctx),
            "actions": self._tsq_pack_actions(ctx),
        }
        pack["decisions"] = self._tsq_pack_decisions(ctx, pack)
        # the chains' heads when the pack is made: a later check proves nothing before changed
        pack["chain_heads"] = company._tsq_chain_heads(at=now)
        return pack

    @staticmethod
    def _tsq_labels(model, field):
        return dict(model._fields[field]._description_selection(model.env))

    @staticmethod
    def _tsq_pick(item, name, default=None):
        if isinstance(item, dict):
            return item.get(name, default)
        return item[name] if name in item._fields else default

    def _tsq_local(self, ctx, instant, with_time=False):
        """A time stamp of the pack, as the product writes every one (company time,
        the pack's language, no seconds, a day limit's end as 24:00)."""
        if not instant:
            return ""
        return ctx["company"]._tsq_format_instant(
            instant, with_time=with_time, lang=ctx["env"].lang
        )

    # indicators ------------------------------------------------------------
    def _tsq_pack_indicators(self, ctx):
        env = ctx["env"]
        Snapshot = env["tsq.indicator.snapshot"]
        section = {"available": hasattr(Snapshot, "_tsq_ensure_period"), "rows": []}
        if not section["available"]:
            return section
        statuses = self._tsq_labels(Snapshot, "status")
        snapshots = Snapshot._tsq_ensure_period(ctx["company"], ctx["date_from"], ctx["date_to"])
        snapshots = snapshots.sorted(lambda s: (s.indicator_id.sequence, s.indicator_id.id))
        for snap in snapshots:
            trend = []
            if hasattr(snap, "_tsq_trend"):
                for point in snap._tsq_trend(TREND_MONTHS):
                    has_data = bool(self._tsq_pick(point, "has_data"))
                    point_from = self._tsq_pick(point, "date_from")
                    trend.append(
                        {
                            "label": self._tsq_pick(point, "period_label")
                            or (point_from and point_from.strftime("%Y-%m"))
                            or "",
                            "date_from": point_from,
                            "has_data": has_data,
                            "value": self._tsq_pick(point, "value") if has_data else None,
                            "numerator": self._tsq_pick(point, "numerator") or 0,
                            "denominator": self._tsq_pick(point, "denominator") or 0,
                            "target": self._tsq_pick(point, "target"),
                            "status": self._tsq_pick(point, "status"),
                        }
                    )
            indicator = snap.indicator_id
            section["rows"].append(
                {
                    "snapshot_id": snap.id,
                    "code": snap.code or indicator.code,
                    "name": indicator.name,
                    "name_zh": indicator.name_zh,
                    "name_en": indicator.name_en,
                    "numerator": snap.numerator,
                    "denominator": snap.denominator,
                    "has_data": snap.has_data,
                    "value": snap.value if snap.has_data else None,
                    "target": snap.target,
                    "direction": snap.direction,
                    "sign": "≤" if snap.direction == "le" else "≥",
                    "status": snap.status,
                    "status_label": statuses.get(snap.status, ""),
                    "period_label": snap.period_label,
                    "action": snap.action_id.display_name or "",
                    "action_id": snap.action_id.id,
                    "trend": trend,
                }
            )
        rows = section["rows"]
        section.update(
            met=sum(1 for r in rows if r["status"] == "met"),
            missed=sum(1 for r in rows if r["status"] == "missed"),
            no_data=sum(1 for r in rows if r["status"] == "no_data"),
            trend_labels=[p["label"] for p in rows[0]["trend"]] if rows else [],
        )
        return section

    # complaints and SLA ----------------------------------------------------
    def _tsq_pack_complaints(self, ctx):
        env, company = ctx["env"], ctx["company"]
        Ticket = env["helpdesk.ticket"]
        base = [("company_id", "=", company.id), ("is_complaint", "=", True)]
        period = [("tsq_received_at", ">=", ctx["start"]), ("tsq_received_at", "<", ctx["end"])]
        by_validity = dict(Ticket._read_group(base + period, ["tsq_validity"], ["__count"]))
        received = sum(by_validity.values())
        closed = Ticket.search_count(base + period + [("stage_id.closed", "=", True)])
        # complaints by month: the 12 months that end with the period
        first_month = ctx["date_to"] - relativedelta(months=TREND_MONTHS)
        months = [first_month + relativedelta(months=i) for i in range(TREND_MONTHS)]
        by_month = {
            (month.year, month.month): count
            for month, count in Ticket._read_group(
                base
                + [
                    ("tsq_received_at", ">=", self._tsq_utc(ctx, first_month)),
                    ("tsq_received_at", "<", ctx["end"]),
                ],
                ["tsq_received_at:month"],
                ["__count"],
            )
            if month
        }
        by_category = [
            {"name": category.display_name if category else "—", "count": count}
            for category, count in Ticket._read_group(
                base + period, ["category_id"], ["__count"], order="__count desc"
            )
        ]
        # SLA compliance: the clocks of the tickets received in the period
        Clock = env["tsq.sla.clock"]
        roles = self._tsq_labels(Clock, "indicator_role")
        states = {}
        for role, state, count in Clock._read_group(
            [
                ("company_id", "=", company.id),
                ("ticket_id.tsq_received_at", ">=", ctx["start"]),
                ("ticket_id.tsq_received_at", "<", ctx["end"]),
            ],
            ["indicator_role", "state"],
            ["__count"],
        ):
            states.setdefault(role or "", {})[state] = count
        sla = []
        for role in [*roles, ""]:
            if role not in states:
                continue
            counts = states[role]
            met, breached = counts.get("met", 0), counts.get("breached", 0)
            sla.append(
                {
                    "role": role,
                    "label": roles.get(role) or self.env._("Other time limits"),
                    "total": sum(counts.values()),
                    "met": met,
                    "breached": breached,
                    "running": counts.get("running", 0) + counts.get("paused", 0),
                    "compliance": 100.0 * met / (met + breached) if met + breached else None,
                }
            )
        return {
            "received": received,
            "valid": by_validity.get("valid", 0),
            "invalid": by_validity.get("invalid", 0),
            "pending": by_validity.get("pending", 0),
            "closed": closed,
            "open": received - closed,
            "by_month": [
                {"label": m.strftime("%Y-%m"), "count": by_month.get((m.year, m.month), 0)}
                for m in months
            ],
            "by_category": by_category,
            "sla": sla,
        }

    def _tsq_utc(self, ctx, day):
        local = datetime.combine(day, time.min, ctx["zone"])
        return local.astimezone(UTC).replace(tzinfo=None)

    # services, gates, objections -------------------------------------------
    def _tsq_pack_services(self, ctx):
        env, company = ctx["env"], ctx["company"]
        Project = env["project.project"]
        stages = self._tsq_labels(Project, "service_stage")
        base = [("is_service", "=", True), ("company_id", "=", company.id)]
        by_stage = dict(Project._read_group(base, ["service_stage"], ["__count"]))
        received = Project.search_count(
            base
            + [
                ("inquiry_received_at", ">=", ctx["start"]),
                ("inquiry_received_at", "<", ctx["end"]),
            ]
        )
        late_domain = base + [("is_stage_late", "=", True)]
        late_count = Project.search_count(late_domain)
        late = [
            {
                "name": service.name,
                "client": service.partner_id.commercial_partner_id.name or "",
                "stage": stages.get(service.service_stage, ""),
                "deadline": self._tsq_local(ctx, service.stage_deadline, with_time=True),
                "responsible": service.user_id.name or "",
            }
            for service in Project.search(late_domain, order="stage_deadline", limit=LIST_LIMIT)
        ]
        Acceptance = env["tsq.acceptance"]
        acc_base = [("company_id", "=", company.id)]
        now = fields.Datetime.now()
        env.cr.execute(
            SQL(
                """
                SELECT count(*) FILTER (WHERE submitted_at >= %(start)s AND submitted_at < %(end)s),
                       count(*) FILTER (WHERE submitted_at >= %(start)s AND submitted_at < %(end)s
                                          AND state = 'accepted'),
                       count(*) FILTER (WHERE state IN ('objection', 'objection_closed')
                                          AND decided_at >= %(start)s AND decided_at < %(end)s),
                       count(*) FILTER (WHERE objection_closed_at >= %(start)s
                                          AND objection_closed_at < %(end)s),
                       count(*) FILTER (WHERE objection_closed_at >= %(start)s
                                          AND objection_closed_at < %(end)s
                                          AND objection_closed_at > objection_deadline),
                       count(*) FILTER (WHERE state = 'objection'),
                       count(*) FILTER (WHERE state = 'objection' AND objection_deadline < %(now)s)
                  FROM tsq_acceptance
                 WHERE company_id = %(company)s
                """,
                start=ctx["start"],
                end=ctx["end"],
                now=now,
                company=company.id,
            )
        )
        submitted, accepted, raised, closed, closed_late, open_now, open_late = env.cr.fetchone()
        objections = [
            {
                "service": acc.service_id.name,
                "client": acc.partner_id.commercial_partner_id.name or "",
                "raised": self._tsq_local(ctx, acc.decided_at, with_time=True),
                "deadline": self._tsq_local(ctx, acc.objection_deadline, with_time=True),
                "closed": self._tsq_local(ctx, acc.objection_closed_at, with_time=True),
                "late": acc.is_objection_late,
                "reason": acc.objection_reason or "",
            }
            for acc in Acceptance.search(
                acc_base
                + [
                    ("state", "in", ("objection", "objection_closed")),
                    "|",
                    "&",
                    ("decided_at", ">=", ctx["start"]),
                    ("decided_at", "<", ctx["end"]),
                    ("state", "=", "objection"),
                ],
                order="decided_at",
                limit=LIST_LIMIT,
            )
        ]
        return {
            "by_stage": [
                {"code": code, "label": label, "count": by_stage.get(code, 0)}
                for code, label in stages.items()
            ],
            "active": sum(by_stage.get(code, 0) for code in OPEN_STAGES),
            "received": received,
            "late_count": late_count,
            "late": late,
            "acceptance": {
                "submitted": submitted,
                "accepted": accepted,
                "objections_raised": raised,
                "objections_closed": closed,
                "objections_closed_late": closed_late,
                "objections_open": open_now,
                "objections_open_late": open_late,
            },
            "objections": objections,
        }

    # client feedback -------------------------------------------------------
    def _tsq_pack_feedback(self, ctx):
        env = ctx["env"]
        Feedback = env["tsq.feedback"]
        domain = [
            ("company_id", "=", ctx["company"].id),
            ("submitted_at", ">=", ctx["start"]),
            ("submitted_at", "<", ctx["end"]),
        ]
        [(count, average)] = Feedback._read_group(domain, [], ["__count", "score:avg"])
        by_score = dict(Feedback._read_group(domain, ["score"], ["__count"]))
        occasions = self._tsq_labels(Feedback, "occasion")
        by_occasion = [
            {"label": occasions.get(occasion, occasion), "count": n, "average": avg or 0.0}
            for occasion, n, avg in Feedback._read_group(
                domain, ["occasion"], ["__count", "score:avg"]
            )
        ]
        comments = [
            {
                "date": self._tsq_local(ctx, fb.submitted_at),
                "client": fb.partner_id.name or "",
                "about": fb.service_id.name or fb.ticket_id.display_name or "",
                "occasion": occasions.get(fb.occasion, ""),
                "score": fb.score,
                "comment": fb.comment,
            }
            for fb in Feedback.search(
                domain + [("comment", "!=", False)],
                order="submitted_at desc, id desc",
                limit=COMMENT_LIMIT,
            )
        ]
        satisfied = sum(n for score, n in by_score.items() if score >= 4)
        return {
            "count": count,
            "average": average or 0.0,
            "satisfied": satisfied,
            "satisfied_share": 100.0 * satisfied / count if count else None,
            "distribution": [{"score": s, "count": by_score.get(s, 0)} for s in range(5, 0, -1)],
            "by_occasion": by_occasion,
            "comments": comments,
        }

    # suppliers -------------------------------------------------------------
    def _tsq_pack_suppliers(self, ctx):
        env, company, today = ctx["env"], ctx["company"], ctx["today"]
        Partner = env["res.partner"]
        statuses = self._tsq_labels(Partner, "tsq_supplier_status")
        base = [("tsq_is_supplier", "=", True), ("company_id", "in", (False, company.id))]
        by_status = dict(Partner._read_group(base, ["tsq_supplier_status"], ["__count"]))
        horizon = today + timedelta(days=EXPIRY_DAYS)
        window = [("valid_to", ">=", today), ("valid_to", "<=", horizon)]
        expiring = [
            {
                "supplier": doc.partner_id.name,
                "item": doc.name,
                "kind": self.env._("Document"),
                "valid_to": doc.valid_to,
            }
            for doc in env["tsq.supplier.document"].search(
                [("company_id", "in", (False, company.id)), *window], order="valid_to"
            )
        ]
        expiring += [
            {
                "supplier": qual.partner_id.name,
                "item": qual.service_category_id.display_name,
                "kind": self.env._("Category qualification"),
                "valid_to": qual.valid_to,
            }
            for qual in env["tsq.supplier.qualification"].search(
                [
                    ("company_id", "in", (False, company.id)),
                    ("status", "in", ("qualified", "conditional")),
                    *window,
                ],
                order="valid_to",
            )
        ]
        expiring.sort(key=lambda row: (row["valid_to"], row["supplier"]))
        Evaluation = env["tsq.supplier.evaluation"]
        eval_domain = [
            ("company_id", "=", company.id),
            ("state", "=", "confirmed"),
            ("date_to", ">=", ctx["date_from"]),
            ("date_to", "<", ctx["date_to"]),
        ]
        evaluations = [
            {
                "supplier": ev.partner_id.name,
                "date_from": ev.date_from,
                "date_to": ev.date_to,
                "score": ev.score,
                "grade": ev.grade or "",
            }
            for ev in Evaluation.search(eval_domain, order="date_to, id")
        ]
        by_grade = dict(Evaluation._read_group(eval_domain, ["grade"], ["__count"]))
        suspended = Partner.search(base + [("tsq_supplier_status", "=", "suspended")], order="name")
        return {
            "total": sum(by_status.values()),
            "by_status": [
                {"code": code, "label": label, "count": by_status.get(code, 0)}
                for code, label in statuses.items()
            ]
            + [{"code": "", "label": self.env._("Not assessed"), "count": by_status.get(False, 0)}],
            "expiring": expiring,
            "evaluations": evaluations,
            "by_grade": [{"grade": g, "count": n} for g, n in sorted(by_grade.items()) if g],
            "suspended": [{"id": p.id, "name": p.name} for p in suspended],
        }

    # staff -----------------------------------------------------------------
    def _tsq_pack_staff(self, ctx):
        env, company, today = ctx["env"], ctx["company"], ctx["today"]
        env.cr.execute(
            SQL(
                """
                SELECT COALESCE(SUM(s.tsq_hours), 0),
                       COUNT(DISTINCT a.employee_id) FILTER (WHERE e.active),
                       COUNT(DISTINCT s.id)
                  FROM hr_course_attendee a
                  JOIN hr_course_schedule s ON s.id = a.course_schedule_id
                  JOIN hr_employee e ON e.id = a.employee_id
                 WHERE a.result = 'passed' AND a.active
                   AND e.company_id = %(company)s AND e.tsq_service_staff
                   AND s.end_date >= %(date_from)s AND s.end_date < %(date_to)s
                """,
                company=company.id,
                date_from=ctx["date_from"],
                date_to=ctx["date_to"],
            )
        )
        hours, trained, sessions = env.cr.fetchone()
        headcount = env["hr.employee"].search_count(
            [("company_id", "=", company.id), ("tsq_service_staff", "=", True)]
        )
        years = list(range(ctx["date_from"].year, (ctx["date_to"] - timedelta(days=1)).year + 1))
        plans = [
            {
                "name": plan.name,
                "year": plan.year,
                "team": plan.department_id.name or "",
                "people": len(plan.employee_ids),
                "planned": plan.planned_hours * len(plan.employee_ids),
                "done": plan.done_hours,
                "coverage": plan.coverage,
                "completion": plan.completion,
            }
            for plan in env["tsq.training.plan"].search(
                [("company_id", "=", company.id), ("year", "in", years)], order="year, name"
            )
        ]
        horizon = today + timedelta(days=EXPIRY_DAYS)
        window = [
            ("company_id", "=", company.id),
            ("employee_id.active", "=", True),
            ("valid_to", ">=", today),
            ("valid_to", "<=", horizon),
        ]
        qualifications = [
            {
                "employee": q.employee_id.name,
                "item": q.type_id.name,
                "number": q.number or "",
                "valid_to": q.valid_to,
            }
            for q in env["tsq.employee.qualification"].search(window, order="valid_to, id")
        ]
        Undertaking = env["tsq.undertaking"]
        kinds = self._tsq_labels(Undertaking, "kind")
        undertakings = [
            {"employee": u.employee_id.name, "item": kinds.get(u.kind, ""), "valid_to": u.valid_to}
            for u in Undertaking.search(window, order="valid_to, id")
        ]
        return {
            "training_hours": float(hours or 0.0),
            "trained": trained,
            "sessions": sessions,
            "headcount": headcount,
            "coverage": 100.0 * trained / headcount if headcount else None,
            "hours_per_person": float(hours or 0.0) / headcount if headcount else None,
            "plans": plans,
            "qualifications": qualifications,
            "undertakings": undertakings,
        }

    # audits and external evaluations ---------------------------------------
    def _tsq_display(self, value):
        if isinstance(value, models.BaseModel):
            return ", ".join(value.mapped("display_name"))
        if value is False or value is None:
            return ""
        return str(value)

    def _tsq_in_period(self, ctx, model, field):
        """The domain of ``field`` (a date or a datetime) of ``model`` in the period."""
        if model._fields[field].type == "datetime":
            return [(field, ">=", ctx["start"]), (field, "<", ctx["end"])]
        return [(field, ">=", ctx["date_from"]), (field, "<", ctx["date_to"])]

    def _tsq_pack_audits(self, ctx):
        env, company = ctx["env"], ctx["company"]
        Audit = env["mgmtsystem.audit"]
        states = self._tsq_labels(Audit, "state")
        # the agency's own audits: those of its service-quality system
        audits = Audit.search(
            [
                ("company_id", "=", company.id),
                ("system_id", "=", company._tsq_mgmtsystem().id),
                *self._tsq_in_period(ctx, Audit, "date"),
            ],
            order="date, id",
        )
        section = {
            "count": len(audits),
            "done": len(audits.filtered(lambda a: a.state == "done")),
            "rows": [
                {
                    "reference": audit.reference or "",
                    "name": audit.name or "",
                    "date": self._tsq_local(ctx, audit.date),
                    "state": states.get(audit.state, ""),
                    "nonconformities": audit.number_of_nonconformities,
                    "improvements": audit.number_of_improvements_opportunity,
                }
                for audit in audits[:LIST_LIMIT]
            ],
            "findings_available": "tsq.audit.finding" in env,
            "findings": [],
            "findings_total": 0,
            "external_available": "tsq.external.evaluation" in env,
            "external": [],
        }
        if section["findings_available"]:
            Finding = env["tsq.audit.finding"]
            kinds = self._tsq_labels(Finding, "kind")
            counts = dict(
                Finding._read_group(
                    [("company_id", "=", company.id), *self._tsq_in_period(ctx, Finding, "date")],
                    ["kind"],
                    ["__count"],
                )
            )
            section["findings"] = [
                {"kind": kind, "label": label, "count": counts.get(kind, 0)}
                for kind, label in kinds.items()
            ]
            section["findings_total"] = sum(counts.values())
        if section["external_available"]:
            External = env["tsq.external.evaluation"]
            domain = [("company_id", "=", company.id)]
            if "date" in External._fields:
                domain += self._tsq_in_period(ctx, External, "date")
            for evaluation in External.search(domain, limit=LIST_LIMIT):
                date_value = self._tsq_pick(evaluation, "date")
                if isinstance(date_value, datetime):
                    date_value = self._tsq_local(ctx, date_value)
                section["external"].append(
                    {
                        "body": self._tsq_display(self._tsq_pick(evaluation, "body")),
                        "date": self._tsq_display(date_value),
                        "scope": self._tsq_display(self._tsq_pick(evaluation, "scope")),
                        "score": self._tsq_pick(evaluation, "score"),
                    }
                )
        return section

    # improvement actions ---------------------------------------------------
    def _tsq_pack_actions(self, ctx):
        env, company, today = ctx["env"], ctx["company"], ctx["today"]
        Action = env["mgmtsystem.action"]
        # the agency's own actions: those of its service-quality system
        base = [("company_id", "=", company.id), ("system_id", "=", company._tsq_mgmtsystem().id)]
        open_domain = base + ["|", ("stage_id", "=", False), ("stage_id.is_ending", "=", False)]
        overdue_domain = open_domain + [("date_deadline", "<", today)]
        closed_domain = base + [
            ("date_closed", ">=", ctx["start"]),
            ("date_closed", "<", ctx["end"]),
        ]
        has_effective = "tsq_effective" in Action._fields
        types = self._tsq_labels(Action, "type_action")
        open_actions = Action.search(open_domain, order="date_deadline, id")
        overdue = open_actions.filtered(lambda a: a.date_deadline and a.date_deadline < today)
        return {
            "opened": Action.search_count(
                base + [("create_date", ">=", ctx["start"]), ("create_date", "<", ctx["end"])]
            ),
            "open": len(open_actions),
            "overdue": Action.search_count(overdue_domain),
            "closed": Action.search_count(closed_domain),
            "effective_available": has_effective,
            "effective": Action.search_count(closed_domain + [("tsq_effective", "=", "effective")])
            if has_effective
            else None,
            "by_type": [
                {"label": types.get(kind, ""), "count": count}
                for kind, count in Action._read_group(open_domain, ["type_action"], ["__count"])
            ],
            "open_rows": [
                {
                    "id": action.id,
                    "reference": action.reference or "",
                    "name": action.name,
                    "owner": action.user_id.name or "",
                    "deadline": action.date_deadline,
                    "stage": action.stage_id.name or "",
                    "overdue": action in overdue,
                }
                for action in open_actions
            ],
        }

    # decisions to take -----------------------------------------------------
    def _tsq_pack_decisions(self, ctx, pack):
        decisions = []

        def add(kind, key, title, action_id=False):
            decisions.append({"kind": kind, "key": key, "title": title, "action_id": action_id})

        for row in pack["indicators"]["rows"]:
            if row["status"] == "missed":
                add(
                    "indicator",
                    f"indicator:{row['code']}",
                    self.env._(
                        "Indicator %(indicator)s missed its target: %(value).1f %% against "
                        "%(sign)s %(target).2f %%. Decide the corrective measures.",
                        indicator=row["name"],
                        value=row["value"] or 0.0,
                        sign=row["sign"],
                        target=row["target"] or 0.0,
                    ),
                    row["action_id"],
                )
        carried = {d["action_id"] for d in decisions if d["action_id"]}
        for row in pack["actions"]["open_rows"]:
            if row["id"] in carried:  # the missed indicator's line carries its action
                continue
            if row["overdue"]:
                title = self.env._(
                    "Improvement action %(ref)s %(name)s is overdue (deadline %(date)s): "
                    "decide how to complete it.",
                    ref=row["reference"],
                    name=row["name"],
                    date=row["deadline"],
                )
            else:
                title = self.env._(
                    "Review the progress of improvement action %(ref)s %(name)s.",
                    ref=row["reference"],
                    name=row["name"],
                )
            add("action", f"action:{row['id']}", title, row["id"])
        for supplier in pack["suppliers"]["suspended"]:
            add(
                "supplier",
                f"supplier:{supplier['id']}",
                self.env._(
                    "Supplier %(supplier)s is suspended: decide whether to requalify or "
                    "disqualify it.",
                    supplier=supplier["name"],
                ),
            )
        services = pack["services"]
        if services["late_count"]:
            add(
                "gates",
                "gates:late",
                self.env._(
                    "%(count)s services are late at their stage gate: decide the resources "
                    "or the new dates.",
                    count=services["late_count"],
                ),
            )
        if services["acceptance"]["objections_open_late"]:
            add(
                "objections",
                "objections:late",
                self.env._(
                    "%(count)s acceptance objections are past their handling limit.",
                    count=services["acceptance"]["objections_open_late"],
                ),
            )
        staff = pack["staff"]
        expiring_staff = len(staff["qualifications"]) + len(staff["undertakings"])
        if expiring_staff:
            add(
                "staff",
                "staff:expiring",
                self.env._(
                    "%(count)s staff qualifications or undertakings expire within %(days)s "
                    "days: plan their renewal.",
                    count=expiring_staff,
                    days=EXPIRY_DAYS,
                ),
            )
        if pack["suppliers"]["expiring"]:
            add(
                "supplier_documents",
                "supplier_documents:expiring",
                self.env._(
                    "%(count)s supplier documents or qualifications expire within %(days)s "
                    "days: ask for the renewed documents.",
                    count=len(pack["suppliers"]["expiring"]),
                    days=EXPIRY_DAYS,
                ),
            )
        return decisions

    # charts of the PDF -----------------------------------------------------
    def _tsq_pack_charts(self, pack):
        """Inline SVG charts of the PDF, drawn from the pack."""
        rows = pack["indicators"]["rows"]
        return {
            "indicators": Markup(
                charts.svg_indicator_bars(
                    rows,
                    self.env._("no data"),
                    self.env._("Value (met / missed)"),
                    self.env._("Target"),
                )
            )
            if rows
            else "",
            "trends": {
                row["code"]: Markup(
                    charts.svg_trend(
                        [(p["label"], p["value"] if p["has_data"] else None) for p in row["trend"]],
                        row["target"],
                    )
                )
                for row in rows
                if row["trend"]
            },
            "complaints": Markup(
                charts.svg_columns(
                    [(p["label"][2:], p["count"]) for p in pack["complaints"]["by_month"]]
                )
            ),
        }
