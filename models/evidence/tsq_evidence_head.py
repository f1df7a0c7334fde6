from odoo import api, fields, models
from odoo.exceptions import UserError

from .registry import EVIDENCE_KINDS


class TsqEvidenceHead(models.Model):
    """The head of one chain (company, kind): its last sequence number and hash.
    Appending locks this row, so links are appended one transaction at a time."""

    _name = "tsq.evidence.head"
    _description = "Evidence Chain Head"
    _order = "company_id, kind"

    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    kind = fields.Selection(EVIDENCE_KINDS, required=True, readonly=True)
    seq = fields.Integer(readonly=True)
    hash = fields.Char(readonly=True)

    _sql_constraints = [
        ("company_kind_uniq", "unique (company_id, kind)", "One head per company and kind."),
    ]

    def write(self, vals):
        if vals:
            raise UserError(self.env._("The head of an evidence chain is kept by the system."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_chain(self):
        raise UserError(self.env._("The head of an evidence chain cannot be deleted."))
