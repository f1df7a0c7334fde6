from odoo import models

from .tsq_evaluator_grant import CONTRACT_FIELDS, EVALUATOR


class Base(models.AbstractModel):
    _inherit = "base"

    def web_read(self, specification):
        result = super().web_read(specification)
        if self and not self.env.su and self._name != "tsq.evaluator.access.log":
            user = self.env.user
            if not user.share and user.has_group(EVALUATOR):
                self.env["tsq.evaluator.access.log"]._tsq_log(self, "open")
        return result

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load)
        closed = CONTRACT_FIELDS.get(self._name)
        if closed and not self.env.su and not self.env.user._tsq_reads_contracts():
            for values in result:
                for name in closed:
                    if name in values:
                        values[name] = [] if name.endswith("_ids") else False
        return result
