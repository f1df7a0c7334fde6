from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..core.res_company import agency_lang, reader_lang
from ..lifecycle.tsq_return_visit import SCORES
from .tsq_sla_policy import TICKET_KINDS

# Changes of these fields decide which SLA policies govern a ticket.
SLA_MATCH_FIELDS = {
    "category_id",
    "team_id",
    "priority",
    "partner_id",
    "company_id",
    "tsq_received_at",
}


SLA_STATUSES = [
    ("breached", "Breached"),
    ("at_risk", "At risk"),
    ("on_track", "On track"),
    ("paused", "Paused"),
    ("met", "Met"),
]


class HelpdeskTicket(models.Model):
    _name = "helpdesk.ticket"
    _inherit = [
        "helpdesk.ticket",
        "tsq.record.mixin",
        "tsq.evidence.mixin",
        "tsq.complaint.handling.mixin",
    ]

    service_id = fields.Many2one(
        "project.project",
        domain=[("is_service", "=", True)],
        index=True,
        tracking=True,
        help="The service this request or complaint is about.",
    )
    tsq_kind = fields.Selection(
        TICKET_KINDS,
        string="Request Kind",
        compute="_compute_tsq_kind",
        store=True,
        index=True,
    )
    is_complaint = fields.Boolean(compute="_compute_tsq_kind", store=True, index=True)
    tsq_received_at = fields.Datetime(
        string="Received",
        default=fields.Datetime.now,
        index=True,
        tracking=True,
        help="When the request or complaint reached the agency: every SLA clock starts "
        "here. For a complaint taken by phone or in person, the time it was made.",
    )
    # Acceptance and first response
    tsq_response_message = fields.Text(
        string="Acceptance Reply", help="The reply that accepts the complaint (first response)."
    )
    tsq_responded_at = fields.Datetime(string="First Response", readonly=True, copy=False)
    tsq_responded_by_id = fields.Many2one("res.users", string="Responded By", readonly=True)
    # Investigation and judgment
    # helpdesk_mgmt's internal notes: staff only (a client could read them by RPC)
    notes = fields.Html(groups="base.group_user")
    tsq_investigation = fields.Text(string="Investigation", groups="base.group_user")
    tsq_validity = fields.Selection(
        [("pending", "To be judged"), ("valid", "Valid"), ("invalid", "Not valid")],
        string="Validity",
        default="pending",
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    tsq_validity_reason = fields.Text(string="Reason of the Judgment", groups="base.group_user")
    tsq_judged_at = fields.Datetime(string="Judged", readonly=True, copy=False)
    tsq_judged_by_id = fields.Many2one("res.users", string="Judged By", readonly=True)
    tsq_root_cause = fields.Text(string="Root Cause", groups="base.group_user")
    tsq_resolution = fields.Text(string="Resolution")
    # Feedback to the complainant
    tsq_feedback_message = fields.Text(string="Feedback to the Complainant")
    tsq_feedback_at = fields.Datetime(string="Feedback Given", readonly=True, copy=False)
    tsq_feedback_by_id = fields.Many2one("res.users", string="Feedback By", readonly=True)
    tsq_satisfaction = fields.Selection(
        SCORES, string="Satisfaction with the Handling", readonly=True, copy=False
    )
    tsq_satisfaction_comment = fields.Text(string="Rating Comment", readonly=True, copy=False)
    tsq_rated_at = fields.Datetime(string="Rated", readonly=True, copy=False)
    tsq_action_id = fields.Many2one(
        "mgmtsystem.action",
        string="Improvement Action",
        readonly=True,
        copy=False,
        groups="base.group_user",
    )
    tsq_reopen_count = fields.Integer(string="Reopened", readonly=True, copy=False)
    tsq_stage_log_ids = fields.One2many(
        "tsq.ticket.stage.log", "ticket_id", string="Stage History", readonly=True
    )
    # SLA
    tsq_clock_ids = fields.One2many("tsq.sla.clock", "ticket_id", string="SLA Clocks")
    tsq_sla_deadline = fields.Datetime(
        string="SLA Deadline",
        compute="_compute_tsq_sla",
        store=True,
        index=True,
        help="The nearest deadline of the clocks still running.",
    )
    tsq_sla_status = fields.Selection(
        SLA_STATUSES, string="SLA", compute="_compute_tsq_sla", store=True, index=True
    )
    tsq_sla_provisional = fields.Boolean(
        string="Provisional SLA Deadline",
        compute="_compute_tsq_sla",
        store=True,
        help="A clock still running has a deadline counted through a year whose official "
        "holidays are not in the working calendar yet.",
    )
    tsq_sla_deadline_note = fields.Char(
        string="SLA Deadline Note", compute="_compute_tsq_sla_deadline_note"
    )
    tsq_sla_breached = fields.Boolean(
        string="SLA Breached", compute="_compute_tsq_sla", store=True, index=True
    )
    tsq_sla_due_today = fields.Boolean(
        string="SLA Breaching Today",
        compute="_compute_tsq_sla_due_today",
        search="_search_tsq_sla_due_today",
        help="A running clock runs out before the end of today (company time).",
    )

    def _tsq_system_fields(self):
        return super()._tsq_system_fields() | {
            "tsq_responded_at",
            "tsq_responded_by_id",
            "tsq_validity",
            "tsq_judged_at",
            "tsq_judged_by_id",
            "tsq_feedback_at",
            "tsq_feedback_by_id",
            "tsq_satisfaction",
            "tsq_satisfaction_comment",
            "tsq_rated_at",
            "tsq_action_id",
            "tsq_reopen_count",
        }

    def init(self):
        res = super().init()
        # Tickets older than the add-on: received when created (the indicators
        # select tickets by this column, through its index).
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET tsq_received_at = create_date"
            " WHERE tsq_received_at IS NULL AND create_date IS NOT NULL"
        )
        return res

    @api.depends("category_id.tsq_kind", "team_id.tsq_kind")
    def _compute_tsq_kind(self):
        for ticket in self:
            kind = ticket.category_id.tsq_kind or ticket.team_id.tsq_kind or "general"
            ticket.tsq_kind = kind
            ticket.is_complaint = kind == "complaint"

    @api.depends(
        "tsq_clock_ids.state",
        "tsq_clock_ids.deadline",
        "tsq_clock_ids.warned_level",
        "tsq_clock_ids.is_open",
        "tsq_clock_ids.deadline_provisional",
    )
    def _compute_tsq_sla(self):
        for ticket in self:
            clocks = ticket.tsq_clock_ids
            running = clocks.filtered(lambda c: c.state == "running")
            ticket.tsq_sla_provisional = any(
                c.deadline_provisional for c in clocks.filtered("is_open")
            )
            deadlines = [d for d in running.mapped("deadline") if d]
            ticket.tsq_sla_deadline = min(deadlines) if deadlines else False
            ticket.tsq_sla_breached = any(c.state == "breached" for c in clocks)
            if ticket.tsq_sla_breached:
                status = "breached"
            elif any(c.warned_level for c in running):
                status = "at_risk"
            elif running:
                status = "on_track"
            elif any(c.state == "paused" for c in clocks):
                status = "paused"
            elif clocks:
                status = "met"
            else:
                status = False
            ticket.tsq_sla_status = status

    @api.depends("tsq_clock_ids.deadline_provisional", "tsq_clock_ids.is_open")
    def _compute_tsq_sla_deadline_note(self):
        for ticket in self:
            provisional = ticket.tsq_clock_ids.filtered(
                lambda c: c.is_open and c.deadline_provisional
            )
            ticket.tsq_sla_deadline_note = provisional[:1].deadline_note or False

    def _tsq_end_of_today(self):
        company = self.env.company
        today = fields.Datetime.now().replace(tzinfo=UTC).astimezone(ZoneInfo(company._tsq_tz()))
        return company._tsq_end_of_day(today.date())

    @api.depends("tsq_sla_deadline")
    def _compute_tsq_sla_due_today(self):
        end = self._tsq_end_of_today()
        for ticket in self:
            ticket.tsq_sla_due_today = bool(
                ticket.tsq_sla_deadline and ticket.tsq_sla_deadline < end
            )

    def _search_tsq_sla_due_today(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Operation not supported."))
        domain = [
            ("tsq_sla_deadline", "!=", False),
            ("tsq_sla_deadline", "<", self._tsq_end_of_today()),
        ]
        if (operator == "=") == value:
            return domain
        return ["!", "&", *domain]

    @api.constrains("tsq_received_at")
    def _check_received_at(self):
        limit = fields.Datetime.now() + timedelta(minutes=5)
        for ticket in self:
            if ticket.tsq_received_at and ticket.tsq_received_at > limit:
                raise ValidationError(
                    self.env._(
                        "Ticket %(ticket)s: the time received cannot be in the future.",
                        ticket=ticket.display_name,
                    )
                )

    @api.constrains("service_id", "partner_id")
    def _check_service_client(self):
        for ticket in self:
            service = ticket.service_id
            client = ticket.partner_id.commercial_partner_id
            if service and client and service.partner_id.commercial_partner_id != client:
                raise ValidationError(
                    self.env._(
                        "Ticket %(ticket)s: the service %(service)s is not a service of "
                        "%(client)s.",
                        ticket=ticket.display_name,
                        service=service.display_name,
                        client=client.display_name,
                    )
                )

    # ----------------------------------------------------------------- ORM hooks

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        for ticket in tickets:
            if ticket.stage_id:
                self.env["tsq.ticket.stage.log"]._log(
                    ticket, ticket.stage_id, when=ticket.tsq_received_at or ticket.create_date
                )
        self.env["tsq.sla.clock"]._apply_policies(tickets)
        tickets.filtered(
            lambda t: t.tsq_kind in ("complaint", "aftersales") and not t.user_id and t.team_id
        )._tsq_route_new()
        return tickets

    def _tsq_route_new(self):
        """A complaint or after-sales request that arrives with nobody responsible
        (portal, e-mail) is routed at once: to the team's leader or least-loaded
        member, with an activity due at the response deadline, and the team is told."""
        activity_type = self.env.ref("tech_service_quality.mail_activity_type_sla_warning")
        for ticket in self.sudo():
            user = ticket.team_id._tsq_assignee()
            if not user:
                continue
            ticket.user_id = user
            company = ticket.company_id or self.env.company
            response = ticket.tsq_clock_ids.filtered(
                lambda c: (
                    c.indicator_role in ("complaint_response", "request_response") and c.is_open
                )
            )[:1]
            deadline = response.deadline
            owner = reader_lang(ticket, user)
            owner.activity_schedule(
                activity_type_id=activity_type.id,
                user_id=user.id,
                date_deadline=(
                    company._tsq_due_date(deadline)
                    if deadline
                    else fields.Date.context_today(ticket)
                ),
                summary=owner.env._("Respond to %(ticket)s", ticket=ticket.display_name),
                note=deadline
                and owner.env._(
                    "The response is due %(deadline)s.",
                    deadline=company._tsq_format_instant(deadline, lang=owner.env.lang),
                ),
            )
            members = ticket.team_id.user_ids | ticket.team_id.user_id
            ticket.message_subscribe(partner_ids=members.partner_id.ids)
            shared = agency_lang(ticket, company)
            shared.message_post(
                body=shared.env._(
                    "New %(kind)s assigned to %(user)s; the response is due %(deadline)s.",
                    kind=dict(shared._fields["tsq_kind"]._description_selection(shared.env))[
                        ticket.tsq_kind
                    ],
                    user=user.name,
                    deadline=company._tsq_format_instant(deadline, lang=shared.env.lang)
                    if deadline
                    else "-",
                ),
                subtype_xmlid="mail.mt_note",
                partner_ids=members.partner_id.ids,
            )

    def write(self, vals):
        if "tsq_received_at" in vals and not self.env.su:
            if any(ticket.tsq_responded_at for ticket in self):
                raise UserError(
                    self.env._(
                        "The time received cannot be changed once the request has been "
                        "answered: the SLA clocks were judged from it."
                    )
                )
        new_stage = None
        if vals.get("stage_id"):
            new_stage = self.env["helpdesk.ticket.stage"].browse(vals["stage_id"])
            moving = self.filtered(lambda t: t.stage_id != new_stage)
            if new_stage.closed:
                moving._tsq_check_can_close()
            reopening = moving.filtered(lambda t: t.stage_id.closed and not new_stage.closed)
        res = super().write(vals)
        if new_stage is not None and moving:
            self.env["tsq.ticket.stage.log"]._log(moving, new_stage, reopened=reopening)
            for ticket in reopening:
                ticket.sudo().tsq_reopen_count += 1
                shared = agency_lang(ticket, ticket.company_id)
                shared.message_post(
                    body=shared.env._(
                        "Reopened by %(user)s (time %(count)s).",
                        user=self.env.user.name,
                        count=ticket.tsq_reopen_count,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
        if (new_stage is not None and moving) or SLA_MATCH_FIELDS & set(vals):
            self.env["tsq.sla.clock"]._apply_policies(self)
        return res

    def message_post(self, **kwargs):
        message = super().message_post(**kwargs)
        # The first reply an employee sends to the client is the first response.
        if (
            len(self) == 1
            and not self.tsq_responded_at
            and kwargs.get("message_type", "notification") == "comment"
            and message.subtype_id == self.env.ref("mail.mt_comment")
            and message.author_id
            and any(not user.share for user in message.author_id.user_ids)
        ):
            self._tsq_record_response(message.author_id.user_ids[:1])
        return message

    def _tsq_evidence_final(self):
        """A complaint's handling record is final when the complaint is closed."""
        return self.filtered(lambda t: t.is_complaint and t.stage_id.closed)

    def _tsq_evidence_amending(self, vals):
        # closing again (helpdesk_mgmt stamps a new closing time, even for a closed
        # complaint moved to another closed stage): sealed as the record's next version
        if (
            vals.get("stage_id")
            and self.env["helpdesk.ticket.stage"].browse(vals["stage_id"]).closed
        ):
            return True
        return super()._tsq_evidence_amending(vals)

    def action_tsq_print_complaint(self):
        return self.env.ref("tech_service_quality.action_report_complaint").report_action(self)

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Complaint %(number)s", number=self.number)
