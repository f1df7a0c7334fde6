from odoo import api, models
from odoo.exceptions import AccessError
from odoo.osv import expression

from .tsq_evaluator_grant import CONTRACT_ATTACHMENT_MODELS


class IrAttachment(models.Model):
    """Clients' contract documents (the files of services, acceptances and gate
    items) stay closed to an outside evaluator whose grant does not include them.

    Odoo 18 checks an attachment at three doors, each closed here: ``check()``
    (downloads by token, writes), ``_check_access()`` (``check_access``,
    ``has_access``) and ``_search()``, through which every read of a stored field
    goes (``fetch`` reads only the ids its search returns)."""

    _inherit = "ir.attachment"

    def _tsq_contracts_closed(self):
        return not self.env.su and not self.env.user._tsq_reads_contracts()

    def _tsq_contract_documents(self):
        if not self._ids:
            return self.browse()
        self.env.cr.execute(
            "SELECT id FROM ir_attachment WHERE id IN %s AND res_model IN %s",
            [tuple(self._ids), CONTRACT_ATTACHMENT_MODELS],
        )
        return self.browse(row[0] for row in self.env.cr.fetchall())

    def _tsq_contract_error(self):
        return AccessError(
            self.env._("Clients' contract documents are not open to evaluators under this grant.")
        )

    @api.model
    def check(self, mode, values=None):
        result = super().check(mode, values)
        if self and self._tsq_contracts_closed() and self._tsq_contract_documents():
            raise self._tsq_contract_error()
        return result

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if result is None and self._tsq_contracts_closed():
            closed = self._tsq_contract_documents()
            if closed:
                return closed, self._tsq_contract_error
        return result

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        if self._tsq_contracts_closed():
            domain = expression.AND(
                [domain, [("res_model", "not in", list(CONTRACT_ATTACHMENT_MODELS))]]
            )
        return super()._search(domain, offset=offset, limit=limit, order=order)
