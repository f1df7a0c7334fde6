"""Suppliers and outsourcing (R4.3): work goes only to a supplier qualified for the
service's category on the dates of the work; status decisions are recorded and
immutable; a suspension flags the open services once; expiry reminders are sent once
per level by a scan whose query count does not depend on the number of suppliers;
evaluations are scored and graded from the criteria's weights and a grade D proposes
one improvement action; the qualified supplier list prints; the suppliers'
documents are confidential and portal users reach nothing."""

import base64
import io
from datetime import date, timedelta

import openpyxl
from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import format_date, mute_logger

from ..models.suppliers.tsq_supplier_evaluation import grade_of
from .common import TsqCase

MODELS = [
    "tsq.supplier.document",
    "tsq.supplier.status",
    "tsq.supplier.qualification",
    "tsq.supplier.criterion",
    "tsq.supplier.evaluation",
    "tsq.supplier.evaluation.line",
    "tsq.outsourcing",
    "tsq.outsourcing.milestone",
]


@tagged("post_install", "-at_install")
class TestSupplier(TsqCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.category_other = cls.env["tsq.service.category"].create(
            {"name": "Test testing services", "code": "TTIC"}
        )
        cls.alert_type = cls.env.ref("tech_service_quality.mail_activity_type_supplier_alert")
        cls.expiry_type = cls.env.ref("tech_service_quality.mail_activity_type_supplier_expiry")
        cls.review_type = cls.env.ref("tech_service_quality.mail_activity_type_supplier_review")
        cls.criteria = {
            code: cls.env.ref(f"tech_service_quality.supplier_criterion_{code}")
            for code in ("quality", "timeliness", "cooperation", "compliance")
        }
        cls.service = cls._new_service(name="专利检索外包服务")
        cls.supplier = cls._supplier("苏州检索咨询 (qualified)")

    # ------------------------------------------------------------------ helpers
    @classmethod
    def _supplier(
        cls,
        name,
        status="qualified",
        category=None,
        valid_from="2026-01-01",
        valid_to="2026-12-31",
        manager=None,
    ):
        """A supplier company with a business licence, approved for ``category``
        (the test category by default; False: none) on the dates, and ``status``."""
        partner = cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "tsq_is_supplier": True,
                "tsq_supplier_manager_id": (manager or cls.manager).id,
            }
        )
        cls.env["tsq.supplier.document"].with_user(cls.manager).create(
            {
                "partner_id": partner.id,
                "doc_type": "business_licence",
                "name": "营业执照",
                "number": "91320000TEST",
                "valid_from": "2020-01-01",
            }
        )
        if category is not False:
            qualification = (
                cls.env["tsq.supplier.qualification"]
                .with_user(cls.manager)
                .create(
                    {
                        "partner_id": partner.id,
                        "service_category_id": (category or cls.category).id,
                        "valid_from": valid_from,
                        "valid_to": valid_to,
                    }
                )
            )
            qualification.with_user(cls.quality).action_approve()
        if status:
            if status != "qualified":
                partner.with_user(cls.quality)._tsq_set_supplier_status("qualified", "资质审核通过")
            partner.with_user(cls.quality)._tsq_set_supplier_status(status, "测试决定")
        return partner

    def _outsource(self, supplier, service=None, start="2026-03-01", end="2026-06-30", user=None):
        return (
            self.env["tsq.outsourcing"]
            .with_user(user or self.manager)
            .create(
                {
                    "name": "专利检索",
                    "service_id": (service or self.service).id,
                    "partner_id": supplier.id,
                    "work_description": "完成检索报告",
                    "date_start": start,
                    "date_end": end,
                    "monitor_id": self.user.id,
                }
            )
        )

    def _activities(self, record, activity_type):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", record._name),
                ("res_id", "=", record.id),
                ("activity_type_id", "=", activity_type.id),
            ]
        )

    def _evaluation(self, supplier, scores, user=None):
        """An evaluation with (criterion code, weight, score) lines."""
        return (
            self.env["tsq.supplier.evaluation"]
            .with_user(user or self.manager)
            .create(
                {
                    "partner_id": supplier.id,
                    "date_from": "2026-01-01",
                    "date_to": "2026-06-30",
                    "line_ids": [
                        Command.create(
                            {
                                "criterion_id": self.criteria[code].id,
                                "weight": weight,
                                "score": score,
                            }
                        )
                        for code, weight, score in scores
                    ],
                }
            )
        )

    # ------------------------------------------------------ choosing a supplier
    def test_qualified_supplier_can_be_chosen(self):
        outsourcing = self._outsource(self.supplier)
        self.assertEqual(outsourcing.state, "in_progress")
        self.assertEqual(outsourcing.service_category_id, self.category)
        self.assertFalse(self.service.tsq_supplier_alert)
        self.assertIn(outsourcing, self.service.tsq_outsourcing_ids)
        conditional = self._supplier("条件合格供方", status="conditional")
        self.assertTrue(self._outsource(conditional))

    def test_unqualified_suppliers_cannot_be_chosen(self):
        """Disqualified, suspended, not assessed, qualified for another category only,
        or with a qualification that does not cover the dates: refused, with the
        supplier, the category and the dates named."""
        cases = {
            "disqualified": self._supplier("取消资格供方", status="disqualified"),
            "suspended": self._supplier("暂停供方", status="suspended"),
            "not assessed": self._supplier("未评审供方", status=False),
            "other category": self._supplier("其他类别供方", category=self.category_other),
            "expired qualification": self._supplier(
                "资格过期供方", valid_from="2025-01-01", valid_to="2026-04-30"
            ),
        }
        for case, supplier in cases.items():
            with self.subTest(case=case), self.assertRaises(ValidationError) as caught:
                self._outsource(supplier)
            message = str(caught.exception)
            self.assertIn(supplier.name, message)
            self.assertIn(self.category.name, message)
            self.assertIn(format_date(self.env, date(2026, 3, 1)), message)
            self.assertIn(format_date(self.env, date(2026, 6, 30)), message)
        # the pending (not approved) qualification does not count either
        pending = self._supplier("待审批供方", category=False)
        self.env["tsq.supplier.qualification"].with_user(self.manager).create(
            {
                "partner_id": pending.id,
                "service_category_id": self.category.id,
                "valid_from": "2026-01-01",
                "valid_to": "2026-12-31",
            }
        )
        with self.assertRaises(ValidationError):
            self._outsource(pending)
        # moving existing work to an unqualified supplier is refused the same way
        outsourcing = self._outsource(self.supplier)
        with self.assertRaises(ValidationError):
            outsourcing.with_user(self.manager).partner_id = cases["suspended"]
        with self.assertRaises(ValidationError):
            outsourcing.with_user(self.manager).date_end = "2027-03-31"

    def test_no_outsourcing_on_a_closed_service(self):
        closed = self._new_service(name="已取消服务")
        closed.with_user(self.user).with_context(tsq_stage_reason="客户取消").write(
            {"service_stage": "cancelled"}
        )
        with self.assertRaisesExactly(UserError):
            self._outsource(self.supplier, service=closed)

    # ---------------------------------------------------------- status decisions
    def test_status_change_is_recorded_and_immutable(self):
        supplier = self._supplier("状态供方", status=False)
        with freeze_time("2026-05-06 02:00:00"):
            history = supplier.with_user(self.quality)._tsq_set_supplier_status(
                "conditional", "ISO 27001 证书待换证"
            )
        self.assertRecordValues(
            history,
            [
                {
                    "partner_id": supplier.id,
                    "status": "conditional",
                    "previous_status": False,
                    "service_category_id": False,
                    "decided_by_id": self.quality.id,
                    "reason": "ISO 27001 证书待换证",
                }
            ],
        )
        self.assertEqual(str(history.decided_at), "2026-05-06 02:00:00")
        self.assertEqual(supplier.tsq_supplier_status, "conditional")
        self.assertEqual(supplier.tsq_supplier_status_by_id, self.quality)
        self.assertEqual(supplier.tsq_supplier_status_reason, "ISO 27001 证书待换证")
        # the history refuses any change, even from the superuser
        with self.assertRaisesExactly(UserError):
            history.with_user(self.quality).write({"reason": "改写"})
        with self.assertRaisesExactly(UserError):
            history.sudo().write({"status": "qualified"})
        with self.assertRaisesExactly(UserError):
            history.sudo().unlink()
        # creating a row is deciding: through the same checks, who and when recorded
        Status = self.env["tsq.supplier.status"]
        with self.assertRaisesExactly(UserError):
            Status.with_user(self.quality).create(
                {
                    "partner_id": supplier.id,
                    "status": "qualified",
                    "decided_by_id": self.manager.id,
                    "decided_at": "2026-01-01 00:00:00",
                    "reason": "伪造",
                }
            )
        with self.assertRaises(AccessError):
            Status.with_user(self.manager).create(
                {"partner_id": supplier.id, "status": "qualified", "reason": "越权"}
            )
        with freeze_time("2026-05-07 03:00:00"):
            decision = Status.with_user(self.quality).create(
                {"partner_id": supplier.id, "status": "qualified", "reason": "换证完成"}
            )
        self.assertRecordValues(
            decision,
            [
                {
                    "status": "qualified",
                    "previous_status": "conditional",
                    "decided_by_id": self.quality.id,
                }
            ],
        )
        self.assertEqual(str(decision.decided_at), "2026-05-07 03:00:00")
        self.assertEqual(supplier.tsq_supplier_status, "qualified")
        action = supplier.with_user(self.quality).action_tsq_decide_status()
        self.assertEqual(action["res_model"], "tsq.supplier.status")
        with self.assertRaises(AccessError):
            supplier.with_user(self.manager).action_tsq_decide_status()
        # the status is not a field a user writes
        for user in (self.quality, self.manager):
            with self.assertRaisesExactly(UserError):
                supplier.with_user(user).write({"tsq_supplier_status": "qualified"})
        with self.assertRaisesExactly(UserError):
            self.env["res.partner"].with_user(self.manager).create(
                {"name": "新供方", "is_company": True, "tsq_supplier_status": "qualified"}
            )
        # only a Quality Manager decides, always with a reason
        with self.assertRaises(AccessError):
            supplier.with_user(self.manager)._tsq_set_supplier_status("qualified", "理由")
        with self.assertRaisesExactly(UserError):
            supplier.with_user(self.quality)._tsq_set_supplier_status("qualified", "  ")
        self.assertEqual(len(supplier.tsq_supplier_status_ids), 3)  # approval + 2 decisions

    def test_qualifying_needs_a_valid_document(self):
        partner = self.env["res.partner"].create(
            {"name": "无证供方", "is_company": True, "tsq_is_supplier": True}
        )
        self.env["tsq.supplier.document"].with_user(self.manager).create(
            {
                "partner_id": partner.id,
                "name": "过期证书",
                "doc_type": "certification",
                "valid_from": "2020-01-01",
                "valid_to": "2021-01-01",
            }
        )
        with self.assertRaisesExactly(UserError):
            partner.with_user(self.quality)._tsq_set_supplier_status("qualified", "审核")
        qualification = (
            self.env["tsq.supplier.qualification"]
            .with_user(self.manager)
            .create(
                {
                    "partner_id": partner.id,
                    "service_category_id": self.category.id,
                    "valid_from": "2026-01-01",
                    "valid_to": "2026-12-31",
                }
            )
        )
        with self.assertRaises(AccessError):
            qualification.with_user(self.manager).action_approve()
        with self.assertRaisesExactly(UserError):
            qualification.with_user(self.quality).action_approve()
        self.assertEqual(qualification.status, "pending")

    def test_approved_qualification_is_a_record(self):
        qualification = self.supplier.tsq_supplier_qualification_ids
        self.assertEqual(qualification.status, "qualified")
        self.assertEqual(qualification.approved_by_id, self.quality)
        with self.assertRaisesExactly(UserError):
            qualification.with_user(self.quality).valid_to = "2027-12-31"
        with self.assertRaisesExactly(UserError):
            qualification.with_user(self.quality).write({"status": "suspended"})
        with self.assertRaisesExactly(UserError):
            qualification.with_user(self.quality).unlink()

    # --------------------------------------------------- suspension and services
    def test_suspension_flags_open_services_once(self):
        open_work = self._outsource(self.supplier)
        closed_service = self._new_service(name="已取消服务")
        closed_work = self._outsource(self.supplier, service=closed_service)
        closed_service.with_user(self.user).with_context(tsq_stage_reason="客户取消").write(
            {"service_stage": "cancelled"}
        )
        other_service = self._new_service(name="无外包服务")
        self.supplier.with_user(self.quality)._tsq_set_supplier_status("suspended", "评价 D 级")
        self.assertTrue(open_work.supplier_blocked)
        self.assertTrue(self.service.tsq_supplier_alert)
        self.assertIn(self.supplier.name, self.service.tsq_supplier_alert_note)
        self.assertFalse(closed_service.tsq_supplier_alert)
        self.assertFalse(other_service.tsq_supplier_alert)
        flagged = self.env["project.project"].search([("tsq_supplier_alert", "=", True)])
        self.assertIn(self.service, flagged)
        self.assertNotIn(closed_service, flagged)
        activity = self._activities(self.service, self.alert_type)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.service.user_id)
        self.assertFalse(self._activities(closed_service, self.alert_type))
        self.assertFalse(closed_work.alert_sent_at)
        # a second decision in the same episode does not repeat the activity
        self.supplier.with_user(self.quality)._tsq_set_supplier_status("disqualified", "复核")
        self.assertEqual(len(self._activities(self.service, self.alert_type)), 1)
        # qualified again: the alert clears, a later suspension alerts again
        self.supplier.with_user(self.quality)._tsq_set_supplier_status("qualified", "整改完成")
        self.assertFalse(self.service.tsq_supplier_alert)
        self.supplier.with_user(self.quality)._tsq_set_supplier_status("suspended", "再次暂停")
        self.assertEqual(len(self._activities(self.service, self.alert_type)), 2)
        # the flag is not for users to set
        with self.assertRaisesExactly(UserError):
            self.service.with_user(self.manager).write({"tsq_supplier_alert": False})

    def test_category_suspension_flags_services_of_that_category(self):
        work = self._outsource(self.supplier)
        self.supplier.with_user(self.quality)._tsq_set_supplier_status(
            "suspended", "该类别投诉", category=self.category
        )
        self.assertEqual(self.supplier.tsq_supplier_status, "qualified")
        self.assertEqual(self.supplier.tsq_supplier_qualification_ids.status, "suspended")
        self.assertEqual(
            self.supplier.tsq_supplier_status_ids[0].service_category_id, self.category
        )
        self.assertTrue(work.supplier_blocked)
        self.assertTrue(self.service.tsq_supplier_alert)
        with self.assertRaises(ValidationError):
            self._outsource(self.supplier)

    # ------------------------------------------------------------ expiry reminders
    def test_expiry_reminders_once_per_level(self):
        supplier = self._supplier("到期提醒供方", valid_from="2026-01-01", valid_to="2026-07-15")
        document = (
            self.env["tsq.supplier.document"]
            .with_user(self.manager)
            .create(
                {
                    "partner_id": supplier.id,
                    "name": "CNAS 认可证书",
                    "doc_type": "certification",
                    "valid_from": "2024-01-01",
                    "valid_to": "2026-06-30",
                }
            )
        )
        Partner = self.env["res.partner"]

        def reminders():
            return self._activities(supplier, self.expiry_type)

        with freeze_time("2026-04-20 01:00:00"):  # 71 days before: nothing yet
            Partner._cron_tsq_supplier_expiry()
            self.assertFalse(reminders())
        with freeze_time("2026-05-01 01:00:00"):  # 60 days before the document
            Partner._cron_tsq_supplier_expiry()
            self.assertEqual(len(reminders()), 1)
            self.assertEqual(document.reminder_level, 60)
            self.assertEqual(reminders().user_id, self.manager)
            self.assertEqual(str(reminders().date_deadline), "2026-06-30")
            self.assertEqual(document.expiry_state, "expiring")
            Partner._cron_tsq_supplier_expiry()  # the next run repeats nothing
            self.assertEqual(len(reminders()), 1)
        with freeze_time("2026-05-16 01:00:00"):  # 60 days before the qualification
            Partner._cron_tsq_supplier_expiry()
            self.assertEqual(len(reminders()), 2)
            self.assertEqual(supplier.tsq_supplier_qualification_ids.reminder_level, 60)
        with freeze_time("2026-05-31 01:00:00"):  # 30 days before the document
            Partner._cron_tsq_supplier_expiry()
            Partner._cron_tsq_supplier_expiry()
            self.assertEqual(len(reminders()), 3)
            self.assertEqual(document.reminder_level, 30)
        with freeze_time("2026-06-16 01:00:00"):  # 29 days before the qualification
            Partner._cron_tsq_supplier_expiry()
            self.assertEqual(len(reminders()), 4)
        with freeze_time("2026-06-20 01:00:00"):
            Partner._cron_tsq_supplier_expiry()
            self.assertEqual(len(reminders()), 4)
        with freeze_time("2026-07-01 01:00:00"):  # expired: red, and in the filter
            self.assertEqual(document.expiry_state, "expired")
            self.assertEqual(supplier.tsq_document_alert, "expired")
            Document = self.env["tsq.supplier.document"]
            self.assertIn(document, Document.search([("expiry_state", "=", "expired")]))
            self.assertNotIn(document, Document.search([("expiry_state", "!=", "expired")]))
            self.assertIn(
                supplier,
                Partner.search([("tsq_supplier_document_ids.expiry_state", "=", "expired")]),
            )

    def test_renewed_document_is_not_reminded_and_new_end_resets(self):
        supplier = self._supplier("换证供方")
        Document = self.env["tsq.supplier.document"].with_user(self.manager)
        old = Document.create(
            {
                "partner_id": supplier.id,
                "name": "CMA 证书",
                "doc_type": "certification",
                "valid_to": "2026-06-30",
            }
        )
        Document.create(
            {
                "partner_id": supplier.id,
                "name": "CMA 证书",  # the renewed certificate
                "doc_type": "certification",
                "valid_to": "2032-06-30",
            }
        )
        other = Document.create(  # another certificate of the same type is no renewal
            {
                "partner_id": supplier.id,
                "name": "ISO 9001 证书",
                "doc_type": "certification",
                "valid_to": "2026-06-30",
            }
        )
        with freeze_time("2026-05-15 01:00:00"):
            self.env["res.partner"]._cron_tsq_supplier_expiry()
        reminders = self._activities(supplier, self.expiry_type)
        self.assertEqual(len(reminders), 1)
        self.assertIn(other.number or other.name, reminders.summary)
        self.assertEqual(old.reminder_level, 60)
        old.with_user(self.manager).valid_to = "2026-09-30"
        self.assertEqual(old.reminder_level, 0)
        with self.assertRaisesExactly(UserError):
            old.with_user(self.manager).reminder_level = 30

    def test_expiry_scan_query_count_does_not_grow_with_suppliers(self):
        """Two due documents among 2 or among 20 suppliers cost the same queries:
        one search per level, no per-supplier query."""
        Partner = self.env["res.partner"]
        today = date(2026, 5, 4)

        def scan_queries(supplier_count):
            with freeze_time(today):
                suppliers = Partner.browse()
                for index in range(supplier_count):
                    suppliers |= self._supplier(f"批量供方 {supplier_count}-{index}")
                for supplier in suppliers[:2]:
                    self.env["tsq.supplier.document"].create(
                        {
                            "partner_id": supplier.id,
                            "name": "到期证书",
                            "doc_type": "certification",
                            "valid_to": today + timedelta(days=45),
                        }
                    )
                self.env.flush_all()
                self.env.invalidate_all()
                before = self.env.cr.sql_log_count
                sent = Partner._cron_tsq_supplier_expiry()
                self.env.flush_all()
                count = self.env.cr.sql_log_count - before
            self.assertEqual(sent, 2)
            return count

        scan_queries(2)  # warms the registry caches
        few = scan_queries(2)
        many = scan_queries(20)
        self.assertEqual(few, many)

    # ---------------------------------------------------------------- evaluations
    def test_evaluation_score_and_grade_from_weights(self):
        evaluation = self._evaluation(
            self.supplier,
            [
                ("quality", 40, 90),
                ("timeliness", 25, 80),
                ("cooperation", 15, 70),
                ("compliance", 20, 50),
            ],
        )
        # (40×90 + 25×80 + 15×70 + 20×50) / 100 = 76.5
        self.assertAlmostEqual(evaluation.score, 76.5)
        self.assertEqual(evaluation.grade, "B")
        evaluation.line_ids.filtered(lambda line: line.criterion_id.code == "compliance").score = 10
        # (3600 + 2000 + 1050 + 200) / 100 = 68.5
        self.assertAlmostEqual(evaluation.score, 68.5)
        self.assertEqual(evaluation.grade, "C")
        # weights need not add up to 100: 2×95 + 1×80 over 3 = 90
        other = self._evaluation(self.supplier, [("quality", 2, 95), ("timeliness", 1, 80)])
        self.assertAlmostEqual(other.score, 90.0)
        self.assertEqual(other.grade, "A")
        for score, grade in (
            (90, "A"),
            (89.99, "B"),
            (75, "B"),
            (74.99, "C"),
            (60, "C"),
            (59.99, "D"),
        ):
            self.assertEqual(grade_of(score), grade)
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.cr.savepoint(),
        ):
            evaluation.line_ids[:1].score = 101
            self.env.flush_all()

    def test_new_evaluation_scores_every_criterion_with_its_weight(self):
        evaluation = (
            self.env["tsq.supplier.evaluation"]
            .with_user(self.manager)
            .create(
                {"partner_id": self.supplier.id, "date_from": "2026-01-01", "date_to": "2026-06-30"}
            )
        )
        active = self.env["tsq.supplier.criterion"].search([])
        self.assertEqual(evaluation.line_ids.criterion_id, active)
        self.assertEqual(
            evaluation.line_ids.mapped("weight"),
            [line.criterion_id.weight for line in evaluation.line_ids],
        )
        # a later weight change does not change an evaluation made
        self.criteria["quality"].with_user(self.quality).weight = 80
        quality_line = evaluation.line_ids.filtered(
            lambda line: line.criterion_id.code == "quality"
        )
        self.assertEqual(quality_line.weight, 40)
        with self.assertRaises(AccessError):
            self.criteria["quality"].with_user(self.manager).weight = 10

    def test_grade_d_proposes_suspension_and_one_action(self):
        evaluation = self._evaluation(
            self.supplier,
            [
                ("quality", 40, 50),
                ("timeliness", 25, 40),
                ("cooperation", 15, 65),
                ("compliance", 20, 60),
            ],
        )
        self.assertAlmostEqual(evaluation.score, 51.75)
        self.assertEqual(evaluation.grade, "D")
        with self.assertRaises(AccessError):
            evaluation.with_user(self.user).action_confirm()
        evaluation.with_user(self.manager).action_confirm()
        self.assertEqual(evaluation.state, "confirmed")
        self.assertEqual(evaluation.confirmed_by_id, self.manager)
        self.assertTrue(evaluation.suspension_proposed)
        action = evaluation.action_id
        self.assertEqual(action.type_action, "correction")
        self.assertEqual(action.tsq_supplier_evaluation_id, evaluation)
        self.assertEqual(action.user_id, self.manager)  # the supplier's manager
        review = self._activities(self.supplier, self.review_type)
        self.assertEqual(len(review), 1)
        self.assertTrue(review.user_id.has_group("tech_service_quality.group_tsq_quality_manager"))
        # once: proposing again gives the same action, confirming again is refused
        self.assertEqual(evaluation._tsq_propose_action(), action)
        self.assertFalse(evaluation._tsq_propose_suspension())
        with self.assertRaisesExactly(UserError):
            evaluation.with_user(self.manager).action_confirm()
        Action = self.env["mgmtsystem.action"]
        self.assertEqual(
            Action.search_count([("tsq_supplier_evaluation_id", "=", evaluation.id)]), 1
        )
        self.assertEqual(len(self._activities(self.supplier, self.review_type)), 1)
        # the suspension itself is the Quality Manager's decision: not made yet
        self.assertEqual(self.supplier.tsq_supplier_status, "qualified")
        self.assertEqual(self.supplier.tsq_last_evaluation_id, evaluation)
        # a confirmed evaluation is a record
        with self.assertRaisesExactly(UserError):
            evaluation.with_user(self.manager).date_to = "2026-07-31"
        with self.assertRaisesExactly(UserError):
            evaluation.line_ids[:1].with_user(self.manager).score = 99
        with self.assertRaisesExactly(UserError):
            evaluation.with_user(self.manager).unlink()
        with self.assertRaisesExactly(UserError):
            evaluation.with_user(self.manager).write({"suspension_proposed": False})

    def test_good_grade_proposes_nothing(self):
        evaluation = self._evaluation(self.supplier, [("quality", 40, 95), ("timeliness", 25, 92)])
        evaluation.with_user(self.manager).action_confirm()
        self.assertEqual(evaluation.grade, "A")
        self.assertFalse(evaluation.action_id)
        self.assertFalse(evaluation.suspension_proposed)
        self.assertFalse(self._activities(self.supplier, self.review_type))

    # -------------------------------------------------------------- outsourcing
    def test_monitor_records_milestones_and_acceptance(self):
        outsourcing = self._outsource(self.supplier)
        outsourcing.with_user(self.manager).milestone_ids = [
            Command.create({"name": "检索报告初稿", "planned_date": "2026-04-15"})
        ]
        milestone = outsourcing.milestone_ids
        # the monitor, a Service User, records what happened; nothing else
        with self.assertRaises(AccessError):
            outsourcing.with_user(self.user).partner_id = self._supplier("替换供方")
        with self.assertRaises(AccessError):
            milestone.with_user(self.user).planned_date = "2026-05-15"
        outsourcing.with_user(self.user).acceptance_result = "accepted"
        with self.assertRaisesExactly(UserError):  # a milestone is still open
            outsourcing.with_user(self.user).action_record_acceptance()
        milestone.with_user(self.user).done_date = "2026-04-20"
        self.assertTrue(milestone.is_late)
        with self.assertRaises(AccessError):  # not the monitor
            outsourcing.with_user(self.user2).action_record_acceptance()
        outsourcing.with_user(self.user).action_record_acceptance()
        self.assertEqual(outsourcing.state, "accepted")
        self.assertEqual(outsourcing.accepted_by_id, self.user)
        with self.assertRaisesExactly(UserError):
            outsourcing.with_user(self.manager).acceptance_note = "改写"
        with self.assertRaisesExactly(UserError):
            milestone.with_user(self.manager).done_date = "2026-04-16"
        with self.assertRaisesExactly(UserError):
            outsourcing.with_user(self.manager).unlink()

    def test_service_user_sees_outsourcing_of_own_services_only(self):
        mine = self._outsource(self.supplier)
        others_service = self._new_service(user=self.outsider, name="他人服务")
        others = (
            self.env["tsq.outsourcing"]
            .with_user(self.manager)
            .create(
                {
                    "name": "他人外包",
                    "service_id": others_service.id,
                    "partner_id": self.supplier.id,
                    "work_description": "检索",
                    "date_start": "2026-03-01",
                    "date_end": "2026-06-30",
                    "monitor_id": self.outsider.id,
                }
            )
        )
        visible = self.env["tsq.outsourcing"].with_user(self.user2).search([])
        self.assertNotIn(mine, visible)
        visible = self.env["tsq.outsourcing"].with_user(self.user).search([])
        self.assertIn(mine, visible)
        self.assertNotIn(others, visible)
        with self.assertRaises(AccessError):
            self._outsource(self.supplier, user=self.user)
        # the qualification file is readable
        self.assertEqual(self.supplier.with_user(self.user).tsq_supplier_status, "qualified")
        self.assertTrue(self.supplier.with_user(self.user).tsq_supplier_qualification_ids)

    # -------------------------------------------------------------------- reports
    def _list_fixture(self):
        graded = self._supplier("甲级检测实验室")
        self._evaluation(graded, [("quality", 40, 95), ("timeliness", 25, 92)]).with_user(
            self.manager
        ).action_confirm()
        suspended = self._supplier("暂停名录供方", status="suspended")
        lapsed = self._supplier("过期名录供方", valid_from="2025-01-01", valid_to="2025-12-31")
        other = self._supplier("其他类别名录供方", category=self.category_other)
        return graded, suspended, lapsed, other

    def test_supplier_list_pdf(self):
        graded, suspended, lapsed, other = self._list_fixture()
        partners = graded | suspended | lapsed | other | self.supplier
        with freeze_time("2026-06-01 02:00:00"):
            html = (
                self.env["ir.actions.report"]
                .with_user(self.manager)
                ._render_qweb_html(
                    "tech_service_quality.action_report_supplier_list", partners.ids
                )[0]
                .decode()
            )
        self.assertIn("合格供方名录", html)
        self.assertLess(html.index("合格供方名录"), html.index("Qualified Supplier List"))
        self.assertEqual(html.count('class="tsq_supplier_row"'), 3)
        for name in (graded.name, other.name, self.supplier.name):
            self.assertIn(name, html)
        for name in (suspended.name, lapsed.name):
            self.assertNotIn(name, html)
        self.assertIn(self.category.name, html)
        self.assertIn(self.category_other.name, html)
        self.assertIn("93.8", html)  # (40×95 + 25×92) / 65 = 93.85

    def test_supplier_list_xlsx(self):
        graded, suspended, lapsed, other = self._list_fixture()
        partners = graded | suspended | lapsed | other
        with freeze_time("2026-06-01 02:00:00"):
            content, kind = (
                self.env["ir.actions.report"]
                .with_user(self.manager)
                ._render("tech_service_quality.action_report_supplier_list_xlsx", partners.ids)
            )
        self.assertEqual(kind, "xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
        self.assertTrue(sheet["A1"].value.startswith("合格供方名录"))
        rows = [row for row in sheet.iter_rows(min_row=4, values_only=True) if row[1]]
        by_supplier = {row[1]: row for row in rows}
        self.assertEqual(set(by_supplier), {graded.name, other.name})
        row = by_supplier[graded.name]
        self.assertEqual(row[0], self.category.name)
        self.assertEqual(row[2:4], ("Qualified", "Qualified"))
        self.assertEqual(row[4].date(), date(2026, 1, 1))
        self.assertEqual(row[5].date(), date(2026, 12, 31))
        self.assertEqual(row[6].date(), date(2026, 6, 30))
        self.assertAlmostEqual(row[7], 93.85, places=2)
        self.assertEqual(row[8], "A")
        self.assertIsNone(by_supplier[other.name][8])

    # ----------------------------------------------- periodic re-evaluation (R4.3.3)
    def _evaluated(self, supplier, date_from, date_to):
        evaluation = self._evaluation(supplier, [("quality", 40, 90), ("timeliness", 25, 85)])
        evaluation.write({"date_from": date_from, "date_to": date_to})
        evaluation.with_user(self.manager).action_confirm()
        return evaluation

    def test_next_evaluation_due_moves_with_each_evaluation(self):
        with freeze_time("2026-03-10 04:00:00"):
            supplier = self._supplier("定期评价供方")
        self.assertEqual(supplier.tsq_next_evaluation_date, date(2027, 3, 10), "qualified + 12")
        self._evaluated(supplier, "2026-01-01", "2026-06-30")
        self.assertEqual(supplier.tsq_next_evaluation_date, date(2027, 6, 30))
        self._evaluated(supplier, "2026-07-01", "2026-12-31")
        self.assertEqual(supplier.tsq_next_evaluation_date, date(2027, 12, 31))
        # the category's interval, when it sets one; else the company's
        self.category.supplier_reevaluation_months = 6
        self.assertEqual(supplier.tsq_next_evaluation_date, date(2027, 6, 30))
        self.category.supplier_reevaluation_months = 0
        self.company.tsq_supplier_reevaluation_months = 24
        self.assertEqual(supplier.tsq_next_evaluation_date, date(2028, 12, 31))
        # a supplier that is not qualified is not scheduled
        supplier.with_user(self.quality)._tsq_set_supplier_status("suspended", "停用")
        self.assertFalse(supplier.tsq_next_evaluation_date)
        with self.assertRaisesExactly(UserError):
            supplier.with_user(self.quality).write({"tsq_reevaluation_reminded_for": "2026-01-01"})

    def test_conformance_counts_re_evaluation_on_time(self):
        """R4.3.3 in the conformance assessment: a supplier past its re-evaluation
        date at the period's end falls short; one within its interval meets it."""
        from ..models.conformance.tsq_conformance_measure import Period

        with freeze_time("2025-05-01 04:00:00"):
            late = self._supplier("逾期评价供方")
        self._evaluated(late, "2025-01-01", "2025-06-30")
        with freeze_time("2026-03-10 04:00:00"):
            fresh = self._supplier("新合格供方")
        Measure = self.env["tsq.conformance.measure"]
        period = Period.of(self.company, date(2026, 1, 1), date(2026, 12, 31))
        judged, met = Measure._tsq_measure_reevaluation(period)
        self.assertIn(late, judged)
        self.assertNotIn(late, met)
        self.assertIn(fresh, met)
        # a longer interval for the company: the late one is on time again
        self.company.tsq_supplier_reevaluation_months = 24
        judged, met = Measure._tsq_measure_reevaluation(period)
        self.assertIn(late, met)

    def test_overdue_re_evaluation_is_flagged(self):
        with freeze_time("2025-05-01 04:00:00"):
            late = self._supplier("逾期评价供方")
        self._evaluated(late, "2025-01-01", "2025-06-30")
        with freeze_time("2026-03-10 04:00:00"):
            fresh = self._supplier("新合格供方")
        with freeze_time("2026-06-30 04:00:00"):
            self.assertFalse(late.with_user(self.manager).tsq_evaluation_overdue, "due today")
        with freeze_time("2026-07-01 04:00:00"):
            late.invalidate_recordset(["tsq_evaluation_overdue"])
            self.assertTrue(late.with_user(self.manager).tsq_evaluation_overdue)
            self.assertFalse(fresh.with_user(self.manager).tsq_evaluation_overdue)
            Partner = self.env["res.partner"].with_user(self.manager)
            overdue = Partner.search([("tsq_evaluation_overdue", "=", True)])
            self.assertIn(late, overdue)
            self.assertNotIn(fresh, overdue)
            self.assertIn(fresh, Partner.search([("tsq_evaluation_overdue", "=", False)]))
            html = (
                self.env["ir.actions.report"]
                .with_user(self.manager)
                ._render_qweb_html(
                    "tech_service_quality.action_report_supplier_list", (late | fresh).ids
                )[0]
                .decode()
            )
        self.assertIn("Next evaluation due", html)
        self.assertEqual(html.count("(overdue)"), 1, "the late supplier only")

    def test_re_evaluation_reminder_sent_once_in_the_managers_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"].search(
            [("name", "=", "tech_service_quality")]
        )._update_translations(["zh_CN"])
        self.manager.lang = "zh_CN"
        reevaluation = self.env.ref("tech_service_quality.mail_activity_type_supplier_reevaluation")
        with freeze_time("2025-05-01 04:00:00"):
            supplier = self._supplier("按期复评供方")
        self._evaluated(supplier, "2025-01-01", "2025-06-30")
        Partner = self.env["res.partner"]
        with freeze_time("2026-06-29 04:00:00"):
            Partner._cron_tsq_supplier_reevaluation()
        self.assertFalse(self._activities(supplier, reevaluation), "not due yet")
        for day in ("2026-06-30", "2026-07-01", "2026-08-15"):
            with freeze_time(f"{day} 04:00:00"):
                Partner._cron_tsq_supplier_reevaluation()
        reminder = self._activities(supplier, reevaluation)
        self.assertEqual(len(reminder), 1, "once, however often the cron runs")
        self.assertEqual(reminder.user_id, self.manager, "the supplier's manager")
        self.assertEqual(reminder.date_deadline, date(2026, 6, 30))
        self.assertIn("按期复评供方", reminder.summary)
        self.assertIn("2026年6月30日", reminder.summary, "in the manager's language")
        self.assertNotIn("again", reminder.summary)
        # evaluated again: the next due date gets its own reminder, once
        self._evaluated(supplier, "2026-01-01", "2026-06-30")
        with freeze_time("2027-06-30 04:00:00"):
            Partner._cron_tsq_supplier_reevaluation()
            Partner._cron_tsq_supplier_reevaluation()
        reminders = self._activities(supplier, reevaluation)
        self.assertEqual(len(reminders), 2)
        self.assertEqual(max(reminders.mapped("date_deadline")), date(2027, 6, 30))

    # ------------------------------------------------------------------- security
    def test_document_files_are_confidential(self):
        document = (
            self.env["tsq.supplier.document"]
            .with_user(self.manager)
            .create(
                {
                    "partner_id": self.supplier.id,
                    "name": "审计报告",
                    "doc_type": "other",
                    "attachment_ids": [
                        Command.create(
                            {
                                "name": "audit.pdf",
                                "datas": base64.b64encode(b"%PDF-1.4 confidential"),
                            }
                        )
                    ],
                }
            )
        )
        attachment = document.sudo().attachment_ids
        self.assertEqual(
            (attachment.res_model, attachment.res_id, attachment.res_field),
            ("tsq.supplier.document", document.id, "attachment_ids"),
        )
        # a Service User reads the document's metadata, never its files
        as_user = document.with_user(self.user)
        self.assertEqual(as_user.read(["name", "expiry_state"])[0]["name"], "审计报告")
        with self.assertRaises(AccessError):
            as_user.read(["attachment_ids"])
        with self.assertRaises(AccessError):
            attachment.with_user(self.user).read(["datas"])
        Attachment = self.env["ir.attachment"].with_user(self.user)
        self.assertFalse(Attachment.search([("res_model", "=", "tsq.supplier.document")]))
        with self.assertRaises(AccessError):
            self.env["tsq.supplier.document"].with_user(self.user).create(
                {"partner_id": self.supplier.id, "name": "x", "doc_type": "other"}
            )
        # managers and quality managers read them
        for user in (self.manager, self.quality):
            self.assertEqual(document.with_user(user).attachment_ids, attachment)
            self.assertTrue(attachment.with_user(user).read(["datas"])[0]["datas"])

    def test_portal_users_reach_nothing(self):
        evaluation = self._evaluation(self.supplier, [("quality", 40, 95)])
        outsourcing = self._outsource(self.supplier)
        outsourcing.with_user(self.manager).milestone_ids = [
            Command.create({"name": "初稿", "planned_date": "2026-04-15"})
        ]
        records = {
            "tsq.supplier.document": self.supplier.tsq_supplier_document_ids,
            "tsq.supplier.status": self.supplier.tsq_supplier_status_ids,
            "tsq.supplier.qualification": self.supplier.tsq_supplier_qualification_ids,
            "tsq.supplier.criterion": self.criteria["quality"],
            "tsq.supplier.evaluation": evaluation,
            "tsq.supplier.evaluation.line": evaluation.line_ids,
            "tsq.outsourcing": outsourcing,
            "tsq.outsourcing.milestone": outsourcing.milestone_ids,
        }
        self.assertEqual(set(records), set(MODELS))
        for model, record in records.items():
            with self.subTest(model=model):
                self.assertTrue(record)
                with self.assertRaises(AccessError):
                    self.env[model].with_user(self.portal_a).search([])
                with self.assertRaises(AccessError):
                    record.with_user(self.portal_a).read(["display_name"])
        with self.assertRaises(AccessError):
            self.supplier.with_user(self.portal_a).read(["tsq_supplier_status"])
