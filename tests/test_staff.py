"""Staff competence (R4.2): who may be assigned to a service, the gate check at
passage, expiry reminders (each once, batched), training plans and their reports,
and who may see staff records."""

import io
from datetime import date

import openpyxl
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import TsqCase


@tagged("post_install", "-at_install")
class TestStaff(TsqCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.qtype = cls.env["tsq.qualification.type"].create(
            {"name": "专利代理师资格证", "kind": "qualification"}
        )
        cls.category.write(
            {
                "required_qualification_type_ids": [Command.set(cls.qtype.ids)],
                "require_confidentiality": True,
                "require_conduct": False,
                "staff_check": "block",
            }
        )
        Employee = cls.env["hr.employee"]
        cls.emp_user = Employee.create({"name": "张工", "user_id": cls.user.id})
        cls.emp_user2 = Employee.create(
            {"name": "李工", "user_id": cls.user2.id, "parent_id": cls.emp_user.id}
        )
        cls.emp_manager = Employee.create({"name": "赵经理", "user_id": cls.manager.id})
        cls.emp_manager2 = Employee.create({"name": "钱经理", "user_id": cls.manager2.id})
        for employee in (cls.emp_user, cls.emp_manager, cls.emp_manager2):
            cls._qualify(employee)

    @classmethod
    def _qualify(cls, employee, valid_to=None, undertaking_to=None):
        cls.env["tsq.employee.qualification"].create(
            {
                "employee_id": employee.id,
                "type_id": cls.qtype.id,
                "number": f"PA-{employee.id}",
                "valid_from": date(2020, 1, 1),
                "valid_to": valid_to,
            }
        )
        cls.env["tsq.undertaking"].create(
            {
                "employee_id": employee.id,
                "kind": "confidentiality",
                "signed_on": date(2025, 1, 1),
                "valid_to": undertaking_to or date(2030, 12, 31),
            }
        )

    # ------------------------------------------------------------ assignment
    def test_unqualified_person_cannot_be_assigned(self):
        with freeze_time("2026-03-02"):
            service = self._new_service()
            with self.assertRaises(ValidationError) as caught:
                service.with_user(self.user).write(
                    {"service_member_ids": [Command.link(self.user2.id)]}
                )
        message = str(caught.exception)
        self.assertIn("李工", message)
        self.assertIn("专利代理师资格证", message)
        self.assertIn("confidentiality", message.lower())
        self.assertNotIn(self.user2, service.service_member_ids, "nothing half-written")

    def test_user_without_employee_record_is_refused(self):
        with freeze_time("2026-03-02"):
            service = self._new_service()
            with self.assertRaises(ValidationError) as caught:
                service.with_user(self.user).service_member_ids = [Command.link(self.outsider.id)]
        self.assertIn("has no employee record", str(caught.exception))

    def test_qualification_must_cover_the_service_dates(self):
        """A certificate that runs out before the contract's delivery date does not
        qualify; renewing it does."""
        self._qualify(self.emp_user2, valid_to=date(2026, 6, 30))
        with freeze_time("2026-03-02"):
            service = self._new_service(contract_delivery_date=date(2026, 9, 30))
            with self.assertRaises(ValidationError) as caught:
                service.with_user(self.user).service_member_ids = [Command.link(self.user2.id)]
            self.assertIn("2026-06-30", str(caught.exception))
            qualification = self.emp_user2.tsq_qualification_ids
            qualification.valid_to = date(2027, 6, 30)
            service.with_user(self.user).service_member_ids = [Command.link(self.user2.id)]
        self.assertIn(self.user2, service.service_member_ids)

    def test_qualification_for_another_category_does_not_count(self):
        other = self.env["tsq.service.category"].create({"name": "Other", "code": "OT"})
        self._qualify(self.emp_user2)
        self.emp_user2.tsq_qualification_ids.category_ids = other
        with freeze_time("2026-03-02"), self.assertRaises(ValidationError):
            self._new_service().with_user(self.user).service_member_ids = [
                Command.link(self.user2.id)
            ]

    def test_code_of_conduct_undertaking_alone_is_required(self):
        """R4.2.4: a category that requires the code-of-conduct undertaking and
        nothing else refuses a person without one, naming it, even though the same
        person holds every qualification and a confidentiality undertaking."""
        self.category.write(
            {
                "required_qualification_type_ids": [Command.clear()],
                "require_confidentiality": False,
                "require_conduct": True,
            }
        )
        self._qualify(self.emp_user2)  # a qualification and a confidentiality undertaking
        Undertaking = self.env["tsq.undertaking"]
        for employee in (self.emp_user, self.emp_manager):
            Undertaking.create(
                {
                    "employee_id": employee.id,
                    "kind": "conduct",
                    "signed_on": date(2025, 1, 1),
                    "valid_to": date(2030, 12, 31),
                }
            )
        with freeze_time("2026-03-02"):
            service, message = self._assigning_user2_refused()
            self.assertIn("Code of conduct", message)
            self.assertNotIn("Confidentiality", message)
            self.assertNotIn("专利代理师资格证", message)
            self.assertFalse(service.service_member_ids, "nothing half-written")
            Undertaking.create(
                {
                    "employee_id": self.emp_user2.id,
                    "kind": "conduct",
                    "signed_on": date(2026, 3, 1),
                }
            )
            service.with_user(self.user).service_member_ids = [Command.link(self.user2.id)]
        self.assertEqual(service.service_member_ids, self.user2)

    def _assigning_user2_refused(self):
        """A new service to which 李工 cannot be assigned: (service, the refusal)."""
        service = self._new_service()
        with self.assertRaisesExactly(ValidationError) as caught:
            service.with_user(self.user).service_member_ids = [Command.link(self.user2.id)]
        message = str(caught.exception)
        self.assertIn("李工", message)
        return service, message

    def test_expired_confidentiality_undertaking_alone_is_refused(self):
        """R4.2.5: a person whose qualifications are valid but whose confidentiality
        undertaking has expired cannot be assigned; the refusal names that
        undertaking only."""
        self._qualify(self.emp_user2, undertaking_to=date(2026, 2, 28))
        with freeze_time("2026-03-02"):
            service, message = self._assigning_user2_refused()
            self.assertIn("Confidentiality", message)
            self.assertNotIn("专利代理师资格证", message, "the qualification is valid")
            self.assertFalse(service.service_member_ids, "nothing half-written")
            self.emp_user2.tsq_undertaking_ids.filtered(
                lambda u: u.kind == "confidentiality"
            ).valid_to = date(2027, 12, 31)
            service.with_user(self.user).service_member_ids = [Command.link(self.user2.id)]
        self.assertEqual(service.service_member_ids, self.user2)

    def test_warn_mode_records_an_exception_for_a_manager(self):
        """Where the category says "warn", the assignment is kept and recorded as a
        gate item; the gate refuses until a manager (not the person who asked)
        approves it."""
        self.category.staff_check = "warn"
        with freeze_time("2026-02-13 10:00"):
            service = self._new_service()
            service.with_user(self.user).service_member_ids = [Command.link(self.user2.id)]
            item = service.gate_item_ids.filtered("tsq_staff_user_id")
            self.assertEqual(item.tsq_staff_user_id, self.user2)
            self.assertEqual((item.stage, item.kind), ("s1", "approval"))
            self._fill_stage(service)
            self._do_items(service.with_user(self.user), approver=self.manager)
            item.invalidate_recordset()
            self.assertTrue(item.done_at, "approved by the manager with the other items")
            service.with_user(self.user).action_pass_gate()
        self.assertEqual(service.service_stage, "s2")

    def test_warn_mode_gate_refuses_without_approval(self):
        self.category.staff_check = "warn"
        with freeze_time("2026-02-13 10:00"):
            service = self._new_service()
            service.with_user(self.user).service_member_ids = [Command.link(self.user2.id)]
            self._fill_stage(service)
            for item in service.gate_item_ids.filtered(
                lambda i: i.stage == "s1" and not i.tsq_staff_user_id
            ):
                item.with_user(self.manager if item.kind == "approval" else self.user).write(
                    {"done": True}
                )
            with self.assertRaises(ValidationError) as caught:
                service.with_user(self.user).action_pass_gate()
        self.assertIn("李工", str(caught.exception))
        self.assertEqual(service.service_stage, "s1")

    def test_gate_checks_staff_at_the_moment_of_passage(self):
        """A certificate valid at assignment but expired when the gate is passed
        stops the gate."""
        self.emp_manager2.tsq_qualification_ids.valid_to = date(2026, 2, 20)
        with freeze_time("2026-02-13 10:00"):
            service = self._new_service()
            service.with_user(self.user).service_member_ids = [Command.link(self.manager2.id)]
        with freeze_time("2026-02-24 10:00"):
            self._fill_stage(service)
            self._do_items(service)
            with self.assertRaises(ValidationError) as caught:
                service.with_user(self.user).action_pass_gate()
        self.assertIn("钱经理", str(caught.exception))
        self.assertEqual(service.service_stage, "s1")

    # ------------------------------------------------------------- reminders
    def test_expiry_reminders_once_each_at_60_and_30_days(self):
        qualification = self.emp_manager.tsq_qualification_ids
        qualification.valid_to = date(2026, 6, 30)
        activity_type = self.env.ref("tech_service_quality.mail_activity_type_expiry")

        def reminders():
            return qualification.activity_ids.filtered(
                lambda a: a.activity_type_id == activity_type
            )

        Employee = self.env["hr.employee"]
        with freeze_time("2026-04-30"):  # 61 days before
            Employee._tsq_cron_expiry()
        self.assertFalse(reminders())
        for day in ("2026-05-01", "2026-05-02", "2026-05-20"):  # within 60 days
            with freeze_time(day):
                Employee._tsq_cron_expiry()
        self.assertEqual(len(reminders()), 1)
        self.assertEqual(reminders().user_id, self.manager)
        self.assertEqual(qualification.reminder_level, 60)
        for day in ("2026-05-31", "2026-06-01", "2026-06-29"):  # within 30 days
            with freeze_time(day):
                Employee._tsq_cron_expiry()
        self.assertEqual(len(reminders()), 2)
        self.assertEqual(qualification.reminder_level, 30)
        with freeze_time("2026-06-29"):
            self.assertEqual(qualification.expiry_state, "expiring")
        with freeze_time("2026-07-01"):
            qualification.invalidate_recordset(["expiry_state"])
            self.assertEqual(qualification.expiry_state, "expired")
            expired = self.env["tsq.employee.qualification"].search(
                [("expiry_state", "=", "expired")]
            )
            self.assertIn(qualification, expired)
            self.assertIn(self.emp_manager, Employee.search([("tsq_staff_alert", "=", True)]))

    def test_reminders_go_to_the_employee_and_their_manager(self):
        self._qualify(self.emp_user2, valid_to=date(2026, 6, 30))
        qualification = self.emp_user2.tsq_qualification_ids
        with freeze_time("2026-06-10"):
            self.env["hr.employee"]._tsq_cron_expiry()
        self.assertEqual(qualification.activity_ids.user_id, self.user2 | self.user)

    def test_expiry_scan_query_count_does_not_grow_with_staff(self):
        Employee = self.env["hr.employee"]

        def scan_queries(count):
            for index in range(count):
                employee = Employee.create({"name": f"员工{count}-{index}"})
                self._qualify(employee, valid_to=date(2027, 12, 31))
            due = Employee.create({"name": f"到期{count}", "parent_id": self.emp_manager.id})
            self._qualify(due, valid_to=date(2026, 6, 15))
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            with freeze_time("2026-06-01"):
                sent = self.env["tsq.employee.qualification"]._cron_expiry_reminders()
                self.env.flush_all()
            self.assertEqual(sent.employee_id, due)
            return self.env.cr.sql_log_count - before

        scan_queries(2)  # warms the caches
        self.assertEqual(scan_queries(2), scan_queries(20))

    # -------------------------------------------------------------- training
    def _training(self):
        course = self.env["hr.course"].create(
            {
                "name": "专利法培训",
                "category_id": self.env["hr.course.category"].create({"name": "专业"}).id,
            }
        )
        plan = self.env["tsq.training.plan"].create(
            {
                "name": "2026 培训计划",
                "year": 2026,
                "planned_hours": 10,
                "employee_ids": [Command.set((self.emp_user | self.emp_user2).ids)],
            }
        )
        schedule = self.env["hr.course.schedule"].create(
            {
                "name": "第一期",
                "course_id": course.id,
                "tsq_plan_id": plan.id,
                "tsq_hours": 6,
                "start_date": date(2026, 3, 1),
                "end_date": date(2026, 3, 1),
                "cost": 0,
                "authorized_by": self.emp_manager.id,
                "attendant_ids": [Command.set((self.emp_user | self.emp_user2).ids)],
            }
        )
        schedule.draft2waiting()
        schedule.waiting2inprogress()
        schedule.course_attendee_ids.filtered(
            lambda a: a.employee_id == self.emp_user
        ).result = "passed"
        schedule.course_attendee_ids.filtered(
            lambda a: a.employee_id == self.emp_user2
        ).result = "failed"
        return plan

    def test_training_hours_coverage_and_xlsx(self):
        plan = self._training()
        self.assertEqual(plan.done_hours, 6)
        self.assertEqual(plan.coverage, 50.0)
        self.assertEqual(plan.completion, 30.0)  # 6 of 2 x 10 hours
        with freeze_time("2026-12-01"):
            self.emp_user.invalidate_recordset(["tsq_training_hours"])
            self.assertEqual(self.emp_user.tsq_training_hours, 6)
            self.assertEqual(self.emp_user2.tsq_training_hours, 0)
        content, kind = self.env["ir.actions.report"]._render(
            "tech_service_quality.action_report_training_xlsx", plan.ids
        )
        self.assertEqual(kind, "xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
        rows = {row[3]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
        self.assertEqual(rows["张工"][4:8], (10, 6, 60, 1))
        self.assertEqual(rows["李工"][4:8], (10, 0, 0, 0))

    def test_employee_record_pdf(self):
        self._training()
        html = (
            self.env["ir.actions.report"]
            .with_user(self.manager)
            ._render_qweb_html(
                "tech_service_quality.action_report_employee_record", self.emp_user.ids
            )[0]
            .decode()
        )
        for text in ("员工培训与资质档案", "专利代理师资格证", "PA-", "专利法培训", "第一期"):
            self.assertIn(text, html)

    # ---------------------------------------------------------------- access
    def test_service_user_sees_own_records_only_and_no_documents(self):
        mine = self.emp_user.tsq_qualification_ids
        theirs = self.emp_manager.tsq_qualification_ids
        Qualification = self.env["tsq.employee.qualification"].with_user(self.user)
        self.assertEqual(Qualification.search([]), mine)
        with self.assertRaises(AccessError):
            theirs.with_user(self.user).read(["number"])
        with self.assertRaises(AccessError):
            mine.with_user(self.user).read(["attachment_ids"])
        with self.assertRaises(AccessError):
            mine.with_user(self.user).write({"valid_to": date(2040, 1, 1)})
        self.assertEqual(
            theirs.with_user(self.manager).read(["number", "attachment_ids"])[0]["number"],
            theirs.number,
        )
        with self.assertRaises(AccessError):
            self.env["tsq.undertaking"].with_user(self.portal_a).search([])
