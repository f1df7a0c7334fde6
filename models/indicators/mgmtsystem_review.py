"""The indicators section of the management-review pack: :meth:`_tsq_review_sections`
of ``mgmtsystem.review`` (models/review/mgmtsystem_review.py) extended by this domain."""

from odoo import models

from ..review.mgmtsystem_review import TREND_MONTHS


class MgmtsystemReview(models.Model):
    _inherit = "mgmtsystem.review"

    def _tsq_review_sections(self):
        return [*super()._tsq_review_sections(), (10, "indicators", self._tsq_pack_indicators)]

    def _tsq_review_decisions(self, ctx, pack):
        decisions = super()._tsq_review_decisions(ctx, pack)
        for row in pack["indicators"]["rows"]:
            if row["status"] != "missed":
                continue
            title = self.env._(
                "Indicator %(indicator)s missed its target: %(value).1f %% against "
                "%(sign)s %(target).2f %%. Decide the corrective measures.",
                indicator=row["name"],
                value=row["value"] or 0.0,
                sign=row["sign"],
                target=row["target"] or 0.0,
            )
            key = f"indicator:{row['code']}"
            decisions.append((10, self._tsq_decision("indicator", key, title, row["action_id"])))
        return decisions

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
