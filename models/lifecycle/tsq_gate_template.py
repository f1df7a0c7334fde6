from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ...lib.stages import GATE_STAGES

ITEM_KINDS = [
    ("check", "Check"),
    ("document", "Document"),
    ("approval", "Approval"),
]


class TsqGateTemplate(models.Model):
    _name = "tsq.gate.template"
    _description = "Stage Gate Checklist Template"
    _order = "category_id, stage, sequence, id"

    category_id = fields.Many2one(
        "tsq.service.category", required=True, ondelete="cascade", index=True
    )
    stage = fields.Selection(GATE_STAGES, required=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    description = fields.Text(translate=True)
    kind = fields.Selection(ITEM_KINDS, required=True, default="check")
    required = fields.Boolean(default=True)
    evidence_required = fields.Boolean(
        help="The item can only be completed with an attachment or a linked record."
    )
    approver_group_id = fields.Many2one(
        "res.groups",
        help="Only members of this group may give the approval.",
    )
    segregation = fields.Boolean(
        string="Not by the Doer",
        default=True,
        help="The approval may not be given by a person who completed a work item "
        "of the same gate.",
    )
    active = fields.Boolean(default=True)

    @api.constrains("kind", "evidence_required", "approver_group_id")
    def _check_kind(self):
        for tmpl in self:
            if tmpl.kind == "document" and not tmpl.evidence_required:
                raise ValidationError(
                    self.env._(
                        "The document item “%(name)s” must require evidence.",
                        name=tmpl.name,
                    )
                )
            if tmpl.kind == "approval" and not tmpl.approver_group_id:
                raise ValidationError(
                    self.env._(
                        "The approval item “%(name)s” needs an approver group.",
                        name=tmpl.name,
                    )
                )
