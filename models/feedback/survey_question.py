from odoo import fields, models


class SurveyQuestion(models.Model):
    _inherit = "survey.question"

    tsq_is_satisfaction = fields.Boolean(
        string="Overall Satisfaction (indicator 1)",
        help="The answer to this 1–5 scale question is the client's satisfaction score "
        "recorded as feedback for the customer satisfaction indicator.",
    )
