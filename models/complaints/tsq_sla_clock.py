import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ...lib.sla import BREACH_LEVEL, evaluate
from ..core.res_company import LIMIT_UNITS, agency_lang, in_agency_language, reader_lang
from ..core.tsq_concurrency import claim_rows

_logger = logging.getLogger(__name__)


CLOCK_STATES = [
    ("running", "Running"),
    ("paused", "Paused"),
    ("met", "Met"),
    ("breached", "Breached"),
]


# What the engine records; nobody else writes a clock.
RESULT_FIELDS = (
    "base_deadline",
    "deadline",
    "paused_hours",
    "paused_since",
    "state",
    "reached_at",
    "breached_at",
    "used_hours",
    "allowed_hours",
    "next_check_at",
    "is_open",
    "deadline_provisional",
)


class TsqSlaClock(models.Model):
    """One clock per ticket and applicable SLA policy.

    A clock is never edited by hand: the engine re-plays it from the ticket's facts
    (received at, stage history, first response) with :func:`lib.sla.evaluate` and
    stores the result.  ``next_check_at`` is the next instant at which something
    happens to it (a warning level or the deadline): the scheduled scan only reads
    clocks whose ``next_check_at`` has come, through an index."""

    _name = "tsq.sla.clock"
    _inherit = ["tsq.evidence.mixin"]
    _description = "SLA Clock"
    _order = "is_open desc, deadline, id"
    _rec_name = "policy_id"

    ticket_id = fields.Many2one(
        "helpdesk.ticket", required=True, ondelete="cascade", index=True, readonly=True
    )
    policy_id = fields.Many2one(
        "tsq.sla.policy",
        string="SLA Policy",
        required=True,
        ondelete="restrict",
        index=True,
        readonly=True,
    )
    company_id = fields.Many2one(related="ticket_id.company_id", store=True, index=True)
    target = fields.Selection(related="policy_id.target")
    indicator_role = fields.Selection(related="policy_id.indicator_role", store=True, index=True)
    amount = fields.Float(string="Limit", readonly=True)
    unit = fields.Selection(LIMIT_UNITS, readonly=True)
    start_at = fields.Datetime(string="Started", readonly=True, required=True)
    base_deadline = fields.Datetime(readonly=True, help="The deadline before pauses moved it.")
    deadline = fields.Datetime(readonly=True, index=True)
    deadline_provisional = fields.Boolean(
        string="Provisional",
        readonly=True,
        help="The deadline was counted through a year whose official holidays are not in "
        "the working calendar yet (weekdays only). Open clocks are recomputed when the "
        "year is loaded; a clock that ended keeps the deadline it was judged by.",
    )
    deadline_note = fields.Char(compute="_compute_deadline_label")
    paused_hours = fields.Float(
        string="Time Paused",
        readonly=True,
        help="In the clock's measure: working hours for a working-time limit, "
        "elapsed hours for a clock-hour limit.",
    )
    paused_since = fields.Datetime(readonly=True)
    state = fields.Selection(
        CLOCK_STATES, readonly=True, required=True, default="running", index=True
    )
    is_open = fields.Boolean(
        string="Target Not Reached",
        readonly=True,
        default=True,
        index=True,
        help="The target (response, resolution, stage) has not been reached yet.",
    )
    reached_at = fields.Datetime(string="Target Reached", readonly=True)
    breached_at = fields.Datetime(readonly=True)
    used_hours = fields.Float(string="Time Used", readonly=True)
    allowed_hours = fields.Float(string="Time Allowed", readonly=True)
    percent_used = fields.Float(compute="_compute_percent_used", string="Used (%)")
    warned_level = fields.Integer(
        readonly=True,
        help="The highest warning level already sent (percent; 100 = breach notice).",
    )
    next_check_at = fields.Datetime(readonly=True, index="btree_not_null")
    is_primary = fields.Boolean(
        string="Counted by the Indicators",
        readonly=True,
        index=True,
        help="When several policies of the same indicator role govern a ticket, the "
        "indicators read the clock of the first policy (by sequence) only.",
    )
    time_left = fields.Char(compute="_compute_time_left")
    deadline_label = fields.Char(
        string="Deadline (company time)",
        compute="_compute_deadline_label",
        help="The deadline in the company's time zone; a limit that ends at midnight "
        "reads as 24:00 of its last day, as the standard states it.",
    )
    color = fields.Selection(
        [
            ("success", "Met"),
            ("danger", "Breached"),
            ("warning", "At risk"),
            ("info", "Paused"),
            ("muted", "On track"),
        ],
        compute="_compute_time_left",
    )

    _sql_constraints = [
        (
            "ticket_policy_unique",
            "unique(ticket_id, policy_id)",
            "A ticket has one clock per SLA policy.",
        ),
    ]

    @api.depends("used_hours", "allowed_hours")
    def _compute_percent_used(self):
        for clock in self:
            clock.percent_used = (
                100.0 * clock.used_hours / clock.allowed_hours if clock.allowed_hours else 0.0
            )

    @api.depends("deadline", "company_id", "deadline_provisional")
    def _compute_deadline_label(self):
        cache = {}
        for clock in self:
            company = clock.company_id or self.env.company
            clock.deadline_label = (
                company._tsq_format_instant(clock.deadline) if clock.deadline else False
            )
            clock.deadline_note = clock.deadline_provisional and company._tsq_provisional_note(
                company._tsq_uncovered_between(clock.start_at, clock.deadline, cache)
            )

    @api.depends("deadline", "state", "warned_level")
    @api.depends_context("uid")
    def _compute_time_left(self):
        now = fields.Datetime.now()
        for clock in self:
            if clock.state == "met":
                clock.color = "success"
            elif clock.state == "breached":
                clock.color = "danger"
            elif clock.state == "paused":
                clock.color = "info"
            elif clock.warned_level:
                clock.color = "warning"
            else:
                clock.color = "muted"
            if not clock.is_open or not clock.deadline:
                clock.time_left = False
                continue
            seconds = (clock.deadline - now).total_seconds()
            clock.time_left = self._format_duration(seconds)

    def _format_duration(self, seconds):
        late = seconds < 0
        minutes = int(abs(seconds) // 60)
        days, minutes = divmod(minutes, 24 * 60)
        hours, minutes = divmod(minutes, 60)
        if days:
            text = self.env._("%(d)s d %(h)s h", d=days, h=hours)
        elif hours:
            text = self.env._("%(h)s h %(m)s min", h=hours, m=minutes)
        else:
            text = self.env._("%(m)s min", m=minutes)
        return self.env._("%(time)s overdue", time=text) if late else text

    # ------------------------------------------------------------------ guards

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise UserError(self.env._("SLA clocks are started by the system."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            raise UserError(
                self.env._(
                    "An SLA clock is a record kept by the system: it is recomputed from "
                    "the ticket's history and cannot be edited."
                )
            )
        return super().write(vals)

    def _tsq_evidence_final(self):
        """A clock ends when its target is reached; the engine's replays that change
        an ended clock are sealed as its next version."""
        return self.filtered(lambda c: not c.is_open)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_user(self):
        if not self.env.su:
            raise UserError(self.env._("An SLA clock is a record and cannot be deleted."))

    # ------------------------------------------------------------------ engine

    @api.model
    def _apply_policies(self, tickets, now=None):
        """Start the clocks of the policies that now govern ``tickets``, drop the
        unfinished clocks of policies that no longer do, and re-play them all."""
        tickets = tickets.sudo().exists()
        if not tickets:
            return self.browse()
        Clock = self.sudo()
        policies = self.env["tsq.sla.policy"].sudo().search([("active", "=", True)])
        existing = Clock.search([("ticket_id", "in", tickets.ids)])
        by_key = {(c.ticket_id.id, c.policy_id.id): c for c in existing}
        to_create, to_drop = [], Clock.browse()
        for ticket in tickets:
            wanted = policies.filtered(lambda p, t=ticket: p._matches(t))
            for policy in wanted:
                if (ticket.id, policy.id) not in by_key:
                    to_create.append(
                        {
                            "ticket_id": ticket.id,
                            "policy_id": policy.id,
                            "start_at": ticket.tsq_received_at or ticket.create_date,
                            "amount": policy.amount,
                            "unit": policy.unit,
                        }
                    )
            for (ticket_id, policy_id), clock in by_key.items():
                if ticket_id == ticket.id and policy_id not in wanted.ids and clock.is_open:
                    to_drop |= clock
        to_drop.unlink()
        clocks = (existing - to_drop) | Clock.create(to_create)
        self._recompute(clocks, now=now)
        self._mark_primary(tickets)
        return clocks

    def init(self):
        res = super().init()
        self._mark_primary()  # clocks older than the field
        return res

    @api.model
    def _mark_primary(self, tickets=None):
        """Mark, per ticket and indicator role, the clock of the first policy (by
        sequence) as the one the indicators count: one statement for any number of
        tickets (all of them when ``tickets`` is None)."""
        self.env.flush_all()
        self.env.cr.execute(
            """UPDATE tsq_sla_clock c SET is_primary = (c.id = f.first_id)
                 FROM (SELECT DISTINCT ON (c2.ticket_id, c2.indicator_role)
                              c2.ticket_id, c2.indicator_role, c2.id AS first_id
                         FROM tsq_sla_clock c2
                         JOIN tsq_sla_policy pol ON pol.id = c2.policy_id
                        WHERE c2.indicator_role IS NOT NULL
                          AND (%(all)s OR c2.ticket_id = ANY(%(ids)s))
                        ORDER BY c2.ticket_id, c2.indicator_role, pol.sequence, pol.id) f
                WHERE c.ticket_id = f.ticket_id AND c.indicator_role = f.indicator_role
                  AND c.is_primary IS DISTINCT FROM (c.id = f.first_id)""",
            {"all": tickets is None, "ids": list(tickets.ids) if tickets is not None else []},
        )
        self.invalidate_model(["is_primary"])

    @api.model
    def _recompute(self, clocks, notify=True, now=None):
        """Re-play ``clocks`` from their tickets' facts and store the results; send
        the warnings whose time has come (each level once)."""
        clocks = clocks.sudo().exists()
        if not clocks:
            return clocks
        now = now or fields.Datetime.now()
        tickets = clocks.ticket_id
        history = self.env["tsq.ticket.stage.log"]._history(tickets)
        calendars = {}
        notices = []
        for clock in clocks:
            ticket = clock.ticket_id
            policy = clock.policy_id
            company = ticket.company_id or self.env.company
            cal = calendars.get(company.id)
            if cal is None:
                cal = calendars[company.id] = company._tsq_work_calendar()
            amount, unit = policy.amount, policy.unit
            start = ticket.tsq_received_at or ticket.create_date
            pauses, reached_at = self._facts(ticket, policy, history.get(ticket.id, []))
            result = evaluate(cal, unit, amount, start, pauses, reached_at, now, policy._levels())
            due = [
                level
                for level, instant in result.level_at.items()
                if instant <= now and level > clock.warned_level
            ]
            pending = [
                instant
                for level, instant in result.level_at.items()
                if level > max([clock.warned_level, *due])
            ]
            values = {
                "amount": amount,
                "unit": unit,
                "start_at": start,
                "base_deadline": result.base_deadline,
                "deadline": result.deadline,
                "paused_hours": result.paused_hours,
                "paused_since": result.paused_since,
                "state": result.state,
                "reached_at": result.reached_at,
                "breached_at": result.breached_at,
                "used_hours": result.used_hours,
                "allowed_hours": result.allowed_hours,
                "next_check_at": min(pending) if pending else False,
                "is_open": result.reached_at is None,
                "deadline_provisional": bool(result.uncovered_years),
            }
            if notify and due:
                values["warned_level"] = max(due)
                notices.append((clock, max(due)))
            changed = {
                name: value
                for name, value in values.items()
                if clock[name] != (value if value is not None else False)
            }
            if changed:
                clock.with_context(tsq_evidence_amend=True).write(changed)
        for clock, level in notices:
            clock._notify_level(level)
        return clocks

    @api.model
    def _facts(self, ticket, policy, history):
        """(pauses, reached_at) of ``policy``'s clock on ``ticket`` from its stage
        history ``[(entered_at, stage, closed)]`` (in order)."""
        pause_stages = set(policy.pause_stage_ids.ids)
        periods = []
        for index, (entered, stage_id, closed) in enumerate(history):
            left = history[index + 1][0] if index + 1 < len(history) else None
            periods.append((entered, left, stage_id, closed))
        closes = [p[0] for p in periods if p[3]]
        currently_closed = bool(periods) and periods[-1][3]
        reached_at = None
        if policy.target == "response":
            candidates = [t for t in (ticket.tsq_responded_at, closes and closes[0]) if t]
            reached_at = min(candidates) if candidates else None
        elif policy.target == "resolution":
            reached_at = periods[-1][0] if currently_closed else None
        else:
            targets = set(policy.target_stage_ids.ids)
            hits = [p[0] for p in periods if p[2] in targets]
            reached_at = hits[0] if hits else None
        pauses = [
            (entered, left)
            for entered, left, stage_id, closed in periods
            if stage_id in pause_stages or closed
        ]
        return pauses, reached_at

    # ------------------------------------------------------------ notifications

    def _notify_level(self, level):
        """Tell the responsible (and, from the second level on, the team's manager)
        that ``level`` % of the time is used, or that the clock breached: an activity
        in each one's language, and a note in the agency's."""
        self.ensure_one()
        ticket = self.ticket_id
        responsible = ticket.user_id or ticket.team_id.user_id
        manager = ticket.team_id.user_id
        users = responsible
        escalate = level >= BREACH_LEVEL or level >= max(self.policy_id._levels() or [0])
        if escalate and manager and manager != responsible:
            users |= manager
        activity_type = self.env.ref("tech_service_quality.mail_activity_type_sla_warning")
        due = fields.Date.context_today(self)
        for user in users:
            summary, body = reader_lang(self, user)._notice_texts(level)
            ticket.sudo().activity_schedule(
                activity_type_id=activity_type.id,
                summary=summary,
                note=body,
                user_id=user.id,
                date_deadline=due,
            )
        _summary, body = agency_lang(self, ticket.company_id)._notice_texts(level)
        ticket.sudo().message_post(
            body=body,
            subtype_xmlid="mail.mt_note",
            partner_ids=users.partner_id.ids,
        )

    def _notice_texts(self, level):
        """(summary, body) of a warning or breach notice, in this record's language."""
        self.ensure_one()
        company = self.ticket_id.company_id or self.env.company
        deadline = company._tsq_format_instant(self.deadline, lang=self.env.lang)
        policy = self.policy_id.with_context(lang=self.env.lang).name
        if level >= BREACH_LEVEL:
            return (
                self.env._("SLA breached: %(policy)s", policy=policy),
                self.env._(
                    "The SLA %(policy)s was breached: its deadline was %(deadline)s.",
                    policy=policy,
                    deadline=deadline,
                ),
            )
        return (
            self.env._("SLA %(level)s%% used: %(policy)s", level=level, policy=policy),
            self.env._(
                "%(level)s%% of the time allowed by %(policy)s is used; the deadline is "
                "%(deadline)s.",
                level=level,
                policy=policy,
                deadline=deadline,
            ),
        )

    # --------------------------------------------------------------------- scan

    @api.model
    @in_agency_language
    def _cron_scan(self, batch_size=500, now=None):
        """Scheduled every few minutes: re-play the clocks whose next event (a
        warning level or the deadline) has come.  One indexed search, whatever the
        number of open tickets; batches, and safe to run twice."""
        now = now or fields.Datetime.now()
        found = self.sudo().search(
            [("next_check_at", "<=", now)], order="next_check_at", limit=batch_size
        )
        # several servers, or a manual run, may scan at once: each clock is
        # replayed (and its warning sent) by the run that claims it
        clocks = claim_rows(found).filtered(lambda c: c.next_check_at and c.next_check_at <= now)
        self._recompute(clocks, now=now)
        if len(found) == batch_size:
            self.env.ref("tech_service_quality.ir_cron_tsq_sla_scan")._trigger(
                now + timedelta(seconds=5)
            )
        _logger.info("SLA scan: %s clock(s) checked", len(clocks))
        return clocks
