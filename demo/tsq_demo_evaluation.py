from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..models.core.res_company import in_agency_language

DEMO_MODULE = "tech_service_quality"


DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


# (score, comment) of the demo clients' acceptance surveys, by service category
# (the first accepted delivery of each); the others still await an answer.
DEMO_SURVEY_ANSWERS = {
    "POL": (5, "辅导细致，申报材料一次通过形式审查。"),
    "IP": (4, "代理师沟通及时，答复审查意见思路清晰。"),
    "TT": (5, "对接的合作方很匹配，后续希望继续合作。"),
    "TIC": (3, "检测周期比预期长，报告修改来回两次。"),
    "RD": (5, "散热方案效果超出预期。"),
    "DX": (4, "诊断报告很专业，实施规划可以再细化一些。"),
    "FIN": (5, "融资对接效率高。"),
    "INC": (4, ""),
}


class TsqDemoEvaluation(models.AbstractModel):
    _name = "tsq.demo.evaluation"
    _description = "Evaluation Demo Loader"

    @api.model
    @in_agency_language
    def _tsq_demo_evaluation(self):
        """The demo agency's evaluation records: this year's internal audit plan
        (an audit closed with three findings, two to come), a provincial
        third-party assessment, and the clients' answers to the acceptance
        satisfaction survey. Safe to run again."""
        env = self.env(
            context=dict(
                self.env.context,
                mail_notify_force_send=False,
                tz="Asia/Shanghai",
            )
        )
        demo = self.with_env(env)
        company = env.ref("base.main_company")
        today = fields.Date.context_today(demo)
        demo._tsq_demo_audits(company, today)
        demo._tsq_demo_external(company, today)
        demo._tsq_demo_surveys(company)
        return True

    def _tsq_demo_user(self, key):
        return self.env.ref(f"{DEMO_MODULE}.user_{key}_demo")

    def _tsq_demo_day(self, today, offset):
        """``today + offset`` days, kept within this year."""
        day = fields.Date.add(today, days=offset)
        return min(max(day, today.replace(month=1, day=2)), today.replace(month=12, day=28))

    def _tsq_demo_audits(self, company, today):
        Plan = self.env["tsq.audit.plan"]
        if Plan.search_count([("company_id", "=", company.id), ("year", "=", today.year)]):
            return
        quality = self._tsq_demo_user("zhao_min")
        chen, liu = self._tsq_demo_user("chen_jing"), self._tsq_demo_user("liu_yang")
        zhang = self._tsq_demo_user("zhang_wei")
        ip = self.env.ref(f"{DEMO_MODULE}.service_category_ip")
        plan = (
            Plan.with_user(quality)
            .with_company(company)
            .create(
                {
                    "name": f"{today.year} 年度内部审核计划",
                    "year": today.year,
                    "company_id": company.id,
                    "objectives": "<p>依据《科技服务机构服务规范》与本机构质量手册，"
                    "覆盖服务全流程（S1–S6）及投诉、供应商、人员管理过程；"
                    "审核结果纳入年度绩效考核与管理评审。</p>",
                }
            )
        )
        Audit = self.env["mgmtsystem.audit"].with_user(quality).with_company(company)
        specs = [
            ("交付验收与售后回访过程审核（S5–S6）", "s5", ip, -21, [chen], [liu, zhang]),
            ("投诉处理过程审核", "complaints", False, 12, [chen], [liu]),
            ("供应商与外包管理过程审核", "suppliers", False, 26, [quality], [chen]),
        ]
        audits = Audit.browse()
        for name, process, category, offset, auditors, auditees in specs:
            day = self._tsq_demo_day(today, offset)
            audits |= Audit.create(
                {
                    "name": name,
                    "date": f"{day} 01:30:00",
                    "user_id": quality.id,
                    "company_id": company.id,
                    "tsq_plan_id": plan.id,
                    "tsq_process": process,
                    "tsq_service_category_id": category and category.id,
                    "auditor_user_ids": [fields.Command.set([u.id for u in auditors])],
                    "auditee_user_ids": [fields.Command.set([u.id for u in auditees])],
                }
            )
        plan.with_user(quality).action_approve()
        done = audits[0]
        done.write(
            {
                "strong_points": "<p>验收单、交付物移交记录齐全，客户签字可追溯。</p>",
                "to_improve_points": "<p>回访记录中的客户改进建议缺少跟踪闭环。</p>",
            }
        )
        services = self.env["project.project"].search(
            [
                ("is_service", "=", True),
                ("company_id", "=", company.id),
                ("service_category_id", "=", ip.id),
                ("acceptance_ids.state", "=", "accepted"),
            ],
            order="id",
        )
        first, second = services[:1], services[1:2] or services[:1]
        employee = self.env["hr.employee"].search
        day = self._tsq_demo_day(today, -21)
        Finding = self.env["tsq.audit.finding"].with_user(quality)
        Finding.create(
            [
                {
                    "audit_id": done.id,
                    "date": day,
                    "kind": "nonconformity",
                    "name": "验收单未附客户签字页扫描件",
                    "clause": "R5 S5 交付与验收",
                    "service_id": first.id,
                    "employee_id": employee([("user_id", "=", first.user_id.id)], limit=1).id,
                    "description": "抽查 IP 类 3 个已验收项目，1 个项目的线下验收单仅有电子版，"
                    "未附客户签字盖章页扫描件，不符合验收记录要求。",
                },
                {
                    "audit_id": done.id,
                    "date": day,
                    "kind": "observation",
                    "name": "专利检索报告未注明检索式与数据库版本",
                    "clause": "R5 S4 服务实施",
                    "service_id": second.id,
                    "employee_id": self.env.ref(f"{DEMO_MODULE}.employee_zhang_wei_demo").id,
                    "description": "张伟出具的检索报告列明了检索结果，但未记录检索式与数据库版本，"
                    "结论难以复核；建议纳入检索报告模板。",
                },
                {
                    "audit_id": done.id,
                    "date": day,
                    "kind": "improvement",
                    "name": "回访记录增加客户建议跟踪栏",
                    "clause": "R5 S6 售后服务",
                    "description": "回访中客户提出的改进建议目前只记在备注里，"
                    "建议在回访记录中增加“建议—责任人—完成情况”跟踪栏，纳入月度质量例会。",
                },
            ]
        )
        done.with_user(quality).button_close()
        done.write({"closing_date": f"{self._tsq_demo_day(today, -19)} 08:00:00"})

    def _tsq_demo_external(self, company, today):
        Evaluation = self.env["tsq.external.evaluation"]
        name = f"{today.year} 年度科技服务机构服务质量评估"
        if Evaluation.search_count([("name", "=", name), ("company_id", "=", company.id)]):
            return
        quality = self._tsq_demo_user("zhao_min")
        evaluation = (
            Evaluation.with_user(quality)
            .with_company(company)
            .create(
                {
                    "name": name,
                    "body": "某省科学技术厅（委托某省科技评估中心实施）",
                    "date": self._tsq_demo_day(today, -60),
                    "company_id": company.id,
                    "scope": "上一评估年度承接的全部技术服务项目：抽查 12 个项目档案，"
                    "电话访谈客户 8 家，现场查看服务场所与制度文件。",
                    "score": 88.5,
                    "score_max": 100,
                    "conclusion": "良好（B 级）。服务流程规范、合同与验收记录完整，客户满意度较高；"
                    "售后回访与投诉分析有待加强。",
                    "findings": "1. 2 个项目的回访记录缺少客户意见原文；\n"
                    "2. 投诉处理台账未按月汇总分析；\n"
                    "3. 建议建立服务人员持证上岗台账的到期提醒。",
                    "attachment_ids": [
                        fields.Command.create(
                            {
                                "name": "服务质量评估报告.pdf",
                                "raw": DEMO_PDF,
                                "mimetype": "application/pdf",
                            }
                        )
                    ],
                }
            )
        )
        evaluation.action_record()
        evaluation.action_propose_action()

    def _tsq_demo_surveys(self, company):
        """Invite the clients of the accepted deliveries that have no invitation
        yet, let most of them answer (a day or two after accepting), and send the
        survey of the return visits that fell due."""
        Answer = self.env["survey.user_input"]
        acceptances = self.env["tsq.acceptance"].search(
            [("state", "=", "accepted"), ("company_id", "=", company.id)],
            order="decided_at, id",
        )
        answered_codes = set()
        for index, acceptance in enumerate(acceptances):
            mark = self._tsq_demo_max_message()
            if not acceptance.tsq_survey_input_id:
                acceptance._tsq_send_satisfaction_survey()
            answer = acceptance.tsq_survey_input_id
            if not answer:
                continue
            self._tsq_demo_date_messages(mark, acceptance.decided_at + timedelta(minutes=10))
            self._tsq_demo_set(answer, "create_date", acceptance.decided_at + timedelta(minutes=10))
            code = acceptance.service_category_id.code
            if code not in DEMO_SURVEY_ANSWERS or code in answered_codes:
                continue
            answered_codes.add(code)
            if answer.state == "done" or answer._tsq_existing_feedback():
                continue
            score, comment = DEMO_SURVEY_ANSWERS[code]
            survey = answer.survey_id
            overall = survey.question_ids.filtered("tsq_is_satisfaction")[:1]
            others = survey.question_ids.filtered(
                lambda q: q.question_type == "scale" and not q.tsq_is_satisfaction
            )
            answer._save_lines(overall, str(score))
            for question in others:
                answer._save_lines(question, str(max(score - (question.sequence // 30), 1)))
            text = survey.question_ids.filtered(lambda q: q.question_type == "text_box")[:1]
            if comment and text:
                answer._save_lines(text, comment)
            mark = self._tsq_demo_max_message()
            answer._mark_done()
            answered = min(
                acceptance.decided_at + timedelta(days=1 + index % 3, hours=2),
                fields.Datetime.now() - timedelta(hours=1),
            )
            self._tsq_demo_date_messages(mark, answered)
            self._tsq_demo_set(answer, "start_datetime", answered - timedelta(minutes=3))
            self._tsq_demo_set(answer, "end_datetime", answered)
            if answer.tsq_feedback_id:
                self._tsq_demo_set(answer.tsq_feedback_id, "submitted_at", answered)
                self._tsq_demo_set(answer.tsq_feedback_id, "create_date", answered)
        self.env["tsq.return.visit"]._cron_tsq_send_satisfaction_surveys()
        # the invitations of the story are not mailed to the demo clients
        answers = Answer.search([("tsq_service_id", "!=", False)])
        self.env["mail.mail"].sudo().search(
            [
                ("model", "=", "survey.user_input"),
                ("res_id", "in", answers.ids),
                ("state", "=", "outgoing"),
            ]
        ).unlink()
        self.env.flush_all()

    def _tsq_demo_max_message(self):
        self.env.flush_all()
        self.env.cr.execute("SELECT COALESCE(MAX(id), 0) FROM mail_message")
        return self.env.cr.fetchone()[0]

    def _tsq_demo_date_messages(self, after_id, when):
        """The chatter notes written since ``after_id`` happened at ``when`` (demo only)."""
        self.env.flush_all()
        self.env.cr.execute("UPDATE mail_message SET date = %s WHERE id > %s", (when, after_id))
        self.env["mail.message"].invalidate_model(["date"])

    def _tsq_demo_set(self, record, column, value):
        """Backdate a system-recorded moment of the demo story (demo only)."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE %s SET %s = %s WHERE id = %s",
                SQL.identifier(record._table),
                SQL.identifier(column),
                value,
                record.id,
            )
        )
        record.invalidate_recordset([column])
