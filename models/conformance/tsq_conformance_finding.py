from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..core.res_company import agency_lang

FINDING_KINDS = [
    ("nonconformity", "Nonconformity"),
    ("observation", "Observation"),
    ("improvement", "Opportunity for improvement"),
]


class TsqConformanceFinding(models.Model):
    """A finding recorded on a conformance assessment, by its assessor or by an
    outside evaluator under a grant: it lands in the assessment (form, report)
    and proposes an improvement action (the PDCA path). A record once written."""

    _name = "tsq.conformance.finding"
    _description = "Conformance Finding"
    _order = "assessment_id, id"

    assessment_id = fields.Many2one(
        "tsq.conformance.assessment", required=True, ondelete="restrict", index=True
    )
    company_id = fields.Many2one(related="assessment_id.company_id", store=True, index=True)
    clause_id = fields.Many2one("tsq.conformance.clause", string="Standard Clause")
    kind = fields.Selection(FINDING_KINDS, required=True, default="nonconformity")
    description = fields.Text(required=True)
    author_id = fields.Many2one(
        "res.users", string="Recorded by", readonly=True, default=lambda self: self.env.user
    )
    recorded_at = fields.Datetime(readonly=True, default=fields.Datetime.now)
    action_id = fields.Many2one("mgmtsystem.action", string="Improvement Action", readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        findings = super().create(vals_list)
        for finding in findings:
            if not (finding.description or "").strip():
                raise ValidationError(self.env._("Describe the finding."))
            if finding.kind != "observation":
                finding._tsq_propose_action()
        return findings

    def write(self, vals):
        self.check_access("write")
        if set(vals) != {"action_id"} or not self.env.su:
            raise ValidationError(self.env._("A finding is a record and cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise ValidationError(self.env._("A finding is a record and cannot be deleted."))

    def _tsq_propose_action(self):
        self.ensure_one()
        self = agency_lang(self, self.company_id)
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        assessment = self.assessment_id.sudo()
        owner = assessment.assessor_id or assessment.create_uid
        return self.env["mgmtsystem.action"]._tsq_propose(
            self,
            "tsq_conformance_finding_id",
            self.env._(
                "%(kind)s in %(assessment)s", kind=kinds.get(self.kind), assessment=assessment.name
            ),
            self.env._(
                "%(clause)s\n%(description)s\n(%(author)s)",
                clause=self.clause_id.display_name or "",
                description=self.description,
                author=self.author_id.name,
            ),
            owner,
            "action_id",
            type_action="correction" if self.kind == "nonconformity" else "improvement",
        )
