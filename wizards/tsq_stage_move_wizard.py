from odoo import api, fields, models
from odoo.exceptions import UserError

from ..lib.stages import GATE_STAGES, STAGE_ORDER


class TsqStageMoveWizard(models.TransientModel):
    _name = "tsq.stage.move.wizard"
    _description = "Move a Service Back, Cancel or Close It"

    service_id = fields.Many2one("project.project", required=True)
    mode = fields.Selection(
        [("back", "Move back"), ("cancel", "Cancel the service")], required=True, default="back"
    )
    current_stage = fields.Selection(related="service_id.service_stage")
    target_stage = fields.Selection(GATE_STAGES, string="Back to")
    reason = fields.Text(required=True)

    @api.onchange("service_id", "mode")
    def _onchange_target(self):
        if self.mode == "back" and self.service_id.service_stage in STAGE_ORDER:
            index = STAGE_ORDER.index(self.service_id.service_stage)
            self.target_stage = STAGE_ORDER[index - 1] if index > 0 else False

    def action_confirm(self):
        self.ensure_one()
        if self.mode == "cancel":
            target = "cancelled"
        else:
            target = self.target_stage
            if not target:
                raise UserError(self.env._("Choose the stage to move back to."))
        self.service_id.with_context(tsq_stage_reason=self.reason).write({"service_stage": target})
        return {"type": "ir.actions.act_window_close"}
