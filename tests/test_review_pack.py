"""The management-review pack (管理评审): one dict of figures for a period, drawn
as a PDF and an XLSX workbook that hold the same figures as the indicator
snapshots; the wizard and the daily scheduled action that prepare a review once
per period.

The PDF tests are an HttpCase: wkhtmltopdf loads the report's style sheets from
the running server (see tests/test_reports.py)."""

import io
import zipfile
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import openpyxl
from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from ..lib.periods import last_ended as last_ended_period
from .common import TsqCase

SHANGHAI = ZoneInfo("Asia/Shanghai")
PDF = "tech_service_quality.action_report_review_pack"
XLSX = "tech_service_quality.action_report_review_pack_xlsx"
Q1_FROM, Q1_TO = date(2024, 1, 1), date(2024, 4, 1)


def utc(*args):
    """Naive UTC instant of a Beijing wall time."""
    return datetime(*args, tzinfo=SHANGHAI).astimezone(UTC).replace(tzinfo=None)


class ReviewCase(TsqCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Review = cls.env["mgmtsystem.review"]
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Review complaint desk",
                "user_id": cls.manager.id,
                "user_ids": [Command.set([cls.user.id, cls.manager.id])],
            }
        )

    @classmethod
    def _review(cls, date_from=Q1_FROM, date_to=Q1_TO, name="2024 Q1 test review"):
        return cls.Review.sudo().create(
            {
                "name": name,
                "date": fields.Datetime.now(),
                "company_id": cls.company.id,
                "tsq_period_type": "quarter",
                "tsq_date_from": date_from,
                "tsq_date_to": date_to,
                "tsq_period_label": "2024 Q1",
            }
        )

    @classmethod
    def _ticket(cls, received, category="helpdesk_category_complaint"):
        return (
            cls.env["helpdesk.ticket"]
            .sudo()
            .create(
                {
                    "name": "检测报告数据有误",
                    "description": "<p>报告数据与原始记录不一致。</p>",
                    "category_id": cls.env.ref(f"tech_service_quality.{category}").id,
                    "team_id": cls.team.id,
                    "user_id": cls.user.id,
                    "partner_id": cls.contact_a.id,
                    "company_id": cls.company.id,
                    "tsq_received_at": received,
                }
            )
        )

    @classmethod
    def _snapshots(cls, date_from=Q1_FROM, date_to=Q1_TO):
        """Closed company-level figures of every active indicator for the period,
        with known values; the last one has no data."""
        indicators = cls.env["tsq.indicator"].search([])
        assert indicators, "the seven indicators are data of the module"
        Snapshot = cls.env["tsq.indicator.snapshot"].sudo().with_context(tsq_engine_write=True)
        snapshots = Snapshot.browse()
        for i, indicator in enumerate(indicators):
            has_data = i < len(indicators) - 1
            numerator, denominator = (37 + i, 41 + 2 * i) if has_data else (0, 0)
            value = round(100.0 * numerator / denominator, 1) if has_data else 0.0
            target = 2.0 if indicator.code == "valid_complaint" else 90.0
            direction = "le" if indicator.code == "valid_complaint" else "ge"
            met = value <= target if direction == "le" else value >= target
            snapshots |= Snapshot.create(
                {
                    "company_id": cls.company.id,
                    "indicator_id": indicator.id,
                    "period_type": "quarter",
                    "date_from": date_from,
                    "date_to": date_to,
                    "period_label": "2024 Q1",
                    "split": "none",
                    "numerator": numerator,
                    "denominator": denominator,
                    "value": value,
                    "has_data": has_data,
                    "target": target,
                    "direction": direction,
                    "status": ("met" if met else "missed") if has_data else "no_data",
                    "state": "closed",
                    "computed_at": fields.Datetime.now(),
                    "closed_at": fields.Datetime.now(),
                }
            )
        return snapshots

    @staticmethod
    def _book(content):
        return openpyxl.load_workbook(io.BytesIO(content))


