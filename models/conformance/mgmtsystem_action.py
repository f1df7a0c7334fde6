from odoo import api, fields, models


class MgmtsystemAction(models.Model):
    """A clause not (fully) met, or a finding, of a conformance assessment
    proposes an improvement action."""

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

    tsq_source_kind = fields.Selection(
        selection_add=[
            ("external_evaluation",),
            ("conformance", "Conformance assessment"),
            ("manual",),
        ],
        ondelete={"conformance": "set null"},
    )

    @api.model
    def _tsq_source_links(self):
        return [
            *super()._tsq_source_links(),
            ("tsq_conformance_line_id", "conformance"),
            ("tsq_conformance_finding_id", "conformance"),
        ]
