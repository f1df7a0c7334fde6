"""Who may read every printed and exported report of the add-on (issue 12).

One table (:data:`READERS`) says, for each report, which records are printed and
who may read them. The sweep asks Odoo's generic routes
(``/report/pdf|html|xlsx/<report>/<ids>``) for every report of the add-on, as a
visitor, a portal user of the record's client and of another client, a Service
User outside the record's team and one on it, the employee, a Service Manager, a
Quality Manager and an HR officer: the readers get the document, everyone else
the same refusal as for a missing record, never a server error or a traceback.
A report of the add-on that is not in the table, or has no rule in the guard,
fails the test."""

import io
import json
from datetime import date
from urllib.parse import quote

import openpyxl

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger
from odoo.tools.pdf import PdfFileReader

from ..models.core.ir_actions_report import PREFIX, REPORT_RULES
from .common import TsqHttpCase

CONVERTERS = ("pdf", "html", "xlsx")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# the refusals' warnings; and the review pack computes its figures, which a read-only
# route (Odoo's report routes) retries in a read-write transaction after an error log
QUIET = ("odoo.http", "odoo.addons.http_routing.models.ir_http", "odoo.sql_db")

# Roles (the logins of the fixture); "visitor" is not logged in.
ROLES = (
    "visitor",
    "portal_a",  # the client of the records
    "portal_b",  # another client
    "tsq_outsider",  # a Service User outside the record's team
    "tsq_user",  # a Service User on it: the service's responsible, the complaint team, the employee's manager
    "tsq_user2",  # the employee of the staff record, team-mate in the complaint team
    "tsq_manager",
    "tsq_quality",
    "hr_officer",
)
STAFF = {"tsq_user", "tsq_user2", "tsq_outsider", "tsq_manager", "tsq_quality"}
MANAGERS = {"tsq_manager", "tsq_quality"}
SERVICE_READERS = {"portal_a", "tsq_user", *MANAGERS}

# report name -> (the fixture's records it prints, who may read them, a text of the document)
READERS = {
    "report_service_plan": ("service", SERVICE_READERS, "服务方案"),
    "report_contract_checklist": ("service", SERVICE_READERS, "合同要素核对表"),
    "report_acceptance": ("acceptance", SERVICE_READERS, "验收确认单"),
    "report_objection": ("objection", SERVICE_READERS, "验收异议处理单"),
    "report_return_visit": ("visit", SERVICE_READERS, "回访记录"),
    "report_complaint": (
        "complaint",
        {"portal_a", "tsq_user", "tsq_user2", *MANAGERS},
        "投诉处理单",
    ),
    "report_employee_record": (
        "employee",
        {"tsq_user2", "tsq_user", *MANAGERS, "hr_officer"},
        "员工培训与资质档案",
    ),
    "training_xlsx": ("training_plan", {*MANAGERS, "hr_officer"}, None),
    "report_supplier_list": ("suppliers", MANAGERS, "合格供方名录"),
    "supplier_list_xlsx": ("suppliers", MANAGERS, None),
    "scorecard_xlsx": ("scorecard", {"tsq_user", "tsq_user2", *MANAGERS}, None),
    "sla_xlsx": ("clocks", {"tsq_user", "tsq_user2", *MANAGERS}, None),
    "report_review_pack": ("review", {"tsq_quality"}, "管理评审输入报告"),
    "review_pack_xlsx": ("review", {"tsq_quality"}, None),
    "report_conformance": ("conformance", MANAGERS, "符合性评价报告"),
    "conformance_xlsx": ("conformance", MANAGERS, None),
    "report_evidence_check": ("evidence_check", {"tsq_quality"}, "数据不可篡改性校验报告"),
}


