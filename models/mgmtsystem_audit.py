from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from .res_company import in_agency_language
from .tsq_concurrency import lock_for_decision

# The processes an internal audit covers: the six lifecycle stages and the
# supporting processes of the standard.
AUDIT_PROCESSES = [
    ("s1", "S1 Reception & needs"),
    ("s2", "S2 Service plan"),
    ("s3", "S3 Contract"),
    ("s4", "S4 Implementation"),
    ("s5", "S5 Delivery & acceptance"),
    ("s6", "S6 After-sales"),
    ("complaints", "Complaint handling"),
    ("suppliers", "Suppliers and outsourcing"),
    ("staff", "Staff competence"),
]
PLAN_LOCKED_FIELDS = {"name", "year", "company_id"}


class MgmtsystemAudit(models.Model):
    _inherit = "mgmtsystem.audit"

    def init(self):
        res = super().init()
        # audits of the product's plans filed before the system field was set
        system = self.env.ref(
            "tech_service_quality.mgmtsystem_system_service_quality", raise_if_not_found=False
        )
        if system:
            self.env.cr.execute(
                "UPDATE mgmtsystem_audit SET system_id = %s"
                " WHERE system_id IS NULL AND tsq_plan_id IS NOT NULL",
                [system.id],
            )
        return res

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("system_id"):
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["system_id"] = company._tsq_mgmtsystem().id
        return super().create(vals_list)

    tsq_plan_id = fields.Many2one(
        "tsq.audit.plan",
        string="Audit Plan",
        index="btree_not_null",
        ondelete="restrict",
        tracking=True,
    )
    tsq_process = fields.Selection(AUDIT_PROCESSES, string="Process Audited", tracking=True)
    tsq_service_category_id = fields.Many2one(
        "tsq.service.category", string="Service Category Audited", tracking=True
    )
    tsq_finding_ids = fields.One2many("tsq.audit.finding", "audit_id", string="Findings")
    tsq_finding_count = fields.Integer(
        compute="_compute_tsq_finding_count", string="Number of Findings"
    )

    @api.depends("tsq_finding_ids")
    def _compute_tsq_finding_count(self):
        counts = dict(
            self.env["tsq.audit.finding"]._read_group(
                [("audit_id", "in", self.ids)], ["audit_id"], ["__count"]
            )
        )
        for audit in self:
            audit.tsq_finding_count = counts.get(audit, 0)

    @api.constrains("tsq_plan_id", "company_id")
    def _check_tsq_plan_company(self):
        for audit in self:
            plan = audit.tsq_plan_id
            if plan and audit.company_id and plan.company_id != audit.company_id:
                raise ValidationError(
                    self.env._(
                        "The audit %(audit)s and its plan %(plan)s belong to different companies.",
                        audit=audit.display_name,
                        plan=plan.display_name,
                    )
                )

    def button_close(self):
        """Closing the audit raises its nonconformity findings as nonconformities
        and proposes the action of its nonconformity and improvement findings
        (corrective or improvement; each once). Observations are left to the
        auditor's judgement (buttons on the finding)."""
        res = super().button_close()
        for finding in self.sudo().tsq_finding_ids:
            if finding.kind == "nonconformity" and not finding.nonconformity_id:
                finding.action_raise_nonconformity()
            if finding.kind in ("nonconformity", "improvement") and not finding.action_id:
                finding.action_propose_action()
        return res

    def action_tsq_open_findings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tech_service_quality.tsq_audit_finding_action"
        )
        action["domain"] = [("audit_id", "=", self.id)]
        action["context"] = {"default_audit_id": self.id}
        return action


