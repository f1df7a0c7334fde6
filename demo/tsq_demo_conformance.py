from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, models


class TsqDemoConformance(models.AbstractModel):
    _name = "tsq.demo.conformance"
    _description = "Demo Conformance Loader"

    @api.model
    def _tsq_demo_conformance(self):
        """Demo: last year's finished self-assessment, and this year's external
        assessment by the association's evaluator (an open grant, one finding)."""
        company = self.env.ref("base.main_company")
        quality = self.env.ref("tech_service_quality.user_zhao_min_demo")
        evaluator = self.env.ref("tech_service_quality.user_evaluator_demo")
        if self.env["res.lang"]._get_data(code="zh_CN"):
            # the clauses' Chinese names (data) before the texts that quote them
            self.env["ir.module.module"]._load_module_terms(["tech_service_quality"], ["zh_CN"])
        today = company._tsq_today()
        Assessment = self.env["tsq.conformance.assessment"].with_user(quality).with_company(company)
        if Assessment.search_count([("company_id", "=", company.id)]):
            return
        own = Assessment.create(
            {
                "company_id": company.id,
                "kind": "self",
                "date_from": date(today.year - 1, 1, 1),
                "date_to": date(today.year - 1, 12, 31),
                "head_name": "陈国华",
                "comment": "上年度服务业务量较小，多数条款无可判定记录；管理评审与内部审核"
                "未按计划开展，已列入本年度改进措施。",
            }
        )
        own.action_compute()
        own.action_finish()

        body = "江苏省科技服务业协会"
        self.env["tsq.evaluator.grant"].with_user(quality).create(
            {
                "user_id": evaluator.id,
                "company_id": company.id,
                "body": body,
                "purpose": "年度科技服务机构服务规范符合性评价（会员单位星级评定）。",
                "date_from": today - relativedelta(days=7),
                "date_to": today + relativedelta(days=60),
            }
        )
        external = Assessment.create(
            {
                "company_id": company.id,
                "kind": "external",
                "date_from": date(today.year, 1, 1),
                "date_to": today,
                "assessor_id": evaluator.id,
                "evaluator_body": body,
                "head_name": "陈国华",
                "comment": "该机构服务流程各阶段关口控制有效，记录完整；回访与投诉处理"
                "时效需进一步提高。",
            }
        )
        external.action_compute()
        clause = self.env.ref("tech_service_quality.conformance_clause_r5_s6")
        self.env["tsq.conformance.finding"].with_user(evaluator).create(
            {
                "assessment_id": external.id,
                "clause_id": clause.id,
                "kind": "observation",
                "description": "抽查的已验收服务中，个别回访超出约定期限。",
            }
        )
        external.action_finish()
