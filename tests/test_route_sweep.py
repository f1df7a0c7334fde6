"""Every route a client or a visitor can reach (the README's route tables), with
another client's ids and with wrong tokens: a refusal, never a server error or a
traceback (issue 12).

Before the fix, a ``token`` sent to the portal chatter for a return visit (no
token field), a submission or a complaint filed from the portal (no token yet)
ended in a ``KeyError``/``TypeError``, a ``pid`` that is not a number in a
``ValueError``, and the chatter avatar of such a message in an HTTP 500."""

import json

from odoo import http
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import TsqHttpCase

QUIET = ("odoo.http", "odoo.addons.http_routing.models.ir_http")
# the errors of a deliberate refusal (AccessError, MissingError, UserError, Forbidden,
# NotFound …, a login asked for); a server error is anything else (builtins.*,
# psycopg2.*, InternalServerError)
REFUSALS = ("odoo.exceptions.", "werkzeug.exceptions.", "odoo.http.SessionExpiredException")
WRONG_TOKENS = ("wrong-token", "", 12, {"token": 1})


@tagged("post_install", "-at_install")
class TestRouteSweep(TsqHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # client B's records: a service with its submission and return visit, an
        # objection, a complaint filed from the portal (no token) with a message
        cls.service_b = cls._advance(cls._new_service(cls.client_b, name="乙方保密服务"), "done")
        cls.acceptance_b = cls.service_b.acceptance_ids
        cls.visit_b = cls.service_b.return_visit_ids
        team = cls.env["helpdesk.ticket.team"].create(
            {"name": "Sweep complaint desk", "tsq_kind": "complaint", "user_id": cls.manager.id}
        )
        cls.complaint_b = cls.env["helpdesk.ticket"].create(
            {
                "name": "乙方保密投诉",
                "description": "<p>乙方</p>",
                "category_id": cls.env.ref("tech_service_quality.helpdesk_category_complaint").id,
                "team_id": team.id,
                "partner_id": cls.contact_b.id,
                "service_id": cls.service_b.id,
            }
        )
        assert not cls.complaint_b.access_token
        cls.message_b = cls.complaint_b.message_post(
            body="乙方的消息",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            author_id=cls.contact_b.id,
        )
        cls.visit_message_b = cls.visit_b.message_post(body="回访备注", message_type="comment")
        cls.attachment_b = cls._attachment("b-secret.pdf", b"%PDF-1.4 B secret")
        cls.attachment_b.write({"res_model": "helpdesk.ticket", "res_id": cls.complaint_b.id})
        cls.threads = (
            ("project.project", cls.service_b.id),
            ("tsq.acceptance", cls.acceptance_b.id),
            ("tsq.return.visit", cls.visit_b.id),
            ("helpdesk.ticket", cls.complaint_b.id),
            ("tsq.acceptance", 99999999),
        )

    # ---------------------------------------------------------------- helpers
    def _json(self, route, params):
        """The JSON-RPC answer: (result, error name or None)."""
        self.env.flush_all()
        response = self.url_open(
            route,
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200, route)
        answer = response.json()
        error = answer.get("error")
        return answer.get("result"), error and error["data"]["name"]

    def _assert_json_refusal_or_nothing(self, route, params):
        with mute_logger(*QUIET):
            _result, error = self._json(route, params)
        if error:
            self.assertTrue(error.startswith(REFUSALS), f"{route} {params}: {error}")
            self.assertNotIn("InternalServerError", error, f"{route} {params}")

    def _assert_http_no_error(self, method, url, data=None, files=None):
        with mute_logger(*QUIET):
            if method == "POST":
                data = dict(data or {}, csrf_token=http.Request.csrf_token(self))
                response = self.url_open(url, data=data, files=files, allow_redirects=False)
            else:
                response = self.url_open(url, allow_redirects=False)
        self.assertLess(response.status_code, 500, url)
        self.assertNotIn("Traceback", response.text, url)
        self.assertNotIn("乙方保密", response.text, url)
        return response

    def _as_each_caller(self):
        for login in (None, "portal_a"):
            self.authenticate(login, login)
            yield login or "visitor"

    # ------------------------------------------------------------- the sweep
    def test_chatter_with_wrong_tokens(self):
        """The portal chatter and the thread routes: every add-on thread of
        client B (and a missing one), every kind of wrong token or signature."""
        for caller in self._as_each_caller():
            for model, thread_id in self.threads:
                thread = {"thread_model": model, "thread_id": thread_id}
                for token in WRONG_TOKENS:
                    with self.subTest(caller=caller, model=model, token=token):
                        for route, extra in (
                            ("/mail/chatter_fetch", {}),
                            ("/portal/chatter_init", {}),
                            ("/mail/thread/data", {"request_list": ["activities"]}),
                            (
                                "/mail/message/post",
                                {"post_data": {"body": "x", "message_type": "comment"}},
                            ),
                        ):
                            params = dict(thread, token=token, **extra)
                            self._assert_json_refusal_or_nothing(route, params)
                for signature in ({"hash": "x", "pid": "abc"}, {"hash": "x", "pid": 3}):
                    with self.subTest(caller=caller, model=model, signature=signature):
                        for route in ("/portal/chatter_init", "/mail/chatter_fetch"):
                            self._assert_json_refusal_or_nothing(route, dict(thread, **signature))

    def test_messages_and_files_with_wrong_tokens(self):
        for caller in self._as_each_caller():
            for message in (self.message_b, self.visit_message_b):
                with self.subTest(caller=caller, message=message.model):
                    for query in ("access_token=x", "_hash=x&pid=3", "_hash=x&pid=abc"):
                        url = f"/mail/avatar/mail.message/{message.id}/author_avatar/50x50?{query}"
                        response = self._assert_http_no_error("GET", url)
                        self.assertEqual(response.status_code, 200, url)  # the placeholder
                    for route, params in (
                        ("/mail/message/update_content", {"body": "hijack", "attachment_ids": []}),
                        ("/mail/message/reaction", {"content": "👍", "action": "add"}),
                    ):
                        for token in WRONG_TOKENS:
                            self._assert_json_refusal_or_nothing(
                                route, dict(params, message_id=message.id, token=token)
                            )
            for route in ("/mail/attachment/delete", "/portal/attachment/remove"):
                for token in ("x", None):
                    self._assert_json_refusal_or_nothing(
                        route, {"attachment_id": self.attachment_b.id, "access_token": token}
                    )
            for model, thread_id in self.threads:
                self._assert_http_no_error(
                    "POST",
                    "/mail/attachment/upload",
                    data={"thread_model": model, "thread_id": thread_id, "token": "x"},
                    files={"ufile": ("x.txt", b"x", "text/plain")},
                )
        self.assertTrue(self.message_b.exists())
        self.assertNotIn("hijack", self.message_b.body)
        self.assertTrue(self.attachment_b.exists())

    def test_valid_token_still_opens_the_chatter(self):
        """A record's real token keeps working (what a token is for)."""
        token = self.complaint_b.sudo()._portal_ensure_token()
        self.authenticate(None, None)
        thread = {"thread_model": "helpdesk.ticket", "thread_id": self.complaint_b.id}
        result, error = self._json("/mail/chatter_fetch", dict(thread, token=token))
        self.assertFalse(error)
        bodies = [m["body"] for m in result["data"]["mail.message"]]
        self.assertTrue(any("乙方的消息" in body for body in bodies))
        with mute_logger(*QUIET):
            _result, error = self._json("/mail/chatter_fetch", dict(thread, token=token + "x"))
        self.assertEqual(error, "werkzeug.exceptions.Forbidden")

    def test_pages_and_forms_with_another_clients_ids(self):
        """The pages and form posts of the README's route tables, with client B's
        ids and wrong tokens, as client A and as a visitor."""
        svc, acc, visit = self.service_b.id, self.acceptance_b.id, self.visit_b.id
        ticket, att = self.complaint_b.id, self.attachment_b.id
        gets = [
            "/my",
            "/my/home",
            "/my/services",
            "/my/services/page/2",
            "/my/complaints",
            "/my/complaints/page/2",
            "/my/complaints/new",
            "/my/tickets",
            "/my/projects",
            "/my/tasks",
            "/my/security",
            f"/my/ticket/{ticket}",
            f"/web/content/{att}",
            f"/web/content/{att}?access_token=x",
            f"/web/content/ir.attachment/{att}/datas?access_token=x",
            f"/web/content/tsq.acceptance/{acc}/signature?access_token=x",
            f"/web/image/tsq.acceptance/{acc}/signature?access_token=x",
            f"/web/content/tsq.return.visit/{visit}/display_name?access_token=x",
        ]
        for token in ("", "?access_token=x", "?access_token="):
            gets += [
                f"/my/services/{svc}{token}",
                f"/my/services/{svc}/file/{att}{token}",
                f"/my/complaints/{ticket}{token}",
                f"/my/complaints/{ticket}/report{token}",
                *(f"/my/services/{svc}/report/{kind}{token}" for kind in ("plan", "objection")),
            ]
        posts = [
            (f"/my/services/{svc}/plan/confirm", {}),
            (f"/my/services/{svc}/acceptance/{acc}/objection", {"reason": "x"}),
            (f"/my/services/{svc}/return_visit/{visit}", {"score": "1"}),
            (f"/my/complaints/{ticket}/rate", {"score": "1"}),
            ("/my/complaints/new", {"subject": "x", "description": "y", "service_id": svc}),
            ("/ticket/close", {"ticket_id": ticket, "stage_id": "1"}),
            ("/submitted/ticket", {"subject": "x", "description": "y", "team": "1"}),
        ]
        for caller in self._as_each_caller():
            for url in gets:
                with self.subTest(caller=caller, url=url):
                    self._assert_http_no_error("GET", url)
            for url, data in posts:
                with self.subTest(caller=caller, url=url):
                    self._assert_http_no_error("POST", url, data=data)
            with self.subTest(caller=caller, route="call_kw"):
                self._assert_json_refusal_or_nothing(
                    "/web/dataset/call_kw",
                    {
                        "model": "tsq.return.visit",
                        "method": "read",
                        "args": [[visit], ["comments"]],
                        "kwargs": {},
                    },
                )
                self._assert_json_refusal_or_nothing(
                    f"/my/services/{svc}/acceptance/{acc}/accept",
                    {"name": "A", "signature": "x", "access_token": "x"},
                )
        self.env.invalidate_all()
        self.assertFalse(self.visit_b.comments == "x")
        self.assertEqual(self.acceptance_b.state, "accepted")
