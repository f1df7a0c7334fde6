"""The printed records of the standard: each QWeb report renders the facts of
its record (in the company's time zone), and a real PDF comes out of
wkhtmltopdf.

The class is also an HttpCase: wkhtmltopdf loads the report's style sheets
from the running Odoo server, and only an HttpCase lets the server answer
while the tests run (the registry lock is held otherwise, and wkhtmltopdf
would wait for ever). Odoo's own PDF tests are HttpCases for that reason."""

import io
from datetime import datetime, timedelta

from odoo import Command
from odoo.tests import HttpCase, tagged
from odoo.tools.pdf import PdfFileReader

from ..models.lifecycle.tsq_gate_requirement_mixin import CONTRACT_TERMS
from .common import TsqCase

MODULE = "tech_service_quality"


@tagged("post_install", "-at_install")
class TestReports(TsqCase, HttpCase):
    def _html(self, report, records):
        html, report_type = self.env["ir.actions.report"]._render_qweb_html(
            f"{MODULE}.{report}", records.ids
        )
        self.assertEqual(report_type, "html")
        return html.decode()

    def _assert_all_in(self, html, *texts):
        for text in texts:
            self.assertIn(text, html)

    # ------------------------------------------------------------ the actions
    def test_report_actions(self):
        expected = {
            "action_report_service_plan": "project.project",
            "action_report_contract_checklist": "project.project",
            "action_report_acceptance": "tsq.acceptance",
            "action_report_objection": "tsq.acceptance",
            "action_report_return_visit": "tsq.return.visit",
        }
        for xmlid, model in expected.items():
            action = self.env.ref(f"{MODULE}.{xmlid}")
            self.assertEqual(action.model, model)
            self.assertEqual(action.report_type, "qweb-pdf")
            # offered in the Print menu of its model
            self.assertEqual(action.binding_model_id.model, model)
            self.assertTrue(action.print_report_name)

    # ----------------------------------------------------------- the documents
    def test_service_plan(self):
        service = self._advance(self._new_service(), "s3")
        service.sudo().service_member_ids = [Command.link(self.user2.id)]
        html = self._html("report_service_plan", service)
        self._assert_all_in(
            html,
            "服务方案",
            "Service Plan",
            "专利布局服务",
            "甲公司 Client A",
            "Test IP services",
            "张工 (user)",
            "李工 (user 2)",
            "形成专利组合",
            "检索、撰写、申请",
            "三阶段实施",
            "检索报告、申请文件",
            "审查周期不确定",
            "50,000.00",
            # the client's confirmation
            "甲联系人",
            "Client portal",
            # the milestone, planned for 2026-03-20, is not reached yet
            "Mar 20, 2026",
        )
        self.assertNotIn("has not confirmed this plan", html)

    def test_contract_checklist(self):
        service = self._advance(self._new_service(), "s4")
        html = self._html("report_contract_checklist", service)
        self._assert_all_in(
            html,
            "合同要素核对表",
            "Contract Checklist",
            "甲公司 Client A",
            "HT-2026-001",
            "Mar 1, 2026",
            "Jun 30, 2026",
            "contract.pdf",
            # the S3 gate's checklist item, with who did it
            "Power of attorney",
            "evidence.pdf",
            "张工 (user)",
        )
        for _name, label in CONTRACT_TERMS:
            self.assertIn(label, html)
        self.assertEqual(html.count("✔"), len(CONTRACT_TERMS) + 2)  # terms, total, item
        self.assertNotIn("✘", html)

    def test_contract_checklist_missing_terms(self):
        service = self._advance(self._new_service(), "s3")
        service.with_user(self.user).write({"term_parties": True, "term_ip": True})
        html = self._html("report_contract_checklist", service)
        self.assertEqual(html.count('class="tsq_no">✘</span>'), len(CONTRACT_TERMS) - 2 + 1)
        self.assertIn("✘ No", html)

    def test_acceptance(self):
        service = self._advance(self._new_service(), "s6")
        acceptance = service.acceptance_ids
        self.assertEqual(acceptance.state, "accepted")
        html = self._html("report_acceptance", acceptance)
        self._assert_all_in(
            html,
            "验收确认单",
            "Acceptance Confirmation",
            "专利布局服务",
            "甲公司 Client A",
            "专利申请文件",  # the deliverable handed over
            "甲联系人",  # the signer
            "Accepted",
            "Client portal",
        )
        # the drawn signature, as an image
        self.assertRegex(html, r'<img class="tsq_signature"[^>]* src="data:image/png;base64,')

    def test_objection(self):
        service = self._advance(self._new_service(), "s5")
        deliverable = (
            self.env["tsq.deliverable"]
            .with_user(self.user)
            .create({"service_id": service.id, "name": "专利申请文件"})
        )
        deliverable.action_hand_over()
        acceptance = (
            self.env["tsq.acceptance"]
            .with_user(self.user)
            .create({"service_id": service.id, "note": "请审阅"})
        )
        acceptance.sudo()._raise_objection("附图不清晰，需要重绘", "portal")
        html = self._html("report_objection", acceptance)
        self._assert_all_in(
            html,
            "验收异议处理单",
            "Acceptance Objection Handling",
            "专利布局服务",
            "甲公司 Client A",
            "专利申请文件",
            "附图不清晰，需要重绘",
            "张工 (user)",  # the owner
            "Still open",
            "Open, within the deadline",
        )
        # the acceptance form of the same submission shows no signature
        acceptance_html = self._html("report_acceptance", acceptance)
        self.assertIn("附图不清晰，需要重绘", acceptance_html)
        self.assertNotIn('<img class="tsq_signature"', acceptance_html)

        acceptance.with_user(self.user).objection_outcome = "已重绘附图并重新提交"
        acceptance.with_user(self.user).action_close_objection()
        html = self._html("report_objection", acceptance)
        self._assert_all_in(html, "已重绘附图并重新提交", "closed within the deadline")

        # closed after the deadline (the dates are the system's: set them directly, as
        # an amendment the evidence chain records as the submission's next version)
        acceptance.sudo().with_context(tsq_evidence_amend=True).write(
            {
                "objection_deadline": datetime(2026, 4, 1, 16, 0),
                "objection_closed_at": datetime(2026, 4, 2, 1, 0),
            }
        )
        html = self._html("report_objection", acceptance)
        self._assert_all_in(
            html,
            "closed after the deadline",
            # in the company's time zone (Asia/Shanghai, UTC+8), not UTC; the deadline
            # (00:00 of 2 April) reads as the end of 1 April, as the standard states it
            "Apr 1, 2026 24:00",
            "Apr 2, 2026 09:00",
        )

    def test_return_visit(self):
        service = self._advance(self._new_service(), "done")
        visit = service.return_visit_ids
        self.assertTrue(visit.done_at)
        html = self._html("report_return_visit", visit)
        self._assert_all_in(
            html,
            "回访记录",
            "Return Visit Record",
            "专利布局服务",
            "甲公司 Client A",
            "5 — Very satisfied",
            "★★★★★",
            "很满意",
            "Phone",
            "张工 (user)",
            "✔ On time",
        )
        # done at 16:30 UTC of the due date: 00:30 of the next day in Shanghai, late
        due = visit.due_date
        visit.sudo().with_context(tsq_evidence_amend=True).write(
            {"done_at": datetime(due.year, due.month, due.day, 16, 30)}
        )
        html = self._html("report_return_visit", visit)
        self.assertIn("✘ Late", html)
        next_day = due + timedelta(days=1)
        self.assertIn(f"{next_day:%b} {next_day.day}, {next_day.year} 00:30", html)
        self.assertNotIn("16:30", html)

    # ------------------------------------------------------------- a real PDF
    def test_pdf(self):
        """In test mode Odoo renders HTML instead of calling wkhtmltopdf, unless
        the context asks for the real thing (as Odoo's own report tests do).
        One real PDF per report model."""
        service = self._advance(self._new_service(), "done")
        Report = self.env["ir.actions.report"]
        content, report_type = Report._render_qweb_pdf(
            f"{MODULE}.action_report_acceptance", service.acceptance_ids.ids
        )
        self.assertEqual(report_type, "html")  # the fallback of the test mode
        Report = Report.with_context(force_report_rendering=True)
        for report, records in (
            ("action_report_service_plan", service),
            ("action_report_acceptance", service.acceptance_ids),
            ("action_report_return_visit", service.return_visit_ids),
        ):
            with self.subTest(report=report):
                content, report_type = Report._render_qweb_pdf(f"{MODULE}.{report}", records.ids)
                self.assertEqual(report_type, "pdf")
                self.assertTrue(content.startswith(b"%PDF"))
                # page numbers stamped on each page (wkhtmltopdf prints no footer)
                reader = PdfFileReader(io.BytesIO(content))
                pages = len(reader.pages)
                text = reader.pages[-1].extract_text().replace("\x00", "")  # a CID (CJK) font
                self.assertIn(f"Page {pages} of {pages}", text)
                paper = self.env.ref(f"{MODULE}.{report}").paperformat_id
                self.assertEqual(paper, self.env.ref(f"{MODULE}.paperformat_tsq_a4"))
                self.assertLessEqual(paper.margin_top, 15, "no empty band for a header")
