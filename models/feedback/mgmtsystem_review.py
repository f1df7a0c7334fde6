"""The client feedback section of the management-review pack: :meth:`_tsq_review_sections`
of ``mgmtsystem.review`` (models/review/mgmtsystem_review.py) extended by this domain."""

from odoo import models

from ..review.mgmtsystem_review import COMMENT_LIMIT


class MgmtsystemReview(models.Model):
    _inherit = "mgmtsystem.review"

    def _tsq_review_sections(self):
        return [*super()._tsq_review_sections(), (40, "feedback", self._tsq_pack_feedback)]

    def _tsq_pack_feedback(self, ctx):
        env = ctx["env"]
        Feedback = env["tsq.feedback"]
        domain = [
            ("company_id", "=", ctx["company"].id),
            ("submitted_at", ">=", ctx["start"]),
            ("submitted_at", "<", ctx["end"]),
        ]
        [(count, average)] = Feedback._read_group(domain, [], ["__count", "score:avg"])
        by_score = dict(Feedback._read_group(domain, ["score"], ["__count"]))
        occasions = self._tsq_labels(Feedback, "occasion")
        by_occasion = [
            {"label": occasions.get(occasion, occasion), "count": n, "average": avg or 0.0}
            for occasion, n, avg in Feedback._read_group(
                domain, ["occasion"], ["__count", "score:avg"]
            )
        ]
        comments = [
            {
                "date": self._tsq_local(ctx, fb.submitted_at),
                "client": fb.partner_id.name or "",
                "about": fb.service_id.name or fb.ticket_id.display_name or "",
                "occasion": occasions.get(fb.occasion, ""),
                "score": fb.score,
                "comment": fb.comment,
            }
            for fb in Feedback.search(
                domain + [("comment", "!=", False)],
                order="submitted_at desc, id desc",
                limit=COMMENT_LIMIT,
            )
        ]
        threshold = env["tsq.indicator"]._tsq_satisfied_score()
        satisfied = sum(n for score, n in by_score.items() if score >= threshold)
        return {
            "count": count,
            "average": average or 0.0,
            "satisfied": satisfied,
            "satisfied_share": 100.0 * satisfied / count if count else None,
            "satisfied_score": threshold,
            "satisfied_label": self.env._("Satisfied (score %(score)s or more)", score=threshold),
            "distribution": [{"score": s, "count": by_score.get(s, 0)} for s in range(5, 0, -1)],
            "by_occasion": by_occasion,
            "comments": comments,
        }
