"""The OCA helpdesk's portal routes, made safe (issue 6).

``helpdesk_mgmt`` 18.0 serves ``/ticket/close`` on any method (a link makes a
logged-in user close a ticket: CSRF), finds the ticket with a bare
``sudo().search`` on the id of the query string (any user closes any client's
ticket) and converts the parameters with ``int()`` (a server error on bad input).
Here the ticket is reached only through the portal's access check (record
rules, or the ticket's access token), only a stage the ticket page offers is
accepted (``close_from_portal``, applicable to the ticket's team), the request
must be a POST with Odoo's CSRF token, and every refusal answers like a missing
record (404).

The same review found three more holes, closed here too:

* ``/submitted/ticket`` accepted GET (Odoo checks the CSRF token only on POST,
  so a link created tickets in the name of whoever opened it) and took the team
  from a ``sudo().search`` without the company rule and the category by id
  whatever the portal offers: team and category must now be among those the
  form offers to this user.
* ``/my/ticket/<id>`` gave an access token to, and listed, every attachment of
  the ticket, including the files of staff's internal notes: the page now lists,
  and gives tokens to, only the files a client may see (no message, or a
  message the portal chatter shows).
"""

import logging
import re

from werkzeug.urls import url_encode

from odoo import http
from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController
from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortalHelpdesk
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

_logger = logging.getLogger(__name__)

_ID_RE = re.compile(r"[1-9][0-9]{0,9}")
_MAX_ID = 2**31 - 1  # PostgreSQL integer


def to_id(value):
    """The database id written in a form value, or None: digits only, no sign,
    no blanks, within PostgreSQL's integer range."""
    if isinstance(value, str) and _ID_RE.fullmatch(value):
        number = int(value)
        if number <= _MAX_ID:
            return number
    return None


def portal_close_stages(ticket_sudo):
    """The stages a client may close ``ticket_sudo`` with: flagged
    ``close_from_portal`` and applicable to its team (or, without a team, to
    its company). The ticket page shows exactly these buttons. A complaint
    closes only once its handling record is complete (R6.4): until then, none."""
    if ticket_sudo._tsq_close_missing():
        return ticket_sudo.env["helpdesk.ticket.stage"]
    team = ticket_sudo.team_id.with_company(ticket_sudo.company_id)
    return team._get_applicable_stages().filtered("close_from_portal")


def portal_attachments(ticket_sudo):
    """The files of the ticket a client may see: those linked to no message
    (the client's own uploads, files staff attach to the ticket itself) and
    those of messages the portal chatter shows; never those of internal
    notes."""
    attachments = ticket_sudo.attachment_ids
    messages = (
        ticket_sudo.env["mail.message"]
        .sudo()
        .search(
            [
                ("model", "=", ticket_sudo._name),
                ("res_id", "=", ticket_sudo.id),
                ("attachment_ids", "in", attachments.ids),
            ]
        )
    )
    hidden = messages.filtered(
        lambda m: m.is_internal or not m.subtype_id or m.subtype_id.internal
    ).attachment_ids
    return attachments - hidden


class HelpdeskTicketPortal(HelpdeskTicketController):
    def _tsq_ticket_sudo(self, ticket_id, access_token=None):
        """The ticket (sudo) if the user may read it or gave its access token,
        else None."""
        try:
            # CustomerPortal's check needs only the request, not the controller
            return CustomerPortal._document_check_access(
                self, "helpdesk.ticket", ticket_id, access_token=access_token or None
            )
        except (AccessError, MissingError):
            return None

    @http.route(
        "/ticket/close",
        type="http",
        auth="user",
        methods=["POST"],
        csrf=True,
    )
    def support_ticket_close(self, ticket_id=None, stage_id=None, access_token=None, **kw):
        """Close a ticket from its portal page. A ticket the user may not
        reach, a stage the page does not offer, a ticket already closed or a
        malformed id: 404, the same answer as for a ticket that does not
        exist."""
        ticket_id, stage_id = to_id(ticket_id), to_id(stage_id)
        if not ticket_id or not stage_id:
            raise request.not_found()
        if not isinstance(access_token, str):
            access_token = None
        ticket_sudo = self._tsq_ticket_sudo(ticket_id, access_token)
        if not ticket_sudo or ticket_sudo.stage_id.closed:
            raise request.not_found()
        stage = portal_close_stages(ticket_sudo).filtered(lambda s: s.id == stage_id)
        if not stage:
            raise request.not_found()
        ticket = ticket_sudo.with_user(request.env.user)
        if not ticket.has_access("write"):
            # a client may not write tickets: after the check above, only the
            # stage, on the checked record, in sudo but as the user (the
            # tracking message is theirs)
            ticket = ticket.sudo()
        try:
            with request.env.cr.savepoint():
                ticket.write({"stage_id": stage.id})
        except (AccessError, UserError, ValidationError):
            _logger.info("Portal close of ticket %s refused", ticket_id)
            raise request.not_found() from None
        url = f"/my/ticket/{ticket_sudo.id}"
        if access_token:
            url += "?" + url_encode({"access_token": access_token})
        return request.redirect(url)

    # ------------------------------------------------------------ new ticket
    def _tsq_offered_id(self, value, offered):
        """The id of ``value`` if it is one of the records ``offered`` by the
        form, else None."""
        record_id = to_id(value)
        return record_id if record_id and record_id in offered.ids else None

    def _get_categories(self, **kw):
        """The generic request form offers the after-sales and general categories:
        a complaint is filed through its own door (/my/complaints/new), which routes
        it and starts its limits."""
        categories = super()._get_categories(**kw)
        return categories.filtered(lambda c: c.tsq_kind != "complaint")

    def _prepare_submit_ticket_vals(self, **kw):
        """Team and category must be among those the form offers this user
        (helpdesk_mgmt takes any category id, and any team of any company
        through a sudo search): anything else is refused before a ticket is
        created."""
        kw = dict(kw)
        for key, offered in (
            ("category", self._get_categories(**kw)),
            ("team", self._get_teams()),
        ):
            if kw.get(key) in (None, ""):
                kw.pop(key, None)
                continue
            record_id = self._tsq_offered_id(kw[key], offered)
            if not record_id:
                raise request.not_found()
            kw[key] = str(record_id)
        return super()._prepare_submit_ticket_vals(**kw)

    @http.route(
        "/submitted/ticket",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
        csrf=True,
    )
    def submit_ticket(self, **kw):
        return super().submit_ticket(**kw)


class HelpdeskTicketPagePortal(CustomerPortalHelpdesk):
    @http.route()
    def portal_my_ticket(self, ticket_id, access_token=None, **kw):
        """helpdesk_mgmt's page, but tokens only for the files the client may
        see (it gave one to every file of the ticket, internal notes' too)."""
        try:
            ticket_sudo = self._document_check_access(
                "helpdesk.ticket", ticket_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        for attachment in portal_attachments(ticket_sudo):
            attachment.generate_access_token()
        values = self._ticket_get_page_view_values(ticket_sudo, access_token, **kw)
        return request.render("helpdesk_mgmt.portal_helpdesk_ticket_page", values)

    def _ticket_get_page_view_values(self, ticket, access_token, **kwargs):
        values = super()._ticket_get_page_view_values(ticket, access_token, **kwargs)
        values["closed_stages"] = portal_close_stages(ticket)
        values["tsq_ticket_attachments"] = portal_attachments(ticket)
        return values
