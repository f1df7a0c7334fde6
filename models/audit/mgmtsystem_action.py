from odoo import fields, models


class MgmtsystemAction(models.Model):
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
