from odoo import fields, models

from .tsq_sla_policy import TICKET_KINDS


class HelpdeskTicketCategory(models.Model):
    _inherit = "helpdesk.ticket.category"

    tsq_kind = fields.Selection(
        TICKET_KINDS,
        string="Request Kind",
        help="Complaint: the ticket is handled as a complaint (R6.4 of the standard: "
        "response within 24 hours, handling with feedback within 7 working days). "
        "After-sales request: counted by the response-timeliness indicator.",
    )