class TsqAuditPlan(models.Model):
    """The yearly internal audit programme (年度内审计划, R6.2): the audits planned
    per process and service category, approved by the Quality Manager, and how
    much of the lifecycle and of the categories it covers (planned and audited)."""

    _name = "tsq.audit.plan"
    _description = "Internal Audit Plan"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "year desc, id desc"

    name = fields.Char(required=True, tracking=True)
    year = fields.Integer(
        required=True, default=lambda self: fields.Date.context_today(self).year, tracking=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    objectives = fields.Html(string="Objectives and Criteria")
    state = fields.Selection(
        [("draft", "Draft"), ("approved", "Approved")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    approved_at = fields.Datetime(readonly=True, copy=False)
    audit_ids = fields.One2many("mgmtsystem.audit", "tsq_plan_id", string="Audits")
    audit_count = fields.Integer(compute="_compute_coverage")
    audit_done_count = fields.Integer(compute="_compute_coverage", string="Audits Done")
    finding_count = fields.Integer(compute="_compute_coverage", string="Findings")
    process_planned_rate = fields.Float(
        compute="_compute_coverage",
        string="Processes Planned (%)",
        help="Share of the lifecycle and supporting processes with at least one audit in the plan.",
    )
    process_audited_rate = fields.Float(
        compute="_compute_coverage",
        string="Processes Audited (%)",
        help="Share of the processes with at least one closed audit.",
    )
    unplanned_processes = fields.Char(compute="_compute_coverage", string="Processes Not Planned")
    coverage_html = fields.Html(compute="_compute_coverage", string="Coverage", sanitize=False)

    _sql_constraints = [
        (
            "year_company_uniq",
            "unique(company_id, year)",
            "A company has one internal audit plan per year.",
        ),
        ("year_range", "CHECK(year BETWEEN 2000 AND 2999)", "Give the plan's year."),
    ]

    @api.depends(
        "audit_ids.state",
        "audit_ids.tsq_process",
        "audit_ids.tsq_service_category_id",
        "audit_ids.tsq_finding_ids",
        "company_id",
    )
    def _compute_coverage(self):
        process_labels = dict(
            self.env["mgmtsystem.audit"]._fields["tsq_process"]._description_selection(self.env)
        )
        all_categories = self.env["tsq.service.category"].search(
            ["|", ("company_id", "=", False), ("company_id", "in", self.company_id.ids)]
        )
        for plan in self:
            audits = plan.audit_ids
            done = audits.filtered(lambda a: a.state == "done")
            planned_proc = set(audits.mapped("tsq_process")) - {False}
            audited_proc = set(done.mapped("tsq_process")) - {False}
            plan.audit_count = len(audits)
            plan.audit_done_count = len(done)
            plan.finding_count = len(audits.tsq_finding_ids)
            total = len(AUDIT_PROCESSES)
            plan.process_planned_rate = 100.0 * len(planned_proc) / total
            plan.process_audited_rate = 100.0 * len(audited_proc) / total
            plan.unplanned_processes = ", ".join(
                process_labels[code] for code, _label in AUDIT_PROCESSES if code not in planned_proc
            )
            categories = all_categories.filtered(
                lambda c, company=plan.company_id: not c.company_id or c.company_id == company
            )
            rows = [
                (process_labels[code], audits.filtered(lambda a, c=code: a.tsq_process == c))
                for code, _label in AUDIT_PROCESSES
            ]
            rows += [
                (
                    category.display_name,
                    audits.filtered(lambda a, c=category: a.tsq_service_category_id == c),
                )
                for category in categories
            ]
            plan.coverage_html = plan._tsq_coverage_table(rows)

    def _tsq_coverage_table(self, rows):
        """An HTML table: for each process and category, its planned and closed audits."""
        yes, no = Markup("&#10003;"), Markup("&#8212;")
        header = Markup(
            "<table class='table table-sm o_tsq_audit_coverage'><thead><tr>"
            "<th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>"
        ) % (
            self.env._("Process / service category"),
            self.env._("Planned"),
            self.env._("Audited"),
            self.env._("Audits"),
        )
        body = Markup()
        for label, audits in rows:
            done = audits.filtered(lambda a: a.state == "done")
            css = "" if audits else " class='text-muted'"
            body += Markup("<tr%s><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>") % (
                Markup(css),
                label,
                yes if audits else no,
                yes if done else no,
                ", ".join(a.reference or a.name or "" for a in audits),
            )
        return header + body + Markup("</tbody></table>")

    @api.depends("name", "year")
    def _compute_display_name(self):
        for plan in self:
            plan.display_name = plan.name or str(plan.year)

    # ------------------------------------------------------------------- CRUD
    def write(self, vals):
        if not self.env.su and PLAN_LOCKED_FIELDS & set(vals):
            approved = self.filtered(lambda p: p.state == "approved")
            if approved:
                raise UserError(
                    self.env._(
                        "The audit plan %(plan)s is approved: reset it to draft to change it.",
                        plan=approved[0].display_name,
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        if self.filtered(lambda p: p.state == "approved"):
            raise UserError(self.env._("An approved audit plan cannot be deleted."))

    # ---------------------------------------------------------------- actions
    def _tsq_check_quality_manager(self):
        if not (
            self.env.su or self.env.user.has_group("tech_service_quality.group_tsq_quality_manager")
        ):
            raise AccessError(self.env._("Only a Quality Manager approves an audit plan."))
        self.check_access("write")

    def action_approve(self):
        """The Quality Manager approves the plan: it needs at least one audit."""
        self._tsq_check_quality_manager()
        lock_for_decision(self)
        for plan in self:
            if plan.state != "draft":
                raise UserError(self.env._("This audit plan is already approved."))
            if not plan.audit_ids:
                raise UserError(self.env._("Plan at least one audit before approving the plan."))
            plan.sudo().write(
                {
                    "state": "approved",
                    "approved_by_id": self.env.uid,
                    "approved_at": fields.Datetime.now(),
                }
            )
            body = self.env._("Audit plan approved.")
            if plan.unplanned_processes:
                body = self.env._(
                    "Audit plan approved. Processes not planned this year: %(processes)s.",
                    processes=plan.unplanned_processes,
                )
            plan.message_post(body=body, subtype_xmlid="mail.mt_note")
        return True

    def action_reset_draft(self):
        self._tsq_check_quality_manager()
        self.sudo().write({"state": "draft", "approved_by_id": False, "approved_at": False})
        for plan in self:
            plan.message_post(
                body=self.env._("Audit plan reset to draft."), subtype_xmlid="mail.mt_note"
            )
        return True

    def action_open_audits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tech_service_quality.mgmtsystem_audit_action_tsq"
        )
        action["domain"] = [("tsq_plan_id", "=", self.id)]
        action["context"] = {
            "default_tsq_plan_id": self.id,
            "default_company_id": self.company_id.id,
        }
        return action

    def action_open_findings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tech_service_quality.tsq_audit_finding_action"
        )
        action["domain"] = [("audit_id.tsq_plan_id", "=", self.id)]
        return action


# ---------------------------------------------------------------------- demo
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


class TsqEvaluationDemo(models.AbstractModel):
    _name = "tsq.evaluation.demo"
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
