"""Demo complaints and after-sales requests of the demo agency.

Each one is walked through the real workflow (acceptance reply, judgment,
feedback, stage moves, rating) by the demo staff, then the story's moments are
written over "now" and the SLA clocks are re-played from that history, exactly
as a calendar change would re-play them. Two are fixed in 2026 on purpose: one
breached over the Spring Festival, one met across the National Day week.

The story is told in fast-forward from "now": each ticket is received now (its
moment of reception is dated back with the others), so that no clock is late
while the story is told and none warns or proposes an action about a past that
is not yet written; the replay of the finished story warns, and proposes the
improvement actions of the clocks it finds breached, as the SLA engine does.
"""

from datetime import UTC, datetime, timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..models.core.res_company import in_agency_language
from .tsq_demo_steps import MODULE, TZ

STAGES = {
    "new": "helpdesk_mgmt.helpdesk_ticket_stage_new",
    "progress": "helpdesk_mgmt.helpdesk_ticket_stage_in_progress",
    "awaiting": "helpdesk_mgmt.helpdesk_ticket_stage_awaiting",
    "done": "helpdesk_mgmt.helpdesk_ticket_stage_done",
}


# at: a fixed local time "YYYY-MM-DD HH:MM", or hours before now (a number).
COMPLAINTS = [
    {
        "key": "spring",
        "client": "contact_huiyan_zhou_demo",
        "service": "设备联网与数据采集（数字化车间一期）",
        "subject": "春节前反映的数据采集网关掉线问题迟迟未解决",
        "description": "2 月 12 日起一号车间 6 台注塑机的数据采集网关频繁掉线，"
        "看板数据缺失，影响节后复工排产。请尽快处理并给出原因。",
        "received": "2026-02-13 16:00",
        "respond": (
            "li_qiang",
            "2026-02-14 10:20",
            "您好，投诉已受理。已安排实施工程师远程排查网关日志，节后第一个工作日到现场处理。",
        ),
        "moves": [("progress", "2026-02-14 10:25")],
        "judge": (
            "chen_jing",
            "2026-02-26 17:00",
            "valid",
            "现场确认网关固件版本与交换机 VLAN 配置不匹配，属我方实施遗漏。",
        ),
        "investigation": "节后到现场检查 6 台网关与车间交换机配置，复现掉线。",
        "root_cause": "实施清单未包含交换机 VLAN 核对项，固件升级后未回归测试。",
        "resolution": "升级网关固件并修正 VLAN 配置，连续 72 小时运行无掉线；实施清单增加网络核对项。",
        "feedback": (
            "chen_jing",
            "2026-03-04 15:00",
            "问题已于 3 月 3 日修复，连续 72 小时运行正常。对处理超出 7 个工作日的时限深表歉意，我们已在实施清单中增加网络配置核对项。",
        ),
        "close": "2026-03-04 15:10",
        "rating": (3, "问题解决了，但春节后拖得有点久。"),
    },
    {
        "key": "national",
        "client": "contact_najing_wu_demo",
        "service": "导热膜材料导热系数与耐热老化性能检测",
        "subject": "检测报告中耐热老化时长与委托单不一致",
        "description": "委托单要求 1000 h 耐热老化，报告写 500 h，请核实。",
        "received": "2026-09-30 10:00",
        "respond": (
            "wang_fang",
            "2026-09-30 14:00",
            "您好，投诉已受理，我们将核对委托单与检测记录，节后给您答复。",
        ),
        "moves": [("progress", "2026-09-30 14:05")],
        "judge": (
            "chen_jing",
            "2026-10-09 11:00",
            "invalid",
            "合同变更单（9 月 2 日双方签字）已将老化时长改为 500 h，报告与变更后的委托一致。",
        ),
        "investigation": "核对委托单、合同变更单与检测原始记录。",
        "root_cause": "客户方经办人更换，未获知合同变更。",
        "resolution": "向客户提供合同变更单及原始记录复印件，并说明检测依据。",
        "feedback": (
            "wang_fang",
            "2026-10-14 11:00",
            "经核实，9 月 2 日双方签署的合同变更单已将老化时长调整为 500 h，报告与变更后的委托一致，相关文件已发送给您。",
        ),
        "close": "2026-10-14 11:05",
        "rating": (4, "解释清楚了，谢谢。"),
    },
    {
        "key": "closed_ok",
        "client": "contact_yunheng_lin_demo",
        "service": "研发费用加计扣除政策辅导与专项申报",
        "subject": "辅导资料中引用的政策文件已废止",
        "description": "培训讲义第 12 页引用的财税文件已被新文件替代。",
        "received": 24 * 20,
        "respond": ("zhang_wei", 24 * 20 - 5, "您好，投诉已受理，我们会核对讲义并尽快更正。"),
        "moves": [("progress", 24 * 20 - 5)],
        "judge": ("liu_yang", 24 * 18, "valid", "讲义未随政策更新。"),
        "investigation": "核对讲义引用的全部政策文件。",
        "root_cause": "讲义模板缺少政策时效复核步骤。",
        "resolution": "更正讲义并重新发送；讲义模板增加政策时效复核。",
        "feedback": ("liu_yang", 24 * 16, "讲义已更正并重新发送，感谢指出。"),
        "close": 24 * 16 - 1,
        "rating": (5, "处理及时。"),
    },
    {
        "key": "paused",
        "client": "contact_lvneng_he_demo",
        "service": "储能 BMS 主动均衡算法联合开发",
        "subject": "样机均衡电流达不到方案约定值",
        "description": "联调时实测均衡电流约 1.2 A，方案约定 2 A。",
        "received": 50,
        "respond": (
            "li_qiang",
            48,
            "您好，投诉已受理。请提供联调时的测试日志与电池组配置，以便复现。",
        ),
        "moves": [("progress", 48), ("awaiting", 24)],
        "investigation": "等待客户提供测试日志与电池组配置。",
    },
    {
        "key": "at_risk",
        "client": "contact_yongda_chen_demo",
        "service": "注塑车间数字化诊断与 MES 实施规划",
        "subject": "诊断报告交付后未按约定安排解读会",
        "description": "报告交付已一周，约定的现场解读会仍未安排。",
        "received": 24 * 6,
        "respond": ("zhang_wei", 24 * 6 - 3, "您好，投诉已受理，我们会尽快与您确认解读会时间。"),
        "moves": [("progress", 24 * 6 - 3)],
        "investigation": "核对项目计划与顾问排期。",
    },
    {
        "key": "new",
        "client": "contact_zhilian_gao_demo",
        "service": "工业物联网网关外壳结构与散热设计",
        "subject": "散热仿真报告中的环境温度取值有疑问",
        "description": "报告按 25 ℃ 环境温度仿真，我们的使用场景最高 45 ℃。",
        "received": 2,
    },
    {
        "key": "late_reply",
        "client": "contact_qiming_guo_demo",
        "service": "知识产权质押融资对接（授信 2000 万元）",
        "subject": "银行对接进度无人告知",
        "description": "上周提交补充材料后一直没有收到任何进展通知。",
        "received": 30,
    },
]


