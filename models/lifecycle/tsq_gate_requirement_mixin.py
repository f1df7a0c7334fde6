from odoo import fields, models
from odoo.tools import is_html_empty

# The contract terms the standard requires (R5 S3), as (field, label).
CONTRACT_TERMS = [
    ("term_parties", "Parties"),
    ("term_scope", "Scope of service"),
    ("term_deliverables", "Deliverables"),
    ("term_timeline", "Timeline"),
    ("term_fees", "Fees and payment"),
    ("term_acceptance", "Acceptance criteria"),
    ("term_confidentiality", "Confidentiality"),
    ("term_ip", "Intellectual property"),
    ("term_liability", "Liability for breach"),
    ("term_disputes", "Dispute resolution"),
]


class TsqGateRequirementMixin(models.AbstractModel):
    """What the gate of each stage requires (R5 S1-S6), inherited by ``project.project``.

    ``_tsq_missing_<stage>()`` lists, translated, what stops a service from leaving
    that stage; the stage-gate engine (``tsq.stage.gate.mixin``) adds the staff and
    the checklist items to it."""

    _name = "tsq.gate.requirement.mixin"
    _description = "What the gate of each service stage requires"

    def _tsq_missing_s1(self):
        missing = []
        if not self.inquiry_received_at:
            missing.append(self.env._("The inquiry's received time"))
        if not self.first_response_at:
            missing.append(self.env._("The first response to the client"))
        if is_html_empty(self.needs_analysis):
            missing.append(self.env._("The needs analysis"))
        if self.feasibility != "accept":
            missing.append(
                self.env._(
                    "A feasibility assessment that accepts the service (a declined "
                    "inquiry is closed with “Decline”)"
                )
            )
        elif not self.feasibility_user_id or not self.feasibility_reason:
            missing.append(
                self.env._("The assessor and the reasoning of the feasibility assessment")
            )
        return missing

    def _tsq_missing_s2(self, with_confirmation=True):
        labels = [
            ("plan_objectives", self.env._("Plan: objectives")),
            ("plan_scope", self.env._("Plan: scope")),
            ("plan_content", self.env._("Plan: service content")),
            ("plan_deliverables", self.env._("Plan: deliverables")),
            ("plan_risks", self.env._("Plan: risks")),
        ]
        missing = []
        for name, label in labels:
            value = self[name]
            if not value or (name == "plan_content" and is_html_empty(value)):
                missing.append(label)
        if not self.service_milestone_ids:
            missing.append(self.env._("Plan: at least one milestone"))
        if not (self.service_member_ids or self.user_id):
            missing.append(self.env._("Plan: staff"))
        if not self.plan_fee:
            missing.append(self.env._("Plan: fees"))
        if with_confirmation and not self.plan_confirmed_at:
            missing.append(self.env._("The client's confirmation of the plan"))
        return missing

    def _tsq_missing_s3(self):
        missing = [
            self.env._(
                "Contract term: %(term)s",
                term=self._fields[name].get_description(self.env)["string"],
            )
            for name, _label in CONTRACT_TERMS
            if not self[name]
        ]
        for name, label in (
            ("contract_signed_date", self.env._("The contract's signing date")),
            ("contract_attachment_ids", self.env._("The signed contract document")),
            ("contract_delivery_date", self.env._("The contract delivery date")),
        ):
            if not self[name]:
                missing.append(label)
        signed = self.contract_signed_date
        if signed:
            # the contract is signed before work starts (S4): not a date to come
            company = self.company_id or self.env.company
            today = fields.Date.context_today(self.with_context(tz=company._tsq_tz()))
            if signed > today:
                missing.append(
                    self.env._(
                        "The contract's signing date %(date)s is in the future: work "
                        "starts only once it is signed",
                        date=company._tsq_format_date(signed),
                    )
                )
            if self.contract_delivery_date and self.contract_delivery_date < signed:
                missing.append(
                    self.env._(
                        "The contract delivery date %(delivery)s is before the contract's "
                        "signing date %(signed)s",
                        delivery=company._tsq_format_date(self.contract_delivery_date),
                        signed=company._tsq_format_date(signed),
                    )
                )
        return missing

    def _tsq_missing_s4(self):
        missing = []
        open_milestones = self.service_milestone_ids.filtered(lambda m: not m.done_date)
        for milestone in open_milestones:
            missing.append(self.env._("Milestone not reached: %(name)s", name=milestone.name))
        for change in self.change_request_ids.filtered(lambda c: not c._is_settled()):
            missing.append(
                self.env._(
                    "Change request not settled (approval and client consent): %(name)s",
                    name=change.name,
                )
            )
        if not self.progress_report_ids.filtered("sent_at"):
            missing.append(self.env._("At least one progress report sent to the client"))
        return missing

    def _tsq_missing_s5(self):
        missing = []
        if not self.deliverable_ids:
            missing.append(self.env._("The deliverables"))
        for deliverable in self.deliverable_ids.filtered(lambda d: not d.handed_over_at):
            missing.append(
                self.env._("Deliverable not handed over: %(name)s", name=deliverable.name)
            )
        if self.acceptance_state != "accepted":
            missing.append(self.env._("The client's signed acceptance"))
        return missing

    def _tsq_missing_s6(self):
        missing = []
        visits = self.return_visit_ids
        if not visits.filtered("done_at"):
            missing.append(self.env._("A return visit with the client's satisfaction score"))
        # every request about the service counts, whether or not the person passing
        # the gate is on the team that handles it (record rules would hide it)
        open_requests = self.sudo().aftersales_ticket_ids.filtered(lambda t: not t.closed)
        for ticket in open_requests:
            missing.append(
                self.env._("After-sales request still open: %(name)s", name=ticket.display_name)
            )
        return missing
