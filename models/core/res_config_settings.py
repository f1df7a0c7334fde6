from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    tsq_calendar_id = fields.Many2one(related="company_id.tsq_calendar_id", readonly=False)
    tsq_day_limit_end = fields.Selection(related="company_id.tsq_day_limit_end", readonly=False)
    tsq_calendar_guard_month = fields.Integer(
        related="company_id.tsq_calendar_guard_month", readonly=False
    )
    tsq_calendar_guard_day = fields.Integer(
        related="company_id.tsq_calendar_guard_day", readonly=False
    )
    tsq_expiry_first_days = fields.Integer(
        related="company_id.tsq_expiry_first_days", readonly=False
    )
    tsq_expiry_second_days = fields.Integer(
        related="company_id.tsq_expiry_second_days", readonly=False
    )
    tsq_supplier_reevaluation_months = fields.Integer(
        related="company_id.tsq_supplier_reevaluation_months", readonly=False
    )
    tsq_undertaking_months = fields.Integer(
        related="company_id.tsq_undertaking_months", readonly=False
    )
