from odoo import api, fields, models
from odoo.exceptions import UserError

from ...lib.stages import SERVICE_STAGES


class TsqGatePassage(models.Model):
    """The record of a stage change. Evidence: never edited, never deleted;
    a later passage (for instance a move back, with its reason) answers it."""

    _name = "tsq.gate.passage"
    _inherit = ["tsq.evidence.mixin"]
    _description = "Stage Gate Passage"
    _order = "date desc, id desc"
    _rec_name = "service_id"

    service_id = fields.Many2one(
        "project.project", required=True, ondelete="restrict", index=True, readonly=True
    )
    company_id = fields.Many2one(related="service_id.company_id", store=True, index=True)
    from_stage = fields.Selection(SERVICE_STAGES, required=True, readonly=True)
    to_stage = fields.Selection(SERVICE_STAGES, required=True, readonly=True)
    direction = fields.Selection(
        [
            ("forward", "Gate passed"),
            ("back", "Moved back"),
            ("decline", "Declined"),
            ("cancel", "Cancelled"),
        ],
        required=True,
        readonly=True,
    )
    user_id = fields.Many2one(
        "res.users", required=True, readonly=True, default=lambda self: self.env.user
    )
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    reason = fields.Text(readonly=True)
    summary = fields.Html(readonly=True, sanitize=True)
    item_ids = fields.Many2many(
        "tsq.gate.item", "tsq_gate_passage_item_rel", string="Checklist", readonly=True
    )
    attachment_ids = fields.Many2many(
        "ir.attachment", "tsq_gate_passage_attachment_rel", string="Evidence", readonly=True
    )

    def write(self, vals):
        if vals:
            raise UserError(
                self.env._("A gate passage is a record of what happened and cannot be changed.")
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_record(self):
        raise UserError(self.env._("A gate passage is a record and cannot be deleted."))
