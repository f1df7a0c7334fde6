"""The services, stage gates and acceptance section of the management-review pack: :meth:`_tsq_review_sections`
of ``mgmtsystem.review`` (models/review/mgmtsystem_review.py) extended by this domain."""

from odoo import fields, models
from odoo.tools import SQL

from ...lib.stages import OPEN_STAGES
from ..review.mgmtsystem_review import LIST_LIMIT


class MgmtsystemReview(models.Model):
    _inherit = "mgmtsystem.review"

    def _tsq_review_sections(self):
        return [*super()._tsq_review_sections(), (30, "services", self._tsq_pack_services)]

    def _tsq_review_decisions(self, ctx, pack):
        decisions = super()._tsq_review_decisions(ctx, pack)
        services = pack["services"]
        if services["late_count"]:
            title = self.env._(
                "%(count)s services are late at their stage gate: decide the resources "
                "or the new dates.",
                count=services["late_count"],
            )
            decisions.append((40, self._tsq_decision("gates", "gates:late", title)))
        if services["acceptance"]["objections_open_late"]:
            title = self.env._(
                "%(count)s acceptance objections are past their handling limit.",
                count=services["acceptance"]["objections_open_late"],
            )
            decisions.append((50, self._tsq_decision("objections", "objections:late", title)))
        return decisions

    def _tsq_pack_services(self, ctx):
        env, company = ctx["env"], ctx["company"]
        Project = env["project.project"]
        stages = self._tsq_labels(Project, "service_stage")
        base = [("is_service", "=", True), ("company_id", "=", company.id)]
        by_stage = dict(Project._read_group(base, ["service_stage"], ["__count"]))
        received = Project.search_count(
            base
            + [
                ("inquiry_received_at", ">=", ctx["start"]),
                ("inquiry_received_at", "<", ctx["end"]),
            ]
        )
        late_domain = base + [("is_stage_late", "=", True)]
        late_count = Project.search_count(late_domain)
        late = [
            {
                "name": service.name,
                "client": service.partner_id.commercial_partner_id.name or "",
                "stage": stages.get(service.service_stage, ""),
                "deadline": self._tsq_local(ctx, service.stage_deadline, with_time=True),
                "responsible": service.user_id.name or "",
            }
            for service in Project.search(late_domain, order="stage_deadline", limit=LIST_LIMIT)
        ]
        acceptance, objections = self._tsq_pack_acceptance(ctx)
        return {
            "by_stage": [
                {"code": code, "label": label, "count": by_stage.get(code, 0)}
                for code, label in stages.items()
            ],
            "active": sum(by_stage.get(code, 0) for code in OPEN_STAGES),
            "received": received,
            "late_count": late_count,
            "late": late,
            "acceptance": acceptance,
            "objections": objections,
        }

    def _tsq_pack_acceptance(self, ctx):
        """The acceptance figures of the period, and the objections raised in it
        or still open."""
        env, company = ctx["env"], ctx["company"]
        Acceptance = env["tsq.acceptance"]
        acc_base = [("company_id", "=", company.id)]
        now = fields.Datetime.now()
        env.cr.execute(
            SQL(
                """
                SELECT count(*) FILTER (WHERE submitted_at >= %(start)s AND submitted_at < %(end)s),
                       count(*) FILTER (WHERE submitted_at >= %(start)s AND submitted_at < %(end)s
                                          AND state = 'accepted'),
                       count(*) FILTER (WHERE state IN ('objection', 'objection_closed')
                                          AND decided_at >= %(start)s AND decided_at < %(end)s),
                       count(*) FILTER (WHERE objection_closed_at >= %(start)s
                                          AND objection_closed_at < %(end)s),
                       count(*) FILTER (WHERE objection_closed_at >= %(start)s
                                          AND objection_closed_at < %(end)s
                                          AND objection_closed_at > objection_deadline),
                       count(*) FILTER (WHERE state = 'objection'),
                       count(*) FILTER (WHERE state = 'objection' AND objection_deadline < %(now)s)
                  FROM tsq_acceptance
                 WHERE company_id = %(company)s
                """,
                start=ctx["start"],
                end=ctx["end"],
                now=now,
                company=company.id,
            )
        )
        submitted, accepted, raised, closed, closed_late, open_now, open_late = env.cr.fetchone()
        objections = [
            {
                "service": acc.service_id.name,
                "client": acc.partner_id.commercial_partner_id.name or "",
                "raised": self._tsq_local(ctx, acc.decided_at, with_time=True),
                "deadline": self._tsq_local(ctx, acc.objection_deadline, with_time=True),
                "closed": self._tsq_local(ctx, acc.objection_closed_at, with_time=True),
                "late": acc.is_objection_late,
                "reason": acc.objection_reason or "",
            }
            for acc in Acceptance.search(
                acc_base
                + [
                    ("state", "in", ("objection", "objection_closed")),
                    "|",
                    "&",
                    ("decided_at", ">=", ctx["start"]),
                    ("decided_at", "<", ctx["end"]),
                    ("state", "=", "objection"),
                ],
                order="decided_at",
                limit=LIST_LIMIT,
            )
        ]
        acceptance = {
            "submitted": submitted,
            "accepted": accepted,
            "objections_raised": raised,
            "objections_closed": closed,
            "objections_closed_late": closed_late,
            "objections_open": open_now,
            "objections_open_late": open_late,
        }
        return acceptance, objections
