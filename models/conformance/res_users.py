from odoo import fields, models

from .tsq_evaluator_grant import CONTRACT_READER, EVALUATOR, STAFF


class ResUsers(models.Model):
    _inherit = "res.users"

    tsq_evaluator_company_ids = fields.Many2many(
        "res.company",
        compute="_compute_tsq_evaluator_company_ids",
        string="Companies Open to the Evaluator",
    )

    def _compute_tsq_evaluator_company_ids(self):
        Grant = self.env["tsq.evaluator.grant"].sudo()
        for user in self:
            grants = Grant.search([("user_id", "=", user.id), ("revoked_at", "=", False)])
            user.tsq_evaluator_company_ids = grants.filtered(
                lambda g: g.state == "active"
            ).company_id

    def _tsq_is_evaluator(self):
        """An outside evaluator: in the evaluator group and not agency staff."""
        self.ensure_one()
        return self.has_group(EVALUATOR) and not self.has_group(STAFF)

    def _tsq_reads_contracts(self):
        self.ensure_one()
        return not self._tsq_is_evaluator() or self.has_group(CONTRACT_READER)
