from odoo import api, models
from odoo.exceptions import AccessError

from .tsq_evaluator_grant import CONTRACT_ATTACHMENT_MODELS


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    @api.model
    def check(self, mode, values=None):
        result = super().check(mode, values)
        if self and not self.env.su and not self.env.user._tsq_reads_contracts():
            self.env.cr.execute(
                "SELECT 1 FROM ir_attachment WHERE id IN %s AND res_model IN %s LIMIT 1",
                [tuple(self.ids), CONTRACT_ATTACHMENT_MODELS],
            )
            if self.env.cr.fetchone():
                raise AccessError(
                    self.env._(
                        "Clients' contract documents are not open to evaluators under this grant."
                    )
                )
        return result
