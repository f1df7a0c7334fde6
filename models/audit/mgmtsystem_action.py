from odoo import api, fields, models


class MgmtsystemAction(models.Model):
    """Audit findings and third-party evaluations propose improvement actions."""

    _inherit = "mgmtsystem.action"

    tsq_audit_finding_id = fields.Many2one(
        "tsq.audit.finding",
        string="Source Audit Finding",
        readonly=True,
        index="btree_not_null",
        help="The internal audit finding that proposed this action.",
    )

    tsq_external_evaluation_id = fields.Many2one(
        "tsq.external.evaluation",
        string="Source Third-party Evaluation",
        readonly=True,
        index="btree_not_null",
        help="The third-party evaluation whose findings proposed this action.",
    )

    # (the referenced kinds place the new ones in the list)
    tsq_source_kind = fields.Selection(
        selection_add=[
            ("objection",),
            ("audit_finding", "Audit finding"),
            ("indicator",),
            ("supplier_evaluation",),
            ("external_evaluation", "Third-party evaluation"),
            ("manual",),
        ],
        ondelete={"audit_finding": "set null", "external_evaluation": "set null"},
    )

    @api.model
    def _tsq_source_links(self):
        return [
            *super()._tsq_source_links(),
            ("tsq_audit_finding_id", "audit_finding"),
            ("tsq_external_evaluation_id", "external_evaluation"),
        ]
