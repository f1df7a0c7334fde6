from odoo import fields, models
from odoo.exceptions import UserError


class TsqAcceptance(models.Model):
    _inherit = "tsq.acceptance"

    tsq_survey_input_id = fields.Many2one(
        "survey.user_input", string="Satisfaction Survey", readonly=True, copy=False
    )

    def write(self, vals):
        if "tsq_survey_input_id" in vals and not self.env.su:
            raise UserError(self.env._("The satisfaction survey is linked by the system."))
        return super().write(vals)

    def _accept(self, signed_by, signature, channel):
        res = super()._accept(signed_by, signature, channel)
        self._tsq_send_satisfaction_survey()
        return res

    def _tsq_send_satisfaction_survey(self):
        """Send the client the satisfaction survey of the accepted delivery (once)."""
        for acceptance in self.filtered(lambda a: a.state == "accepted"):
            if acceptance.tsq_survey_input_id:
                continue
            answer = (
                self.env["survey.user_input"]
                .sudo()
                ._tsq_invite(acceptance.service_id, "acceptance", acceptance=acceptance)
            )
            if answer:
                acceptance._system_write({"tsq_survey_input_id": answer.id})
        return True
