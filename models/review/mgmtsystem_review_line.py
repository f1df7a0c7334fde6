from odoo import fields, models


class MgmtsystemReviewLine(models.Model):
    _inherit = "mgmtsystem.review.line"

    tsq_key = fields.Char(
        string="Pack Item",
        readonly=True,
        index="btree_not_null",
        help="The item of the review pack (decision to take) this line was made from.",
    )
