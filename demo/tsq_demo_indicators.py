"""Demo indicator figures: the months of the last year."""

from dateutil.relativedelta import relativedelta

from odoo import api, models

from ..models.core.res_company import in_agency_language


class TsqDemoIndicators(models.AbstractModel):
    _name = "tsq.demo.indicators"
    _description = "Demo Indicator Figures Loader"

    @api.model
    @in_agency_language
    def _tsq_demo_indicators(self):
        """Demo: the monthly figures of the last twelve months, computed and closed
        as the nightly job would."""
        Snapshot = self.env["tsq.indicator.snapshot"]
        for company in Snapshot._tsq_service_companies():
            today = company._tsq_today()
            first = today.replace(day=1) - relativedelta(months=11)
            Snapshot._tsq_ensure_months(company, first, today)
            Snapshot._tsq_cron_compute()
