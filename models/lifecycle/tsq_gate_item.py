from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ...lib.stages import GATE_STAGES
from ..core.tsq_concurrency import lock_for_decision
from .tsq_gate_template import ITEM_KINDS

# Fields the system fills; nobody writes them directly (not even over RPC).
SYSTEM_FIELDS = {
    "service_id",
    "template_id",
    "stage",
    "kind",
    "required",
    "evidence_required",
    "approver_group_id",
    "segregation",
    "done_by_id",
    "done_at",
    "locked",
    "superseded",
    "tsq_staff_user_id",
}


EVIDENCE_MODELS = [
    ("ir.attachment", "Attachment"),
    ("tsq.acceptance", "Acceptance submission"),
    ("tsq.change.request", "Change request"),
    ("tsq.progress.report", "Progress report"),
    ("tsq.milestone", "Milestone"),
    ("tsq.return.visit", "Return visit"),
    ("helpdesk.ticket", "Ticket"),
]


class TsqGateItem(models.Model):
    _name = "tsq.gate.item"
    _description = "Stage Gate Checklist Item"
    _order = "service_id, stage, sequence, id"

    service_id = fields.Many2one("project.project", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="service_id.company_id", store=True, index=True)
    template_id = fields.Many2one("tsq.gate.template", ondelete="set null")
    stage = fields.Selection(GATE_STAGES, required=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, help="Name given when the item was created.")
    tsq_staff_user_id = fields.Many2one(
        "res.users",
        string="Staff Exception For",
        readonly=True,
        help="This item approves assigning this person although they lack a required "
        "qualification or undertaking.",
    )
    label = fields.Char(
        compute="_compute_label",
        string="Item",
        help="The template's name in the reader's language, or the item's own name.",
    )
    description = fields.Text()
    kind = fields.Selection(ITEM_KINDS, required=True, default="check")
    required = fields.Boolean(default=True)
    evidence_required = fields.Boolean()
    approver_group_id = fields.Many2one("res.groups")
    segregation = fields.Boolean(string="Not by the Doer")
    responsible_id = fields.Many2one("res.users")
    done = fields.Boolean()
    done_by_id = fields.Many2one("res.users", string="Done by", readonly=True)
    done_at = fields.Datetime(readonly=True)
    attachment_ids = fields.Many2many(
        "ir.attachment", "tsq_gate_item_attachment_rel", string="Evidence Files"
    )
    evidence_ref = fields.Reference(EVIDENCE_MODELS, string="Linked Record")
    evidence_note = fields.Text()
    locked = fields.Boolean(readonly=True, help="Recorded by a gate passage.")
    superseded = fields.Boolean(
        readonly=True,
        index=True,
        help="The service was moved back to this item's stage: a fresh checklist "
        "replaced it; this one stays as the record of the earlier passage.",
    )

    @api.depends("name", "template_id.name")
    @api.depends_context("lang")
    def _compute_label(self):
        for item in self:
            item.label = item.template_id.name or item.name

    def _has_evidence(self):
        self.ensure_one()
        return bool(self.attachment_ids or self.evidence_ref)

    def _doers(self):
        """Users who completed a work item of the same gate."""
        self.ensure_one()
        work = self.service_id.gate_item_ids.filtered(
            lambda i: i.stage == self.stage and i.kind != "approval" and i.done
        )
        return work.done_by_id

    def _gate_problem(self):
        """Why this item stops its gate, or False."""
        self.ensure_one()
        if not self.required and not self.done:
            return False
        if not self.done:
            if self.kind == "approval":
                return self.env._(
                    "Approval missing: %(name)s (%(group)s)",
                    name=self.label,
                    group=self.approver_group_id.display_name,
                )
            return self.env._("Checklist item not done: %(name)s", name=self.label)
        if self.evidence_required and not self._has_evidence():
            return self.env._("Evidence missing: %(name)s", name=self.label)
        if self.kind == "approval":
            if self.approver_group_id and self.approver_group_id not in self.done_by_id.groups_id:
                return self.env._(
                    "Approval “%(name)s” was given by someone outside %(group)s",
                    name=self.label,
                    group=self.approver_group_id.display_name,
                )
            if self.segregation and self.done_by_id in self._doers():
                return self.env._(
                    "Approval “%(name)s” was given by %(user)s, who also did work of "
                    "this gate: another approver is needed",
                    name=self.label,
                    user=self.done_by_id.name,
                )
        return False

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and not self.env.user.has_group(
            "tech_service_quality.group_tsq_manager"
        ):
            raise AccessError(
                self.env._("Only a service manager can add items to a gate checklist.")
            )
        for vals in vals_list:
            for name in ("done", "done_by_id", "done_at", "locked"):
                vals.pop(name, None)
            if not self.env.su:
                vals.pop("template_id", None)
        return super().create(vals_list)

    def write(self, vals):
        if self.env.su and set(vals) == {"superseded"}:
            # a move back keeps the recorded item and marks it as history
            return super().write(vals)
        if self.filtered("locked"):
            raise UserError(
                self.env._(
                    "This checklist item was recorded when its gate was passed and "
                    "can no longer change: %(name)s",
                    name=self.filtered("locked")[0].name,
                )
            )
        if self.env.su and SYSTEM_FIELDS & set(vals):
            # the system's own bookkeeping (who, when, lock)
            return super().write(vals)
        if SYSTEM_FIELDS & set(vals):
            raise UserError(
                self.env._(
                    "Who completed a checklist item and when is recorded by the "
                    "system; it cannot be written."
                )
            )
        done = vals.pop("done", None)
        res = super().write(vals) if vals else True
        if done is not None:
            self._set_done(bool(done))
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_recorded(self):
        if self.filtered("locked"):
            raise UserError(
                self.env._("Checklist items recorded by a gate passage cannot be deleted.")
            )
        if not self.env.su and self.filtered("template_id"):
            raise UserError(
                self.env._("Checklist items from the category's template cannot be deleted.")
            )

    def _set_done(self, done):
        user = self.env.user
        lock_for_decision(self)
        for item in self:
            if item.locked:
                raise UserError(
                    self.env._(
                        "This checklist item was recorded when its gate was passed and "
                        "can no longer change: %(name)s",
                        name=item.name,
                    )
                )
            if item.service_id.service_stage != item.stage:
                raise UserError(
                    self.env._(
                        "“%(name)s” belongs to another stage than the service's current one.",
                        name=item.label,
                    )
                )
            if not done:
                item.sudo().write({"done": False, "done_by_id": False, "done_at": False})
                continue
            if item.done:
                continue
            if item.evidence_required and not item._has_evidence():
                raise ValidationError(
                    self.env._(
                        "Attach the evidence of “%(name)s” (a file or a linked record) "
                        "before marking it done.",
                        name=item.label,
                    )
                )
            if item.kind == "approval":
                if item.approver_group_id and item.approver_group_id not in user.groups_id:
                    raise ValidationError(
                        self.env._(
                            "Only a member of %(group)s can give the approval “%(name)s”.",
                            group=item.approver_group_id.display_name,
                            name=item.label,
                        )
                    )
                if item.segregation and user in item._doers():
                    raise ValidationError(
                        self.env._(
                            "You completed work of this gate, so you cannot also approve "
                            "it: “%(name)s” needs another approver.",
                            name=item.label,
                        )
                    )
            item.sudo().write(
                {"done": True, "done_by_id": user.id, "done_at": fields.Datetime.now()}
            )
        return True

    def _lock(self):
        return self.sudo().write({"locked": True})

    def action_mark_done(self):
        self.write({"done": True})
        return True

    def action_mark_undone(self):
        self.write({"done": False})
        return True

    def action_open_evidence(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(self.env.ref("tech_service_quality.tsq_gate_item_view_form").id, "form")],
            "target": "new",
        }
