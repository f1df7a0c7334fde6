from odoo import api, fields, models
from odoo.exceptions import UserError

from .tsq_indicator import DIRECTIONS

PERIOD_TYPES = [
    ("month", "Month"),
    ("quarter", "Quarter"),
    ("ytd", "Year to date"),
    ("year", "Year"),
    ("custom", "Custom period"),
]
SPLITS = [("none", "Company"), ("category", "Service category"), ("team", "Team")]
STATUSES = [("met", "Met"), ("missed", "Missed"), ("no_data", "No data")]


class TsqIndicatorSnapshot(models.Model):
    """The figure of one indicator for one company, period and split, as the
    engine computed it. An open period is recomputed every night; a closed one
    is evidence and changes only by a Quality Manager's recorded recompute."""

    _name = "tsq.indicator.snapshot"
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
    team_id = fields.Many2one("helpdesk.ticket.team", string="Team", readonly=True, index=True)
    numerator = fields.Integer(readonly=True, aggregator="sum")
    denominator = fields.Integer(readonly=True, aggregator="sum")
    value = fields.Float("Value (%)", readonly=True, digits=(16, 1), aggregator="avg")
    has_data = fields.Boolean(readonly=True)
    target = fields.Float("Target (%)", readonly=True, digits=(16, 2), aggregator="avg")
    direction = fields.Selection(DIRECTIONS, readonly=True)
    status = fields.Selection(STATUSES, readonly=True, index=True)
    state = fields.Selection(
        [("open", "Open"), ("closed", "Closed")], default="open", readonly=True, index=True
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

    @api.ondelete(at_uninstall=False)
    def _unlink_except_closed(self):
        if self.filtered(lambda s: s.state == "closed") and not self.env.context.get(
            "tsq_engine_write"
        ):
            raise UserError(self.env._("The figure of a closed period cannot be deleted."))


class TsqIndicatorRecompute(models.Model):
    """The record of a closed figure recomputed by a Quality Manager."""

    _name = "tsq.indicator.recompute"
    _description = "Indicator Recomputation"
    _order = "id desc"

    snapshot_id = fields.Many2one(
        "tsq.indicator.snapshot", required=True, readonly=True, ondelete="cascade", index=True
    )
    user_id = fields.Many2one("res.users", readonly=True, default=lambda self: self.env.user)
    recomputed_at = fields.Datetime(readonly=True, default=fields.Datetime.now)
    reason = fields.Text(required=True, readonly=True)
    old_numerator = fields.Integer(readonly=True)
    old_denominator = fields.Integer(readonly=True)
    old_value = fields.Float(readonly=True, digits=(16, 1))
    new_numerator = fields.Integer(readonly=True)
    new_denominator = fields.Integer(readonly=True)
    new_value = fields.Float(readonly=True, digits=(16, 1))

    def write(self, vals):
        raise UserError(self.env._("A recomputation record cannot be changed."))

    @api.ondelete(at_uninstall=False)
    def _unlink_except_record(self):
        raise UserError(self.env._("A recomputation record cannot be deleted."))
