from odoo import fields, models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    service_id = fields.Many2one(
        "project.project",
        domain=[("is_service", "=", True)],
        index=True,
        tracking=True,
        help="The service this request or complaint is about.",
    )
