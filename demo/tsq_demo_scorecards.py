"""Demo staff scorecards: this year's and the last completed quarter's."""

from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models


class TsqDemoScorecards(models.AbstractModel):
    _name = "tsq.demo.scorecards"
    _description = "Demo Staff Scorecards Loader"

    @api.model
    def _tsq_demo_scorecards(self):
        """Demo: the scorecards of the current year and of the last completed quarter."""
        company = self.env.ref("base.main_company")
        Scorecard = self.env["tsq.staff.scorecard"]
        today = fields.Date.context_today(self)
        year_from, year_to = Scorecard._tsq_period_dates("year", today.year)
        Scorecard._tsq_compute(company, year_from, year_to, "year")
        quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        last_start = quarter_start - relativedelta(months=3)
        Scorecard._tsq_compute(company, last_start, quarter_start, "quarter")
        return True
