from odoo import api, fields, models
from odoo.exceptions import UserError

from ...lib.stages import OPEN_STAGES


class ProjectProject(models.Model):
    _inherit = "project.project"

    tsq_outsourcing_ids = fields.One2many("tsq.outsourcing", "service_id", string="Outsourced Work")
    tsq_supplier_alert = fields.Boolean(
        string="Supplier Alert",
        compute="_compute_tsq_supplier_alert",
        store=True,
        index=True,
        help="An open service outsources work to a supplier that is now suspended or disqualified.",
    )
    tsq_supplier_alert_note = fields.Char(
        string="Suspended Suppliers", compute="_compute_tsq_supplier_alert_note"
    )

    @api.depends("is_service", "service_stage", "tsq_outsourcing_ids.supplier_blocked")
    def _compute_tsq_supplier_alert(self):
        for service in self:
            service.tsq_supplier_alert = bool(
                service.is_service
                and service.service_stage in OPEN_STAGES
                and any(service.tsq_outsourcing_ids.mapped("supplier_blocked"))
            )

    @api.depends("tsq_supplier_alert")
    def _compute_tsq_supplier_alert_note(self):
        for service in self:
            blocked = service.tsq_outsourcing_ids.filtered("supplier_blocked")
            service.tsq_supplier_alert_note = (
                ", ".join(blocked.partner_id.mapped("display_name"))
                if service.tsq_supplier_alert
                else False
            )

    def write(self, vals):
        if "tsq_supplier_alert" in vals and not self.env.su:
            raise UserError(
                self.env._("The supplier alert follows the suppliers' status; it cannot be set.")
            )
        return super().write(vals)
