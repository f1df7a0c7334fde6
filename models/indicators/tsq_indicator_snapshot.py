import logging

from dateutil.relativedelta import relativedelta
from psycopg2 import errors

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare, float_round

from ...lib.periods import kind_of, last_day, period_of
from ...lib.periods import label as period_label
from ..core.res_company import in_agency_language
from ..core.tsq_concurrency import CONCURRENCY_ERRORS, TsqConcurrentChange, claim_job, claim_rows
from .tsq_indicator import DIRECTIONS

_logger = logging.getLogger(__name__)


PERIOD_TYPES = [
    ("month", "Month"),
    ("quarter", "Quarter"),
    ("year", "Year"),
    ("custom", "Custom period"),
]


SPLITS = [("none", "Company"), ("category", "Service category"), ("team", "Team")]


STATUSES = [("met", "Met"), ("missed", "Missed"), ("no_data", "No data")]


SPLIT_KEYS = ("none", "category", "team")


def figure_key(indicator_id, date_from, date_to, split, split_key):
    return (
        indicator_id,
        date_from,
        date_to,
        split,
        split_key if split == "category" else 0,
        split_key if split == "team" else 0,
    )


class TsqIndicatorSnapshot(models.Model):
    """The figure of one indicator for one company, period and split, as the
    engine computed it. An open period is recomputed every night; a closed one
    is evidence and changes only by a Quality Manager's recorded recompute."""

    _name = "tsq.indicator.snapshot"
    _inherit = ["tsq.evidence.mixin", "tsq.indicator.card"]
    _description = "Indicator Figure"
    _order = "date_from desc, indicator_sequence, split, id"
    _rec_name = "display_name"

    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    indicator_id = fields.Many2one(
        "tsq.indicator", required=True, readonly=True, index=True, ondelete="restrict"
    )
    code = fields.Selection(related="indicator_id.code", store=True)
    indicator_sequence = fields.Integer(related="indicator_id.sequence", store=True)
    period_type = fields.Selection(PERIOD_TYPES, required=True, readonly=True, index=True)
    date_from = fields.Date("From", required=True, readonly=True, index=True)
    date_to = fields.Date(
        "Until", required=True, readonly=True, help="The first day after the period."
    )
    period_label = fields.Char("Period", readonly=True)
    split = fields.Selection(SPLITS, required=True, readonly=True, default="none", index=True)
    service_category_id = fields.Many2one("tsq.service.category", readonly=True, index=True)
    team_id = fields.Many2one("helpdesk.ticket.team", readonly=True, index=True)
    numerator = fields.Integer(readonly=True, aggregator="sum")
    denominator = fields.Integer(readonly=True, aggregator="sum")
    provisional_count = fields.Integer(
        string="Provisional Deadlines",
        readonly=True,
        aggregator="sum",
        help="Records of the denominator judged against a provisional deadline: one "
        "counted through a year whose official holidays were not loaded (weekdays "
        "only). The figure may change when the year is loaded.",
    )
    value = fields.Float("Value (%)", readonly=True, digits=(16, 1), aggregator="avg")
    has_data = fields.Boolean(readonly=True)
    target = fields.Float("Target (%)", readonly=True, digits=(16, 2), aggregator="avg")
    direction = fields.Selection(DIRECTIONS, readonly=True)
    status = fields.Selection(STATUSES, readonly=True, index=True)
    state = fields.Selection(
        [("open", "Open"), ("closed", "Closed")], default="open", readonly=True, index=True
    )
    is_latest = fields.Boolean(
        string="Last Closed Month",
        readonly=True,
        index=True,
        help="A figure of the company's last closed month (or of its latest month while "
        "none is closed yet): the period the Quality Dashboard opens on.",
    )
    computed_at = fields.Datetime(readonly=True)
    closed_at = fields.Datetime(readonly=True)
    recompute_ids = fields.One2many(
        "tsq.indicator.recompute", "snapshot_id", string="Recomputations", readonly=True
    )
    action_id = fields.Many2one(
        "mgmtsystem.action", string="Improvement Action", readonly=True, index="btree_not_null"
    )

    _sql_constraints = [
        (
            "one_per_period",
            "unique nulls not distinct(company_id, indicator_id, period_type, date_from, "
            "date_to, split, service_category_id, team_id)",
            "An indicator has one figure per company, period and split.",
        ),
    ]

    @api.model
    def _tsq_figure_vals(
        self, indicator, date_from, date_to, numerator, denominator, provisional=0
    ):
        target = indicator._target_line(last_day(date_to))
        has_data = denominator > 0
        # The figure as it is shown (one decimal) is the one judged.
        value = float_round(100.0 * numerator / denominator, 1) if has_data else 0.0
        direction = target.direction or "ge"
        if not has_data:
            status = "no_data"
        else:
            cmp = float_compare(value, target.target, precision_digits=6)
            status = "met" if (cmp >= 0 if direction == "ge" else cmp <= 0) else "missed"
        return {
            "numerator": numerator,
            "denominator": denominator,
            "provisional_count": provisional,
            "value": value,
            "has_data": has_data,
            "target": target.target,
            "direction": direction,
            "status": status,
        }

    @api.model
    def _tsq_compute(
        self, company, period_type, periods, now=None, close=False, reason=None, splits=SPLIT_KEYS
    ):
        """Compute the figures of every active indicator of ``company`` for
        ``periods`` (a list of (date_from, date_to)), for each split: one query
        per indicator and split, whatever the number of periods. Figures are
        created or updated only when they change; a closed figure changes only
        with a ``reason`` (a Quality Manager's recompute, which is recorded).
        With ``close``, the figures of the periods that have ended are closed
        and the company figures that missed their target propose an
        improvement action. Returns the figures of those periods.

        One computation per company at a time, whatever the number of servers:
        another one running raises :class:`TsqConcurrentChange`."""
        now = now or fields.Datetime.now()
        if not claim_job(self.env, "tsq.indicator.snapshot", company.id):
            raise TsqConcurrentChange(
                self.env._(
                    "The indicators of %(company)s are being computed by another process "
                    "right now. Try again in a moment.",
                    company=company.name,
                )
            )
        Snapshot = self.sudo().with_context(tsq_engine_write=True)
        indicators = self.env["tsq.indicator"].sudo().search([("code", "!=", False)])
        index = Snapshot._tsq_existing(company, period_type, periods, indicators, splits)
        # What is counted; figures that no longer count anything fall to zero.
        counts = dict.fromkeys(index, (0, 0, 0))
        counts.update(self._tsq_count_figures(company, indicators, periods, splits, now))
        to_create = []
        touched = Snapshot.browse()
        for key, figure in counts.items():
            indicator_id, date_from, date_to, split, category_id, team_id = key
            vals = self._tsq_figure_vals(
                indicators.browse(indicator_id), date_from, date_to, *figure
            )
            snap = index.get(key)
            if snap:
                touched |= snap
                snap._tsq_update_figure(vals, now, reason)
                continue
            vals.update(
                company_id=company.id,
                indicator_id=indicator_id,
                period_type=period_type,
                date_from=date_from,
                date_to=date_to,
                period_label=period_label(period_type, date_from, date_to),
                split=split,
                service_category_id=category_id or False,
                team_id=team_id or False,
                computed_at=now,
            )
            to_create.append(vals)
        touched |= Snapshot.create(to_create)
        if close:
            today = company._tsq_today(now)
            ended = touched.filtered(lambda s: s.date_to <= today and s.state == "open")
            # closed once: a figure closed meanwhile by another run is left to it
            ended = claim_rows(ended).filtered(lambda s: s.state == "open")
            ended.write({"state": "closed", "closed_at": now})
            ended._tsq_propose_actions()
        self._tsq_mark_latest(company)
        return touched.with_env(self.env)

    @api.model
    def _tsq_existing(self, company, period_type, periods, indicators, splits):
        """``{figure key: figure}`` of the figures already computed for these."""
        existing = self.search(
            [
                ("company_id", "=", company.id),
                ("period_type", "=", period_type),
                ("date_from", "in", [p[0] for p in periods]),
                ("indicator_id", "in", indicators.ids),
                ("split", "in", list(splits)),
            ]
        )
        return {
            figure_key(
                s.indicator_id.id,
                s.date_from,
                s.date_to,
                s.split,
                (s.service_category_id or s.team_id).id,
            ): s
            for s in existing
        }

    @api.model
    def _tsq_count_figures(self, company, indicators, periods, splits, now):
        """``{figure key: (numerator, denominator, provisional)}`` of ``indicators``
        for ``periods`` and ``splits``, as the engine counts them; every company
        figure is there, zero if nothing is counted."""
        engine = self.env["tsq.indicator.engine"].sudo()
        counts = {}
        for indicator in indicators:
            for date_from, date_to in periods:
                if "none" in splits:
                    counts[figure_key(indicator.id, date_from, date_to, "none", 0)] = (0, 0, 0)
            for split in splits:
                for (k, split_key), figure in engine._count(
                    company, indicator, periods, split, now
                ).items():
                    date_from, date_to = periods[k]
                    counts[figure_key(indicator.id, date_from, date_to, split, split_key)] = figure
        return counts

    def _tsq_update_figure(self, vals, now, reason=None):
        """Write the recomputed ``vals`` on this figure if they changed; a closed
        figure only with a ``reason`` (a Quality Manager's recompute, recorded)."""
        self.ensure_one()
        if self.state == "closed" and not reason:
            return
        changed = any(
            self[name] != vals[name]
            for name in (
                "numerator",
                "denominator",
                "provisional_count",
                "has_data",
                "direction",
                "status",
            )
        ) or float_compare(self.target, vals["target"], precision_digits=6)
        if self.state == "closed":
            self.env["tsq.indicator.recompute"].sudo().create(
                {
                    "snapshot_id": self.id,
                    "reason": reason,
                    "old_numerator": self.numerator,
                    "old_denominator": self.denominator,
                    "old_value": self.value,
                    "new_numerator": vals["numerator"],
                    "new_denominator": vals["denominator"],
                    "new_value": vals["value"],
                }
            )
        if changed:
            # a closed figure recomputed by a Quality Manager: sealed again
            self.with_context(tsq_evidence_amend=bool(reason)).write(dict(vals, computed_at=now))

    def init(self):
        res = super().init()
        # figures computed before the flag existed: flag each company's last month
        self.env.cr.execute("SELECT DISTINCT company_id FROM tsq_indicator_snapshot")
        for (company_id,) in self.env.cr.fetchall():
            self._tsq_mark_latest(self.env["res.company"].browse(company_id))
        return res

    @api.model
    def _tsq_mark_latest(self, company):
        """Flag the figures of ``company``'s last closed month (its latest month
        while none is closed): the dashboard opens on them, and a bookmark, a
        reload or the Back button finds the same figures. One statement."""
        self.env.flush_all()
        self.env.cr.execute(
            """WITH latest AS (
                   SELECT COALESCE(max(date_from) FILTER (WHERE state = 'closed'),
                                   max(date_from)) AS day
                     FROM tsq_indicator_snapshot
                    WHERE company_id = %(company)s AND period_type = 'month')
               UPDATE tsq_indicator_snapshot s
                  SET is_latest = (s.period_type = 'month' AND s.date_from = latest.day)
                 FROM latest
                WHERE s.company_id = %(company)s
                  AND s.is_latest IS DISTINCT FROM
                      (s.period_type = 'month' AND s.date_from = latest.day)""",
            {"company": company.id},
        )
        self.invalidate_model(["is_latest"])

    def _tsq_propose_actions(self):
        """A closed company figure that missed its target proposes one
        improvement action (R6.5)."""
        Action = self.env["mgmtsystem.action"].sudo()
        for snap in self.filtered(
            lambda s: s.split == "none" and s.status == "missed" and not s.action_id
        ):
            indicator = snap.indicator_id
            # While an action on the same indicator is still open, a further
            # missed period joins it instead of opening another one.
            running = Action.search(
                [
                    ("tsq_snapshot_id.indicator_id", "=", indicator.id),
                    ("company_id", "=", snap.company_id.id),
                    ("stage_id.is_ending", "=", False),
                ],
                limit=1,
            )
            if running:
                snap.with_context(tsq_engine_write=True).sudo().action_id = running
                running.message_post(
                    body=self.env._(
                        "%(indicator)s missed its target again in %(period)s: %(value).1f %%.",
                        indicator=indicator.name,
                        period=snap.period_label,
                        value=snap.value,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
                continue
            sign = "≥" if snap.direction == "ge" else "≤"
            Action._tsq_propose(
                snap.with_context(tsq_engine_write=True),  # the engine links the figure
                "tsq_snapshot_id",
                self.env._(
                    "%(indicator)s missed its target in %(period)s",
                    indicator=indicator.name,
                    period=snap.period_label,
                ),
                self.env._(
                    "%(indicator)s was %(value).1f %% in %(period)s (%(num)s of %(den)s); "
                    "the target is %(sign)s %(target).1f %%. Find the cause, plan measures "
                    "and check their effect on the following periods.",
                    indicator=indicator.name,
                    value=snap.value,
                    period=snap.period_label,
                    num=snap.numerator,
                    den=snap.denominator,
                    sign=sign,
                    target=snap.target,
                ),
                indicator.user_id or self.env["res.partner"]._tsq_quality_manager(snap.company_id),
                "action_id",
            )

    @api.model
    def _tsq_service_companies(self):
        groups = (
            self.env["project.project"]
            .sudo()
            ._read_group([("is_service", "=", True)], ["company_id"])
        )
        return self.env["res.company"].sudo().browse([c.id for (c,) in groups if c])

    @api.model
    @in_agency_language
    def _tsq_cron_compute(self, now=None):
        """Every night: the current month, quarter and year to date of every
        company with services; and, on the first run after a month, quarter or
        year has ended, its final figures, closed. Safe to run twice."""
        now = now or fields.Datetime.now()
        for company in self._tsq_service_companies():
            self._tsq_cron_compute_company(company, now)
        self.env["ir.config_parameter"].sudo().set_param(
            "tech_service_quality.indicators_computed_at", fields.Datetime.to_string(now)
        )

    @api.model
    def _tsq_cron_compute_company(self, company, now):
        """The nightly figures of ``company``. Several servers (or a manual run)
        may start it at once: the first computes, the others leave the company
        to it; a run that began before the first committed finds the figures
        written (their unique key) and leaves them as they are. Returns whether
        this run computed the figures."""
        try:
            with self.env.cr.savepoint():
                today = company._tsq_today(now)
                for period_type in ("month", "quarter", "year"):
                    current = period_of(period_type, today)
                    self._tsq_compute(company, period_type, [current], now=now)
                    previous = period_of(period_type, last_day(current[0]))
                    closed = self.sudo().search_count(
                        [
                            ("company_id", "=", company.id),
                            ("period_type", "=", period_type),
                            ("date_from", "=", previous[0]),
                            ("split", "=", "none"),
                            ("state", "=", "closed"),
                        ],
                        limit=1,
                    )
                    if not closed:
                        self._tsq_compute(company, period_type, [previous], now=now, close=True)
        except TsqConcurrentChange:
            return False
        except CONCURRENCY_ERRORS + (errors.UniqueViolation,) as error:
            _logger.info(
                "Indicators of %s written by another run meanwhile (%s)", company.name, error.pgcode
            )
            return False
        return True

    @api.model
    def _tsq_ensure_months(self, company, first, last, now=None):
        """Make sure the month figures from the month of ``first`` to the month
        of ``last`` exist (ended months closed), computing the missing ones in
        one batch."""
        today = company._tsq_today(now)
        months = []
        start = period_of("month", first)[0]
        while start <= last and start <= today:
            months.append(period_of("month", start))
            start += relativedelta(months=1)
        have = set(
            self.sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("period_type", "=", "month"),
                    ("split", "=", "none"),
                    ("date_from", "in", [m[0] for m in months]),
                ]
            )
            .mapped("date_from")
        )
        missing = [m for m in months if m[0] not in have]
        if missing:
            try:
                self._tsq_compute(company, "month", missing, now=now, close=True)
            except TsqConcurrentChange:
                # another process is computing them: show what is there already
                _logger.info("Month figures of %s left to the run at work", company.name)

    @api.model
    def _tsq_ensure_period(self, company, date_from, date_to, now=None):
        """The company figures of every active indicator for [date_from,
        date_to), computed if missing (closed if the period has ended)."""
        period_type = kind_of(date_from, date_to)
        domain = [
            ("company_id", "=", company.id),
            ("period_type", "=", period_type),
            ("date_from", "=", date_from),
            ("date_to", "=", date_to),
            ("split", "=", "none"),
            ("indicator_id.active", "=", True),
        ]
        active = self.env["tsq.indicator"].sudo().search_count([("code", "!=", False)])
        if self.sudo().search_count(domain) < active:
            self._tsq_compute(
                company,
                period_type,
                [(date_from, date_to)],
                now=now,
                close=date_to <= company._tsq_today(now),
            )
        return self.search(domain, order="indicator_sequence, id")

    def _tsq_trend(self, months=12):
        """The month figures of this figure's indicator and company, for the
        ``months`` months ending with its period, oldest first."""
        self.ensure_one()
        last = period_of("month", last_day(self.date_to))[0]
        first = last - relativedelta(months=months - 1)
        self._tsq_ensure_months(self.company_id, first, last)
        return self.search(
            [
                ("company_id", "=", self.company_id.id),
                ("indicator_id", "=", self.indicator_id.id),
                ("period_type", "=", "month"),
                ("split", "=", "none"),
                ("date_from", ">=", first),
                ("date_from", "<=", last),
            ],
            order="date_from",
        )

    def _tsq_following(self, n=3):
        """The month figures after this figure's period that have begun (the
        "Check" of an improvement action)."""
        self.ensure_one()
        first = self.date_to
        last = first + relativedelta(months=n - 1)
        self._tsq_ensure_months(self.company_id, first, last)
        return self.search(
            [
                ("company_id", "=", self.company_id.id),
                ("indicator_id", "=", self.indicator_id.id),
                ("period_type", "=", "month"),
                ("split", "=", self.split),
                ("service_category_id", "=", self.service_category_id.id),
                ("team_id", "=", self.team_id.id),
                ("date_from", ">=", first),
                ("date_from", "<=", last),
            ],
            order="date_from",
        )

    # ------------------------------------------------------------ actions
    def action_open_numerator(self):
        return self.env["tsq.indicator.fact"]._tsq_open(self, "num")

    def action_open_denominator(self):
        return self.env["tsq.indicator.fact"]._tsq_open(self, "den")

    def action_open_action(self):
        self.ensure_one()
        return self.action_id.get_formview_action()

    def _tsq_recompute_closed(self, reason):
        """A Quality Manager recomputes closed figures; each recompute is recorded."""
        if not self.env.user.has_group("tech_service_quality.group_tsq_quality_manager"):
            raise AccessError(self.env._("Only a Quality Manager can recompute a closed period."))
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason for recomputing a closed period."))
        groups = {}
        for snap in self:
            key = (snap.company_id, snap.period_type, snap.date_from, snap.date_to)
            groups.setdefault(key, set()).add(snap.split)
        for (company, period_type, date_from, date_to), splits in groups.items():
            self._tsq_compute(
                company, period_type, [(date_from, date_to)], reason=reason, splits=tuple(splits)
            )
        return True

    @api.model
    @api.depends("indicator_id", "period_label", "service_category_id", "team_id")
    def _compute_display_name(self):
        for snap in self:
            parts = [snap.indicator_id.name or "", snap.period_label or ""]
            if snap.service_category_id or snap.team_id:
                parts.append((snap.service_category_id or snap.team_id).display_name)
            snap.display_name = " · ".join(p for p in parts if p)

    def write(self, vals):
        if not self.env.context.get("tsq_engine_write"):
            raise UserError(
                self.env._("Indicator figures are computed by the system and cannot be edited.")
            )
        return super().write(vals)

    def _tsq_evidence_final(self):
        return self.filtered(lambda s: s.state == "closed")

    def _tsq_evidence_unlink_allowed(self):
        # as for _unlink_except_closed: the engine's own cleaning
        return bool(self.env.context.get("tsq_engine_write"))

    @api.ondelete(at_uninstall=False)
    def _unlink_except_closed(self):
        if self.filtered(lambda s: s.state == "closed") and not self.env.context.get(
            "tsq_engine_write"
        ):
            raise UserError(self.env._("The figure of a closed period cannot be deleted."))
