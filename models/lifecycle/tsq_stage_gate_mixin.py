from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ...lib.stages import (
    GATE_STAGES,
    SERVICE_STAGES,
    STAGE_ORDER,
    STOPPED_STAGES,
    next_stage,
    stage_passed,
)
from ..core.res_company import agency_lang, reader_lang
from ..core.tsq_concurrency import TsqConcurrentChange, lock_for_decision
from .tsq_gate_requirement_mixin import CONTRACT_TERMS

# Fields that belong to a stage: once the stage's gate is passed they are part of
# the record of that stage and cannot change until the service is moved back.
STAGE_FIELDS = {
    "s1": [
        "inquiry_received_at",
        "inquiry_channel",
        "inquiry_summary",
        "first_response_at",
        "first_response_note",
        "needs_analysis",
        "feasibility",
        "feasibility_reason",
        "feasibility_user_id",
    ],
    "s2": [
        "plan_objectives",
        "plan_scope",
        "plan_content",
        "plan_deliverables",
        "plan_fee",
        "plan_risks",
    ],
    "s3": [
        "contract_ref",
        "contract_signed_date",
        "contract_delivery_date",
        "contract_attachment_ids",
    ]
    + [name for name, _label in CONTRACT_TERMS],
}


class TsqStageGateMixin(models.AbstractModel):
    """The stage-gate engine of a service (R5), inherited by ``project.project``.

    A service changes stage only through ``write()``, which calls
    :meth:`_tsq_prepare_stage_change`: it checks the move (one stage forward
    through the gate, back or to an end with a reason), records the gate passage
    and locks the checklist; :meth:`_tsq_after_stage_change` starts the new stage.
    What each gate requires is in ``tsq.gate.requirement.mixin``; the fields read
    here (``service_stage``, ``gate_item_ids`` ...) are those of ``project.project``."""

    _name = "tsq.stage.gate.mixin"
    _description = "Service stage-gate engine"

    def _stage_label(self, stage):
        return dict(self._fields["service_stage"]._description_selection(self.env))[stage]

    def _tsq_check_locked_fields(self, vals):
        for stage, names in STAGE_FIELDS.items():
            touched = set(names) & set(vals)
            if touched:
                self._tsq_check_stage_open(
                    stage, [self._fields[name]._description_string(self.env) for name in touched]
                )

    def _tsq_check_stage_open(self, stage, labels):
        """Refuse to change ``labels`` (what belongs to ``stage``) on a service
        whose gate of ``stage`` has been passed: they are part of its record."""
        closed = self.filtered(lambda p: p.is_service and p._tsq_stage_passed(stage))
        if closed:
            raise UserError(
                self.env._(
                    "%(fields)s of “%(service)s” belong to stage %(stage)s, whose "
                    "gate has been passed. Move the service back to that stage "
                    "(with a reason) to change them.",
                    fields=", ".join(sorted(labels)),
                    service=closed[0].name,
                    stage=self._stage_label(stage),
                )
            )

    def _tsq_stage_passed(self, stage):
        self.ensure_one()
        return stage_passed(self.service_stage, stage)

    def _tsq_sync_gate_items(self):
        """Create the checklist items of every stage from the category's
        templates; items of a passed gate stay as they were."""
        Item = self.env["tsq.gate.item"].sudo()
        to_create = []
        for service in self:
            templates = service.service_category_id.gate_template_ids
            existing = service.gate_item_ids
            # unlocked items of another category's templates go away
            stale = existing.filtered(
                lambda i, t=templates: not i.locked and i.template_id and i.template_id not in t
            )
            stale.sudo().unlink()
            have = (existing - stale).template_id
            for tmpl in templates - have:
                to_create.append(
                    {
                        "service_id": service.id,
                        "template_id": tmpl.id,
                        "stage": tmpl.stage,
                        "sequence": tmpl.sequence,
                        "name": tmpl.name,
                        "description": tmpl.description,
                        "kind": tmpl.kind,
                        "required": tmpl.required,
                        "evidence_required": tmpl.evidence_required,
                        "approver_group_id": tmpl.approver_group_id.id,
                        "segregation": tmpl.segregation,
                        "responsible_id": service.user_id.id,
                    }
                )
        Item.create(to_create)

    @api.depends("is_service", "service_stage", "gate_item_ids.stage")
    def _compute_current_gate_item_ids(self):
        for service in self:
            service.current_gate_item_ids = service.gate_item_ids.filtered(
                lambda i, s=service: i.stage == s.service_stage
            )

    def _compute_gate_missing(self):
        for service in self:
            missing = (
                service._tsq_gate_missing(service.service_stage)
                if service.is_service and service.service_stage in dict(GATE_STAGES)
                else []
            )
            service.gate_missing = "\n".join(f"• {m}" for m in missing) or False

    def _tsq_gate_missing(self, stage):
        """Everything that stops the service from leaving ``stage``, translated."""
        self.ensure_one()
        missing = getattr(self, f"_tsq_missing_{stage}")()
        missing += self._tsq_missing_staff(stage)
        items = self.gate_item_ids.filtered(lambda i: i.stage == stage)
        for item in items:
            problem = item._gate_problem()
            if problem:
                missing.append(problem)
        return missing

    def _tsq_check_gate(self, stage):
        self.ensure_one()
        missing = self._tsq_gate_missing(stage)
        if missing:
            raise ValidationError(
                self.env._(
                    "“%(service)s” cannot leave %(stage)s. Missing:\n%(items)s",
                    service=self.name,
                    stage=self._stage_label(stage),
                    items="\n".join(f"• {m}" for m in missing),
                )
            )

    def _tsq_prepare_stage_change(self, new_stage, reason=None):
        """Validate a stage change of one service, run the gate and record the
        passage. Called by write(), the only way a service changes stage."""
        self.ensure_one()
        old = self.service_stage
        if not self.is_service:
            raise UserError(self.env._("“%(name)s” is not a service.", name=self.name))
        if new_stage not in dict(SERVICE_STAGES):
            raise UserError(self.env._("Unknown stage."))
        if old in STOPPED_STAGES:
            raise UserError(
                self.env._(
                    "“%(name)s” is %(stage)s; its records are kept and it cannot move.",
                    name=self.name,
                    stage=self._stage_label(old),
                )
            )
        reason = (reason or "").strip()
        if new_stage == "cancelled":
            direction = "cancel"
            if not reason:
                raise UserError(
                    self.env._("Give the reason for cancelling “%(name)s”.", name=self.name)
                )
        elif new_stage == "declined":
            direction = "decline"
            if old != "s1" or self.feasibility != "decline":
                raise UserError(
                    self.env._(
                        "Only an inquiry assessed as not feasible (S1, decision "
                        "“Decline”) can be declined."
                    )
                )
            reason = reason or (self.feasibility_reason or "").strip()
            if not reason:
                raise UserError(self.env._("Give the reason for declining the inquiry."))
        elif STAGE_ORDER.index(new_stage) > STAGE_ORDER.index(old):
            direction = "forward"
            if STAGE_ORDER.index(new_stage) != STAGE_ORDER.index(old) + 1:
                raise UserError(
                    self.env._(
                        "A service moves forward one stage at a time: %(stage)s is next.",
                        stage=self._stage_label(STAGE_ORDER[STAGE_ORDER.index(old) + 1]),
                    )
                )
            self._tsq_check_gate(old)
        else:
            direction = "back"
            if not reason:
                raise UserError(
                    self.env._(
                        "Moving “%(name)s” back to %(stage)s needs a reason.",
                        name=self.name,
                        stage=self._stage_label(new_stage),
                    )
                )
        items = self.gate_item_ids.filtered(lambda i: i.stage == old)
        forward = direction == "forward"
        if direction == "back":
            self._tsq_reopen_stages(new_stage, old)
        self.env["tsq.gate.passage"].sudo().create(
            {
                "service_id": self.id,
                "from_stage": old,
                "to_stage": new_stage,
                "direction": direction,
                "reason": reason or False,
                "item_ids": [(6, 0, items.ids)] if forward else [],
                "summary": self._tsq_passage_summary(items) if forward else False,
                "attachment_ids": [(6, 0, items.attachment_ids.ids)] if forward else [],
            }
        )
        if forward:
            items.filtered(lambda i: not i.locked)._lock()
        return {"old": old, "new": new_stage, "reason": reason}

    def _tsq_reopen_stages(self, target, current):
        """Moving back reopens the stages from ``target`` up to ``current``: their
        recorded checklists stay as history (on the gate records) and a fresh
        checklist is created, so passing again needs the work and the approvals
        anew."""
        reopened = STAGE_ORDER[STAGE_ORDER.index(target) : STAGE_ORDER.index(current)]
        recorded = self.gate_item_ids.filtered(lambda i: i.stage in reopened and i.locked)
        recorded.sudo().write({"superseded": True})
        self.invalidate_recordset(["gate_item_ids"])
        self._tsq_sync_gate_items()

    def _tsq_after_stage_change(self, move):
        """Start the new stage: its activity, and a note in the chatter."""
        self.ensure_one()
        shared = agency_lang(self, self.company_id)
        shared.activity_feedback(
            ["tech_service_quality.mail_activity_type_stage_gate"],
            feedback=shared.env._("Stage left: %(stage)s", stage=shared._stage_label(move["old"])),
        )
        self._tsq_schedule_stage_activity()
        shared.message_post(
            body=Markup("%s<br/>%s")
            % (
                shared.env._(
                    "%(old)s → %(new)s",
                    old=shared._stage_label(move["old"]),
                    new=shared._stage_label(move["new"]),
                ),
                move["reason"] or "",
            ),
            subtype_xmlid="mail.mt_note",
        )

    def _tsq_passage_summary(self, items):
        rows = Markup("").join(
            Markup("<li>%s — %s %s%s</li>")
            % (
                item.label,
                item.done_by_id.name or self.env._("not done"),
                fields.Datetime.to_string(item.done_at) if item.done_at else "",
                Markup(" (%s)") % item.evidence_note if item.evidence_note else "",
            )
            for item in items
        )
        return Markup("<ul>%s</ul>") % rows if rows else False

    def _tsq_schedule_stage_activity(self):
        """One activity per service for its responsible, due at the stage
        deadline; scheduled in one call per (stage, responsible, due date)."""
        groups = defaultdict(lambda: self.browse())
        for service in self.filtered(lambda p: p.service_stage in dict(GATE_STAGES) and p.user_id):
            deadline = service.stage_deadline
            company = service.company_id or self.env.company
            due = (
                company._tsq_due_date(deadline) if deadline else fields.Date.context_today(service)
            )
            groups[service.service_stage, service.user_id, due] |= service
        for (stage, user, due), services in groups.items():
            mine = reader_lang(services, user)
            mine.activity_schedule(
                "tech_service_quality.mail_activity_type_stage_gate",
                date_deadline=due,
                summary=mine.env._(
                    "Complete the gate of %(stage)s", stage=mine._stage_label(stage)
                ),
                user_id=user.id,
            )

    def _tsq_next_stage(self):
        self.ensure_one()
        return next_stage(self.service_stage)

    def action_pass_gate(self):
        """Pass the gate of the current stage. The form sends the stage it shows
        (``tsq_expected_stage``): if the service moved meanwhile (another user
        passed the gate a moment ago), nothing is passed twice."""
        expected = self.env.context.get("tsq_expected_stage")
        lock_for_decision(self)
        for service in self:
            if expected and service.service_stage != expected:
                raise TsqConcurrentChange(
                    self.env._(
                        "“%(name)s” is now at %(stage)s: someone else moved it a moment "
                        "ago. Reload the page and try again.",
                        name=service.name,
                        stage=service._stage_label(service.service_stage),
                    )
                )
            if service.service_stage not in dict(GATE_STAGES):
                raise UserError(self.env._("“%(name)s” has no gate to pass.", name=service.name))
            service.write({"service_stage": service._tsq_next_stage()})
        return True
