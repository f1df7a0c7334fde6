from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

INDICATOR_CODES = [
    ("satisfaction", "1 Customer satisfaction"),
    ("response", "2 Service response timeliness"),
    ("complaint_timeliness", "3 Complaint handling timeliness"),
    ("on_time_delivery", "4 On-time delivery rate"),
    ("first_pass", "5 First-pass acceptance rate"),
    ("return_visit", "6 Return-visit rate"),
    ("valid_complaint", "7 Valid-complaint rate"),
]


DIRECTIONS = [("ge", "≥ (at least)"), ("le", "≤ (at most)")]


class TsqIndicator(models.Model):
    """One of the standard's quantified core indicators (核心评价指标), as
    data: what it counts is fixed by its ``code`` (the engine's formula); its
    names, target, direction and parameters are the Quality Manager's."""

    _name = "tsq.indicator"
    _description = "Quality Indicator"
    _inherit = ["mail.thread"]
    _order = "sequence, id"
    _rec_names_search = ["name_zh", "name_en"]

    sequence = fields.Integer(default=10)
    code = fields.Selection(INDICATOR_CODES, required=True, readonly=True)
    name = fields.Char(
        compute="_compute_name", help="The Chinese or the English name, by the reader's language."
    )
    name_en = fields.Char("English Name", required=True, tracking=True)
    name_zh = fields.Char("Chinese Name", required=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    user_id = fields.Many2one(
        "res.users",
        "Owner",
        tracking=True,
        help="Receives the improvement actions proposed when the indicator misses its "
        "target in a closed period.",
    )
    numerator_label = fields.Char("Numerator", translate=True)
    denominator_label = fields.Char("Denominator", translate=True)
    description = fields.Text(translate=True)
    target = fields.Float(
        "Target (%)",
        compute="_compute_target",
        inverse="_inverse_target",
        digits=(16, 2),
        help="The target in force today. Changing it adds a dated line to the target "
        "history: periods ending before that day keep the target they had.",
    )
    direction = fields.Selection(DIRECTIONS, compute="_compute_target", inverse="_inverse_target")
    target_ids = fields.One2many("tsq.indicator.target", "indicator_id", string="Target History")
    # Parameters (read by the formula of the indicator's code)
    param_satisfied_score = fields.Integer(
        "Satisfied from Score",
        default=4,
        tracking=True,
        help="Indicator 1: a response scored at least this (1–5) counts as satisfied.",
    )
    param_response_hours = fields.Float(
        "Default Committed Response (hours)",
        default=24,
        tracking=True,
        help="Indicator 2: the response time committed for a request whose category "
        "commits none. A category's own response time comes first.",
    )
    snapshot_ids = fields.One2many("tsq.indicator.snapshot", "indicator_id")

    _sql_constraints = [
        ("code_unique", "unique(code)", "There is one indicator per formula."),
    ]

    @api.constrains("param_satisfied_score", "param_response_hours")
    def _check_params(self):
        for indicator in self:
            if not 1 <= indicator.param_satisfied_score <= 5:
                raise ValidationError(self.env._("The satisfied score is between 1 and 5."))
            if indicator.param_response_hours <= 0:
                raise ValidationError(self.env._("The committed response time must be positive."))

    @api.depends("target_ids.date_from", "target_ids.target", "target_ids.direction")
    def _compute_target(self):
        today = fields.Date.context_today(self)
        for indicator in self:
            line = indicator._target_line(today)
            indicator.target = line.target
            indicator.direction = line.direction

    def _inverse_target(self):
        today = fields.Date.context_today(self)
        for indicator in self:
            current = indicator._target_line(today)
            if (current.target, current.direction) == (indicator.target, indicator.direction):
                continue
            same_day = indicator.target_ids.filtered(lambda t, d=today: t.date_from == d)
            vals = {"target": indicator.target, "direction": indicator.direction or "ge"}
            if same_day:
                same_day.write(vals)
            else:
                self.env["tsq.indicator.target"].create(
                    dict(vals, indicator_id=indicator.id, date_from=today)
                )

    @api.depends("name_zh", "name_en")
    @api.depends_context("lang")
    def _compute_name(self):
        chinese = (self.env.lang or "").startswith("zh")
        for indicator in self:
            indicator.name = (indicator.name_zh if chinese else indicator.name_en) or (
                indicator.name_en or indicator.name_zh
            )

    @api.model
    def _tsq_satisfied_score(self):
        """The lowest score that counts as satisfied: the satisfaction indicator's
        parameter (4 by default), for every figure that splits scores so."""
        indicator = self.env.ref(
            "tech_service_quality.indicator_satisfaction", raise_if_not_found=False
        )
        return (indicator and indicator.sudo().param_satisfied_score) or 4

    def _target_line(self, day):
        """The target line in force on ``day`` (the latest one dated on or before)."""
        self.ensure_one()
        lines = self.target_ids.filtered(lambda t: t.date_from <= day).sorted("date_from")
        return lines[-1:] or self.target_ids.sorted("date_from")[:1]

    def write(self, vals):
        if "code" in vals and not self.env.su:
            raise UserError(self.env._("The formula of an indicator cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_with_snapshots(self):
        if self.snapshot_ids:
            raise UserError(
                self.env._("An indicator with computed figures cannot be deleted; archive it.")
            )
