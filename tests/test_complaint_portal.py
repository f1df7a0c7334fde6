"""Complaints in the client portal: the tour (file, then rate), isolation between
clients (pages, POST routes, the PDF, JSON-RPC and the chatter), bad input, and the
printed complaint handling record."""

import base64
import contextlib
from urllib.parse import parse_qs, urlparse

from odoo import Command
from odoo.tests import new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import TsqHttpCase


@tagged("post_install", "-at_install")
class TestComplaintPortal(TsqHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Ticket = cls.env["helpdesk.ticket"]
        cls.category_c = cls.env.ref("tech_service_quality.helpdesk_category_complaint")
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Complaint desk",
                "sequence": 0,
                "tsq_kind": "complaint",
                "user_id": cls.manager.id,
                "user_ids": [Command.set([cls.user.id, cls.manager.id])],
            }
        )
        cls.service_a = cls._new_service(cls.client_a, name="TSQ complaint service")
        cls.service_b = cls._new_service(cls.client_b, name="B secret complaint service")
        cls.ticket_b = cls.Ticket.create(
            {
                "name": "B confidential complaint",
                "description": "<p>B's complaint</p>",
                "category_id": cls.category_c.id,
                "team_id": cls.team.id,
                "partner_id": cls.contact_b.id,
                "service_id": cls.service_b.id,
            }
        )
        cls.ticket_b.message_subscribe(partner_ids=cls.contact_b.ids)
        cls.ticket_a = cls.Ticket.create(
            {
                "name": "A own complaint",
                "description": "<p>A's complaint</p>",
                "category_id": cls.category_c.id,
                "team_id": cls.team.id,
                "partner_id": cls.contact_a.id,
            }
        )

    def _handle(self, ticket):
        ticket = ticket.with_user(self.user)
        ticket.write({"tsq_response_message": "已受理"})
        ticket.action_tsq_respond()
        ticket.write(
            {
                "tsq_validity_reason": "内部原因：复核遗漏",
                "tsq_root_cause": "复核遗漏",
                "tsq_resolution": "补发更正报告",
                "tsq_feedback_message": "已补发更正报告",
            }
        )
        ticket.action_tsq_judge_valid()
        ticket.action_tsq_send_feedback()

    def _complaint_snapshot(self):
        self.env.invalidate_all()
        tickets = self.ticket_a | self.ticket_b
        return {
            "tickets": self.Ticket.search_count([]),
            "rating": [(t.tsq_satisfaction, t.tsq_rated_at, t.stage_id.id) for t in tickets],
            "feedback": self.env["tsq.feedback"].search_count([("occasion", "=", "complaint")]),
            "messages": self.env["mail.message"].search_count(
                [("model", "=", "helpdesk.ticket"), ("res_id", "in", tickets.ids)]
            ),
        }

    # ---------------------------------------------------------------- tour
    def test_tour_file_then_rate(self):
        self.start_tour("/my/complaints", "tsq_portal_complaint_file", login="portal_a")
        ticket = self.Ticket.search([("name", "=", "报告数据与原始记录不一致")])
        self.assertEqual(len(ticket), 1)
        self.assertTrue(ticket.is_complaint)
        self.assertEqual(ticket.partner_id, self.portal_a.partner_id)
        self.assertEqual(ticket.service_id, self.service_a)
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(
            ticket.channel_id, self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_web")
        )
        self.assertEqual(len(ticket.tsq_clock_ids), 2)
        self.assertIn(self.portal_a.partner_id, ticket.message_partner_ids)
        self._handle(ticket)
        self.start_tour("/my/complaints", "tsq_portal_complaint_rate", login="portal_a")
        self.env.invalidate_all()
        self.assertEqual(ticket.tsq_satisfaction, "4")
        feedback = self.env["tsq.feedback"].search([("ticket_id", "=", ticket.id)])
        self.assertEqual((feedback.score, feedback.comment), (4, "处理及时"))
        self.assertEqual(feedback.partner_id, self.client_a)

    # ----------------------------------------------------------- isolation
    def test_client_a_cannot_reach_client_b_complaint(self):
        self._handle(self.ticket_b)
        before = self._complaint_snapshot()
        self.authenticate("portal_a", "portal_a")
        listing = self.url_open("/my/complaints")
        self.assertIn("A own complaint", listing.text)
        self.assertNotIn("B confidential complaint", listing.text)
        b_id = self.ticket_b.id
        for url in (f"/my/complaints/{b_id}", f"/my/complaints/{b_id}?access_token=guess"):
            response = self.url_open(url, allow_redirects=False)
            self._assert_refused(response)
        with mute_logger("odoo.http"):
            self.assertEqual(self.url_open(f"/my/complaints/{b_id}/report").status_code, 404)
            generic = self.url_open(f"/report/pdf/tech_service_quality.report_complaint/{b_id}")
        self.assertNotEqual(generic.status_code, 200)
        self.assertFalse(generic.content.startswith(b"%PDF"))
        response = self._post(
            f"/my/complaints/{b_id}/rate", allow_redirects=False, score="1", comments="差"
        )
        self._assert_refused(response)
        # JSON-RPC on the model itself
        with self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
            self._call_kw("helpdesk.ticket", "read", [[b_id], ["name", "tsq_feedback_message"]])
        self.assertEqual(
            self._call_kw("helpdesk.ticket", "search_read", [[("id", "=", b_id)], ["name"]]), []
        )
        with self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
            self._call_kw("helpdesk.ticket", "write", [[b_id], {"name": "hijacked"}])
        with self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
            self._call_kw("helpdesk.ticket", "_tsq_rate", [[b_id], 1, "x", self.contact_a.id])
        with self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
            self._call_kw(
                "tsq.sla.clock", "search_read", [[("ticket_id", "=", b_id)], ["deadline"]]
            )
        # the portal chatter
        with mute_logger("odoo.http"), contextlib.suppress(JsonRpcException):
            self.make_jsonrpc_request(
                "/mail/message/post",
                {
                    "thread_model": "helpdesk.ticket",
                    "thread_id": b_id,
                    "post_data": {
                        "body": "I can write on B's complaint",
                        "message_type": "comment",
                    },
                },
            )
        self.assertEqual(self._complaint_snapshot(), before)
        self.assertEqual(self.ticket_b.name, "B confidential complaint")

    def test_internal_user_without_helpdesk_rights_sees_no_complaint(self):
        new_test_user(self.env, "plain_employee", groups="base.group_user")
        self.authenticate("plain_employee", "plain_employee")
        response = self.url_open(f"/my/complaints/{self.ticket_a.id}", allow_redirects=False)
        self._assert_refused(response)

    def test_internal_fields_stay_internal(self):
        self._handle(self.ticket_a)
        self.authenticate("portal_a", "portal_a")
        with self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
            self._call_kw("helpdesk.ticket", "read", [[self.ticket_a.id], ["tsq_root_cause"]])
        with self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
            self._call_kw("helpdesk.ticket", "read", [[self.ticket_a.id], ["notes"]])
        page = self.url_open(f"/my/complaints/{self.ticket_a.id}")
        self.assertIn("已补发更正报告", page.text)
        self.assertNotIn("内部原因", page.text)

    # ------------------------------------------------------------ bad input
    def _submit(self, files=None, **data):
        values = {"subject": "数据有误", "description": "第 3 页有误", "service_id": ""}
        values.update(data)
        return self._post("/my/complaints/new", files=files, **values)

    def test_bad_input_is_refused_whole(self):
        self.authenticate("portal_a", "portal_a")
        count = self.Ticket.search_count([])
        cases = [
            ({"subject": "  "}, None, "Give your complaint a subject."),
            ({"description": ""}, None, "Describe what you are complaining about."),
            ({"subject": "x" * 201}, None, "The subject is too long"),
            ({"service_id": str(self.service_b.id)}, None, "Choose one of your services"),
            ({"service_id": "abc"}, None, "Choose one of your services"),
            ({"service_id": "99999999"}, None, "Choose one of your services"),
            ({}, [("files", ("empty.pdf", b"", "application/pdf"))], "A file is empty"),
            (
                {},
                [("files", (f"f{i}.txt", b"x", "text/plain")) for i in range(11)],
                "Attach at most 10 files",
            ),
        ]
        for data, files, message in cases:
            with self.subTest(message=message):
                response = self._submit(files=files, **data)
                self.assertEqual(response.status_code, 200)
                self.assertIn(message, response.text)
                self.assertNotIn("Traceback", response.text)
        self.assertEqual(self.Ticket.search_count([]), count, "nothing half-written")

    def test_submit_with_files_and_html(self):
        self.authenticate("portal_a", "portal_a")
        response = self._submit(
            description="<script>alert(1)</script> 数据有误",
            service_id=str(self.service_a.id),
            files=[("files", ("evidence.txt", b"original record", "text/plain"))],
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(parse_qs(urlparse(response.url).query).get("message"), ["filed"])
        ticket = self.Ticket.search([], order="id desc", limit=1)
        self.assertNotIn("<script>", ticket.description)
        self.assertIn("&lt;script&gt;", ticket.description)
        files = self.env["ir.attachment"].search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
        )
        self.assertEqual(base64.b64decode(files.datas), b"original record")

    def test_rating_rules(self):
        self.authenticate("portal_a", "portal_a")
        url = f"/my/complaints/{self.ticket_a.id}/rate"
        response = self._post(url, score="5")
        self.assertIn("rating_not_open", response.url)
        self._handle(self.ticket_a)
        for score in ("0", "6", "abc", ""):
            response = self._post(url, score=score)
            self.assertEqual(parse_qs(urlparse(response.url).query).get("error"), ["score_invalid"])
        self.assertFalse(self.ticket_a.tsq_rated_at)
        response = self._post(url, score="5", comments="<b>好</b>")
        self.assertIn("message=rated", response.url)
        self.env.invalidate_all()
        self.assertEqual(self.ticket_a.tsq_satisfaction, "5")
        response = self._post(url, score="1")
        self.assertIn("rating_not_open", response.url)
        self.env.invalidate_all()
        self.assertEqual(self.ticket_a.tsq_satisfaction, "5")

    # ---------------------------------------------------------------- print
    def test_complaint_record_pdf(self):
        self._handle(self.ticket_a)
        Report = self.env["ir.actions.report"]
        html = (
            Report.with_user(self.manager)
            ._render_qweb_html("tech_service_quality.action_report_complaint", self.ticket_a.ids)[0]
            .decode()
        )
        for text in ("投诉处理单", "Complaint Handling Record", "Root cause", "复核遗漏", "Met"):
            self.assertIn(text, html)
        html_portal = (
            Report.with_user(self.portal_a)
            ._render_qweb_html("tech_service_quality.action_report_complaint", self.ticket_a.ids)[0]
            .decode()
        )
        self.assertIn("投诉处理单", html_portal)
        self.assertNotIn("复核遗漏", html_portal, "internal analysis is not printed for the client")
        self.authenticate("portal_a", "portal_a")
        response = self.url_open(f"/my/complaints/{self.ticket_a.id}/report")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        # in test mode Odoo hands out the report's HTML instead of running wkhtmltopdf
        # here (test_reports makes real PDFs): the content is the client's record
        self.assertIn("投诉处理单", response.content.decode())

    # ------------------------------------------------- helpdesk_mgmt's routes
    def test_portal_close_waits_for_the_handling_record(self):
        """A client cannot close their own complaint from the portal before it has
        been answered, judged, resolved and fed back (R6.4): no button, and the
        route refuses like a missing record."""
        done = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        done.close_from_portal = True
        self.authenticate("portal_a", "portal_a")
        page = self.url_open(f"/my/ticket/{self.ticket_a.id}")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("/ticket/close", page.text)
        with mute_logger("odoo.http"):
            response = self._post(
                "/ticket/close",
                allow_redirects=False,
                ticket_id=str(self.ticket_a.id),
                stage_id=str(done.id),
            )
        self.assertEqual(response.status_code, 404)
        self.env.invalidate_all()
        self.assertNotEqual(self.ticket_a.stage_id, done)
        self._handle(self.ticket_a)
        page = self.url_open(f"/my/ticket/{self.ticket_a.id}")
        self.assertIn("/ticket/close", page.text)

    def test_public_user_cannot_write_ticket_stages(self):
        """helpdesk_mgmt grants the public user write access on stages; the add-on
        takes it back."""
        public = self.env.ref("base.public_user")
        Stage = self.env["helpdesk.ticket.stage"].with_user(public)
        self.assertFalse(Stage.has_access("write"))
        self.assertTrue(Stage.has_access("read"))

    def test_client_a_cannot_download_client_b_files(self):
        """A file client B attached to a complaint is not served to client A, by
        id or through helpdesk_mgmt's ticket page."""
        self.authenticate("portal_b", "portal_b")
        response = self._submit(
            service_id=str(self.service_b.id),
            files=[("files", ("b-evidence.txt", b"B secret evidence", "text/plain"))],
        )
        self.assertIn("message=filed", response.url)
        ticket = self.Ticket.search(
            [("partner_id", "=", self.contact_b.id)], order="id desc", limit=1
        )
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
        )
        self.assertEqual(len(attachment), 1)
        self.authenticate("portal_a", "portal_a")
        with mute_logger("odoo.http"):
            for url in (
                f"/web/content/{attachment.id}",
                f"/web/content/{attachment.id}?download=true",
                f"/web/content/ir.attachment/{attachment.id}/datas",
            ):
                response = self.url_open(url)
                self.assertNotIn(b"B secret evidence", response.content, url)
                self.assertIn(response.status_code, (403, 404), url)
            page = self.url_open(f"/my/ticket/{ticket.id}", allow_redirects=False)
        self._assert_refused(page)
        with self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
            self._call_kw("ir.attachment", "read", [[attachment.id], ["datas"]])

    def test_visitor_not_logged_in_reaches_nothing(self):
        """Without a session (and without the ticket's token) every complaint route
        refuses, and a form post changes nothing."""
        before = self._complaint_snapshot()
        for url in (
            f"/my/complaints/{self.ticket_a.id}",
            f"/my/complaints/{self.ticket_a.id}?access_token=wrong",
            "/my/complaints",
            "/my/complaints/new",
        ):
            response = self.url_open(url, allow_redirects=False)
            self.assertIn(response.status_code, (302, 303), url)
            self.assertTrue(
                urlparse(response.headers["Location"]).path in ("/my", "/web/login"), url
            )
        with mute_logger("odoo.http"):
            self.assertEqual(
                self.url_open(f"/my/complaints/{self.ticket_a.id}/report").status_code, 404
            )
            response = self.url_open(
                f"/my/complaints/{self.ticket_a.id}/rate",
                data={"score": "1", "csrf_token": "forged"},
                allow_redirects=False,
            )
        self.assertNotEqual(response.status_code, 200)
        self.assertEqual(self._complaint_snapshot(), before)
