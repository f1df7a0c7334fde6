"""The indicator figure as the Quality Dashboard shows it: the card (figure,
previous period, change, 12-month sparkline) and the analysis' totals as rates.

A mixin of ``tsq.indicator.snapshot`` (the only model that inherits it), kept apart
from the computation of the figures."""

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import float_round

from ...lib import charts
from ...lib.periods import last_day, period_of


class TsqIndicatorCard(models.AbstractModel):
    _name = "tsq.indicator.card"
    _description = "Indicator Figure Card"

    value_display = fields.Char("Figure", compute="_compute_value_display")
    previous_value = fields.Float("Previous Period (%)", compute="_compute_cards", digits=(16, 1))
    previous_has_data = fields.Boolean(compute="_compute_cards")
    delta = fields.Float("Change (points)", compute="_compute_cards", digits=(16, 1))
    trend_svg = fields.Html("12-Month Trend", compute="_compute_cards", sanitize=False)

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        """Totals and groups of the analysis (pivot, graph, grouped lists) divide the
        summed numerators by the summed denominators: a rate is not an average of
        rates (12 of 13 and 1 of 4 make 13 of 17, not the mean of 92.3 % and 25 %)."""
        names = {spec.split(":")[0] for spec in fields}
        if "value" not in names:
            return super().read_group(domain, fields, groupby, offset, limit, orderby, lazy)
        extra = [f"{name}:sum" for name in ("numerator", "denominator") if name not in names]
        groups = super().read_group(domain, fields + extra, groupby, offset, limit, orderby, lazy)
        for group in groups:
            numerator, denominator = group.get("numerator") or 0, group.get("denominator") or 0
            group["value"] = float_round(100.0 * numerator / denominator, 1) if denominator else 0.0
            for spec in extra:
                group.pop(spec.split(":")[0], None)
        return groups

    def _compute_value_display(self):
        for snap in self:
            snap.value_display = f"{snap.value:.1f} %" if snap.has_data else self.env._("No data")

    def _compute_cards(self):
        """Previous period and 12-month trend of the cards, with two searches for
        the whole set."""
        previous = self._tsq_previous_map()
        trends = self._tsq_trend_map(12)
        for snap in self:
            prev = previous.get(snap.id)
            snap.previous_value = prev.value if prev else 0.0
            snap.previous_has_data = bool(prev and prev.has_data)
            snap.delta = (
                snap.value - prev.value if prev and prev.has_data and snap.has_data else 0.0
            )
            # the card's 12-month trend (values with data, each with its month and
            # value on hover), the target as a dashed line
            points = [
                (p.period_label, p.value if p.has_data else None, p.status)
                for p in trends.get(snap.id, [])
            ]
            snap.trend_svg = Markup(charts.sparkline(points, snap.target))

    def _tsq_key_domain(self):
        """Figures of the same indicators, companies and splits as these."""
        return [
            ("company_id", "in", self.company_id.ids),
            ("indicator_id", "in", self.indicator_id.ids),
            ("split", "in", list(set(self.mapped("split")))),
        ]

    def _tsq_series_key(self):
        self.ensure_one()
        return (
            self.company_id.id,
            self.indicator_id.id,
            self.split,
            self.service_category_id.id,
            self.team_id.id,
        )

    def _tsq_previous_map(self):
        if not self.ids:
            return {}
        candidates = self.search(
            self._tsq_key_domain()
            + [
                ("period_type", "in", list(set(self.mapped("period_type")))),
                ("date_to", "in", list(set(self.mapped("date_from")))),
            ]
        )
        by_key = {(c._tsq_series_key(), c.period_type, c.date_to): c for c in candidates}
        return {
            snap.id: by_key.get((snap._tsq_series_key(), snap.period_type, snap.date_from))
            for snap in self
        }

    def _tsq_trend_map(self, months):
        if not self.ids:
            return {}
        ends = {snap.id: period_of("month", last_day(snap.date_to))[0] for snap in self}
        first = min(ends.values()) - relativedelta(months=months - 1)
        candidates = self.search(
            self._tsq_key_domain()
            + [
                ("period_type", "=", "month"),
                ("date_from", ">=", first),
                ("date_from", "<=", max(ends.values())),
            ],
            order="date_from",
        )
        series = {}
        for c in candidates:
            series.setdefault(c._tsq_series_key(), []).append(c)
        result = {}
        for snap in self:
            last = ends[snap.id]
            start = last - relativedelta(months=months - 1)
            result[snap.id] = [
                c for c in series.get(snap._tsq_series_key(), []) if start <= c.date_from <= last
            ]
        return result
