from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..lib.periods import period_of


class TsqIndicatorComputeWizard(models.TransientModel):
    """Compute the indicators of a period now (a month, quarter, year or any
    range) instead of waiting for the nightly run."""

    _name = "tsq.indicator.compute.wizard"
    _description = "Compute Indicators"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    period_type = fields.Selection(
        [("month", "Month"), ("quarter", "Quarter"), ("year", "Year"), ("custom", "Custom")],
        required=True,
        default="month",
    )
    day = fields.Date(
        "In the Period Of",
        default=fields.Date.context_today,
        help="Any day of the month, quarter or year to compute.",
    )
    date_from = fields.Date("From")
    date_to = fields.Date("To (included)")

    def _period(self):
        self.ensure_one()
        if self.period_type != "custom":
            return period_of(self.period_type, self.day or fields.Date.context_today(self))
        if not self.date_from or not self.date_to or self.date_to < self.date_from:
            raise UserError(self.env._("Give a custom period whose end is not before its start."))
        return self.date_from, self.date_to + relativedelta(days=1)

    def action_compute(self):
        self.ensure_one()
        date_from, date_to = self._period()
        figures = self.env["tsq.indicator.snapshot"]._tsq_ensure_period(
            self.company_id, date_from, date_to
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tech_service_quality.tsq_indicator_dashboard_action"
        )
        action["domain"] = [
            ("company_id", "=", self.company_id.id),
            ("date_from", "=", date_from),
            ("date_to", "=", date_to),
            ("period_type", "=", figures[:1].period_type or "custom"),
        ]
        action["context"] = {"search_default_company_level": 1}
        return action


class TsqIndicatorRecomputeWizard(models.TransientModel):
    """A Quality Manager recomputes the figures of a closed period, giving the
    reason; the old and new figures are recorded."""

    _name = "tsq.indicator.recompute.wizard"
    _description = "Recompute Closed Indicator Figures"

    snapshot_ids = fields.Many2many("tsq.indicator.snapshot", string="Figures", required=True)
    reason = fields.Text(required=True)

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        if self.env.context.get("active_model") == "tsq.indicator.snapshot":
            res["snapshot_ids"] = [(6, 0, self.env.context.get("active_ids", []))]
        return res

    def action_recompute(self):
        self.ensure_one()
        self.snapshot_ids._tsq_recompute_closed(self.reason)
        return {"type": "ir.actions.act_window_close"}


class TsqIndicatorFact(models.TransientModel):
    """A row of a drill-down: one record counted by a figure."""

    _name = "tsq.indicator.fact"
    _description = "Record Behind an Indicator Figure"
    _order = "fact_at, id"

    snapshot_id = fields.Many2one("tsq.indicator.snapshot", required=True, ondelete="cascade")
    res_model = fields.Char("Model", required=True)
    res_id = fields.Integer("Record ID", required=True)
    model_name = fields.Char("Kind")
    record_name = fields.Char("Record")
    in_numerator = fields.Boolean()
    in_denominator = fields.Boolean()
    fact_at = fields.Datetime("Counted On")
    due_at = fields.Datetime("Deadline")
    is_late = fields.Boolean(
        "Late",
        compute="_compute_is_late",
        help="Done after its deadline, or not done and past it.",
    )
    done_at = fields.Datetime("Done")
    provisional = fields.Boolean(
        "Provisional Deadline",
        help="The deadline was counted through a year whose official holidays were not loaded.",
    )

    @api.depends("due_at", "done_at")
    def _compute_is_late(self):
        now = fields.Datetime.now()
        for fact in self:
            fact.is_late = bool(fact.due_at and (fact.done_at or now) > fact.due_at)

    def action_open_record(self):
        self.ensure_one()
        return self.env[self.res_model].browse(self.res_id).get_formview_action()

    @api.model
    def _tsq_open(self, snapshot, side):
        """The drill-down of ``snapshot``: the records of its numerator
        (``side`` "num") or of its denominator ("den"), as the engine counted
        them, with their names as the user may see them."""
        snapshot.ensure_one()
        rows = [
            r
            for r in self.env["tsq.indicator.engine"]
            .sudo()
            ._facts(
                snapshot.company_id,
                snapshot.indicator_id,
                (snapshot.date_from, snapshot.date_to),
                snapshot.split,
                (snapshot.service_category_id or snapshot.team_id).id,
                now=snapshot.computed_at,
            )
            if r[side]
        ]
        names = {}  # the records' names, as the user may see them
        for model in {r["res_model"] for r in rows}:
            records = self.env[model].browse([r["res_id"] for r in rows if r["res_model"] == model])
            readable = records._filtered_access("read")
            names.update({(model, rec.id): rec.display_name for rec in readable})
            names[model] = self.env["ir.model"]._get(model).display_name
        facts = self.create(
            [
                {
                    "snapshot_id": snapshot.id,
                    "res_model": r["res_model"],
                    "res_id": r["res_id"],
                    "model_name": names[r["res_model"]],
                    "record_name": names.get((r["res_model"], r["res_id"]), f"#{r['res_id']}"),
                    "in_numerator": r["num"],
                    "in_denominator": r["den"],
                    "fact_at": r["fact_at"],
                    "due_at": r["due_at"],
                    "done_at": r["done_at"],
                    "provisional": r["prov"],
                }
                for r in rows
            ]
        )
        indicator = snapshot.indicator_id
        label = indicator.numerator_label if side == "num" else indicator.denominator_label
        return {
            "type": "ir.actions.act_window",
            "name": f"{snapshot.display_name} — {label or ''}",
            "res_model": self._name,
            "view_mode": "list",
            "domain": [("id", "in", facts.ids)],
            "context": {"create": False},
        }
