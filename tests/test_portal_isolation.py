"""Client portal: isolation between clients (pages, every POST route, reports,
JSON-RPC) and bad input."""

import base64
from urllib.parse import urlparse

from odoo.tests import tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import PNG_1PX
from .test_portal import REPORT_XMLIDS, PortalCase


@tagged("post_install", "-at_install")
class TestPortalIsolation(PortalCase):
    # ------------------------------------------------------------- isolation
    def test_isolation_pages(self):
        self.authenticate("portal_a", "portal_a")
        before = self._snapshot()
        for service in (self.svc_b5, self.svc_b2, self.svc_b6):
            url = f"/my/services/{service.id}"
            self._assert_refused(self.url_open(url, allow_redirects=False))
            self._assert_refused(
                self.url_open(f"{url}?access_token=wrong-token", allow_redirects=False)
            )
            self._assert_refused(self.url_open(f"{url}?access_token=", allow_redirects=False))
        # an id that does not exist answers the same way
        self._assert_refused(self.url_open("/my/services/99999999", allow_redirects=False))
        # an ordinary project is not a service
        project = self.env["project.project"].create(
            {"name": "Plain project", "partner_id": self.client_a.id}
        )
        self._assert_refused(self.url_open(f"/my/services/{project.id}", allow_redirects=False))
        # A valid token would open the page (that is what a token is for), but
        # Odoo's project module keeps no token on a project whose visibility is
        # not "portal", and a service is always "followers": no token exists.
        self.svc_b5.sudo()._portal_ensure_token()
        self.assertFalse(self.svc_b5.access_token)
        self._assert_refused(
            self.url_open(f"/my/services/{self.svc_b5.id}?access_token=", allow_redirects=False)
        )
        self.assertEqual(self._snapshot(), before)

    def test_isolation_actions(self):
        self.authenticate("portal_a", "portal_a")
        before = self._snapshot()
        for token in (None, "wrong-token"):
            query = f"?access_token={token}" if token else ""
            self._assert_refused(
                self._post(
                    f"/my/services/{self.svc_b2.id}/plan/confirm{query}", allow_redirects=False
                )
            )
            self._assert_refused(
                self._post(
                    f"/my/services/{self.svc_b5.id}/acceptance/{self.acc_b.id}/objection{query}",
                    allow_redirects=False,
                    reason="not mine",
                    files=[("files", ("x.txt", b"x", "text/plain"))],
                )
            )
            self._assert_refused(
                self._post(
                    f"/my/services/{self.svc_b6.id}/return_visit/{self.visit_b.id}{query}",
                    allow_redirects=False,
                    score="1",
                    comments="not mine",
                )
            )
            result = self._accept_json(
                self.svc_b5, self.acc_b.id, name="A", signature=PNG_1PX, access_token=token
            )
            self.assertEqual(set(result), {"error"})
            for kind in REPORT_XMLIDS:
                self.assertEqual(
                    self.url_open(
                        f"/my/services/{self.svc_b5.id}/report/{kind}{query}"
                    ).status_code,
                    404,
                )
                self.assertEqual(
                    self.url_open(
                        f"/my/services/{self.svc_b6.id}/report/{kind}{query}"
                    ).status_code,
                    404,
                )
        self.assertEqual(self._snapshot(), before)

    def test_isolation_subrecord_mixing(self):
        """A's service in the URL, B's submission or visit as the sub-record."""
        self.authenticate("portal_a", "portal_a")
        before = self._snapshot()
        response = self._post(
            f"/my/services/{self.svc_a5.id}/acceptance/{self.acc_b.id}/objection",
            reason="mixing",
        )
        self._assert_error(response, "acceptance_missing", "This submission cannot be found.")
        result = self._accept_json(self.svc_a5, self.acc_b.id, name="A", signature=PNG_1PX)
        self.assertEqual(result, {"error": "This submission cannot be found."})
        response = self._post(
            f"/my/services/{self.svc_a6.id}/return_visit/{self.visit_b.id}", score="1"
        )
        self._assert_error(response, "visit_missing", "This return visit cannot be found.")
        # A's own visit, but under another service of A: not found either
        response = self._post(
            f"/my/services/{self.svc_a5.id}/return_visit/{self.visit_a.id}", score="1"
        )
        self._assert_error(response, "visit_missing", "This return visit cannot be found.")
        # A's own submission under A's other service
        result = self._accept_json(self.svc_a6, self.acc_a.id, name="A", signature=PNG_1PX)
        self.assertEqual(result, {"error": "This submission cannot be found."})
        self.assertEqual(self._snapshot(), before)

    def test_sibling_company_and_public(self):
        group = self.env["res.partner"].create({"name": "集团 Group", "is_company": True})
        self.client_a.parent_id = group
        sibling = self.env["res.partner"].create(
            {"name": "丙公司 Sibling", "is_company": True, "parent_id": group.id}
        )
        svc_sibling = self._new_service(sibling, name="Sibling service")
        svc_group = self._new_service(group, name="Group service")
        self.assertEqual(self.portal_a.commercial_partner_id, self.client_a)
        self.authenticate("portal_a", "portal_a")
        for service in (svc_sibling, svc_group):
            self._assert_refused(self.url_open(f"/my/services/{service.id}", allow_redirects=False))
        page = self.url_open("/my/services").text
        self.assertNotIn("Sibling service", page)
        self.assertNotIn("Group service", page)
        # not logged in: every portal page asks to log in
        self.logout()
        for url in ("/my/services", f"/my/services/{self.svc_a5.id}"):
            response = self.url_open(url, allow_redirects=False)
            self.assertIn(response.status_code, (302, 303))
            self.assertTrue(urlparse(response.headers["Location"]).path.startswith("/web/login"))

    @mute_logger("odoo.http")
    def test_jsonrpc_as_portal(self):
        self.authenticate("portal_a", "portal_a")
        before = self._snapshot()
        spec = {"name": {}}
        forbidden = [
            ("project.project", "read", [[self.svc_b5.id], ["name"]], {}),
            ("project.project", "web_read", [[self.svc_b5.id]], {"specification": spec}),
            ("project.project", "write", [[self.svc_a2.id], {"plan_confirmed_by": "me"}], {}),
            ("project.project", "write", [[self.svc_b5.id], {"name": "hacked"}], {}),
            ("tsq.acceptance", "read", [[self.acc_b.id], ["state"]], {}),
            ("tsq.acceptance", "web_read", [[self.acc_b.id]], {"specification": {"state": {}}}),
            ("tsq.acceptance", "write", [[self.acc_a.id], {"state": "accepted"}], {}),
            ("tsq.acceptance", "_accept", [[self.acc_a.id], "A", PNG_1PX, "portal"], {}),
            ("tsq.return.visit", "read", [[self.visit_b.id], ["score"]], {}),
            ("tsq.return.visit", "write", [[self.visit_a.id], {"score": "5"}], {}),
            ("tsq.gate.item", "search_read", [[], ["name"]], {}),
            ("tsq.gate.item", "read", [self.svc_a5.gate_item_ids.ids[:1], ["name"]], {}),
        ]
        for model, method, args, kwargs in forbidden:
            with self.subTest(model=model, method=method, args=args):
                with self.assertRaises(JsonRpcException):
                    self._call_kw(model, method, args, kwargs)
        services = self._call_kw("project.project", "search_read", [[], ["name"]])
        self.assertEqual(
            {s["id"] for s in services}, set((self.svc_a5 | self.svc_a2 | self.svc_a6).ids)
        )
        acceptances = self._call_kw("tsq.acceptance", "search_read", [[], ["state"]])
        self.assertNotIn(self.acc_b.id, [a["id"] for a in acceptances])
        self.assertIn(self.acc_a.id, [a["id"] for a in acceptances])
        visits = self._call_kw("tsq.return.visit", "search_read", [[], ["score"]])
        self.assertEqual([v["id"] for v in visits], self.visit_a.ids)
        self.assertEqual(self._snapshot(), before)

    # ------------------------------------------------------------ bad input
    def test_bad_input(self):
        self.authenticate("portal_a", "portal_a")
        before = self._snapshot()
        self._bad_return_visits()
        self._bad_objections()
        self._bad_signatures()
        # acting in the wrong stage
        self._assert_error(
            self._post(f"/my/services/{self.svc_a5.id}/plan/confirm"),
            "plan_wrong_stage",
            "The plan can be confirmed only at the planning stage.",
        )
        self.assertEqual(self._snapshot(), before)

    def _bad_return_visits(self):
        visit_url = f"/my/services/{self.svc_a6.id}/return_visit/{self.visit_a.id}"
        score_msg = "Choose a satisfaction score from 1 to 5."
        for score in ("abc", "9", "0", "", " ", "4.5"):
            with self.subTest(score=score):
                response = self._post(visit_url, score=score, comments="ok")
                self._assert_error(response, "score_invalid", score_msg)
        self._assert_error(self._post(visit_url, comments="no score"), "score_invalid", score_msg)
        self._assert_error(
            self._post(visit_url, score="3", comments="x" * 5001),
            "comments_too_long",
            "The comments are too long",
        )
        self._assert_error(
            self._post(f"/my/services/{self.svc_a6.id}/return_visit/99999999", score="3"),
            "visit_missing",
            "This return visit cannot be found.",
        )

    def _bad_objections(self):
        objection_url = f"/my/services/{self.svc_a5.id}/acceptance/{self.acc_a.id}/objection"
        reason_msg = "Give the reason of your objection."
        for reason in ("", "   \n  "):
            self._assert_error(
                self._post(objection_url, reason=reason), "reason_missing", reason_msg
            )
        self._assert_error(self._post(objection_url), "reason_missing", reason_msg)
        self._assert_error(
            self._post(objection_url, reason="x" * 5001),
            "reason_too_long",
            "The reason is too long",
        )
        big = b"0" * (11 * 1024 * 1024)
        self._assert_error(
            self._post(
                objection_url,
                reason="too big",
                files=[
                    ("files", ("ok.txt", b"fine", "text/plain")),
                    ("files", ("big.bin", big, "application/octet-stream")),
                ],
            ),
            "file_too_big",
            "Each file must be smaller than 10 MB.",
        )
        self._assert_error(
            self._post(
                objection_url, reason="empty", files=[("files", ("empty.txt", b"", "text/plain"))]
            ),
            "file_empty",
            "A file is empty.",
        )
        self._assert_error(
            self._post(
                objection_url,
                reason="many",
                files=[("files", (f"f{i}.txt", b"x", "text/plain")) for i in range(11)],
            ),
            "too_many_files",
            "Attach at most 10 files.",
        )
        self._assert_error(
            self._post(
                f"/my/services/{self.svc_a5.id}/acceptance/99999999/objection", reason="ghost"
            ),
            "acceptance_missing",
            "This submission cannot be found.",
        )

    def _bad_signatures(self):
        """The JSON signature route."""
        for params, message in (
            ({"name": "甲", "signature": ""}, "Please sign before accepting."),
            ({"name": "甲"}, "Please sign before accepting."),
            ({"name": "  ", "signature": PNG_1PX}, "Enter your name."),
            ({"name": ["x"], "signature": PNG_1PX}, "Enter your name."),
            ({"name": "甲", "signature": "abc!!"}, "The signature could not be read."),
            (
                {"name": "甲", "signature": base64.b64encode(b"not an image").decode()},
                "The signature could not be read.",
            ),
            ({"name": "甲", "signature": 12}, "The signature could not be read."),
            ({"name": "x" * 200, "signature": PNG_1PX}, "The name is too long."),
        ):
            with self.subTest(params=params):
                result = self._accept_json(self.svc_a5, self.acc_a.id, **params)
                self.assertEqual(set(result), {"error"})
                self.assertIn(message, result["error"])
        result = self._accept_json(self.svc_a5, 99999999, name="甲", signature=PNG_1PX)
        self.assertEqual(result, {"error": "This submission cannot be found."})