@tagged("post_install", "-at_install")
class TestReportAccess(TsqHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        new_test_user(cls.env, "hr_officer", groups="base.group_user,hr.group_hr_user")
        Employee = cls.env["hr.employee"]
        cls.emp_user = Employee.create({"name": "张工", "user_id": cls.user.id})
        cls.emp_user2 = Employee.create(
            {"name": "李工档案", "user_id": cls.user2.id, "parent_id": cls.emp_user.id}
        )
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Report complaint desk",
                "tsq_kind": "complaint",
                "user_id": cls.manager.id,
                "user_ids": [Command.set([cls.user.id, cls.user2.id, cls.manager.id])],
            }
        )
        cls.records = {
            **cls._service_records(),
            **cls._staff_records(),
            "suppliers": cls.client_a | cls.client_b,
            "review": cls._review(),
            "conformance": cls._conformance(),
            "evidence_check": cls._evidence_check(),
        }

    @classmethod
    def _conformance(cls):
        today = fields.Date.context_today(cls.env["res.users"])
        assessment = cls.env["tsq.conformance.assessment"].create(
            {"date_from": today.replace(month=1, day=1), "date_to": today}
        )
        assessment.sudo().action_compute()
        return assessment

    @classmethod
    def _service_records(cls):
        service = cls._advance(cls._new_service(cls.client_a, name="甲方保密服务"), "done")
        disputed = cls._advance(cls._new_service(cls.client_a, name="甲方异议服务"), "s5")
        objection = cls._submit_for_acceptance(disputed)
        objection.sudo()._raise_objection("附图不清晰", "portal")
        complaint = cls.env["helpdesk.ticket"].create(
            {
                "name": "甲方保密投诉",
                "description": "<p>报告有误</p>",
                "category_id": cls.env.ref("tech_service_quality.helpdesk_category_complaint").id,
                "team_id": cls.team.id,
                "partner_id": cls.contact_a.id,
                "service_id": service.id,
            }
        )
        clocks = cls.env["tsq.sla.report"].search([("ticket_id", "=", complaint.id)])
        assert clocks, "the complaint policies start its clocks"
        return {
            "service": service,
            "acceptance": service.acceptance_ids,
            "visit": service.return_visit_ids,
            "objection": objection,
            "complaint": complaint,
            "clocks": clocks,
        }

    @classmethod
    def _staff_records(cls):
        plan = cls.env["tsq.training.plan"].create(
            {
                "name": "2026 培训计划",
                "year": 2026,
                "employee_ids": [Command.set(cls.emp_user2.ids)],
            }
        )
        cards = cls.env["tsq.staff.scorecard"]._tsq_compute(
            cls.company, date(2026, 1, 1), date(2026, 2, 1), "month"
        )
        return {
            "employee": cls.emp_user2,
            "training_plan": plan,
            "scorecard": cards.filtered(lambda c: c.employee_id == cls.emp_user2),
        }

    @classmethod
    def _review(cls):
        return (
            cls.env["mgmtsystem.review"]
            .sudo()
            .create(
                {
                    "name": "2026 Q1 评审",
                    "date": fields.Datetime.now(),
                    "company_id": cls.company.id,
                    "tsq_period_type": "quarter",
                    "tsq_date_from": date(2026, 1, 1),
                    "tsq_date_to": date(2026, 4, 1),
                    "tsq_period_label": "2026 Q1",
                }
            )
        )

    @classmethod
    def _evidence_check(cls):
        check = (
            cls.env["tsq.evidence.check"]
            .sudo()
            .create(
                {
                    "company_id": cls.company.id,
                    "date_from": date(2026, 1, 1),
                    "date_to": date(2026, 12, 31),
                }
            )
        )
        check._tsq_run()
        return check

    # ---------------------------------------------------------------- helpers
    def _login(self, role):
        if role == "visitor":
            self.authenticate(None, None)
        else:
            self.authenticate(role, role)

    def _ids(self, key):
        return ",".join(str(i) for i in self.records[key].ids)

    def _assert_refused(self, response, role, url):
        """The same answer as for a missing record: the login page for a
        visitor, 403 for anyone else; no traceback, never a server error."""
        self.assertNotIn("Traceback", response.text, url)
        if role == "visitor":
            self.assertIn(response.status_code, (302, 303), url)
            self.assertIn("/web/login", response.headers["Location"], url)
        else:
            self.assertEqual(response.status_code, 403, url)

    def _assert_document(self, response, converter, marker, url):
        self.assertEqual(response.status_code, 200, url)
        if converter == "xlsx":
            self.assertEqual(response.headers["Content-Type"], XLSX, url)
            openpyxl.load_workbook(io.BytesIO(response.content))
            return
        expected = "application/pdf" if converter == "pdf" else "text/html"
        self.assertTrue(response.headers["Content-Type"].startswith(expected), url)
        # in test mode Odoo hands out the HTML of a PDF report (test_reports makes real PDFs)
        self.assertIn(marker, response.content.decode(), url)

    # ------------------------------------------------------------- the table
    def test_every_report_has_a_rule_and_an_entry(self):
        """A report added to the add-on without a rule in the guard, or without its
        line in READERS, fails here."""
        names = set(
            self.env["ir.actions.report"]
            .search([("report_name", "=like", PREFIX + "%")])
            .mapped("report_name")
        )
        self.assertEqual(names, {PREFIX + name for name in READERS}, "READERS misses a report")
        self.assertEqual(names, set(REPORT_RULES), "the guard misses a report")
        # and no report of the add-on escapes the guard under another name
        ours = self.env["ir.model.data"].search(
            [("module", "=", "tech_service_quality"), ("model", "=", "ir.actions.report")]
        )
        reports = self.env["ir.actions.report"].browse(ours.mapped("res_id"))
        self.assertEqual(set(reports.mapped("report_name")), names)

    def test_sweep(self):
        """Every report, every converter, every role."""
        for role in ROLES:
            self._login(role)
            for name, (key, readers, marker) in READERS.items():
                report = self.env["ir.actions.report"]._get_report_from_name(PREFIX + name)
                for converter in CONVERTERS:
                    url = f"/report/{converter}/{PREFIX}{name}/{self._ids(key)}"
                    fits = (converter == "xlsx") == (report.report_type == "xlsx")
                    with self.subTest(role=role, url=url), mute_logger(*QUIET):
                        response = self.url_open(url, allow_redirects=False, timeout=60)
                        if fits and role in readers:
                            self._assert_document(response, converter, marker, url)
                        else:
                            self._assert_refused(response, role, url)

    def test_refused_like_a_missing_record(self):
        """A missing id, no id, an id that is not a number, another client's id
        among one's own: the same 403 as a record one may not read."""
        self._login("portal_a")
        own = self._ids("service")
        for ids in ("99999999", "", "abc", "0", "-1", f"{own},99999999"):
            for name in ("report_service_plan", "report_employee_record", "training_xlsx"):
                converter = "xlsx" if name.endswith("xlsx") else "pdf"
                url = f"/report/{converter}/{PREFIX}{name}" + (f"/{ids}" if ids else "")
                with self.subTest(url=url), mute_logger(*QUIET):
                    self._assert_refused(self.url_open(url, allow_redirects=False), "portal_a", url)
        other = self._advance(self._new_service(self.client_b, name="乙方服务"), "s3")
        url = f"/report/pdf/{PREFIX}report_service_plan/{own},{other.id}"
        with mute_logger(*QUIET):
            response = self.url_open(url, allow_redirects=False)
        self._assert_refused(response, "portal_a", url)
        self.assertNotIn("乙方服务", response.text)

    def test_odd_requests_are_no_server_errors(self):
        """Hostile query strings on the add-on's reports, as an allowed reader."""
        self._login("tsq_quality")
        review = self._ids("review")
        cases = {
            f"/report/pdf/{PREFIX}report_review_pack/{review}?tsq_packs=x": 200,
            f"/report/html/{PREFIX}report_review_pack/{review}?options=%7B%22tsq_packs%22%3A1%7D": 200,
            f"/report/pdf/{PREFIX}report_review_pack/{review}?context=not-json": 400,
            f"/report/pdf/{PREFIX}report_review_pack/{review}?context=%5B1%5D": 400,
            f"/report/xlsx/{PREFIX}training_xlsx?context=%7B%22active_ids%22%3A%22x%22%7D": 403,
            f"/report/xlsx/{PREFIX}training_xlsx?context=%7B%22active_ids%22%3A%5B99999999%5D%7D": 403,
            f"/report/pdf/{PREFIX}no_such_report/1": 404,
            f"/report/text/{PREFIX}report_service_plan/{self._ids('service')}": 403,
        }
        for url, status in cases.items():
            with self.subTest(url=url), mute_logger(*QUIET):
                response = self.url_open(url, allow_redirects=False)
                self.assertEqual(response.status_code, status)
                self.assertNotIn("Traceback", response.text)
        # an XLSX printed from a list (ids in the context) is checked like ids in the URL
        plan = self._ids("training_plan")
        url = f"/report/xlsx/{PREFIX}training_xlsx?context=%7B%22active_ids%22%3A%5B{plan}%5D%7D"
        self.assertEqual(self.url_open(url).status_code, 200)
        self._login("tsq_user")
        with mute_logger(*QUIET):
            self.assertEqual(self.url_open(url, allow_redirects=False).status_code, 403)

    # ---------------------------------------------------------- the download
    def _download(self, url, report_type):
        return self._download_raw(json.dumps([url, report_type]))

    def _download_raw(self, data):
        return self.url_open(f"/report/download?data={quote(data)}", allow_redirects=False)

    def test_web_client_download(self):
        """/report/download (the web client's Print): a refusal is a 403 with the
        error the web client shows, without a traceback, never a server error."""
        cases = (
            (f"/report/pdf/{PREFIX}report_employee_record/{self._ids('employee')}", "qweb-pdf"),
            (f"/report/xlsx/{PREFIX}training_xlsx/{self._ids('training_plan')}", "xlsx"),
            (f"/report/xlsx/{PREFIX}training_xlsx", "xlsx"),
            (f"/report/pdf/{PREFIX}report_employee_record/99999999", "qweb-pdf"),
        )
        self._login("portal_b")
        for url, report_type in cases:
            with self.subTest(url=url), mute_logger(*QUIET):
                response = self._download(url, report_type)
                self.assertEqual(response.status_code, 403)
                self.assertNotIn("Traceback", response.text)
                self.assertIn("odoo.exceptions.AccessError", response.text)
        for data in (
            "not-json",
            json.dumps({"a": 1}),
            json.dumps(["/report/pdf/x/1", "qweb-html"]),
        ):
            with self.subTest(data=data), mute_logger(*QUIET):
                response = self._download_raw(data)
                self.assertEqual(response.status_code, 400)
        # the readers still download, with the file name of the print
        self._login("tsq_manager")
        response = self._download(cases[0][0], "qweb-pdf")
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response.headers["Content-Disposition"])
        response = self._download(cases[1][0], "xlsx")
        self.assertEqual(response.headers["Content-Type"], XLSX)

    # ------------------------------------------------------------- the guard
    def test_report_without_rule_is_refused(self):
        """Fail closed: a report of the add-on without a rule is refused to
        everyone, the Quality Manager included."""
        report = self.env["ir.actions.report"].create(
            {
                "name": "Unlisted",
                "model": "project.project",
                "report_type": "qweb-pdf",
                "report_name": PREFIX + "report_unlisted",
            }
        )
        service = self.records["service"]
        Report = self.env["ir.actions.report"].with_user(self.quality)
        with self.assertRaises(AccessError):
            Report._render_qweb_html(report.report_name, service.ids)
        with self.assertRaises(AccessError):
            Report._render_qweb_pdf(report.id, service.ids)

    def test_guard_at_the_orm(self):
        """The guard is in the renderer, not in the routes: the same refusals for a
        call from code, with the exact exception."""
        Report = self.env["ir.actions.report"]
        employee = self.records["employee"]
        plan = self.records["training_plan"]
        cases = (
            (self.portal_b, "_render_qweb_html", "report_service_plan", self.records["service"]),
            (self.outsider, "_render_qweb_pdf", "report_employee_record", employee),
            (self.user, "_render_xlsx", "training_xlsx", plan),
            (self.user, "_render_xlsx", "supplier_list_xlsx", self.records["suppliers"]),
            (self.manager, "_render_xlsx", "review_pack_xlsx", self.records["review"]),
            (self.manager, "_render_xlsx", "report_employee_record", employee),
        )
        for user, method, name, records in cases:
            with self.subTest(user=user.login, report=name), self.assertRaises(AccessError):
                args = (PREFIX + name, records.ids)
                if method == "_render_xlsx":
                    getattr(Report.with_user(user), method)(*args, {})
                else:
                    getattr(Report.with_user(user), method)(*args)
        # the employee reads their own record, their manager too
        for user in (self.user2, self.user):
            html = Report.with_user(user)._render_qweb_html(
                PREFIX + "report_employee_record", employee.ids
            )
            self.assertIn("李工档案", html[0].decode())

    def test_staff_record_of_several_employees(self):
        """Several employees print one document each (a real PDF: Debian's
        wkhtmltopdf prints one HTML document per run, and two employees gave a
        server error)."""
        employees = self.emp_user | self.emp_user2
        Report = (
            self.env["ir.actions.report"]
            .with_user(self.manager)
            .with_context(force_report_rendering=True)
        )
        name = PREFIX + "report_employee_record"
        pages = [
            len(PdfFileReader(io.BytesIO(Report._render_qweb_pdf(name, e.ids)[0])).pages)
            for e in employees
        ]
        content, kind = Report._render_qweb_pdf(name, employees.ids)
        self.assertEqual(kind, "pdf")
        self.assertEqual(len(PdfFileReader(io.BytesIO(content)).pages), sum(pages))

    # ---------------------------------------------------- the portal's routes
    def test_portal_download_routes_unchanged(self):
        """The client's own download routes keep working, for the client only."""
        service, complaint = self.records["service"], self.records["complaint"]
        self._login("portal_a")
        for kind in ("plan", "contract", "acceptance", "return_visit"):
            response = self.url_open(f"/my/services/{service.id}/report/{kind}")
            self.assertEqual(response.status_code, 200, kind)
        objection = self.records["objection"]
        response = self.url_open(f"/my/services/{objection.service_id.id}/report/objection")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.url_open(f"/my/complaints/{complaint.id}/report").status_code, 200)
        self._login("portal_b")
        with mute_logger(*QUIET):
            self.assertEqual(
                self.url_open(f"/my/services/{service.id}/report/plan").status_code, 404
            )
            self.assertEqual(
                self.url_open(f"/my/complaints/{complaint.id}/report").status_code, 404
            )

    def test_portal_reads_only_what_the_portal_offers(self):
        """A client reads, through the generic route, the documents the portal
        offers them: not the acceptance form of a submission still awaiting their
        decision, which staff print."""
        service = self._advance(self._new_service(self.client_a, name="甲方待验收服务"), "s5")
        pending = self._submit_for_acceptance(service)
        self.assertNotIn("acceptance", service._tsq_portal_documents())
        self._login("portal_a")
        for name in ("report_acceptance", "report_objection"):
            url = f"/report/pdf/{PREFIX}{name}/{pending.id}"
            with self.subTest(url=url), mute_logger(*QUIET):
                self._assert_refused(self.url_open(url, allow_redirects=False), "portal_a", url)
        url = f"/report/pdf/{PREFIX}report_service_plan/{service.id}"
        self.assertEqual(self.url_open(url).status_code, 200)
        self._login("tsq_user")
        url = f"/report/pdf/{PREFIX}report_acceptance/{pending.id}"
        self.assertEqual(self.url_open(url).status_code, 200)
