from odoo import fields, models


class MgmtsystemAction(models.Model):
    _inherit = "mgmtsystem.action"

    tsq_conformance_line_id = fields.Many2one(
        "tsq.conformance.line",
        string="Source Conformance Clause",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        help="The clause of a conformance assessment that was not (fully) met.",
    )

    tsq_conformance_finding_id = fields.Many2one(
        "tsq.conformance.finding",
        string="Source Conformance Finding",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
    )
