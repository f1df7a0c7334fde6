"""What managers and clients see: ratios of sums in the analysis, one way of showing
a deadline, late objections flagged everywhere, generated text in its reader's
language, a complaint filed in the portal routed at once, figures that count the
agency's own staff only, page numbers on the printed records."""

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import tagged

from .common import TsqCase, TsqHttpCase
from .test_sla import SlaCase

SHANGHAI = ZoneInfo("Asia/Shanghai")


def utc(*args):
    return datetime(*args, tzinfo=SHANGHAI).astimezone(UTC).replace(tzinfo=None)


def load_chinese(env):
    """zh_CN active, with the add-on's and its dependencies' translations."""
    env["res.lang"]._activate_lang("zh_CN")
    env["ir.module.module"].search(
        [("name", "in", ("base", "mail", "helpdesk_mgmt", "tech_service_quality"))]
    )._update_translations(["zh_CN"])


# English words of the add-on's message templates that must not reach a Chinese reader
ENGLISH = re.compile(r"\b(the|of|by|and|objection|delivery|complaint|handle|stage|due)\b", re.I)


@tagged("post_install", "-at_install")
class TestAnalysisTotals(TsqCase):
    def test_totals_divide_sums_not_average_rates(self):
        Snapshot = self.env["tsq.indicator.snapshot"].sudo().with_context(tsq_engine_write=True)
        indicator = self.env.ref("tech_service_quality.indicator_satisfaction")
        base = {
            "company_id": self.company.id,
            "indicator_id": indicator.id,
            "period_type": "month",
            "split": "team",
            "has_data": True,
            "status": "met",
        }
        teams = self.env["helpdesk.ticket.team"].create([{"name": "甲组"}, {"name": "乙组"}])
        Snapshot.create(
            [
                dict(
                    base,
                    date_from=date(2024, 1, 1),
                    date_to=date(2024, 2, 1),
                    team_id=team.id,
                    numerator=numerator,
                    denominator=denominator,
                    value=value,
                )
                for team, numerator, denominator, value in (
                    (teams[0], 12, 13, 92.3),
                    (teams[1], 1, 4, 25.0),
                )
            ]
        )
        groups = self.env["tsq.indicator.snapshot"].read_group(
            [("team_id", "in", teams.ids)], ["value:avg"], ["indicator_id"]
        )
        self.assertEqual(len(groups), 1)
        self.assertAlmostEqual(groups[0]["value"], 76.5, places=1, msg="13 of 17, not 58.7")
        self.assertNotIn("numerator", groups[0], "the helper sums are not returned")


@tagged("post_install", "-at_install")
class TestDeadlineDisplay(TsqCase):
    def test_one_way_to_show_a_deadline(self):
        company = self.company
        midnight = utc(2026, 12, 11, 0, 0)  # the end of a limit counted in days
        self.assertEqual(
            company._tsq_format_instant(midnight, lang="zh_CN"), "2026年12月10日 24:00"
        )
        self.assertEqual(company._tsq_format_instant(midnight, lang="en_US"), "Dec 10, 2026 24:00")
        self.assertEqual(
            company._tsq_format_instant(utc(2026, 12, 10, 9, 5, 59), lang="zh_CN"),
            "2026年12月10日 09:05",
            "no seconds",
        )
        self.assertEqual(
            company._tsq_format_instant(midnight, with_time=False, lang="zh_CN"), "2026年12月11日"
        )


@tagged("post_install", "-at_install")
class TestLateObjection(TsqHttpCase):
    def _late_objection(self):
        self.category.objection_days = 3
        service = self._new_service(name="异议超期服务")
        acceptance = self._awaiting_acceptance(service)
        with freeze_time(fields.Datetime.now() - timedelta(days=20)):
            acceptance.sudo()._raise_objection("报告缺少附表", "portal")
        return service, acceptance

    def test_a_late_objection_is_flagged_like_a_late_stage(self):
        service, acceptance = self._late_objection()
        self.assertTrue(acceptance.is_objection_late)
        self.assertTrue(service.is_objection_late)
        self.assertIn("overdue", service.late_warning)
        Project = self.env["project.project"].with_user(self.manager)
        self.assertIn(service, Project.search([("is_objection_late", "=", True)]))
        self.assertNotIn(service, Project.search([("is_objection_late", "=", False)]))
        Acceptance = self.env["tsq.acceptance"].with_user(self.manager)
        self.assertIn(acceptance, Acceptance.search([("is_objection_late", "=", True)]))
        kanban_view = self.env.ref("tech_service_quality.project_project_view_kanban_service")
        kanban = Project.get_views([(kanban_view.id, "kanban")])["views"]["kanban"]["arch"]
        self.assertIn("o_tsq_objection_late", kanban)
        # the client is told the answer is late, not promised a date in the past
        self.authenticate("portal_a", "portal_a")
        page = self.url_open(f"/my/services/{service.id}")
        self.assertIn("o_tsq_objection_overdue", page.text)
        self.assertNotIn("We will answer by", page.text)
        listing = self.url_open("/my/services")
        self.assertIn("o_tsq_objection_overdue", listing.text)
        # closed: no longer late
        acceptance.with_user(self.user).write({"objection_outcome": "补齐附表"})
        acceptance.with_user(self.user).action_close_objection()
        service.invalidate_recordset()
        self.assertFalse(service.is_objection_late)


