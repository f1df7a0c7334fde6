"""Demo improvement actions: some proposed actions carried through Plan, Do,
Check and Act by their owners and the Quality Manager."""

from datetime import timedelta

from odoo import api, fields, models

from ..models.core.res_company import in_agency_language


class TsqDemoPdca(models.AbstractModel):
    _name = "tsq.demo.pdca"
    _description = "Demo Improvement Actions Loader"

    @api.model
    @in_agency_language
    def _tsq_demo_pdca(self):
        """Demo: fill some proposed actions through Plan, Do, Check and Act the way
        the owners and the Quality Manager would, and leave one overdue."""
        Action = self.env["mgmtsystem.action"].sudo()
        if Action.search_count([("tsq_cause", "!=", False)]):
            return
        quality = self.env.ref("tech_service_quality.user_zhao_min_demo", raise_if_not_found=False)
        if not quality:
            return
        today = self.env["mgmtsystem.action"]._tsq_today()
        stage_open = self.env.ref("mgmtsystem_action.stage_open")
        stage_close = self.env.ref("mgmtsystem_action.stage_close")

        def first(kind):
            return Action.search([("tsq_source_kind", "=", kind)], order="id", limit=1)

        # demo content written by people, not interface strings
        complaint = Action.search(
            [("tsq_ticket_id.name", "ilike", "网关")], order="id", limit=1
        ) or first("complaint")
        if complaint:
            owner = complaint.with_user(complaint.user_id)
            owner.write(
                {
                    "tsq_cause": "现场实施清单缺少交换机 VLAN 核对项；固件升级后未做回归测试，"
                    "网关在节前负载高峰反复掉线。",
                    "tsq_measures": "1. 实施清单增加“网络 VLAN 核对”与“升级后 72 小时回归”两项；\n"
                    "2. 对 2026 年已交付的 6 个网关项目逐一复核 VLAN 配置；\n"
                    "3. 组织一次现场实施规范培训。",
                    "date_deadline": today - timedelta(days=40),
                }
            )
            complaint.with_user(quality).write({"stage_id": stage_open.id})
            owner.write(
                {
                    "tsq_do_notes": "清单已修订并发布；6 个项目复核完成，发现并纠正 1 处配置；"
                    "培训 11 人次，签到表已归档。",
                    "tsq_done_at": fields.Datetime.now() - timedelta(days=65),
                }
            )
            category = complaint.tsq_ticket_id.service_id.service_category_id
            templates = self.env["tsq.gate.template"].search(
                [("category_id", "=", category.id), ("stage", "=", "s5")], limit=1
            )
            procedure = (
                self.env["document.page"]
                .sudo()
                .create(
                    {
                        "name": "现场实施作业指导书（B 版）",
                        "type": "content",
                        "parent_id": self.env.ref(
                            "document_page_procedure.document_page_group_procedure"
                        ).id,
                        "content": "<h1>目的</h1><p>规范数据采集网关等设备的现场实施。</p>"
                        "<h1>过程</h1><p>实施前核对交换机 VLAN 配置；固件升级后连续运行 72 小时"
                        "回归测试，记录存入实施日志。</p>",
                    }
                )
            )
            complaint.with_user(quality).write(
                {
                    "tsq_effective": "effective",
                    "tsq_check_evidence": "此后两个月同类网关项目 4 个，验收一次通过，"
                    "未再收到掉线投诉；客户回访评分 5 分。",
                    "tsq_act_description": "《现场实施作业指导书》修订为 B 版；交付核查清单"
                    "要求附网络核对与 72 小时回归记录。",
                    "tsq_procedure_id": procedure.id,
                    "tsq_gate_template_ids": [fields.Command.set(templates.ids)],
                }
            )
            complaint.with_user(quality).write({"stage_id": stage_close.id})
        supplier = first("supplier_evaluation")
        if supplier:
            supplier.with_user(quality).write(
                {
                    "tsq_cause": "外包方测试人员流动大，未执行我方提供的测试用例，"
                    "交付物缺陷率高且两次延期。",
                    "tsq_measures": "1. 约谈外包方负责人，要求提交整改计划；\n"
                    "2. 后续外包合同增加测试用例执行记录与延期违约条款；\n"
                    "3. 整改期内每个里程碑由我方工程师抽检。",
                    "date_deadline": today - timedelta(days=10),
                    "stage_id": stage_open.id,
                    "tsq_do_notes": "已约谈并收到整改计划，合同模板修订中。",
                }
            )
        objection = first("objection")
        if objection:
            objection.with_user(quality).write(
                {
                    "tsq_cause": "报告签发前的校核只核对数据，未与送样单核对样品编号和试验条件。",
                    "tsq_measures": "报告校核记录表增加“样品编号、试验环境条件与送样单一致”一项；"
                    "签发人抽查比例由 10% 提高到 30%。",
                    "date_deadline": today + timedelta(days=30),
                    "stage_id": stage_open.id,
                }
            )
        # the supplier action is overdue: its owner is reminded as the cron would
        self.env["mgmtsystem.action"]._tsq_cron_remind_overdue()
