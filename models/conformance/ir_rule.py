from odoo import fields, models


class IrRule(models.Model):
    _inherit = "ir.rule"

    def _compute_domain_context_values(self):
        """Evaluator grants end with the day: the cached rule domains too."""
        yield from super()._compute_domain_context_values()
        yield fields.Date.context_today(self)
