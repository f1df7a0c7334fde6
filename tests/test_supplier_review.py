"""Suppliers (R4.3), their follow-up: expiry reminders are sent once per level by
a scan whose query count does not depend on the number of suppliers; evaluations
are scored and graded from the criteria's weights and a grade D proposes one
improvement action; the qualified supplier list prints; re-evaluation is due
periodically and reminded."""

import io
from datetime import date, timedelta

import openpyxl
from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models.suppliers.tsq_supplier_evaluation import grade_of
from .test_supplier import SupplierCase


@tagged("post_install", "-at_install")
class TestSupplierReview(SupplierCase):
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
