"""The complaints and SLA section of the management-review pack: :meth:`_tsq_review_sections`
of ``mgmtsystem.review`` (models/review/mgmtsystem_review.py) extended by this domain."""

from dateutil.relativedelta import relativedelta

from odoo import models

from ...lib.periods import local_midnight
from ..review.mgmtsystem_review import TREND_MONTHS


class MgmtsystemReview(models.Model):
    _inherit = "mgmtsystem.review"

    def _tsq_review_sections(self):
        return [*super()._tsq_review_sections(), (20, "complaints", self._tsq_pack_complaints)]

    def _tsq_pack_complaints(self, ctx):
        env, company = ctx["env"], ctx["company"]
        Ticket = env["helpdesk.ticket"]
        base = [("company_id", "=", company.id), ("is_complaint", "=", True)]
        period = [("tsq_received_at", ">=", ctx["start"]), ("tsq_received_at", "<", ctx["end"])]
        by_validity = dict(Ticket._read_group(base + period, ["tsq_validity"], ["__count"]))
        received = sum(by_validity.values())
        closed = Ticket.search_count(base + period + [("stage_id.closed", "=", True)])
        # complaints by month: the 12 months that end with the period
        first_month = ctx["date_to"] - relativedelta(months=TREND_MONTHS)
        months = [first_month + relativedelta(months=i) for i in range(TREND_MONTHS)]
        by_month = {
            (month.year, month.month): count
            for month, count in Ticket._read_group(
                base
                + [
                    ("tsq_received_at", ">=", local_midnight(first_month, ctx["tz"])),
                    ("tsq_received_at", "<", ctx["end"]),
                ],
                ["tsq_received_at:month"],
                ["__count"],
            )
            if month
        }
        by_category = [
            {"name": category.display_name if category else "—", "count": count}
            for category, count in Ticket._read_group(
                base + period, ["category_id"], ["__count"], order="__count desc"
            )
        ]
        # SLA compliance: the clocks of the tickets received in the period, as the
        # indicators read them (primary clocks, cancelled and archived tickets left out)
        Clock = env["tsq.sla.clock"]
        roles = self._tsq_labels(Clock, "indicator_role")
        states = {}
        for role, state, count in env["tsq.indicator.engine"]._clock_states(
            company, (ctx["date_from"], ctx["date_to"])
        ):
            states.setdefault(role or "", {})[state] = count
        sla = []
        for role in [*roles, ""]:
            if role not in states:
                continue
            counts = states[role]
            met, breached = counts.get("met", 0), counts.get("breached", 0)
            sla.append(
                {
                    "role": role,
                    "label": roles.get(role) or self.env._("Other time limits"),
                    "total": sum(counts.values()),
                    "met": met,
                    "breached": breached,
                    "running": counts.get("running", 0) + counts.get("paused", 0),
                    "compliance": 100.0 * met / (met + breached) if met + breached else None,
                }
            )
        return {
            "received": received,
            "valid": by_validity.get("valid", 0),
            "invalid": by_validity.get("invalid", 0),
            "pending": by_validity.get("pending", 0),
            "closed": closed,
            "open": received - closed,
            "by_month": [
                {"label": m.strftime("%Y-%m"), "count": by_month.get((m.year, m.month), 0)}
                for m in months
            ],
            "by_category": by_category,
            "sla": sla,
        }
