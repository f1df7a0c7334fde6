from odoo import api, models
from odoo.osv import expression


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    @api.model
    def _search(self, domain, *args, **kwargs):
        """The files of supplier documents are confidential: whoever is not a Service
        Manager neither finds nor reads them (reading by id goes through ``_search``
        too), whatever their access to the document itself."""
        if not self.env.su and not self.env.user.has_group(
            "tech_service_quality.group_tsq_manager"
        ):
            domain = expression.AND([[("res_model", "!=", "tsq.supplier.document")], list(domain)])
        return super()._search(domain, *args, **kwargs)
