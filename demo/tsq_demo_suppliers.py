from datetime import datetime, time, timedelta

from odoo import Command, api, fields, models
from odoo.tools import SQL

from ..models.core.res_company import in_agency_language

MODULE = "tech_service_quality"


# (supplier, type, title, number, issuing body, valid from, valid to) in days from
# today; valid to None: no end (a business licence "长期").
DOCUMENTS = [
    ("huace", "business_licence", "营业执照", "91320594MA1N7H2C3X", "苏州工业园区市场监督管理局", -3200, None),
    ("huace", "certification", "CNAS 实验室认可证书", "CNAS L12345", "中国合格评定国家认可委员会", -1800, 20),
    ("huace", "certification", "检验检测机构资质认定证书（CMA）", "211012345678", "江苏省市场监督管理局", -900, 560),
    ("zhiqiao", "business_licence", "营业执照", "91110108MA01ABCD2E", "北京市海淀区市场监督管理局", -2600, None),
    ("zhiqiao", "certification", "专利代理机构执业许可证", "11234", "国家知识产权局", -700, 300),
    ("zhiqiao", "certification", "ISO/IEC 27001 信息安全管理体系认证证书", "ISMS-2023-0456", "中国质量认证中心", -1110, -15),
    ("yunzhi", "business_licence", "营业执照", "91320214MA1X9Y8Z7W", "无锡市新吴区市场监督管理局", -2000, None),
    ("yunzhi", "certification", "CMMI 3 级评估证书", "CMMI-65432", "CMMI Institute", -500, 230),
    ("yitong", "business_licence", "营业执照", "91310106MA1FL5K3X2", "上海市静安区市场监督管理局", -4000, None),
    ("yitong", "capability", "翻译服务能力说明（专利与技术文献）", False, False, -400, 700),
    ("hefei", "business_licence", "营业执照", "91340100MA2N3P4Q5R", "合肥市高新区市场监督管理局", -1500, None),
    ("hefei", "certification", "资产评估资格证书", "34020045", "安徽省财政厅", -300, 900),
]  # fmt: skip


# (supplier, category code, valid from, valid to, scope); "soft": the category of
# the open demo service the software outsourcer works on. The last one is left to
# approve.
QUALIFICATIONS = [
    ("huace", "tic", -300, 430, "第三方检测（电性能、环境可靠性），出具 CNAS/CMA 报告。"),
    ("zhiqiao", "ip", -200, 530, "专利检索、查新、FTO 分析。"),
    ("yunzhi", "soft", -250, 480, "嵌入式软件与应用软件的定制开发、测试。"),
    ("yitong", "ip", -150, 580, "专利文献与技术资料的中英、中日翻译。"),
    ("yitong", "transfer", -150, 580, "技术转让合同与技术资料翻译。"),
    ("hefei", "transfer", 0, 730, "技术成果价值评估。"),
]


# Outsourced work delivered and accepted on demo services in S5/S6: (supplier,
# category code, work, part of the work, start, end, [(milestone, planned, done)]).
ACCEPTED_WORK = [
    (
        "huace",
        "tic",
        "耐热老化试验（150 ℃/1000 h）",
        "按 GB/T 7141 完成导热膜耐热老化试验，出具 CNAS 报告。",
        -75,
        -30,
        [("样品送检", -72, -72), ("试验报告", -32, -33)],
    ),
    (
        "yitong",
        "ip",
        "PCT 申请文件英文翻译",
        "说明书、权利要求书与摘要的中译英，术语与检索报告一致。",
        -110,
        -90,
        [("译稿初稿", -100, -99), ("术语审校与定稿", -91, -91)],
    ),
]