@tagged("post_install", "-at_install")
class TestReadersLanguage(SlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chinese(cls.env)
        cls.company.partner_id.lang = "zh_CN"  # the agency reads Chinese
        (cls.user | cls.manager).write({"lang": "zh_CN"})
        cls.contact_a.lang = "zh_CN"

    def test_activity_chatter_and_email_in_chinese(self):
        # an English-speaking colleague (or a cron) triggers the texts
        english = self.env(context=dict(self.env.context, lang="en_US"))
        with freeze_time(utc(2026, 3, 2, 9, 5)):
            ticket = self._complaint(utc(2026, 3, 2, 9, 0)).with_env(english)
        with freeze_time(utc(2026, 3, 3, 16, 0)):  # past half of the 24 hours
            self.env["tsq.sla.clock"].with_env(english)._cron_scan()
        activity = ticket.sudo().activity_ids.filtered(
            lambda a: a.activity_type_id == self.warning_type
        )[:1]
        self.assertTrue(activity, "a warning activity")
        self.assertIn("SLA", activity.summary)
        self.assertNotRegex(activity.summary, ENGLISH)
        self.assertNotRegex(activity.note or "", ENGLISH)
        note = ticket.sudo().message_ids.filtered(lambda m: "SLA" in (m.body or ""))[:1]
        self.assertTrue(note)
        self.assertNotRegex(note.body, ENGLISH, "the chatter note is in the agency's language")
        # the reply to the complainant is in the complainant's language
        ticket.with_user(self.user).with_context(lang="en_US").write(
            {"tsq_response_message": "已受理，正在调查。"}
        )
        ticket.with_user(self.user).with_context(lang="en_US").action_tsq_respond()
        reply = ticket.sudo().message_ids.filtered(lambda m: "已受理，正在调查" in (m.body or ""))
        self.assertTrue(reply)
        self.assertNotRegex(reply.body, ENGLISH)


@tagged("post_install", "-at_install")
class TestPortalComplaintRouted(TsqHttpCase):
    def test_a_portal_complaint_is_assigned_and_the_team_told(self):
        team = self.env["helpdesk.ticket.team"].create(
            {
                "name": "投诉受理组（测试）",
                "sequence": -1,
                "tsq_kind": "complaint",
                "user_id": self.manager.id,
                "user_ids": [Command.set([self.user.id, self.manager.id])],
            }
        )
        self.authenticate("portal_a", "portal_a")
        response = self._post(
            "/my/complaints/new", subject="报告数据有误", description="第 3 页有误", service_id=""
        )
        self.assertEqual(response.status_code, 200)
        ticket = self.env["helpdesk.ticket"].search([("name", "=", "报告数据有误")])
        self.assertEqual(ticket.team_id, team)
        self.assertEqual(ticket.user_id, self.manager, "the team leader")
        activity = ticket.activity_ids.filtered(lambda a: a.user_id == self.manager)
        self.assertTrue(activity)
        response_clock = ticket.tsq_clock_ids.filtered(
            lambda c: c.indicator_role == "complaint_response"
        )
        self.assertEqual(
            activity.date_deadline, self.company._tsq_due_date(response_clock.deadline)
        )
        self.assertIn(self.user.partner_id, ticket.message_partner_ids, "the team follows it")
        note = ticket.message_ids.filtered(lambda m: self.manager.name in (m.body or ""))
        self.assertTrue(note)
        self.assertIn(self.user.partner_id, note.partner_ids, "the team is notified")
        # a balanced team gives the next one to the member with fewer open requests
        team.tsq_assignment = "balanced"
        self.company.helpdesk_mgmt_ticket_auto_assign = False  # not "the creator takes it"
        other = self.env["helpdesk.ticket"].create(
            {
                "name": "第二个投诉",
                "description": "<p>x</p>",
                "team_id": team.id,
                "category_id": self.env.ref("tech_service_quality.helpdesk_category_complaint").id,
                "partner_id": self.contact_a.id,
            }
        )
        self.assertEqual(other.user_id, self.user)


@tagged("post_install", "-at_install")
class TestScopeOfFigures(TsqCase):
    def test_only_service_staff_are_counted(self):
        Employee = self.env["hr.employee"]
        staff = Employee.create({"name": "服务人员甲", "user_id": self.user.id})
        outsider = Employee.create({"name": "Accounting clerk (other department)"})
        self.assertTrue(staff.tsq_service_staff, "a Service User's employee is service staff")
        self.assertFalse(outsider.tsq_service_staff)
        lab = Employee.create({"name": "检测员（无账号）", "tsq_service_staff": True})
        self.assertTrue(lab.tsq_service_staff)
        review = self.env["mgmtsystem.review"].create(
            {
                "name": "范围测试",
                "date": fields.Datetime.now(),
                "company_id": self.company.id,
                "tsq_date_from": date(2026, 1, 1),
                "tsq_date_to": date(2027, 1, 1),
            }
        )
        pack = review._tsq_pack_data()
        headcount = Employee.search_count(
            [("company_id", "=", self.company.id), ("tsq_service_staff", "=", True)]
        )
        self.assertEqual(pack["staff"]["headcount"], headcount)
        self.assertLess(headcount, Employee.search_count([("company_id", "=", self.company.id)]))
        # improvement actions and audits of other systems are not the agency's
        other_system = self.env["mgmtsystem.system"].create({"name": "Other department"})
        self.env["mgmtsystem.action"].create(
            {"name": "Not ours", "system_id": other_system.id, "type_action": "correction"}
        )
        ours = self.env["mgmtsystem.action"].create(
            {"name": "我们的措施", "type_action": "correction"}
        )
        self.assertEqual(ours.system_id, self.company._tsq_mgmtsystem())
        pack = review._tsq_pack_data()
        names = [row["name"] for row in pack["actions"]["open_rows"]]
        self.assertIn("我们的措施", names)
        self.assertNotIn("Not ours", names)
