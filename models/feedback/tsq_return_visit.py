from odoo import api, fields, models

from ..core.res_company import in_agency_language
from ..core.tsq_concurrency import claim_rows


class TsqReturnVisit(models.Model):
    _inherit = "tsq.return.visit"

    tsq_survey_input_id = fields.Many2one(
        "survey.user_input", string="Satisfaction Survey", readonly=True, copy=False
    )
    tsq_survey_state = fields.Selection(related="tsq_survey_input_id.state", string="Survey")

    def _tsq_system_fields(self):
        return super()._tsq_system_fields() | {"tsq_survey_input_id"}

    @api.model
    @in_agency_language
    def _cron_tsq_send_satisfaction_surveys(self, batch_size=200):
        """Send the satisfaction survey for the return visits that fall due: due
        today or earlier (company time), not done, not invited yet. Safe to run
        twice: a visit is invited once."""
        candidates = self.sudo().search(
            [
                ("done_at", "=", False),
                ("tsq_survey_input_id", "=", False),
                ("due_date", "<=", fields.Date.add(fields.Date.today(), days=1)),
            ],
            order="due_date, id",
        )
        today = {}
        due = self.browse()
        for visit in candidates:
            company = visit.company_id
            if company not in today:
                today[company] = fields.Date.context_today(visit.with_context(tz=company._tsq_tz()))
            if visit.due_date <= today[company] and visit._is_answerable():
                due |= visit
        batch, rest = due[:batch_size], due[batch_size:]
        # invited once, by the run (of several servers) that claims the visit
        batch = claim_rows(batch).filtered(lambda v: not v.done_at and not v.tsq_survey_input_id)
        for visit in batch:
            answer = (
                self.env["survey.user_input"]
                .sudo()
                ._tsq_invite(
                    visit.service_id, "return_visit", acceptance=visit.acceptance_id, visit=visit
                )
            )
            if answer:
                visit.sudo().write({"tsq_survey_input_id": answer.id})
        self.env["ir.cron"]._notify_progress(done=len(batch), remaining=len(rest))
        return batch
