from odoo import fields, models

from .registry import EVIDENCE_KINDS
from .tsq_evidence_check import BROKEN_REASONS


class TsqEvidenceCheckLine(models.Model):
    """The result of the check for one chain."""

    _name = "tsq.evidence.check.line"
    _description = "Data Inalterability Check: Chain"
    _order = "check_id, id"

    check_id = fields.Many2one("tsq.evidence.check", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="check_id.company_id", store=True)
    kind = fields.Selection(EVIDENCE_KINDS, string="Chain", required=True)
    total_count = fields.Integer("Links")
    period_count = fields.Integer("Sealed in the Period")
    head_seq = fields.Integer("Head at the End of the Period")
    head_hash = fields.Char("Head Hash at the End of the Period")
    last_seq = fields.Integer("Current Head")
    last_hash = fields.Char("Current Head Hash")
    broken = fields.Boolean()
    broken_seq = fields.Integer("First Broken Link")
    broken_reason = fields.Selection(BROKEN_REASONS, string="Why")
    broken_model = fields.Char("Model of the Record")
    broken_res_id = fields.Integer("Record ID")
    broken_record = fields.Char("Record")
