"""Suppliers and outsourcing (R4.3): work goes only to a supplier qualified for the
service's category on the dates of the work; status decisions are recorded and
immutable; a suspension flags the open services once; the outsourcing is monitored;
the suppliers' documents are confidential and portal users reach nothing.
Reminders, evaluations and the qualified supplier list: test_supplier_review.py."""

import base64
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import format_date

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


class SupplierCase(TsqCase):
    """A qualified supplier for a service of the test category, and the helpers
    that create suppliers, outsourcing and evaluations."""

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


@tagged("post_install", "-at_install")
class TestSupplier(SupplierCase):
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