@tagged("post_install", "-at_install")
class TestReviewPack(ReviewCase):
    def test_period_helpers(self):
        self.assertEqual(
            last_ended_period("quarter", date(2026, 11, 24)),
            (2026, 3, date(2026, 7, 1), date(2026, 10, 1)),
        )
        self.assertEqual(
            last_ended_period("quarter", date(2026, 1, 1)),
            (2025, 4, date(2025, 10, 1), date(2026, 1, 1)),
        )
        self.assertEqual(
            last_ended_period("half", date(2026, 7, 1)),
            (2026, 1, date(2026, 1, 1), date(2026, 7, 1)),
        )
        self.assertEqual(
            last_ended_period("year", date(2026, 3, 5)),
            (2025, 1, date(2025, 1, 1), date(2026, 1, 1)),
        )

    def test_complaint_counts_equal_a_hand_count(self):
        """Complaints received in [1 Jan, 1 Apr) Beijing time: the boundaries are
        local midnights; a request that is not a complaint is not counted."""
        inside = (
            self._ticket(utc(2024, 1, 10, 10, 0))
            | self._ticket(utc(2024, 2, 20, 9, 0))
            | self._ticket(utc(2024, 3, 31, 23, 30))  # 15:30 UTC, last evening
        )
        self._ticket(utc(2024, 4, 1, 0, 10))  # 31 March 16:10 UTC: after the period
        self._ticket(utc(2023, 12, 31, 23, 59))  # before, in December's bar
        request = self._ticket(utc(2024, 2, 1, 10, 0), category="helpdesk_category_aftersales")
        valid = inside[0].with_user(self.user)
        valid.write({"tsq_validity_reason": "报告确有错误"})
        valid._tsq_judge("valid")

        pack = self._review()._tsq_pack_data()
        complaints = pack["complaints"]
        self.assertEqual(complaints["received"], 3)
        self.assertEqual(complaints["valid"], 1)
        self.assertEqual(complaints["pending"], 2)
        self.assertEqual(complaints["invalid"], 0)
        by_month = {m["label"]: m["count"] for m in complaints["by_month"]}
        self.assertEqual(len(by_month), 12)
        self.assertEqual(
            (by_month["2023-12"], by_month["2024-01"], by_month["2024-02"], by_month["2024-03"]),
            (1, 1, 1, 1),
        )
        self.assertEqual(sum(by_month.values()), 4)
        # SLA: every (primary) clock of the tickets received in the period, by role
        clocks = (inside | request).sudo().tsq_clock_ids
        self.assertTrue(clocks)
        self.assertEqual(sum(row["total"] for row in complaints["sla"]), len(clocks))
        # the valid complaint proposed an action: it is a decision to take
        action = valid.sudo().tsq_action_id
        self.assertIn(f"action:{action.id}", [d["key"] for d in pack["decisions"]])

    def test_pack_satisfaction_uses_the_indicators_threshold(self):
        """The pack's "satisfied" counts the scores the satisfaction indicator
        counts (its parameter), like the dashboard and the scorecards."""
        service = self._new_service(client=self.client_a)
        Feedback = self.env["tsq.feedback"].sudo()
        client_c = self.env["res.partner"].create({"name": "丙公司 Client C", "is_company": True})
        for partner, score in ((self.client_a, 5), (self.client_b, 4), (client_c, 3)):
            Feedback.create(
                {
                    "partner_id": partner.id,
                    "service_id": service.id,
                    "occasion": "acceptance",
                    "score": score,
                    "submitted_at": utc(2024, 2, 1, 2),
                }
            )
        review = self._review()
        feedback = review._tsq_pack_data()["feedback"]
        self.assertEqual((feedback["count"], feedback["satisfied"]), (3, 2))
        self.env.ref("tech_service_quality.indicator_satisfaction").param_satisfied_score = 5
        feedback = review._tsq_pack_data()["feedback"]
        self.assertEqual((feedback["satisfied"], feedback["satisfied_score"]), (1, 5))
        self.assertEqual(feedback["satisfied_label"], "Satisfied (score 5 or more)")

    def test_pack_sla_figures_equal_the_dashboards(self):
        """The pack's SLA table reads the clocks as the indicator engine does: a
        cancelled ticket and a second (not primary) clock of the same role are not
        counted, so that the pack and the Quality Dashboard say the same."""
        requests = self._ticket(
            utc(2024, 1, 15, 10, 0), category="helpdesk_category_aftersales"
        ) | self._ticket(utc(2024, 2, 15, 10, 0), category="helpdesk_category_aftersales")
        complaints = self._ticket(utc(2024, 2, 1, 10, 0)) | self._ticket(utc(2024, 3, 1, 10, 0))
        cancelled = requests[1]  # a complaint is closed (or cancelled) only when handled
        cancelled.sudo().write(
            {"stage_id": self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_cancelled").id}
        )
        # a stricter policy next to the general one: a second, not primary, clock
        strict = self.env.ref("tech_service_quality.sla_policy_aftersales_response").copy(
            {"name": "Key clients: 12 h", "amount": 12, "sequence": 50}
        )
        Clock = self.env["tsq.sla.clock"].sudo()
        Clock._apply_policies(requests.sudo())
        clocks = requests.sudo().tsq_clock_ids
        self.assertTrue(clocks.filtered(lambda c: c.policy_id == strict and not c.is_primary))
        self.assertTrue(cancelled.sudo().tsq_clock_ids)

        pack = self._review()._tsq_pack_data()
        sla = {row["role"]: row for row in pack["complaints"]["sla"]}
        engine = self.env["tsq.indicator.engine"].sudo()
        Indicator = self.env["tsq.indicator"]

        def facts(code):
            indicator = Indicator.search([("code", "=", code)], limit=1)
            rows = engine._facts(self.company, indicator, (Q1_FROM, Q1_TO))
            return [r for r in rows if r["res_model"] == "helpdesk.ticket"]

        response = facts("response")
        self.assertEqual({r["res_id"] for r in response}, {requests[0].id})
        row = sla["request_response"]
        self.assertEqual(row["total"], sum(1 for r in response if r["den"]))
        self.assertEqual(row["met"], sum(1 for r in response if r["num"]))
        timeliness = facts("complaint_timeliness")
        self.assertEqual({r["res_id"] for r in timeliness}, set(complaints.ids))
        for role in ("complaint_response", "complaint_resolution"):
            self.assertEqual(sla[role]["total"], sum(1 for r in timeliness if r["den"]), role)
        # the indicator rows are the engine's figures of the period
        rows = {row["code"]: row for row in pack["indicators"]["rows"]}
        for code in ("response", "complaint_timeliness"):
            indicator = Indicator.search([("code", "=", code)], limit=1)
            counted = engine._count(self.company, indicator, [(Q1_FROM, Q1_TO)])
            num, den, _provisional = counted.get((0, None), (0, 0, 0))
            self.assertEqual((rows[code]["numerator"], rows[code]["denominator"]), (num, den))

    def test_pack_shows_the_snapshots(self):
        snapshots = self._snapshots()
        review = self._review()
        pack = review._tsq_pack_data()
        rows = {row["code"]: row for row in pack["indicators"]["rows"]}
        self.assertEqual(set(rows), set(snapshots.mapped("code")))
        for snap in snapshots:
            row = rows[snap.code]
            self.assertEqual(row["snapshot_id"], snap.id)
            self.assertEqual(
                (row["numerator"], row["denominator"]), (snap.numerator, snap.denominator)
            )
            self.assertEqual(row["has_data"], snap.has_data)
            self.assertEqual(row["value"], snap.value if snap.has_data else None)
            self.assertEqual(row["status"], snap.status)
        missed = snapshots.filtered(lambda s: s.status == "missed")
        self.assertTrue(missed)
        keys = [d["key"] for d in pack["decisions"]]
        for snap in missed:
            self.assertIn(f"indicator:{snap.code}", keys)

        # the XLSX, read back, holds the same figures
        content, kind = self.env["ir.actions.report"]._render(XLSX, review.ids)
        self.assertEqual(kind, "xlsx")
        book = self._book(content)
        self.assertGreaterEqual(len(book.worksheets), 11)  # one sheet per section
        sheet = book.worksheets[1]
        found = {}
        for values in sheet.iter_rows(min_row=6, values_only=True):
            if values[0] in rows:
                found[values[0]] = values
        self.assertEqual(set(found), set(rows))
        for snap in snapshots:
            values = found[snap.code]
            self.assertEqual((values[4], values[5]), (snap.numerator, snap.denominator))
            if snap.has_data:
                self.assertAlmostEqual(values[6], snap.value, places=6)
            else:
                self.assertIsNone(values[6])
            self.assertAlmostEqual(values[7], snap.target, places=6)
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        self.assertGreaterEqual(len(charts), 4)  # indicators, trends, complaints, scores

        # the PDF's HTML holds them too
        html = self.env["ir.actions.report"]._render_qweb_html(PDF, review.ids)[0].decode()
        self.assertIn("管理评审输入报告", html)
        for snap in snapshots:
            self.assertIn(f'<td class="tsq_r tsq_numerator">{snap.numerator}</td>', html)
            self.assertIn(f'<td class="tsq_r tsq_denominator">{snap.denominator}</td>', html)
            if snap.has_data:
                self.assertIn(f"{snap.value:.1f}", html)
        self.assertIn("<svg", html)  # the charts

    def test_generate_replaces_the_attachments(self):
        self._snapshots()
        review = self._review().with_user(self.quality)
        review.action_tsq_generate_pack()
        xlsx = review.tsq_pack_xlsx_id
        self.assertTrue(xlsx)
        self.assertEqual(xlsx.res_model, "mgmtsystem.review")
        self.assertEqual(xlsx.res_id, review.id)
        self.assertTrue(review.tsq_generated_at)
        lines = review.tsq_decision_ids
        self.assertTrue(lines)
        lines[:1].decision = "由质量部牵头整改"
        review.action_tsq_generate_pack()
        self.assertNotEqual(review.tsq_pack_xlsx_id, xlsx)
        self.assertFalse(xlsx.exists())
        self.assertEqual(review.tsq_decision_ids, lines)  # added once, decisions kept
        self.assertEqual(lines[:1].decision, "由质量部牵头整改")
        # a closed review is a record: its pack is not generated again
        review.button_close()
        with self.assertRaisesExactly(UserError):
            review.action_tsq_generate_pack()

    def test_only_quality_managers_generate(self):
        review = self._review()
        with self.assertRaises(AccessError):
            review.with_user(self.manager).action_tsq_generate_pack()

    def test_cron_prepares_each_period_once(self):
        with freeze_time("2024-04-15 02:00:00"):
            created = self.Review._cron_tsq_prepare_reviews()
            mine = created.filtered(lambda r: r.company_id == self.company)
            self.assertEqual(len(mine), 1)
            self.assertEqual((mine.tsq_date_from, mine.tsq_date_to), (Q1_FROM, Q1_TO))
            self.assertEqual(mine.tsq_period_type, "quarter")
            self.assertIn(self.quality, mine.user_ids)
            self.assertTrue(mine.tsq_pack_xlsx_id)
            self.assertEqual(set(mine.activity_ids.mapped("user_id")), set(mine.user_ids))
            count = self.Review.sudo().search_count([])
            again = self.Review._cron_tsq_prepare_reviews()
            self.assertFalse(again)
            self.assertEqual(self.Review.sudo().search_count([]), count)

    def test_cron_follows_the_company_interval(self):
        self.company.tsq_review_interval = "half"
        with freeze_time("2024-07-02 02:00:00"):
            created = self.Review._cron_tsq_prepare_reviews()
        mine = created.filtered(lambda r: r.company_id == self.company)
        self.assertEqual((mine.tsq_date_from, mine.tsq_date_to), (Q1_FROM, date(2024, 7, 1)))
        self.assertEqual(mine.tsq_period_type, "half")

    def test_wizard_refuses_a_second_review_of_a_period(self):
        self._review()
        wizard = (
            self.env["tsq.review.wizard"]
            .with_user(self.quality)
            .create({"period_type": "quarter", "year": 2024, "quarter": "1"})
        )
        self.assertTrue(wizard.name)
        with self.assertRaisesExactly(UserError):
            wizard.action_confirm()


@tagged("post_install", "-at_install")
class TestReviewPackPdf(ReviewCase, HttpCase):
    def test_wizard_creates_the_review_and_both_files(self):
        snapshots = self._snapshots()
        wizard = (
            self.env["tsq.review.wizard"]
            .with_user(self.quality)
            .with_context(force_report_rendering=True)
            .create({"period_type": "quarter", "year": 2024, "quarter": "1"})
        )
        self.assertEqual(wizard.company_id, self.company)
        action = wizard.action_confirm()
        review = self.Review.browse(action["res_id"])
        self.assertEqual(
            self.Review.sudo().search(
                [
                    ("company_id", "=", self.company.id),
                    ("tsq_date_from", "=", Q1_FROM),
                    ("tsq_date_to", "=", Q1_TO),
                ]
            ),
            review,
        )
        self.assertIn(self.quality, review.user_ids)
        self.assertTrue(review.tsq_pack_pdf_id.raw.startswith(b"%PDF"))
        self.assertEqual(review.tsq_pack_pdf_id.mimetype, "application/pdf")
        sheet = self._book(review.tsq_pack_xlsx_id.raw).worksheets[1]
        codes = {values[0]: values for values in sheet.iter_rows(min_row=6, values_only=True)}
        for snap in snapshots:
            self.assertEqual(codes[snap.code][4], snap.numerator)
            self.assertEqual(codes[snap.code][5], snap.denominator)
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "mgmtsystem.review"), ("res_id", "=", review.id)]
        )
        self.assertEqual(attachments, review.tsq_pack_pdf_id | review.tsq_pack_xlsx_id)

    def test_pdf_renders(self):
        self._snapshots()
        review = self._review()
        content, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(PDF, review.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(content.startswith(b"%PDF"))
