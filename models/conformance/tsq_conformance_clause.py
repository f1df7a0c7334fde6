from odoo import api, fields, models
from odoo.exceptions import ValidationError

CLAUSE_PARTS = [
    ("r4", "R4 Basic requirements"),
    ("r5", "R5 Service process"),
    ("r6", "R6 Quality evaluation and improvement"),
]


# What each measure counts (its method is ``_tsq_measure_<key>`` of
# tsq.conformance.assessment). The clause says which measure judges it.
MEASURES = [
    ("procedures", "Service categories with a documented gate checklist"),
    ("resources", "Services with a responsible person and a service team"),
    ("traceability", "Gate passages that kept their checklist"),
    ("security", "Client-data access rules in force"),
    ("review", "Management reviews held and closed"),
    ("competence", "Services whose staff held the required qualifications"),
    ("skills", "Service staff with skills recorded"),
    ("training", "Service staff trained in the period"),
    ("conduct", "Service staff with a valid code-of-conduct undertaking"),
    ("confidentiality", "Service staff with a valid confidentiality undertaking"),
    ("outsourcing", "Outsourced work placed with qualified suppliers"),
    ("outsourcing_control", "Outsourced work monitored and accepted"),
    ("reevaluation", "Qualified suppliers re-evaluated within their interval"),
    ("feasibility", "Inquiries with a feasibility assessment"),
    ("plan", "Service plans confirmed by the client before S2 closed"),
    ("contract", "Contracts with all ten terms signed before work started"),
    ("control", "Services implemented with progress reported"),
    ("acceptance", "Acceptances signed or objections closed within their limit"),
    ("return_visit", "Return visits done on time"),
    ("indicators", "Core indicators meeting their target"),
    ("audits", "Internal audits held as planned"),
    ("feedback", "Accepted services with client feedback"),
    ("complaints", "Complaints handled within 7 working days"),
    ("improvement", "Improvement actions closed with checked effect"),
]


class TsqConformanceClause(models.Model):
    """A clause of the standard as the conformance assessment judges it: its
    number, its text, the measure computed from the live records and the
    thresholds that turn the measure into a status. Data, so that the published
    clause numbers and thresholds can be loaded without code."""

    _name = "tsq.conformance.clause"
    _description = "Standard Clause"
    _order = "sequence, code"

    code = fields.Char(required=True, help="The clause number, e.g. R4.2.4 or R5 S3.")
    name = fields.Char(string="Requirement", required=True, translate=True)
    part = fields.Selection(CLAUSE_PARTS, required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    measure = fields.Selection(MEASURES, required=True)
    threshold_conform = fields.Float(
        string="Conforms from (%)",
        default=100.0,
        help="A measure at or above this share conforms.",
    )
    threshold_partial = fields.Float(
        string="Partly from (%)",
        default=80.0,
        help="A measure at or above this share (and below the first) partly conforms; "
        "below it, the clause is not met.",
    )
    empty_status = fields.Selection(
        [("na", "Not applicable"), ("not", "Does not conform")],
        string="Without Records",
        default="na",
        required=True,
        help="The status when the period holds no record to judge: not applicable, or "
        "a nonconformity where the standard asks that something happen every period "
        "(management reviews, internal audits).",
    )
    guidance = fields.Text(translate=True, help="What the assessor looks at besides the figure.")

    _sql_constraints = [
        ("code_unique", "UNIQUE(code)", "Each clause number is used once."),
    ]

    @api.constrains("threshold_conform", "threshold_partial")
    def _check_thresholds(self):
        for clause in self:
            if not 0 <= clause.threshold_partial <= clause.threshold_conform <= 100:
                raise ValidationError(
                    self.env._(
                        "%(clause)s: the thresholds must satisfy 0 ≤ partly ≤ conforms ≤ 100.",
                        clause=clause.code,
                    )
                )

    @api.depends_context("lang")
    def _compute_display_name(self):
        for clause in self:
            clause.display_name = f"{clause.code} {clause.name or ''}".strip()

    def _status(self, numerator, denominator):
        """The status a measure of ``numerator`` / ``denominator`` gives."""
        self.ensure_one()
        if not denominator:
            return self.empty_status
        ratio = 100.0 * numerator / denominator
        if ratio >= self.threshold_conform - 1e-9:
            return "conforms"
        if ratio >= self.threshold_partial - 1e-9:
            return "partly"
        return "not"