class TsqDemoSuppliers(models.AbstractModel):
    """Records the demo suppliers' qualification files through the real workflow
    (documents, approvals by the Quality Manager, evaluations confirmed by a Service
    Manager, outsourcing on open demo services, a suspension), with dates relative
    to the day the demo is installed, then moves the decisions back in time."""

    _name = "tsq.demo.suppliers"
    _description = "Demo Supplier Loader"

    @api.model
    @in_agency_language
    def _load_demo(self):
        yunzhi = self._ref("supplier_yunzhi_soft_demo")
        if not yunzhi or yunzhi.sudo().tsq_supplier_status_ids:
            return True
        backdates = []
        self.with_context(mail_notify_force_send=False)._record_demo(backdates)
        self._apply_backdates(backdates)
        # the reminders due today (a laboratory certificate expires within 30 days)
        self.env["res.partner"]._cron_tsq_supplier_expiry()
        return True

    def _record_demo(self, backdates):
        ref = self._ref
        yunzhi = ref("supplier_yunzhi_soft_demo")
        today = fields.Date.context_today(self)
        quality = ref("user_zhao_min_demo") or self.env.user
        manager = ref("user_liu_yang_demo") or self.env.user
        categories = {
            code: ref(f"service_category_{code}") for code in ("tic", "ip", "transfer", "rnd")
        }
        open_services = (
            self.env["project.project"]
            .sudo()
            .search([("is_service", "=", True), ("service_stage", "in", ["s4"])], order="id")
        )
        # the software outsourcer works on an open R&D service if there is one
        soft_service = (
            open_services.filtered(lambda s: s.service_category_id == categories["rnd"])[:1]
            or open_services[:1]
        )
        soft_category = soft_service.service_category_id or categories["rnd"]

        def later(table, records, column, offset_days):
            """Move ``column`` of ``records`` to ``offset_days`` from today, at the end:
            the story happened over the past months."""
            if offset_days:
                backdates.append((table, column, tuple(records.ids), offset_days))

        def day(offset):
            return today + timedelta(days=offset)

        suppliers = {
            "huace": ref("supplier_huace_lab_demo"),
            "zhiqiao": ref("supplier_zhiqiao_ip_demo"),
            "yunzhi": yunzhi,
            "yitong": ref("supplier_yitong_translation_demo"),
            "hefei": ref("supplier_hefei_valuation_demo"),
        }
        # ---------------------------------------------------------- documents
        Document = self.env["tsq.supplier.document"].with_user(manager)
        Document.create(
            [
                {
                    "partner_id": suppliers[key].id,
                    "doc_type": doc_type,
                    "name": name,
                    "number": number,
                    "issuer": issuer,
                    "valid_from": day(start),
                    "valid_to": end is not None and day(end),
                }
                for key, doc_type, name, number, issuer, start, end in DOCUMENTS
            ]
        )
        # ---------------------------------------- category qualifications
        Qualification = self.env["tsq.supplier.qualification"].with_user(manager)
        qualifications = Qualification.create(
            [
                {
                    "partner_id": suppliers[key].id,
                    "service_category_id": (categories.get(code) or soft_category).id,
                    "valid_from": day(start),
                    "valid_to": day(end),
                    "scope": scope,
                }
                for key, code, start, end, scope in QUALIFICATIONS
            ]
        )
        pending = qualifications.filtered(lambda q: q.partner_id == suppliers["hefei"])
        qualifications -= pending
        qualifications.with_user(quality).action_approve()
        later("tsq_supplier_qualification", qualifications, "approved_at", -120)
        approvals = self.env["tsq.supplier.status"].search(
            [("partner_id", "in", qualifications.partner_id.ids)]
        )
        later("tsq_supplier_status", approvals, "decided_at", -120)

        # ------------------------------------------- supplier status decisions
        def decide(partner, status, reason, offset):
            history = partner.with_user(quality)._tsq_set_supplier_status(status, reason)
            later("tsq_supplier_status", history, "decided_at", offset)
            later("res_partner", partner, "tsq_supplier_status_at", offset)

        decide(suppliers["huace"], "qualified", "资质齐全，现场审核通过（2 名审核员）。", -118)
        decide(suppliers["yitong"], "qualified", "试译稿质量合格，保密协议已签。", -117)
        decide(suppliers["yunzhi"], "qualified", "CMMI 3 级，试点项目验收合格。", -116)
        decide(
            suppliers["zhiqiao"],
            "conditional",
            "检索能力满足要求；ISO 27001 证书即将到期，须在换证后提交新证书。",
            -115,
        )

        # --------------------------------------------------- outsourced work
        if soft_service:
            Outsourcing = self.env["tsq.outsourcing"].with_user(manager)
            Outsourcing.create(
                {
                    "name": "均衡控制嵌入式软件开发与单元测试",
                    "service_id": soft_service.id,
                    "partner_id": yunzhi.id,
                    "work_description": "按算法设计说明书完成均衡控制模块的嵌入式实现、"
                    "单元测试与代码走查，交付源代码与测试报告。",
                    "date_start": day(-40),
                    "date_end": day(50),
                    "agreement_ref": "WB-2026-012",
                    "monitor_id": soft_service.user_id.id or manager.id,
                    "milestone_ids": [
                        Command.create(
                            {
                                "name": "模块设计评审",
                                "planned_date": day(-25),
                                "done_date": day(-24),
                            }
                        ),
                        Command.create({"name": "代码与单元测试交付", "planned_date": day(-5)}),
                        Command.create({"name": "联调问题关闭", "planned_date": day(35)}),
                    ],
                }
            )
        # work already delivered and accepted, on services further on
        later_services = (
            self.env["project.project"]
            .sudo()
            .search([("is_service", "=", True), ("service_stage", "in", ["s5", "s6"])], order="id")
        )
        for key, code, name, description, start, end, milestones in ACCEPTED_WORK:
            service = later_services.filtered(
                lambda s, c=code: s.service_category_id == categories[c]
            )[:1]
            if not service:
                continue
            work = (
                self.env["tsq.outsourcing"]
                .with_user(manager)
                .create(
                    {
                        "name": name,
                        "service_id": service.id,
                        "partner_id": suppliers[key].id,
                        "work_description": description,
                        "date_start": day(start),
                        "date_end": day(end),
                        "agreement_ref": f"WB-2026-{service.id:03d}",
                        "monitor_id": service.user_id.id or manager.id,
                        "milestone_ids": [
                            Command.create(
                                {
                                    "name": label,
                                    "planned_date": day(planned),
                                    "done_date": day(done),
                                }
                            )
                            for label, planned, done in milestones
                        ],
                        "acceptance_result": "accepted",
                        "acceptance_note": "交付物与原始记录核对一致，满足委托要求。",
                    }
                )
            )
            work.with_user(service.user_id or manager).action_record_acceptance()
            later("tsq_outsourcing", work, "accepted_at", end + 1)

        # ------------------------------------------------------- evaluations
        Evaluation = self.env["tsq.supplier.evaluation"].with_user(manager)
        scores = {
            "huace": (95, 92, 90, 94, "报告质量稳定，周期短。"),
            "yitong": (72, 70, 75, 68, "术语一致性有待提高。"),
            "zhiqiao": (86, 80, 82, 78, "检索全面；证书管理需加强。"),
            "yunzhi": (50, 40, 65, 60, "代码缺陷率高，两次节点延期，人员变动未及时告知。"),
        }
        criteria = self.env["tsq.supplier.criterion"].search([("active", "=", True)])
        evaluations = self.env["tsq.supplier.evaluation"]
        for key, (quality_s, time_s, coop_s, comp_s, comment) in scores.items():
            by_code = {
                "quality": quality_s,
                "timeliness": time_s,
                "cooperation": coop_s,
                "compliance": comp_s,
            }
            evaluations |= Evaluation.create(
                {
                    "partner_id": suppliers[key].id,
                    "date_from": day(-181),
                    "date_to": day(-1),
                    "comments": comment,
                    "line_ids": [
                        Command.create(
                            {
                                "criterion_id": criterion.id,
                                "weight": criterion.weight,
                                "score": by_code.get(criterion.code, 80),
                            }
                        )
                        for criterion in criteria
                    ],
                }
            )
        evaluations.action_confirm()  # the software outsourcer's grade D proposes its suspension
        decide(
            yunzhi,
            "suspended",
            "半年度评价 D 级（51.75 分）：代码缺陷率高、节点延期。暂停新增委托，"
            "在建项目由项目负责人评估是否收回。",
            0,
        )
        return True

    # ---------------------------------------------------------------- helpers
    def _ref(self, name):
        return self.env.ref(f"{MODULE}.{name}", raise_if_not_found=False)

    def _apply_backdates(self, backdates):
        today = fields.Date.context_today(self)
        self.env.flush_all()
        for table, column, ids, offset in backdates:
            when = datetime.combine(today + timedelta(days=offset), time(2, 0))
            self.env.cr.execute(
                SQL(
                    "UPDATE %s SET %s = %s WHERE id IN %s",
                    SQL.identifier(table),
                    SQL.identifier(column),
                    when,
                    ids,
                )
            )
        self.env.invalidate_all()
