from odoo import api, fields, models
from odoo.exceptions import UserError


class TsqIndicatorRecompute(models.Model):
    """The record of a closed figure recomputed by a Quality Manager."""

    _name = "tsq.indicator.recompute"
    _inherit = ["tsq.evidence.mixin"]
    _description = "Indicator Recomputation"
    _order = "id desc"

    snapshot_id = fields.Many2one(
        "tsq.indicator.snapshot", required=True, readonly=True, ondelete="cascade", index=True
    )
    user_id = fields.Many2one("res.users", readonly=True, default=lambda self: self.env.user)
    recomputed_at = fields.Datetime(readonly=True, default=fields.Datetime.now)
    reason = fields.Text(required=True, readonly=True)
    old_numerator = fields.Integer(readonly=True)
    old_denominator = fields.Integer(readonly=True)
    old_value = fields.Float(readonly=True, digits=(16, 1))
    new_numerator = fields.Integer(readonly=True)
    new_denominator = fields.Integer(readonly=True)
    new_value = fields.Float(readonly=True, digits=(16, 1))

    def write(self, vals):
        if vals:
            raise UserError(self.env._("A recomputation record cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_record(self):
        raise UserError(self.env._("A recomputation record cannot be deleted."))
