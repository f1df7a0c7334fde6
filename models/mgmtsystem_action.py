from odoo import fields, models


class MgmtsystemAction(models.Model):
    _inherit = "mgmtsystem.action"

    tsq_ticket_id = fields.Many2one(
        "helpdesk.ticket",
        string="Source Complaint",
        readonly=True,
        index="btree_not_null",
        help="The valid complaint that proposed this action.",
    )