REQUESTS = [
    {
        "key": "aftersales",
        "client": "contact_huiyan_sun_demo",
        "service": "发明专利申请代理：一种滚珠丝杠副预紧力自适应调节装置",
        "subject": "请提供专利受理通知书电子版",
        "description": "公司申报项目需要受理通知书电子版。",
        "received": 20,
        "reply": ("wang_fang", 19, "您好，受理通知书电子版已发送至您的邮箱。"),
        "close": 18,
    },
]


class _ComplaintStory:
    def __init__(self, env):
        self.env = env
        self.now = fields.Datetime.now().replace(second=0, microsecond=0)
        self.updates = []  # (table, column, id, value)
        self.tickets = env["helpdesk.ticket"]

    def _when(self, at):
        if isinstance(at, str):
            local = datetime.strptime(at, "%Y-%m-%d %H:%M").replace(tzinfo=TZ)
            return local.astimezone(UTC).replace(tzinfo=None)
        return self.now - timedelta(hours=at)

    def _user(self, key):
        return self.env.ref(f"{MODULE}.user_{key}_demo")

    def _set(self, record, column, at):
        self.updates.append((record._table, column, record.id, self._when(at)))

    def _last_message_id(self):
        self.env.flush_all()
        self.env.cr.execute("SELECT COALESCE(max(id), 0) FROM mail_message")
        return self.env.cr.fetchone()[0]

    def _dated(self, ticket, at, step):
        """Run ``step`` and date the chatter messages it wrote on ``ticket`` (and on
        the records it touched) at the story's time ``at``, not at today's."""
        since = self._last_message_id()
        step()
        self.env.flush_all()
        self.env.cr.execute("SELECT id FROM mail_message WHERE id > %s", [since])
        for (message_id,) in self.env.cr.fetchall():
            self.updates.append(("mail_message", "date", message_id, self._when(at)))
            self.updates.append(("mail_message", "create_date", message_id, self._when(at)))

    def _ticket(self, spec, category, team):
        partner = self.env.ref(f"{MODULE}.{spec['client']}")
        service = self.env["project.project"].search(
            [("is_service", "=", True), ("name", "=", spec["service"])], limit=1
        )
        since = self._last_message_id()
        ticket = (
            self.env["helpdesk.ticket"]
            .sudo()
            .create(
                {
                    "name": spec["subject"],
                    "description": spec["description"],
                    "partner_id": partner.id,
                    "partner_name": partner.name,
                    "partner_email": partner.email,
                    "service_id": service.id,
                    "category_id": category.id,
                    "team_id": team.id,
                    "user_id": team.user_id.id,
                    "channel_id": self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_web").id,
                }
            )
        )
        ticket.message_subscribe(partner_ids=partner.ids)
        self.env.flush_all()
        self.env.cr.execute("SELECT id FROM mail_message WHERE id > %s", [since])
        for (message_id,) in self.env.cr.fetchall():
            for column in ("date", "create_date"):
                self._set_raw("mail_message", column, message_id, spec["received"])
        self._set(ticket, "tsq_received_at", spec["received"])
        for log in ticket.tsq_stage_log_ids:
            self._set(log, "entered_at", spec["received"])
        for column in ("create_date", "last_stage_update", "assigned_date"):
            self._set(ticket, column, spec["received"])
        self.tickets |= ticket
        return ticket

    def _set_raw(self, table, column, record_id, at):
        self.updates.append((table, column, record_id, self._when(at)))

    def _move(self, ticket, stage_key, at, user):
        self._dated(
            ticket,
            at,
            lambda: ticket.with_user(user).write({"stage_id": self.env.ref(STAGES[stage_key]).id}),
        )
        log = ticket.tsq_stage_log_ids.sorted("id")[-1]
        self._set(log, "entered_at", at)
        self._set(ticket, "last_stage_update", at)
        if log.closed:
            self._set(ticket, "closed_date", at)

    def run(self):
        complaint = self.env.ref(f"{MODULE}.helpdesk_category_complaint")
        aftersales = self.env.ref(f"{MODULE}.helpdesk_category_aftersales")
        team_c = self.env.ref(f"{MODULE}.team_complaints_demo")
        team_a = self.env.ref(f"{MODULE}.team_aftersales_demo")
        for spec in COMPLAINTS:
            ticket = self._ticket(spec, complaint, team_c)
            if spec.get("respond"):
                key, at, text = spec["respond"]
                user = self._user(key)
                ticket.with_user(user).write({"tsq_response_message": text})
                self._dated(ticket, at, ticket.with_user(user).action_tsq_respond)
                self._set(ticket, "tsq_responded_at", at)
            for stage_key, at in spec.get("moves", []):
                self._move(ticket, stage_key, at, ticket.user_id)
            ticket.with_user(ticket.user_id).write(
                {
                    name: spec[key]
                    for key, name in (
                        ("investigation", "tsq_investigation"),
                        ("root_cause", "tsq_root_cause"),
                        ("resolution", "tsq_resolution"),
                    )
                    if spec.get(key)
                }
            )
            if spec.get("judge"):
                key, at, validity, reason = spec["judge"]
                user = self._user(key)
                ticket.with_user(user).write({"tsq_validity_reason": reason})
                self._dated(
                    ticket, at, lambda t=ticket, u=user, v=validity: t.with_user(u)._tsq_judge(v)
                )
                self._set(ticket, "tsq_judged_at", at)
            if spec.get("feedback"):
                key, at, text = spec["feedback"]
                user = self._user(key)
                ticket.with_user(user).write({"tsq_feedback_message": text})
                self._dated(ticket, at, ticket.with_user(user).action_tsq_send_feedback)
                self._set(ticket, "tsq_feedback_at", at)
            if spec.get("close"):
                self._move(ticket, "done", spec["close"], ticket.user_id)
            if spec.get("rating"):
                score, comment = spec["rating"]
                self._dated(
                    ticket,
                    spec["close"],
                    lambda t=ticket, s=score, c=comment: t._tsq_rate(s, c, t.partner_id),
                )
                self._set(ticket, "tsq_rated_at", spec["close"])
                feedback = self.env["tsq.feedback"].sudo().search([("ticket_id", "=", ticket.id)])
                self._set(feedback, "submitted_at", spec["close"])
        for spec in REQUESTS:
            ticket = self._ticket(spec, aftersales, team_a)
            key, at, text = spec["reply"]
            self._dated(
                ticket,
                at,
                lambda r=ticket, k=key, t=text: r.with_user(self._user(k)).message_post(
                    body=t, message_type="comment", subtype_xmlid="mail.mt_comment"
                ),
            )
            self._set(ticket, "tsq_responded_at", at)
            self._move(ticket, "done", spec["close"], ticket.user_id)
        self._backdate()

    def _backdate(self):
        env = self.env
        env.flush_all()
        for table, column, record_id, value in self.updates:
            env.cr.execute(
                SQL(
                    "UPDATE %s SET %s = %s WHERE id = %s",
                    SQL.identifier(table),
                    SQL.identifier(column),
                    value,
                    record_id,
                )
            )
        env.invalidate_all()
        # the clocks are re-played from the story's history, with today's "now"
        env["tsq.sla.clock"].sudo()._apply_policies(self.tickets)
        env.flush_all()


class TsqDemoComplaints(models.AbstractModel):
    _name = "tsq.demo.complaints"
    _description = "Demo Complaints Loader"

    @api.model
    @in_agency_language
    def _load_demo_complaints(self):
        Ticket = self.env["helpdesk.ticket"].sudo()
        if Ticket.search_count([("name", "=", COMPLAINTS[0]["subject"])]):
            return True
        # the record rules of helpdesk_mgmt read the user's teams, and their domains are
        # cached: the demo teams were just created, so start from a clean cache
        self.env.registry.clear_cache()
        env = self.env(
            context=dict(
                self.env.context,
                mail_notify_force_send=False,
                tz="Asia/Shanghai",
            )
        )
        _ComplaintStory(env).run()
        return True
