"""The suppliers section of the management-review pack: :meth:`_tsq_review_sections`
of ``mgmtsystem.review`` (models/review/mgmtsystem_review.py) extended by this domain."""

from datetime import timedelta

from odoo import models

from ..review.mgmtsystem_review import EXPIRY_DAYS


class MgmtsystemReview(models.Model):
    _inherit = "mgmtsystem.review"

    def _tsq_review_sections(self):
        return [*super()._tsq_review_sections(), (50, "suppliers", self._tsq_pack_suppliers)]

    def _tsq_review_decisions(self, ctx, pack):
        decisions = super()._tsq_review_decisions(ctx, pack)
        for supplier in pack["suppliers"]["suspended"]:
            title = self.env._(
                "Supplier %(supplier)s is suspended: decide whether to requalify or disqualify it.",
                supplier=supplier["name"],
            )
            key = f"supplier:{supplier['id']}"
            decisions.append((30, self._tsq_decision("supplier", key, title)))
        if pack["suppliers"]["expiring"]:
            title = self.env._(
                "%(count)s supplier documents or qualifications expire within %(days)s "
                "days: ask for the renewed documents.",
                count=len(pack["suppliers"]["expiring"]),
                days=EXPIRY_DAYS,
            )
            key = "supplier_documents:expiring"
            decisions.append((70, self._tsq_decision("supplier_documents", key, title)))
        return decisions

    def _tsq_pack_suppliers(self, ctx):
        env, company, today = ctx["env"], ctx["company"], ctx["today"]
        Partner = env["res.partner"]
        statuses = self._tsq_labels(Partner, "tsq_supplier_status")
        base = [("tsq_is_supplier", "=", True), ("company_id", "in", (False, company.id))]
        by_status = dict(Partner._read_group(base, ["tsq_supplier_status"], ["__count"]))
        horizon = today + timedelta(days=EXPIRY_DAYS)
        window = [("valid_to", ">=", today), ("valid_to", "<=", horizon)]
        expiring = [
            {
                "supplier": doc.partner_id.name,
                "item": doc.name,
                "kind": self.env._("Document"),
                "valid_to": doc.valid_to,
            }
            for doc in env["tsq.supplier.document"].search(
                [("company_id", "in", (False, company.id)), *window], order="valid_to"
            )
        ]
        expiring += [
            {
                "supplier": qual.partner_id.name,
                "item": qual.service_category_id.display_name,
                "kind": self.env._("Category qualification"),
                "valid_to": qual.valid_to,
            }
            for qual in env["tsq.supplier.qualification"].search(
                [
                    ("company_id", "in", (False, company.id)),
                    ("status", "in", ("qualified", "conditional")),
                    *window,
                ],
                order="valid_to",
            )
        ]
        expiring.sort(key=lambda row: (row["valid_to"], row["supplier"]))
        Evaluation = env["tsq.supplier.evaluation"]
        eval_domain = [
            ("company_id", "=", company.id),
            ("state", "=", "confirmed"),
            ("date_to", ">=", ctx["date_from"]),
            ("date_to", "<", ctx["date_to"]),
        ]
        evaluations = [
            {
                "supplier": ev.partner_id.name,
                "date_from": ev.date_from,
                "date_to": ev.date_to,
                "score": ev.score,
                "grade": ev.grade or "",
            }
            for ev in Evaluation.search(eval_domain, order="date_to, id")
        ]
        by_grade = dict(Evaluation._read_group(eval_domain, ["grade"], ["__count"]))
        suspended = Partner.search(base + [("tsq_supplier_status", "=", "suspended")], order="name")
        return {
            "total": sum(by_status.values()),
            "by_status": [
                {"code": code, "label": label, "count": by_status.get(code, 0)}
                for code, label in statuses.items()
            ]
            + [{"code": "", "label": self.env._("Not assessed"), "count": by_status.get(False, 0)}],
            "expiring": expiring,
            "evaluations": evaluations,
            "by_grade": [{"grade": g, "count": n} for g, n in sorted(by_grade.items()) if g],
            "suspended": [{"id": p.id, "name": p.name} for p in suspended],
        }
