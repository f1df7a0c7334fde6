"""The improvement actions section of the management-review pack: :meth:`_tsq_review_sections`
of ``mgmtsystem.review`` (models/review/mgmtsystem_review.py) extended by this domain."""

from odoo import models


class MgmtsystemReview(models.Model):
    _inherit = "mgmtsystem.review"

    def _tsq_review_sections(self):
        return [*super()._tsq_review_sections(), (80, "actions", self._tsq_pack_actions)]

    def _tsq_review_decisions(self, ctx, pack):
        decisions = super()._tsq_review_decisions(ctx, pack)
        # a missed indicator's decision carries its action
        carried = {
            row["action_id"]
            for row in pack["indicators"]["rows"]
            if row["status"] == "missed" and row["action_id"]
        }
        for row in pack["actions"]["open_rows"]:
            if row["id"] in carried:
                continue
            if row["overdue"]:
                title = self.env._(
                    "Improvement action %(ref)s %(name)s is overdue (deadline %(date)s): "
                    "decide how to complete it.",
                    ref=row["reference"],
                    name=row["name"],
                    date=row["deadline"],
                )
            else:
                title = self.env._(
                    "Review the progress of improvement action %(ref)s %(name)s.",
                    ref=row["reference"],
                    name=row["name"],
                )
            key = f"action:{row['id']}"
            decisions.append((20, self._tsq_decision("action", key, title, row["id"])))
        return decisions

    def _tsq_pack_actions(self, ctx):
        env, company, today = ctx["env"], ctx["company"], ctx["today"]
        Action = env["mgmtsystem.action"]
        # the agency's own actions: those of its service-quality system
        base = [("company_id", "=", company.id), ("system_id", "=", company._tsq_mgmtsystem().id)]
        open_domain = base + ["|", ("stage_id", "=", False), ("stage_id.is_ending", "=", False)]
        overdue_domain = open_domain + [("date_deadline", "<", today)]
        closed_domain = base + [
            ("date_closed", ">=", ctx["start"]),
            ("date_closed", "<", ctx["end"]),
        ]
        has_effective = "tsq_effective" in Action._fields
        types = self._tsq_labels(Action, "type_action")
        open_actions = Action.search(open_domain, order="date_deadline, id")
        overdue = open_actions.filtered(lambda a: a.date_deadline and a.date_deadline < today)
        return {
            "opened": Action.search_count(
                base + [("create_date", ">=", ctx["start"]), ("create_date", "<", ctx["end"])]
            ),
            "open": len(open_actions),
            "overdue": Action.search_count(overdue_domain),
            "closed": Action.search_count(closed_domain),
            "effective_available": has_effective,
            "effective": Action.search_count(closed_domain + [("tsq_effective", "=", "effective")])
            if has_effective
            else None,
            "by_type": [
                {"label": types.get(kind, ""), "count": count}
                for kind, count in Action._read_group(open_domain, ["type_action"], ["__count"])
            ],
            "open_rows": [
                {
                    "id": action.id,
                    "reference": action.reference or "",
                    "name": action.name,
                    "owner": action.user_id.name or "",
                    "deadline": action.date_deadline,
                    "stage": action.stage_id.name or "",
                    "overdue": action in overdue,
                }
                for action in open_actions
            ],
        }
