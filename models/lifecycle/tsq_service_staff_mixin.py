from odoo import fields, models
from odoo.exceptions import ValidationError

from ...lib.stages import OPEN_STAGES
from ..core.res_company import agency_lang


class TsqServiceStaffMixin(models.AbstractModel):
    """The competence of a service's staff (R4.2), inherited by ``project.project``.

    The staff (responsible and members) must hold what the service category
    requires on the service's dates: checked when they are assigned (refused, or
    recorded as a gate item a Service Manager approves) and again at each gate.
    Each employee's own problems come from ``hr.employee._tsq_staff_problems``."""

    _name = "tsq.service.staff.mixin"
    _description = "Competence of a service's staff"

    def _tsq_staff_period(self):
        """The dates the staff must be qualified for: from today to the contract's
        delivery date (or today when there is none yet)."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        end = self.contract_delivery_date or today
        return today, max(today, end)

    def _tsq_staff_problems(self):
        """``{user: [problem, ...]}`` for the staff of this service (responsible and
        members) who lack what its category requires on the service's dates."""
        self.ensure_one()
        if self.service_stage not in OPEN_STAGES:
            return {}
        return self._tsq_staff_problems_between(*self._tsq_staff_period())

    def _tsq_staff_problems_between(self, date_from, date_to):
        """``{user: [problem, ...]}`` for the staff of this service who lack what its
        category requires between two dates, whatever the service's stage (the gate
        check above, and the conformance assessment's competence measure)."""
        self.ensure_one()
        category = self.service_category_id
        if not category:
            return {}
        result = {}
        for user in (self.user_id | self.service_member_ids).sudo():
            # res.users.employee_ids lists only the employees of the environment's
            # companies: look in the service's company first, whoever asks
            employee = (
                user.with_company(self.company_id).employee_ids.filtered(
                    lambda e, c=self.company_id: e.company_id == c
                )[:1]
                or user.employee_ids[:1]
            )
            if not employee:
                needs = (
                    category.required_qualification_type_ids
                    or category.require_confidentiality
                    or category.require_conduct
                )
                if needs:
                    result[user] = [self.env._("has no employee record")]
                continue
            problems = employee._tsq_staff_problems(category, date_from, date_to)
            if problems:
                result[user] = problems
        return result

    def _tsq_format_staff_problems(self, problems):
        return "\n".join(
            self.env._("%(person)s: %(problems)s", person=user.name, problems="; ".join(items))
            for user, items in problems.items()
        )

    def _tsq_check_staff(self):
        """Refuse staff who lack the category's qualifications or undertakings, or,
        where the category says so, record each of them as a gate item that a
        Service Manager must approve (R4.2)."""
        Item = self.env["tsq.gate.item"].sudo()
        for service in self:
            problems = service._tsq_staff_problems()
            if not problems:
                continue
            if service.service_category_id.staff_check == "block":
                raise ValidationError(
                    self.env._(
                        "%(service)s: these people cannot be assigned to a service of "
                        "%(category)s:\n%(problems)s",
                        service=service.name,
                        category=service.service_category_id.name,
                        problems=service._tsq_format_staff_problems(problems),
                    )
                )
            stage = service.service_stage
            existing = service.gate_item_ids.filtered(
                lambda i, st=stage: i.stage == st and i.tsq_staff_user_id and not i.superseded
            )
            for user, items in problems.items():
                if user in existing.tsq_staff_user_id:
                    continue
                Item.create(
                    {
                        "service_id": service.id,
                        "stage": stage,
                        "sequence": 95,
                        "name": self.env._(
                            "Staff exception approved: %(person)s (%(problems)s)",
                            person=user.name,
                            problems="; ".join(items),
                        ),
                        "kind": "approval",
                        "required": True,
                        "approver_group_id": self.env.ref(
                            "tech_service_quality.group_tsq_manager"
                        ).id,
                        "segregation": True,
                        "responsible_id": service.user_id.id,
                        "tsq_staff_user_id": user.id,
                    }
                )
                shared = agency_lang(service, service.company_id)
                shared.message_post(
                    body=shared.env._(
                        "%(person)s lacks what %(category)s requires (%(problems)s): "
                        "recorded on the gate checklist for a manager's approval.",
                        person=user.name,
                        category=shared.service_category_id.name,
                        problems="; ".join(items),
                    ),
                    subtype_xmlid="mail.mt_note",
                )

    def action_tsq_check_staff(self):
        """Check the staff again (qualifications may have expired since assignment)."""
        self.check_access("write")
        self._tsq_check_staff()
        return True

    def _tsq_missing_staff(self, stage):
        """At the gate: staff who lack, at the moment of passage, what the category
        requires, unless a manager approved an exception for them in this stage."""
        problems = self._tsq_staff_problems()
        if not problems:
            return []
        approved = self.gate_item_ids.filtered(
            lambda i: i.stage == stage and i.tsq_staff_user_id and i.done_at and not i.superseded
        ).tsq_staff_user_id
        return [
            self.env._(
                "Staff: %(person)s %(problems)s", person=user.name, problems="; ".join(items)
            )
            for user, items in problems.items()
            if user not in approved
        ]
