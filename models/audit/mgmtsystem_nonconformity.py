from odoo import fields, models


class MgmtsystemNonconformity(models.Model):
    _inherit = "mgmtsystem.nonconformity"

    tsq_audit_finding_id = fields.Many2one(
        "tsq.audit.finding",
        string="Source Audit Finding",
        readonly=True,
        index="btree_not_null",
        help="The internal audit finding raised as this nonconformity.",
    )
