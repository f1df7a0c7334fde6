"""Demo management review: the review of the last completed quarter."""

from odoo import api, models

from ..lib.periods import last_ended as last_ended_period


class TsqDemoReview(models.AbstractModel):
    _name = "tsq.demo.review"
    _description = "Demo Management Review Loader"

    @api.model
    def _tsq_demo_review(self):
        """Demo: the review of the last completed quarter of the main company."""
        company = self.env.ref("base.main_company")
        Review = self.env["mgmtsystem.review"]
        _year, _index, date_from, date_to = last_ended_period("quarter", company._tsq_today())
        if Review.sudo().search_count(
            [
                ("company_id", "=", company.id),
                ("tsq_date_from", "=", date_from),
                ("tsq_date_to", "=", date_to),
            ]
        ):
            return
        review = Review.sudo()._tsq_create_for_period(company, "quarter", date_from, date_to)
        review.write(
            {
                "policy": "<p>质量方针：客户至上、科学公正、规范高效、持续改进。</p>",
                "changes": "<p>本季度新增技术转让类服务；团体标准《科技服务机构服务规范》"
                "核心评价指标纳入季度考核。</p>",
            }
        )
