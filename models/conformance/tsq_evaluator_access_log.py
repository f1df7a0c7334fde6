from odoo import api, fields, models
from odoo.exceptions import ValidationError


class TsqEvaluatorAccessLog(models.Model):
    _name = "tsq.evaluator.access.log"
    _description = "Evaluator Access Log"
    _order = "id desc"

    user_id = fields.Many2one("res.users", required=True, readonly=True, index=True)
    at = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    operation = fields.Selection(
        [("open", "Opened"), ("print", "Printed")], required=True, readonly=True
    )
    res_model = fields.Char(string="Model", required=True, readonly=True, index=True)
    res_id = fields.Integer(string="Record ID", readonly=True)
    res_name = fields.Char(string="Record", readonly=True)
    report = fields.Char(readonly=True)

    def write(self, vals):
        if vals:
            raise ValidationError(self.env._("The evaluator access log cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise ValidationError(self.env._("The evaluator access log cannot be deleted."))

    @api.model
    def _tsq_log(self, records, operation, report=None):
        user = self.env.user
        if not records or self.env.su or not user._tsq_is_evaluator():
            return
        # one line per record and transaction (a PDF passes the guard more than once)
        logged = self.env.cr.cache.setdefault("tsq_evaluator_logged", set())
        keys = {(user.id, operation, records._name, rid, report) for rid in records.ids}
        records = records.browse([key[3] for key in keys - logged])
        logged |= keys
        if not records:
            return
        names = {r.id: r.display_name for r in records.sudo()}
        self.sudo().create(
            [
                {
                    "user_id": user.id,
                    "operation": operation,
                    "res_model": records._name,
                    "res_id": record_id,
                    "res_name": names.get(record_id, ""),
                    "report": report,
                }
                for record_id in records.ids
            ]
        )
