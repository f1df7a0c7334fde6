from odoo import fields, models

from .survey_user_input import SATISFACTION_SURVEY_XMLID


class ResCompany(models.Model):
    _inherit = "res.company"

    tsq_satisfaction_survey_id = fields.Many2one(
        "survey.survey",
        string="Client Satisfaction Survey",
        help="Survey sent to clients at acceptance and at the return visit. Its 1–5 "
        "scale question flagged as overall satisfaction gives the score. Empty: the "
        "survey shipped with the module.",
    )

    def _tsq_satisfaction_survey(self):
        self.ensure_one()
        survey = self.sudo().tsq_satisfaction_survey_id or self.env.ref(
            SATISFACTION_SURVEY_XMLID, raise_if_not_found=False
        )
        return survey.sudo() if survey and survey.active else self.env["survey.survey"]
