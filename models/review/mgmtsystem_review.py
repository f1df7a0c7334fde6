"""The management review (管理评审) of a period and its input pack.

``mgmtsystem.review._tsq_pack_data`` gathers every section of the pack into one
plain dict (numbers, labels, short lists); the QWeb PDF and the XLSX workbook
are both drawn from that same dict, so that their figures are the same.

This file holds the generic part only: the period, the assembly of the pack,
its PDF and XLSX attachments and the scheduled preparation. Each domain adds
its section in its own ``models/<domain>/mgmtsystem_review.py``, extending
:meth:`MgmtsystemReview._tsq_review_sections` (and the decisions its figures
propose, :meth:`MgmtsystemReview._tsq_review_decisions`) with ``super()``;
those files import their constants from here, so this class is defined first.
The sections read their figures as the Quality Dashboard does: the indicators
are the snapshots of the indicator engine, the SLA table is the engine's."""

import logging
from datetime import timedelta
from operator import itemgetter

from markupsafe import Markup
from psycopg2 import errors

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ...lib import charts
from ...lib.periods import index_of, last_day, local_midnight
from ...lib.periods import last_ended as last_ended_period
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


# Expiring qualifications, undertakings and supplier documents: within this many days.
EXPIRY_DAYS = 60


LIST_LIMIT = 20  # rows of a detailed list printed in the pack


COMMENT_LIMIT = 10  # latest client comments


TREND_MONTHS = 12


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
                quarter=index_of("quarter", date_from),
            )
        if kind == "half":
            return self.env._(
                "%(year)s H%(half)s", year=date_from.year, half=index_of("half", date_from)
            )
        if kind == "year":
            return self.env._("Year %(year)s", year=date_from.year)
        return self.env._(
            "%(date_from)s – %(date_to)s",
            date_from=date_from.isoformat(),
            date_to=last_day(date_to).isoformat(),
        )

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
            _year, _index, date_from, date_to = last_ended_period(kind, company._tsq_today())
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
            today = review.company_id._tsq_today()
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
    def _tsq_review_sections(self):
        """The sections of the pack, as ``[(sequence, key, builder)]``: each domain
        adds its own in its ``models/<domain>/mgmtsystem_review.py`` (``super()``,
        then append). ``builder(ctx)`` returns the section's plain dict, which the
        pack holds under ``key``; the PDF and the XLSX print the sections in the
        order of their sequence."""
        return []

    def _tsq_review_decisions(self, ctx, pack):
        """The decisions to take that the figures of the pack propose, as
        ``[(sequence, decision)]``: each domain adds those of its section (see
        :meth:`_tsq_decision`); the pack lists them in the order of their sequence."""
        return []

    @staticmethod
    def _tsq_decision(kind, key, title, action_id=False):
        return {"kind": kind, "key": key, "title": title, "action_id": action_id}

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
        ctx = {
            "env": env,
            "company": company,
            "tz": tz,
            "date_from": date_from,
            "date_to": date_to,
            "start": local_midnight(date_from, tz),
            "end": local_midnight(date_to, tz),
            "today": company._tsq_today(),
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
                "date_last": last_day(date_to),
            },
            "generated_at": now,
            "generated_label": company._tsq_format_instant(now),
            "generated_date": company._tsq_format_instant(now, with_time=False),
            "today": ctx["today"],
            "expiry_days": EXPIRY_DAYS,
        }
        sections = sorted(self._tsq_review_sections(), key=itemgetter(0))
        pack["sections"] = [key for _sequence, key, _builder in sections]
        for _sequence, key, builder in sections:
            pack[key] = builder(ctx)
        decisions = sorted(self._tsq_review_decisions(ctx, pack), key=itemgetter(0))
        pack["decisions"] = [decision for _sequence, decision in decisions]
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

    def _tsq_in_period(self, ctx, model, field):
        """The domain of ``field`` (a date or a datetime) of ``model`` in the period."""
        if model._fields[field].type == "datetime":
            return [(field, ">=", ctx["start"]), (field, "<", ctx["end"])]
        return [(field, ">=", ctx["date_from"]), (field, "<", ctx["date_to"])]

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
