"""The OCA helpdesk's portal routes (issue 6): /ticket/close reaches the ticket
only through the portal's access check, takes only a stage the ticket page
offers, only by POST with a CSRF token, and refuses like a missing record;
/submitted/ticket takes only the team and category its form offers, only by
POST; the ticket page lists no file of an internal note."""

import re
from urllib.parse import parse_qs, urlparse

from odoo import Command, http
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import TsqCase


@tagged("post_install", "-at_install")
class TestTicketClose(TsqCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Stage = cls.env["helpdesk.ticket.stage"]
        Team = cls.env["helpdesk.ticket.team"]
        cls.team = Team.create(
            {"name": "TSQ close team", "show_in_portal": True, "company_id": cls.company.id}
        )
        cls.other_team = Team.create(
            {"name": "TSQ other team", "show_in_portal": True, "company_id": cls.company.id}
        )
        only_team = [Command.set(cls.team.ids)]
        cls.stage_new = Stage.create({"name": "TSQ New", "sequence": 0, "team_ids": only_team})
        cls.stage_done = Stage.create(
            {
                "name": "TSQ Solved",
                "sequence": 50,
                "closed": True,
                "close_from_portal": True,
                "team_ids": only_team,
            }
        )
        cls.stage_rejected = Stage.create(
            {
                "name": "TSQ Rejected",
                "sequence": 60,
                "closed": True,
                "close_from_portal": False,
                "team_ids": only_team,
            }
        )
        # flagged for the portal, but a stage of another team
        cls.stage_other_team = Stage.create(
            {
                "name": "TSQ Other team solved",
                "sequence": 70,
                "closed": True,
                "close_from_portal": True,
                "team_ids": [Command.set(cls.other_team.ids)],
            }
        )
        cls.ticket_a = cls._ticket(cls.contact_a, "TSQ ticket of A")
        cls.ticket_b = cls._ticket(cls.contact_b, "TSQ ticket of B")
        cls.token_b = cls.ticket_b._portal_ensure_token()
        # a client of its own, and staff without and with helpdesk rights
        client_c = cls.env["res.partner"].create({"name": "丙公司 Client C", "is_company": True})
        contact_c = cls.env["res.partner"].create(
            {"name": "丙联系人", "parent_id": client_c.id, "email": "c@example.com"}
        )
        cls.portal_c = new_test_user(
            cls.env, "portal_c", groups="base.group_portal", partner_id=contact_c.id
        )
        cls.employee = new_test_user(cls.env, "tsq_employee", groups="base.group_user")
        cls.agent = new_test_user(
            cls.env, "tsq_hd_agent", groups="helpdesk_mgmt.group_helpdesk_user"
        )

    @classmethod
    def _ticket(cls, partner, name, team=None):
        return cls.env["helpdesk.ticket"].create(
            {
                "name": name,
                "description": f"<p>{name}</p>",
                "partner_id": partner.id,
                "team_id": (team or cls.team).id,
                "stage_id": cls.stage_new.id,
                "company_id": cls.company.id,
            }
        )

    # -------------------------------------------------------------- helpers
    def url_open(self, url, *args, **kwargs):
        # the server reads the database: write what the test changed first
        self.env.flush_all()
        return super().url_open(url, *args, **kwargs)

    def _close(self, ticket_id, stage_id, csrf=True, **data):
        data.update(ticket_id=ticket_id, stage_id=stage_id)
        if csrf:
            data["csrf_token"] = http.Request.csrf_token(self)
        return self.url_open("/ticket/close", data=data, allow_redirects=False)

    def _stage(self, ticket):
        self.env.invalidate_all()
        return ticket.stage_id

    def _assert_not_found(self, response):
        self.assertEqual(response.status_code, 404, response.text[:300])
        self.assertNotIn("Traceback", response.text)
        self.assertNotIn("ValueError", response.text)

    def _assert_unchanged(self, *tickets):
        for ticket in tickets or (self.ticket_a, self.ticket_b):
            self.assertEqual(self._stage(ticket), self.stage_new, ticket.name)
            self.assertFalse(ticket.closed_date, ticket.name)

    def _missing_id(self, model):
        self.env.cr.execute(f"SELECT COALESCE(MAX(id), 0) + 1000 FROM {self.env[model]._table}")
        return self.env.cr.fetchone()[0]

    # ------------------------------------------------------------- /ticket/close
    def test_a_other_clients_ticket_not_found(self):
        self.authenticate("portal_a", "portal_a")
        response = self._close(self.ticket_b.id, self.stage_done.id)
        self._assert_not_found(response)
        self._assert_unchanged()
        # exactly the answer for a ticket that does not exist: no hint
        missing = self._close(self._missing_id("helpdesk.ticket"), self.stage_done.id)
        self.assertEqual(missing.status_code, 404)
        self.assertEqual(missing.text, response.text)

    def test_b_wrong_access_token(self):
        self.authenticate("portal_a", "portal_a")
        for token in ("0" * len(self.token_b), self.token_b[:-1], self.ticket_a.id, ""):
            with self.subTest(token=token):
                self._assert_not_found(
                    self._close(self.ticket_b.id, self.stage_done.id, access_token=token)
                )
        self._assert_unchanged()

    def test_b_valid_access_token(self):
        """The ticket's access token opens it, as on its page; the redirect
        keeps the token."""
        self.authenticate("portal_a", "portal_a")
        response = self._close(self.ticket_b.id, self.stage_done.id, access_token=self.token_b)
        self.assertEqual(response.status_code, 303, response.text[:300])
        location = urlparse(response.headers["Location"])
        self.assertEqual(location.path, f"/my/ticket/{self.ticket_b.id}")
        self.assertEqual(parse_qs(location.query), {"access_token": [self.token_b]})
        self.assertEqual(self._stage(self.ticket_b), self.stage_done)

    def test_c_own_ticket_closed(self):
        self.authenticate("portal_a", "portal_a")
        response = self._close(self.ticket_a.id, self.stage_done.id)
        self.assertEqual(response.status_code, 303, response.text[:300])
        location = urlparse(response.headers["Location"])
        self.assertEqual(location.path, f"/my/ticket/{self.ticket_a.id}")
        self.assertFalse(location.query)
        self.assertEqual(self._stage(self.ticket_a), self.stage_done)
        self.assertTrue(self.ticket_a.closed_date)
        self.assertEqual(self._stage(self.ticket_b), self.stage_new)
        # the change is the client's (tracking), not OdooBot's
        tracking = self.ticket_a.message_ids.filtered("tracking_value_ids")[:1]
        self.assertEqual(tracking.author_id, self.portal_a.partner_id)
        # a closed ticket cannot be closed again
        self._assert_not_found(self._close(self.ticket_a.id, self.stage_done.id))

    def test_c_page_posts_the_close_form(self):
        self.authenticate("portal_a", "portal_a")
        page = self.url_open(f"/my/ticket/{self.ticket_a.id}")
        self.assertEqual(page.status_code, 200)
        forms = re.findall(r'<form[^>]*action="/ticket/close"[^>]*>.*?</form>', page.text, re.S)
        stage_ids = set()
        for form in forms:
            self.assertRegex(form, r'method="POST"')
            self.assertRegex(form, r'name="csrf_token" value="[0-9a-f]+o[0-9]+"')
            self.assertNotIn('name="access_token"', form)
            stage_ids.update(int(i) for i in re.findall(r'name="stage_id" value="(\d+)"', form))
        # the page offers the stages the route accepts, no other
        self.assertIn(self.stage_done.id, stage_ids)
        self.assertNotIn(self.stage_rejected.id, stage_ids)
        self.assertNotIn(self.stage_other_team.id, stage_ids)
        # opened with B's token: the forms carry it
        page = self.url_open(f"/my/ticket/{self.ticket_b.id}?access_token={self.token_b}")
        self.assertIn(f'name="access_token" value="{self.token_b}"', page.text)

    def test_d_stage_not_offered(self):
        self.authenticate("portal_a", "portal_a")
        new_stage = self.env["helpdesk.ticket.stage"].create(
            {"name": "TSQ In progress", "sequence": 5, "team_ids": [Command.set(self.team.ids)]}
        )
        for stage in (self.stage_rejected, self.stage_other_team, new_stage):
            with self.subTest(stage=stage.name):
                self._assert_not_found(self._close(self.ticket_a.id, stage.id))
        self._assert_not_found(
            self._close(self.ticket_a.id, self._missing_id("helpdesk.ticket.stage"))
        )
        self._assert_unchanged()

    def test_e_get_changes_nothing(self):
        for login in ("tsq_hd_agent", "portal_a"):
            self.authenticate(login, login)
            response = self.url_open(
                f"/ticket/close?ticket_id={self.ticket_a.id}&stage_id={self.stage_done.id}",
                allow_redirects=False,
            )
            self.assertIn(response.status_code, (404, 405), login)
        self._assert_unchanged()

    @mute_logger("odoo.http")
    def test_f_post_without_csrf_token(self):
        self.authenticate("tsq_hd_agent", "tsq_hd_agent")
        response = self._close(self.ticket_a.id, self.stage_done.id, csrf=False)
        self.assertIn(response.status_code, (400, 403))
        response = self._close(self.ticket_a.id, self.stage_done.id, csrf=False, csrf_token="x")
        self.assertIn(response.status_code, (400, 403))
        # a token of another session does not do either
        token = http.Request.csrf_token(self)
        self.authenticate("portal_a", "portal_a")
        response = self._close(self.ticket_a.id, self.stage_done.id, csrf=False, csrf_token=token)
        self.assertIn(response.status_code, (400, 403))
        self._assert_unchanged()

    def test_g_malformed_ids(self):
        self.authenticate("portal_a", "portal_a")
        stage = str(self.stage_done.id)
        ticket = str(self.ticket_a.id)
        for ticket_id, stage_id in (
            ("abc", stage),
            (f"{ticket}abc", stage),
            (f" {ticket}", stage),
            (f"-{ticket}", stage),
            ("1e3", stage),
            ("99999999999999999999", stage),
            ("2147483648", stage),
            ("0", stage),
            ("", stage),
            (None, stage),
            (ticket, "abc"),
            (ticket, ""),
            (ticket, None),
        ):
            with self.subTest(ticket_id=ticket_id, stage_id=stage_id):
                data = {"csrf_token": http.Request.csrf_token(self)}
                if ticket_id is not None:
                    data["ticket_id"] = ticket_id
                if stage_id is not None:
                    data["stage_id"] = stage_id
                self._assert_not_found(
                    self.url_open("/ticket/close", data=data, allow_redirects=False)
                )
        self._assert_unchanged()

    def test_h_users_who_may_not(self):
        for login in ("portal_c", "tsq_employee", "portal_b"):
            with self.subTest(login=login):
                self.authenticate(login, login)
                self._assert_not_found(self._close(self.ticket_a.id, self.stage_done.id))
        # a visitor who is not logged in is sent to the login page
        self.authenticate(None, None)
        response = self._close(self.ticket_a.id, self.stage_done.id)
        self.assertEqual(response.status_code, 303)
        self.assertEqual(urlparse(response.headers["Location"]).path, "/web/login")
        self._assert_unchanged()

    def test_h_helpdesk_staff_close_without_sudo(self):
        self.authenticate("tsq_hd_agent", "tsq_hd_agent")
        response = self._close(self.ticket_a.id, self.stage_done.id)
        self.assertEqual(response.status_code, 303, response.text[:300])
        self.assertEqual(self._stage(self.ticket_a), self.stage_done)

    # --------------------------------------------------------- /submitted/ticket
    def _submit(self, files=None, **data):
        data = {"subject": "TSQ new ticket", "description": "Please help", **data}
        data["csrf_token"] = http.Request.csrf_token(self)
        return self.url_open("/submitted/ticket", data=data, files=files, allow_redirects=False)

    def _new_tickets(self):
        return self.env["helpdesk.ticket"].search([("name", "=", "TSQ new ticket")])

    def test_submit_only_offered_team_and_category(self):
        self.company.write(
            {
                "helpdesk_mgmt_portal_select_team": True,
                "helpdesk_mgmt_portal_select_category": True,
            }
        )
        Category = self.env["helpdesk.ticket.category"]
        category = Category.create({"name": "TSQ portal category", "show_in_portal": True})
        hidden = Category.create({"name": "TSQ staff category", "show_in_portal": False})
        not_shown = self.env["helpdesk.ticket.team"].create(
            {"name": "TSQ back-office team", "show_in_portal": False}
        )
        other_company = self.env["res.company"].create({"name": "TSQ other agency"})
        foreign = self.env["helpdesk.ticket.team"].create(
            {"name": "TSQ foreign team", "show_in_portal": True, "company_id": other_company.id}
        )
        self.authenticate("portal_a", "portal_a")
        form = self.url_open("/new/ticket")
        self.assertIn("TSQ close team", form.text)
        self.assertNotIn("TSQ foreign team", form.text)
        for data in (
            {"team": str(foreign.id)},
            {"team": str(not_shown.id)},
            {"team": "abc"},
            {"category": str(hidden.id)},
            {"category": f"{category.id} "},
            {"team": str(self.team.id), "category": str(hidden.id)},
        ):
            with self.subTest(**data):
                self._assert_not_found(self._submit(**data))
        self.assertFalse(self._new_tickets())

        response = self._submit(
            team=str(self.team.id),
            category=str(category.id),
            files={"attachment": ("report.txt", b"client file", "text/plain")},
        )
        self.assertIn(response.status_code, (302, 303), response.text[:300])
        ticket = self._new_tickets()
        self.assertEqual(len(ticket), 1)
        self.assertEqual(urlparse(response.headers["Location"]).path, f"/my/ticket/{ticket.id}")
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(ticket.category_id, category)
        self.assertEqual(ticket.partner_id, self.portal_a.partner_id)
        self.assertEqual(ticket.attachment_ids.mapped("name"), ["report.txt"])
        self.assertIn("report.txt", self.url_open(f"/my/ticket/{ticket.id}").text)

    def test_submit_by_get_creates_nothing(self):
        self.authenticate("portal_a", "portal_a")
        response = self.url_open(
            "/submitted/ticket?subject=TSQ+new+ticket&description=x", allow_redirects=False
        )
        self.assertIn(response.status_code, (404, 405))
        self.assertFalse(self._new_tickets())

    # ------------------------------------------------------------ /my/ticket/<id>
    def test_page_hides_internal_note_files(self):
        Attachment = self.env["ir.attachment"]

        def attach(name):
            return Attachment.create(
                {
                    "name": name,
                    "raw": b"content",
                    "res_model": "helpdesk.ticket",
                    "res_id": self.ticket_a.id,
                }
            )

        internal = attach("internal-note-file.txt")
        public = attach("public-reply-file.txt")
        loose = attach("ticket-file.txt")
        ticket = self.ticket_a.with_user(self.agent)
        ticket.message_post(body="note", subtype_xmlid="mail.mt_note", attachment_ids=internal.ids)
        ticket.message_post(
            body="reply",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            attachment_ids=public.ids,
        )
        self.authenticate("portal_a", "portal_a")
        page = self.url_open(f"/my/ticket/{self.ticket_a.id}").text
        self.assertIn("public-reply-file.txt", page)
        self.assertIn("ticket-file.txt", page)
        self.assertNotIn("internal-note-file.txt", page)
        self.env.invalidate_all()
        self.assertFalse(internal.access_token)
        self.assertTrue(public.access_token and loose.access_token)
        # and the file cannot be fetched without a token
        response = self.url_open(f"/web/content/{internal.id}")
        self.assertIn(response.status_code, (403, 404))
