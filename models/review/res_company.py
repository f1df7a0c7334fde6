from odoo import fields, models

from .mgmtsystem_review import REVIEW_INTERVALS


# ----------------------------------------------------------------------- models
class ResCompany(models.Model):
    _inherit = "res.company"

    tsq_review_interval = fields.Selection(
        REVIEW_INTERVALS,
        string="Management Review Interval",
        default="quarter",
        required=True,
        help="How often a management review is prepared: when such a period has "
        "ended, the scheduled action creates its review with the input pack.",
    )
