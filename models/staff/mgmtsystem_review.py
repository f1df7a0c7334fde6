"""The staff section of the management-review pack: :meth:`_tsq_review_sections`
of ``mgmtsystem.review`` (models/review/mgmtsystem_review.py) extended by this domain."""

from datetime import timedelta

from odoo import models
from odoo.tools import SQL

from ...lib.periods import last_day
from ..review.mgmtsystem_review import EXPIRY_DAYS


class MgmtsystemReview(models.Model):
    _inherit = "mgmtsystem.review"

    def _tsq_review_sections(self):
        return [*super()._tsq_review_sections(), (60, "staff", self._tsq_pack_staff)]

    def _tsq_review_decisions(self, ctx, pack):
        decisions = super()._tsq_review_decisions(ctx, pack)
        staff = pack["staff"]
        expiring_staff = len(staff["qualifications"]) + len(staff["undertakings"])
        if expiring_staff:
            title = self.env._(
                "%(count)s staff qualifications or undertakings expire within %(days)s "
                "days: plan their renewal.",
                count=expiring_staff,
                days=EXPIRY_DAYS,
            )
            decisions.append((60, self._tsq_decision("staff", "staff:expiring", title)))
        return decisions

    def _tsq_pack_staff(self, ctx):
        env, company, today = ctx["env"], ctx["company"], ctx["today"]
        env.cr.execute(
            SQL(
                """
                SELECT COALESCE(SUM(s.tsq_hours), 0),
                       COUNT(DISTINCT a.employee_id) FILTER (WHERE e.active),
                       COUNT(DISTINCT s.id)
                  FROM hr_course_attendee a
                  JOIN hr_course_schedule s ON s.id = a.course_schedule_id
                  JOIN hr_employee e ON e.id = a.employee_id
                 WHERE a.result = 'passed' AND a.active
                   AND e.company_id = %(company)s AND e.tsq_service_staff
                   AND s.end_date >= %(date_from)s AND s.end_date < %(date_to)s
                """,
                company=company.id,
                date_from=ctx["date_from"],
                date_to=ctx["date_to"],
            )
        )
        hours, trained, sessions = env.cr.fetchone()
        headcount = env["hr.employee"].search_count(
            [("company_id", "=", company.id), ("tsq_service_staff", "=", True)]
        )
        years = list(range(ctx["date_from"].year, last_day(ctx["date_to"]).year + 1))
        plans = [
            {
                "name": plan.name,
                "year": plan.year,
                "team": plan.department_id.name or "",
                "people": len(plan.employee_ids),
                "planned": plan.planned_hours * len(plan.employee_ids),
                "done": plan.done_hours,
                "coverage": plan.coverage,
                "completion": plan.completion,
            }
            for plan in env["tsq.training.plan"].search(
                [("company_id", "=", company.id), ("year", "in", years)], order="year, name"
            )
        ]
        horizon = today + timedelta(days=EXPIRY_DAYS)
        window = [
            ("company_id", "=", company.id),
            ("employee_id.active", "=", True),
            ("valid_to", ">=", today),
            ("valid_to", "<=", horizon),
        ]
        qualifications = [
            {
                "employee": q.employee_id.name,
                "item": q.type_id.name,
                "number": q.number or "",
                "valid_to": q.valid_to,
            }
            for q in env["tsq.employee.qualification"].search(window, order="valid_to, id")
        ]
        Undertaking = env["tsq.undertaking"]
        kinds = self._tsq_labels(Undertaking, "kind")
        undertakings = [
            {"employee": u.employee_id.name, "item": kinds.get(u.kind, ""), "valid_to": u.valid_to}
            for u in Undertaking.search(window, order="valid_to, id")
        ]
        return {
            "training_hours": float(hours or 0.0),
            "trained": trained,
            "sessions": sessions,
            "headcount": headcount,
            "coverage": 100.0 * trained / headcount if headcount else None,
            "hours_per_person": float(hours or 0.0) / headcount if headcount else None,
            "plans": plans,
            "qualifications": qualifications,
            "undertakings": undertakings,
        }
