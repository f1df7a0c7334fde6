from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..core.res_company import LIMIT_UNITS

TICKET_KINDS = [
    ("complaint", "Complaint"),
    ("aftersales", "After-sales request"),
    ("general", "General request"),
]


# Fields of a policy whose change re-plays the open clocks it governs.
CLOCK_FIELDS = {
    "active",
    "target",
    "target_stage_ids",
    "amount",
    "unit",
    "pause_stage_ids",
    "warn_level_1",
    "warn_level_2",
}


# Fields that decide which tickets a policy applies to.
MATCH_FIELDS = {"ticket_kind", "category_ids", "team_ids", "min_priority", "partner_ids"}


class TsqSlaPolicy(models.Model):
    """A service level as data: which tickets, which target, how long, on which clock
    (elapsed time or the company's working calendar), and which stages pause it."""

    _name = "tsq.sla.policy"
    _description = "SLA Policy"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", help="Leave empty to apply the policy in every company."
    )
    description = fields.Text(translate=True)

    # Which tickets
    ticket_kind = fields.Selection(
        TICKET_KINDS,
        help="Only tickets of this kind (from their category). Empty: any kind.",
    )
    category_ids = fields.Many2many(
        "helpdesk.ticket.category", string="Categories", help="Empty: any category."
    )
    team_ids = fields.Many2many("helpdesk.ticket.team", string="Teams", help="Empty: any team.")
    min_priority = fields.Selection(
        [("0", "Low"), ("1", "Medium"), ("2", "High"), ("3", "Very High")],
        string="Minimum Priority",
        help="Only tickets of this priority or higher. Empty: any priority.",
    )
    partner_ids = fields.Many2many(
        "res.partner",
        string="Clients",
        domain=[("is_company", "=", True)],
        help="Only tickets of these clients (their companies). Empty: any client.",
    )

    # Which target, how long
    target = fields.Selection(
        [
            ("response", "First response"),
            ("resolution", "Resolution (closed)"),
            ("stage", "Reach a stage"),
        ],
        required=True,
        default="response",
    )
    target_stage_ids = fields.Many2many(
        "helpdesk.ticket.stage",
        "tsq_sla_policy_target_stage_rel",
        string="Target Stages",
        help="For the target 'Reach a stage': the clock stops when the ticket first "
        "enters one of these stages.",
    )
    amount = fields.Float(string="Limit", required=True, default=24)
    unit = fields.Selection(LIMIT_UNITS, required=True, default="clock_hours")
    pause_stage_ids = fields.Many2many(
        "helpdesk.ticket.stage",
        "tsq_sla_policy_pause_stage_rel",
        string="Pausing Stages",
        help="While a ticket is in one of these stages (e.g. waiting for the "
        "complainant) its clock stands still; the deadline moves by the time paused.",
    )
    warn_level_1 = fields.Integer(
        string="First Warning (%)",
        default=50,
        help="Warn the responsible when this share of the allowed time is used. 0: no warning.",
    )
    warn_level_2 = fields.Integer(
        string="Second Warning (%)",
        default=75,
        help="Warn again, and the team's manager, at this share. 0: no warning.",
    )
    indicator_role = fields.Selection(
        [
            ("complaint_response", "Complaint response (indicator 3)"),
            ("complaint_resolution", "Complaint handling with feedback (indicator 3)"),
            ("request_response", "Request response (indicator 2)"),
        ],
        help="Which quality indicator reads the clocks of this policy.",
    )
    clock_ids = fields.One2many("tsq.sla.clock", "policy_id", string="Clocks")
    clock_count = fields.Integer(compute="_compute_clock_count")

    _sql_constraints = [
        ("amount_positive", "CHECK(amount > 0)", "The limit of an SLA policy must be positive."),
    ]

    def _compute_clock_count(self):
        counts = dict(
            self.env["tsq.sla.clock"]._read_group(
                [("policy_id", "in", self.ids)], ["policy_id"], ["__count"]
            )
        )
        for policy in self:
            policy.clock_count = counts.get(policy, 0)

    @api.constrains("unit", "amount")
    def _check_whole_days(self):
        for policy in self:
            if policy.unit == "working_days" and policy.amount != int(policy.amount):
                raise ValidationError(
                    self.env._(
                        "SLA policy %(policy)s: a limit in working days must be a whole "
                        "number of days.",
                        policy=policy.display_name,
                    )
                )

    @api.constrains("warn_level_1", "warn_level_2")
    def _check_warn_levels(self):
        for policy in self:
            for level in (policy.warn_level_1, policy.warn_level_2):
                if not 0 <= level < 100:
                    raise ValidationError(
                        self.env._(
                            "SLA policy %(policy)s: a warning level is a percentage "
                            "from 1 to 99 (0 for none).",
                            policy=policy.display_name,
                        )
                    )

    @api.constrains("target", "target_stage_ids")
    def _check_target_stages(self):
        for policy in self:
            if policy.target == "stage" and not policy.target_stage_ids:
                raise ValidationError(
                    self.env._(
                        "SLA policy %(policy)s: choose the stages the ticket must reach.",
                        policy=policy.display_name,
                    )
                )

    def _levels(self):
        self.ensure_one()
        return tuple(level for level in (self.warn_level_1, self.warn_level_2) if level)

    def _matches(self, ticket):
        """Whether this policy governs ``ticket`` (its current values)."""
        self.ensure_one()
        if self.company_id and self.company_id != ticket.company_id:
            return False
        if self.ticket_kind and ticket.tsq_kind != self.ticket_kind:
            return False
        if self.category_ids and ticket.category_id not in self.category_ids:
            return False
        if self.team_ids and ticket.team_id not in self.team_ids:
            return False
        if self.min_priority and (ticket.priority or "0") < self.min_priority:
            return False
        if self.partner_ids:
            client = ticket.partner_id.commercial_partner_id
            if client not in self.partner_ids:
                return False
        return True

    @api.model_create_multi
    def create(self, vals_list):
        policies = super().create(vals_list)
        self.env["tsq.sla.clock"]._apply_policies(self._open_tickets(policies.company_id))
        return policies

    def write(self, vals):
        res = super().write(vals)
        if MATCH_FIELDS & set(vals) or "active" in vals or "company_id" in vals:
            self.env["tsq.sla.clock"]._apply_policies(self._open_tickets(None))
        elif CLOCK_FIELDS & set(vals):
            self.env["tsq.sla.clock"]._recompute(
                self.with_context(active_test=False).clock_ids.filtered("is_open")
            )
        if {"sequence", "indicator_role", "active"} & set(vals):
            self.env["tsq.sla.clock"]._mark_primary()
        return res

    @api.model
    def _open_tickets(self, companies):
        domain = [("stage_id.closed", "=", False)]
        if companies:
            domain.append(("company_id", "in", companies.ids))
        return self.env["helpdesk.ticket"].sudo().search(domain)

    def action_recompute_all(self):
        """Re-play every clock of these policies, closed tickets included (recorded)."""
        self.check_access("write")
        clocks = self.with_context(active_test=False).clock_ids
        self.env["tsq.sla.clock"]._recompute(clocks, notify=False)
        for ticket in clocks.ticket_id:
            ticket.message_post(
                body=self.env._(
                    "SLA clocks recomputed from the stage history by %(user)s.",
                    user=self.env.user.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_view_clocks(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Clocks of %(policy)s", policy=self.name),
            "res_model": "tsq.sla.clock",
            "view_mode": "list,form",
            "domain": [("policy_id", "=", self.id)],
        }
