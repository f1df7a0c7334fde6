"""Client portal: the tours (signature, objection), the pages and actions of a
client's own services, the reports, and the query count of the service list.
Isolation between clients and bad input: test_portal_isolation.py."""

import logging
import time

from odoo.tests import tagged

from .common import PNG_1PX, TsqHttpCase

_logger = logging.getLogger(__name__)

REPORT_XMLIDS = {
    "plan": "tech_service_quality.action_report_service_plan",
    "contract": "tech_service_quality.action_report_contract_checklist",
    "acceptance": "tech_service_quality.action_report_acceptance",
    "objection": "tech_service_quality.action_report_objection",
    "return_visit": "tech_service_quality.action_report_return_visit",
}


class PortalCase(TsqHttpCase):
    """Two clients, each with a service awaiting acceptance, one in planning and
    one in after-sales."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # client A: a service awaiting acceptance, one in planning, one in after-sales
        cls.svc_a5 = cls._new_service(cls.client_a, name="TSQ tour service")
        cls.acc_a = cls._awaiting_acceptance(cls.svc_a5)
        cls.svc_a2 = cls._plan_ready(cls._new_service(cls.client_a, name="A plan service"))
        cls.svc_a6 = cls._advance(cls._new_service(cls.client_a, name="A visit service"), "s6")
        cls.visit_a = cls.svc_a6.return_visit_ids
        # client B: the same three
        cls.svc_b5 = cls._new_service(cls.client_b, name="B secret service")
        cls.acc_b = cls._awaiting_acceptance(cls.svc_b5)
        cls.svc_b2 = cls._plan_ready(cls._new_service(cls.client_b, name="B plan service"))
        cls.svc_b6 = cls._advance(cls._new_service(cls.client_b, name="B visit service"), "s6")
        cls.visit_b = cls.svc_b6.return_visit_ids
        assert cls.acc_a.state == cls.acc_b.state == "submitted"
        assert len(cls.visit_a) == len(cls.visit_b) == 1 and not cls.visit_b.done_at

    def _accept_json(self, service, acceptance_id, **params):
        return self.make_jsonrpc_request(
            f"/my/services/{service.id}/acceptance/{acceptance_id}/accept", params
        )

    def _snapshot(self):
        """What the portal could change on the services of both clients."""
        self.env.invalidate_all()
        accs = self.acc_a | self.acc_b
        visits = self.visit_a | self.visit_b
        return {
            "acc": [(a.state, a.signed_by, a.objection_reason, a.decided_at) for a in accs],
            "acc_files": accs.objection_attachment_ids.ids,
            "visit": [(v.done_at, v.score, v.comments) for v in visits],
            "plan": [(s.plan_confirmed_at, s.plan_confirmed_by) for s in self.svc_a2 | self.svc_b2],
            "attachments": self.env["ir.attachment"].search_count(
                [("res_model", "=", "tsq.acceptance")]
            ),
        }


@tagged("post_install", "-at_install")
class TestPortal(PortalCase):
    # ---------------------------------------------------------------- tours
    def test_tour_accept_signature(self):
        self.start_tour("/my/services", "tsq_portal_accept_signature", login="portal_a")
        self.env.invalidate_all()
        self.assertEqual(self.acc_a.state, "accepted")
        self.assertTrue(self.acc_a.signature)
        # the name proposed in the dialog: the portal user's own
        self.assertEqual(self.acc_a.signed_by, self.portal_a.partner_id.name)
        self.assertEqual(self.acc_a.decision_channel, "portal")
        self.assertEqual(self.svc_a5.acceptance_state, "accepted")
        # the acceptance plans the return visit
        self.assertEqual(len(self.svc_a5.return_visit_ids), 1)

    def test_tour_objection(self):
        self.start_tour("/my/services", "tsq_portal_objection", login="portal_a")
        self.env.invalidate_all()
        self.assertEqual(self.acc_a.state, "objection")
        self.assertTrue(self.acc_a.objection_deadline)
        self.assertEqual(self.acc_a.decision_channel, "portal")
        # stored as plain text, exactly as typed
        self.assertIn("<script>alert(1)</script>", self.acc_a.objection_reason)
        self.assertEqual(self.svc_a5.acceptance_state, "objection")

    # ------------------------------------------------------ pages of client A
    def test_pages_of_own_services(self):
        self.authenticate("portal_a", "portal_a")
        response = self.url_open("/my/services")
        self.assertEqual(response.status_code, 200)
        for name in ("TSQ tour service", "A plan service", "A visit service"):
            self.assertIn(name, response.text)
        self.assertNotIn("B secret service", response.text)
        for filterby, present, absent in (
            ("open", "A plan service", None),
            ("closed", None, "A plan service"),
        ):
            page = self.url_open(f"/my/services?filterby={filterby}&sortby=name").text
            if present:
                self.assertIn(present, page)
            if absent:
                self.assertNotIn(absent, page)
        self.assertEqual(self.url_open("/my/services?sortby=bogus&filterby=x").status_code, 200)
        self.assertEqual(self.url_open("/my/services/page/7").status_code, 200)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["service_count"]})
        self.assertEqual(counters["service_count"], 3)

        page = self.url_open(f"/my/services/{self.svc_a5.id}").text
        self.assertIn("o_tsq_portal_service", page)
        self.assertIn('id="tsq_accept_button"', page)
        self.assertIn('id="tsq_objection_form"', page)
        self.assertIn("检索报告 Search report", page)
        self.assertNotIn('id="tsq_plan_confirm_button"', page)
        page = self.url_open(f"/my/services/{self.svc_a2.id}").text
        self.assertIn('id="tsq_plan_confirm_button"', page)
        self.assertNotIn('id="tsq_accept_button"', page)
        page = self.url_open(f"/my/services/{self.svc_a6.id}").text
        self.assertIn('id="tsq_return_visit_form"', page)

    def test_deliverable_file(self):
        self.authenticate("portal_a", "portal_a")
        attachment = self.svc_a5.deliverable_ids.attachment_ids
        response = self.url_open(f"/my/services/{self.svc_a5.id}/file/{attachment.id}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"%PDF-1.4 report")
        # B's file, through A's service or B's service: not found
        other = self.svc_b5.deliverable_ids.attachment_ids
        self.assertEqual(
            self.url_open(f"/my/services/{self.svc_a5.id}/file/{other.id}").status_code, 404
        )
        self.assertEqual(
            self.url_open(f"/my/services/{self.svc_b5.id}/file/{other.id}").status_code, 404
        )

    def test_confirm_plan(self):
        self.authenticate("portal_a", "portal_a")
        response = self._post(f"/my/services/{self.svc_a2.id}/plan/confirm")
        self.assertEqual(response.status_code, 200)
        self.assertIn("The plan is confirmed.", response.text)
        self.env.invalidate_all()
        self.assertTrue(self.svc_a2.plan_confirmed_at)
        self.assertEqual(self.svc_a2.plan_confirm_channel, "portal")
        self.assertEqual(self.svc_a2.plan_confirmed_by, self.portal_a.name)
        # twice: refused with a message, nothing changes
        confirmed_at = self.svc_a2.plan_confirmed_at
        response = self._post(f"/my/services/{self.svc_a2.id}/plan/confirm")
        self._assert_error(response, "plan_confirmed", "The plan is already confirmed.")
        self.env.invalidate_all()
        self.assertEqual(self.svc_a2.plan_confirmed_at, confirmed_at)

    def test_plan_incomplete(self):
        self.svc_a2.with_user(self.user).write({"plan_risks": False})
        self.authenticate("portal_a", "portal_a")
        self.assertNotIn(
            'id="tsq_plan_confirm_button"', self.url_open(f"/my/services/{self.svc_a2.id}").text
        )
        response = self._post(f"/my/services/{self.svc_a2.id}/plan/confirm")
        self._assert_error(response, "plan_incomplete", "The plan is not complete yet.")
        self.env.invalidate_all()
        self.assertFalse(self.svc_a2.plan_confirmed_at)

    def test_accept_json(self):
        self.authenticate("portal_a", "portal_a")
        result = self._accept_json(self.svc_a5, self.acc_a.id, name=" 甲联系人 ", signature=PNG_1PX)
        self.assertTrue(result["force_refresh"])
        self.assertIn(f"/my/services/{self.svc_a5.id}", result["redirect_url"])
        self.env.invalidate_all()
        self.assertEqual(self.acc_a.state, "accepted")
        self.assertEqual(self.acc_a.signed_by, "甲联系人")
        self.assertEqual(self.acc_a.decision_channel, "portal")
        page = self.url_open(result["redirect_url"]).text
        self.assertIn("The delivery is accepted.", page)
        # a second signature on a decided submission
        result = self._accept_json(self.svc_a5, self.acc_a.id, name="X", signature=PNG_1PX)
        self.assertEqual(result, {"error": "This submission has already been decided."})

    def test_objection_with_files_and_return_visit(self):
        self.authenticate("portal_a", "portal_a")
        response = self._post(
            f"/my/services/{self.svc_a5.id}/acceptance/{self.acc_a.id}/objection",
            reason="  第3章缺失 <b>bold</b>  ",
            files=[
                ("files", ("a.txt", b"first", "text/plain")),
                ("files", ("b.html", b"<script>alert(1)</script>", "text/html")),
            ],
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Your objection is recorded.", response.text)
        self.assertIn("&lt;b&gt;bold&lt;/b&gt;", response.text)
        self.env.invalidate_all()
        self.assertEqual(self.acc_a.state, "objection")
        self.assertEqual(self.acc_a.objection_reason, "第3章缺失 <b>bold</b>")
        files = self.acc_a.objection_attachment_ids
        self.assertEqual(sorted(files.mapped("name")), ["a.txt", "b.html"])
        # an uploaded HTML file is not served as HTML
        self.assertNotIn("html", files.filtered(lambda f: f.name == "b.html").mimetype)

        response = self._post(
            f"/my/services/{self.svc_a6.id}/return_visit/{self.visit_a.id}",
            score="4",
            comments="<script>alert('x')</script> 很好",
        )
        self.assertIn("Thank you for your feedback.", response.text)
        self.assertNotIn("<script>alert('x')", response.text)
        self.env.invalidate_all()
        self.assertTrue(self.visit_a.done_at)
        self.assertEqual(self.visit_a.score, "4")
        self.assertEqual(self.visit_a.channel, "portal")
        self.assertEqual(self.visit_a.done_by_id, self.portal_a)
        self.assertEqual(self.visit_a.comments, "<script>alert('x')</script> 很好")

    def test_decided_submission(self):
        """An objection, a signature, on a submission already decided."""
        self.acc_a.sudo()._accept("甲联系人", PNG_1PX, "recorded")
        self.authenticate("portal_a", "portal_a")
        before = self._snapshot()
        response = self._post(
            f"/my/services/{self.svc_a5.id}/acceptance/{self.acc_a.id}/objection",
            reason="too late",
            files=[("files", ("late.txt", b"late", "text/plain"))],
        )
        self._assert_error(
            response, "acceptance_decided", "This submission has already been decided."
        )
        result = self._accept_json(self.svc_a5, self.acc_a.id, name="甲", signature=PNG_1PX)
        self.assertEqual(result, {"error": "This submission has already been decided."})
        page = self.url_open(f"/my/services/{self.svc_a5.id}").text
        self.assertNotIn('id="tsq_accept_button"', page)
        self.assertNotIn('id="tsq_objection_form"', page)
        self.assertEqual(self._snapshot(), before)
        # an answered return visit cannot be answered again
        self.visit_a.sudo()._record("5", "ok", "phone")
        response = self._post(
            f"/my/services/{self.svc_a6.id}/return_visit/{self.visit_a.id}", score="1"
        )
        self._assert_error(response, "visit_done", "This return visit has already been answered.")
        self.env.invalidate_all()
        self.assertEqual(self.visit_a.score, "5")

    # -------------------------------------------------------------- reports
    def test_reports(self):
        self.authenticate("portal_a", "portal_a")
        self.assertEqual(
            self.url_open(f"/my/services/{self.svc_a5.id}/report/bogus").status_code, 404
        )
        # no objection, no return visit done on this service yet
        for kind in ("objection", "return_visit", "acceptance"):
            self.assertEqual(
                self.url_open(f"/my/services/{self.svc_a5.id}/report/{kind}").status_code, 404
            )
        page = self.url_open(f"/my/services/{self.svc_a5.id}").text
        for kind, service in (
            ("plan", self.svc_a5),
            ("contract", self.svc_a5),
            ("acceptance", self.svc_a6),
        ):
            installed = self.env.ref(REPORT_XMLIDS[kind], raise_if_not_found=False)
            response = self.url_open(f"/my/services/{service.id}/report/{kind}")
            if installed:
                self.assertEqual(response.status_code, 200, kind)
                self.assertIn("attachment", response.headers.get("Content-Disposition", ""))
            else:
                # the printed form is not installed: no link, and not found
                self.assertEqual(response.status_code, 404, kind)
                self.assertNotIn(f"/report/{kind}", page)

    # ---------------------------------------------------------- query count
    def _bulk_services(self, count, start=0):
        """Services of client A in S1, created in one batch."""
        self.env["project.project"].create(
            [
                {
                    "name": f"Bulk service {start + i:04d}",
                    "is_service": True,
                    "partner_id": self.client_a.id,
                    "service_category_id": self.category.id,
                    "user_id": self.user.id,
                }
                for i in range(count)
            ]
        )

    def _list_query_count(self):
        self.url_open("/my/services")  # warm the caches (views, session, ...)
        self.env.flush_all()
        self.env.invalidate_all()
        count0 = self.cr.sql_log_count
        response = self.url_open("/my/services")
        count = self.cr.sql_log_count - count0
        self.assertEqual(response.status_code, 200)
        return count, response.text.count("o_tsq_portal_service_row")

    def test_list_query_count(self):
        # every page holds the same kinds of rows: with a 30-day S1 limit each
        # service's deadline runs as far (provisional or not) as the fixture's
        self.category.limit_s1_days = 30
        self._bulk_services(10)
        self.authenticate("portal_a", "portal_a")
        count_10, rows_10 = self._list_query_count()
        start = time.time()
        self._bulk_services(990, start=10)
        _logger.info("990 services created in %.1f s", time.time() - start)
        count_1000, rows_1000 = self._list_query_count()
        _logger.info("GET /my/services: %s queries (10), %s queries (1000)", count_10, count_1000)
        self.assertEqual(rows_10, 13)
        self.assertEqual(rows_1000, 80)  # one page
        self.assertEqual(
            count_10,
            count_1000,
            "The list of services must read the page in batches, not one record at a time.",
        )


@tagged("post_install", "-at_install")
class TestProjectPagesWithoutServices(TsqHttpCase):
    """Odoo's generic /my/projects pages do not show services: the client's
    own service redirects to its service page; anyone else's looks missing."""

    def test_projects_pages(self):
        own = self._new_service(self.client_a, name="A 的服务")
        other = self._new_service(self.client_b, name="B 的服务")
        self.authenticate("portal_a", "portal_a")
        listing = self.url_open("/my/projects")
        self.assertEqual(listing.status_code, 200)
        self.assertNotIn("A 的服务", listing.text)
        response = self.url_open(f"/my/projects/{own.id}", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith(f"/my/services/{own.id}"))
        foreign = self.url_open(f"/my/projects/{other.id}", allow_redirects=False)
        missing = self.url_open("/my/projects/99999999", allow_redirects=False)
        self.assertEqual(
            (foreign.status_code, foreign.headers.get("Location")),
            (missing.status_code, missing.headers.get("Location")),
        )
