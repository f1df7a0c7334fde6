"""Staff quality scorecards (员工质量绩效考核): every figure equals a hand count on a
fixture of one employee's services (on time, late, overdue and undone, not yet
due, cancelled, as staff of a colleague's service), acceptances with an
objection, feedback, complaints, audit findings and training; a rerun changes
nothing; the computation's query count does not depend on the number of
employees; a Service User reads only their own team's scorecards; the XLSX
export holds the figures."""

import io
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import openpyxl
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import PNG_1PX, TsqCase

SHANGHAI = ZoneInfo("Asia/Shanghai")
FIGURES = [
    "services_handled",
    "delivered_due",
    "delivered_on_time",
    "on_time_rate",
    "first_submissions",
    "first_pass",
    "first_pass_rate",
    "feedback_count",
    "satisfied_count",
    "avg_score",
    "satisfaction_rate",
    "valid_complaints",
    "audit_findings",
    "training_hours",
]


def utc(*args):
    """Naive UTC instant of a Beijing wall time."""
    return datetime(*args, tzinfo=SHANGHAI).astimezone(UTC).replace(tzinfo=None)


def frozen(*args):
    return freeze_time(utc(*args))


@tagged("post_install", "-at_install")
class TestStaffScorecard(TsqCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Card = cls.env["tsq.staff.scorecard"]
        Employee = cls.env["hr.employee"]
        cls.emp_user = Employee.create({"name": "张工", "user_id": cls.user.id})
        cls.emp_user2 = Employee.create({"name": "李工", "user_id": cls.user2.id})
        cls.emp_outsider = Employee.create({"name": "王工", "user_id": cls.outsider.id})
        cls.emp_manager = Employee.create({"name": "赵经理", "user_id": cls.manager.id})
        Team = cls.env["helpdesk.ticket.team"]
        # team X: 张工 and 王工; team Y: 李工 alone
        cls.team_x = Team.create(
            {"name": "知识产权组 X", "user_ids": [Command.set([cls.user.id, cls.outsider.id])]}
        )
        cls.team_y = Team.create({"name": "咨询组 Y", "user_ids": [Command.set([cls.user2.id])]})
        cls._build_fixture()

    # ------------------------------------------------------------------ fixture
    @classmethod
    def _to_s4(cls, service, delivery=None):
        """Through the gates to S4; ``delivery`` replaces the contract delivery date."""
        cls._advance(service, "s3")
        cls._fill_stage(service)
        if delivery:
            service.with_user(cls.user).write({"contract_delivery_date": delivery})
        cls._do_items(service)
        service.with_user(cls.user).action_pass_gate()
        return service

    @classmethod
    def _to_s5(cls, service):
        cls._to_s4(service)
        cls._fill_stage(service)
        cls._do_items(service)
        service.with_user(cls.user).action_pass_gate()
        return service

    @classmethod
    def _complaint(cls, service, received, valid):
        ticket = (
            cls.env["helpdesk.ticket"]
            .sudo()
            .create(
                {
                    "name": "报告数据有误",
                    "description": "<p>报告第 3 页数据有误。</p>",
                    "category_id": cls.env.ref(
                        "tech_service_quality.helpdesk_category_complaint"
                    ).id,
                    "team_id": cls.team_x.id,
                    "user_id": cls.user.id,
                    "partner_id": cls.contact_a.id,
                    "service_id": service.id,
                    "tsq_received_at": received,
                }
            )
            .with_user(cls.user)
        )
        ticket.write({"tsq_validity_reason": "经核实", "tsq_root_cause": "复核缺失"})
        if valid:
            ticket.action_tsq_judge_valid()
        else:
            ticket.action_tsq_judge_invalid()
        return ticket

    @classmethod
    def _build_fixture(cls):
        """张工's services in 2026 (contract delivery 30 June unless said):
        A delivered 20 June and accepted at once; B objected to on 3 July, then
        delivered again and accepted 6 July (late); C still in S4 (overdue and
        undone); D due 30 September (not yet due on 15 July); E cancelled;
        F of 李工 with 张工 as staff, accepted 25 June."""
        cls._build_services()
        cls._build_decisions()

    @classmethod
    def _build_services(cls):
        with frozen(2026, 6, 1, 10, 0):
            cls.svc_a = cls._to_s5(cls._new_service(name="A 专利布局"))
            cls.svc_b = cls._to_s5(cls._new_service(name="B 专利布局"))
            cls.svc_c = cls._to_s4(cls._new_service(name="C 专利布局"))
            cls.svc_d = cls._to_s4(cls._new_service(name="D 专利布局"), delivery="2026-09-30")
            cls.svc_e = cls._advance(cls._new_service(name="E 专利布局"), "s2")
            cls.svc_e.with_user(cls.user).with_context(tsq_stage_reason="客户取消").write(
                {"service_stage": "cancelled"}
            )
            cls.svc_f = cls._to_s5(
                cls._new_service(
                    name="F 技术咨询",
                    user=cls.user2,
                    service_member_ids=[Command.set([cls.user.id])],
                )
            )
            cls.svc_g = cls._new_service(name="G 技术咨询", user=cls.user2)

    @classmethod
    def _build_decisions(cls):
        """Acceptances, objections, feedback and complaints of June and July."""
        feedback = cls.env["tsq.feedback"]
        with frozen(2026, 6, 20, 10, 0):
            cls._submit_for_acceptance(cls.svc_a).sudo()._accept("甲联系人", PNG_1PX, "portal")
            feedback._record(cls.svc_a, "acceptance", 5, "很好", "test,1")
        with frozen(2026, 6, 25, 10, 0):
            cls._submit_for_acceptance(cls.svc_f).sudo()._accept("甲联系人", PNG_1PX, "portal")
            feedback._record(cls.svc_f, "acceptance", 4, "满意", "test,2")
            feedback._record(cls.svc_e, "portal", 1, "已取消的服务", "test,3")
        with frozen(2026, 7, 3, 10, 0):
            first = cls._submit_for_acceptance(cls.svc_b)
            first.sudo()._raise_objection("数据缺失", "portal")
            first.with_user(cls.user).write({"objection_outcome": "补充数据"})
            first.with_user(cls.user).action_close_objection()
        with frozen(2026, 7, 5, 10, 0):
            cls._complaint(cls.svc_b, utc(2026, 7, 5, 9, 0), valid=True)
            cls._complaint(cls.svc_a, utc(2026, 7, 5, 9, 30), valid=False)
            cls._complaint(cls.svc_g, utc(2026, 7, 5, 9, 45), valid=True)  # 李工's only
        with frozen(2026, 7, 6, 10, 0):
            cls._submit_for_acceptance(cls.svc_b, "补充报告").sudo()._accept(
                "甲联系人", PNG_1PX, "portal"
            )
            feedback._record(cls.svc_b, "acceptance", 3, "一般", "test,4")
        cls._build_findings()
        cls._build_training()

    @classmethod
    def _build_findings(cls):
        """A finding about 张工 in 2026, one in 2025 and one about 李工."""
        if "tsq.audit.finding" in cls.env:
            audit = cls.env["mgmtsystem.audit"].create({"name": "2026 内审"})
            cls.env["tsq.audit.finding"].create(
                [
                    {
                        "name": name,
                        "audit_id": audit.id,
                        "date": day,
                        "kind": "observation",
                        "employee_id": employee.id,
                        "description": name,
                    }
                    for name, day, employee in (
                        ("记录不完整", date(2026, 5, 10), cls.emp_user),
                        ("去年的发现", date(2025, 12, 31), cls.emp_user),
                        ("李工的发现", date(2026, 5, 10), cls.emp_user2),
                    )
                ]
            )

    @classmethod
    def _build_training(cls):
        """Training: 6 h passed in March 2026; failed, or passed in 2025, do not count."""
        course = cls.env["hr.course"].create(
            {
                "name": "专利法培训",
                "category_id": cls.env["hr.course.category"].create({"name": "专业"}).id,
            }
        )
        for name, day, hours, result in (
            ("第一期", date(2026, 3, 1), 6, "passed"),
            ("第二期", date(2026, 4, 1), 4, "failed"),
            ("去年", date(2025, 11, 1), 8, "passed"),
        ):
            schedule = cls.env["hr.course.schedule"].create(
                {
                    "name": name,
                    "course_id": course.id,
                    "tsq_hours": hours,
                    "start_date": day,
                    "end_date": day,
                    "cost": 0,
                    "authorized_by": cls.emp_manager.id,
                    "attendant_ids": [Command.set(cls.emp_user.ids)],
                }
            )
            schedule.draft2waiting()
            schedule.waiting2inprogress()
            schedule.course_attendee_ids.result = result

    def _compute(self, date_from=date(2026, 1, 1), date_to=date(2027, 1, 1), kind="year"):
        with frozen(2026, 7, 15, 12, 0):
            return self.Card._tsq_compute(self.company, date_from, date_to, kind)

    def _card(self, cards, employee):
        card = cards.filtered(lambda c: c.employee_id == employee)
        self.assertEqual(len(card), 1)
        return card

    # -------------------------------------------------------------------- tests
    def test_figures_equal_hand_count(self):
        """The year 2026 of 张工, counted by hand from the fixture."""
        cards = self._compute()
        card = self._card(cards, self.emp_user)
        has_findings = "tsq.audit.finding" in self.env
        self.assertEqual(
            {name: card[name] for name in FIGURES},
            {
                "services_handled": 5,  # A B C D F; E is cancelled
                "delivered_due": 4,  # A B C F; D is not due yet
                "delivered_on_time": 2,  # A F; B late, C overdue and undone
                "on_time_rate": 50.0,
                "first_submissions": 3,  # A B F
                "first_pass": 2,  # A F; B had an objection
                "first_pass_rate": 66.7,
                "feedback_count": 3,  # 5, 4, 3; the cancelled service's 1 does not count
                "satisfied_count": 2,
                "avg_score": 4.0,
                "satisfaction_rate": 66.7,
                "valid_complaints": 1,  # B; A's was not valid, G is not theirs
                "audit_findings": 1 if has_findings else 0,
                "training_hours": 6.0,
            },
        )
        self.assertEqual(card.period_label, "2026")
        self.assertEqual(card.team_ids, self.team_x)
        self.assertEqual(card.user_id, self.user)
        self.assertEqual(card.satisfied_score, 4)
        colleague = self._card(cards, self.emp_user2)
        self.assertEqual(
            (colleague.services_handled, colleague.delivered_due, colleague.valid_complaints),
            (2, 1, 1),  # F and G; F due; G's complaint
        )
        self.assertEqual(colleague.audit_findings, 1 if has_findings else 0)
        self.assertEqual(colleague.team_ids, self.team_y)

    def test_period_boundaries(self):
        """The third quarter: A and F were submitted in June, B in July; the
        deliveries were due in June; the training was in March."""
        cards = self._compute(date(2026, 7, 1), date(2026, 10, 1), "quarter")
        card = self._card(cards, self.emp_user)
        self.assertEqual(card.period_label, "2026 Q3")
        self.assertEqual(
            [card[name] for name in FIGURES],
            [5, 0, 0, 0.0, 1, 0, 0.0, 1, 0, 3.0, 0.0, 1, 0, 0.0],
        )

    def test_rerun_changes_nothing(self):
        cards = self._compute()
        before = cards.sorted("id").read(FIGURES + ["team_ids", "period_label"])
        count = self.Card.search_count([])
        again = self._compute()
        self.assertEqual(again, cards)
        self.assertEqual(self.Card.search_count([]), count, "no duplicate")
        self.assertEqual(again.sorted("id").read(FIGURES + ["team_ids", "period_label"]), before)

    def test_rerun_follows_the_records(self):
        """A new valid complaint and a team change show on the next run, in place."""
        card = self._card(self._compute(), self.emp_user)
        with frozen(2026, 7, 10, 10, 0):
            self._complaint(self.svc_c, utc(2026, 7, 10, 9, 0), valid=True)
        self.team_y.user_ids = [Command.link(self.user.id)]
        again = self._card(self._compute(), self.emp_user)
        self.assertEqual(again, card)
        self.assertEqual(card.valid_complaints, 2)
        self.assertEqual(card.team_ids, self.team_x | self.team_y)

    def test_figures_cannot_be_edited(self):
        card = self._card(self._compute(), self.emp_user)
        for user in (self.manager, self.quality):
            with self.assertRaisesExactly(UserError):  # not the AccessError of a right
                card.with_user(user).write({"valid_complaints": 0})
        with self.assertRaisesExactly(UserError):
            card.sudo().write({"valid_complaints": 0})
        with self.assertRaisesExactly(UserError):
            self.Card.sudo().create({"employee_id": self.emp_user.id})
        self.assertEqual(card.valid_complaints, 1)

    def test_query_count_does_not_depend_on_employees(self):
        company = self.env["res.company"].create({"name": "计数公司"})
        Employee = self.env["hr.employee"]

        def hire(count, start):
            users = self.env["res.users"]
            for i in range(start, start + count):
                users |= new_test_user(
                    self.env,
                    f"tsq_count_{i}",
                    groups="tech_service_quality.group_tsq_user",
                    company_id=company.id,
                    company_ids=[Command.set([company.id, self.company.id])],
                )
            Employee.create(
                [{"name": u.name, "user_id": u.id, "company_id": company.id} for u in users]
            )
            self.env["helpdesk.ticket.team"].create(
                {"name": f"组 {start}", "company_id": company.id, "user_ids": users.ids}
            )

        def queries(date_from, date_to):
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            with frozen(2026, 7, 15, 12, 0):
                cards = self.Card._tsq_compute(company, date_from, date_to)
            return self.env.cr.sql_log_count - start, cards

        hire(2, 0)
        queries(date(2025, 1, 1), date(2026, 1, 1))  # warm the caches
        few, cards = queries(date(2026, 1, 1), date(2026, 2, 1))
        self.assertEqual(len(cards), 2)
        few_again, _cards = queries(date(2026, 1, 1), date(2026, 2, 1))
        hire(18, 2)
        queries(date(2024, 1, 1), date(2025, 1, 1))  # new users cleared the caches
        many, cards = queries(date(2026, 2, 1), date(2026, 3, 1))
        self.assertEqual(len(cards), 20)
        many_again, _cards = queries(date(2026, 2, 1), date(2026, 3, 1))
        # (the demo's records can warm one cache more for the second company run)
        self.assertLessEqual(many, few, "creating 20 scorecards takes the queries of 2")
        self.assertLessEqual(many_again, few_again, "updating 20 takes the queries of 2")

    def test_service_user_reads_own_team_only(self):
        """王工 (team X) reads 张工's (team X) and his own, never 李工's (team Y)."""
        cards = self._compute()
        mine = self._card(cards, self.emp_outsider)
        mate = self._card(cards, self.emp_user)
        other = self._card(cards, self.emp_user2)
        Card = self.Card.with_user(self.outsider)
        visible = Card.search([("id", "in", cards.ids)])
        self.assertIn(mine, visible)
        self.assertIn(mate, visible)
        self.assertNotIn(other, visible)
        self.assertFalse(Card.search([("employee_id", "=", self.emp_user2.id)]))
        self.assertEqual(
            mate.with_user(self.outsider).read(["services_handled"])[0]["services_handled"], 5
        )
        with self.assertRaises(AccessError):
            other.with_user(self.outsider).read(["services_handled"])
        # 李工 reads his own but not team X's; a manager reads all
        self.assertFalse(self.Card.with_user(self.user2).search([("id", "=", mate.id)]))
        self.assertTrue(other.with_user(self.user2).read(["valid_complaints"]))
        self.assertEqual(self.Card.with_user(self.manager).search([("id", "in", cards.ids)]), cards)
        views = Card.get_views([(False, v) for v in ("list", "form", "search", "pivot", "graph")])
        self.assertIn("services_handled", views["views"]["list"]["arch"])

    def test_compute_wizard_for_managers_only(self):
        Wizard = self.env["tsq.staff.scorecard.compute"]
        with self.assertRaises(AccessError):
            Wizard.with_user(self.user).create({"period_type": "year", "year": 2026})
        wizard = Wizard.with_user(self.manager).create(
            {"period_type": "quarter", "year": 2026, "quarter": "3"}
        )
        with frozen(2026, 7, 15, 12, 0):
            action = wizard.action_compute()
        cards = self.Card.with_user(self.manager).search(action["domain"])
        card = self._card(cards, self.emp_user)
        self.assertEqual((card.date_from, card.date_to), (date(2026, 7, 1), date(2026, 10, 1)))
        self.assertEqual(card.period_type, "quarter")

    def test_xlsx_holds_the_figures(self):
        cards = self._compute()
        wanted = self._card(cards, self.emp_user) | self._card(cards, self.emp_outsider)
        content, kind = self.env["ir.actions.report"]._render(
            "tech_service_quality.action_report_scorecard_xlsx", wanted.ids
        )
        self.assertEqual(kind, "xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
        self.assertEqual(sheet.freeze_panes, "B4")
        self.assertEqual(sheet.cell(3, 7).value, "Services Handled")
        rows = {row[0]: row for row in sheet.iter_rows(min_row=4, values_only=True)}
        zhang = rows["张工"]
        self.assertEqual(zhang[2], "知识产权组 X")
        self.assertEqual(zhang[3], "2026")
        self.assertEqual(zhang[6:9], (5, 4, 2))
        self.assertAlmostEqual(zhang[9], 0.5)
        self.assertEqual(zhang[10:12], (3, 2))
        self.assertAlmostEqual(zhang[12], 2 / 3)
        self.assertEqual(zhang[13:15], (3, 2))
        self.assertAlmostEqual(zhang[15], 4.0)
        self.assertAlmostEqual(zhang[16], 2 / 3)
        self.assertEqual(zhang[17], 1)
        self.assertEqual(zhang[19], 6)
        self.assertEqual(sheet.cell(4, 10).number_format, "0.0%")
        wang = rows["王工"]
        self.assertEqual(wang[6], 0)
        self.assertIsNone(wang[9], "no delivery due: no data, not 0 %")
        # a Service User exports what they can read
        content, _kind = (
            self.env["ir.actions.report"]
            .with_user(self.outsider)
            ._render("tech_service_quality.action_report_scorecard_xlsx", wanted.ids)
        )
        sheet_user = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
        self.assertEqual(sheet_user.cell(4, 7).value, sheet.cell(4, 7).value)
        total = rows["Total"]
        self.assertEqual(total[6:9], (5, 4, 2))
        self.assertAlmostEqual(total[9], 0.5)
        self.assertEqual(total[19], 6)
