"""Client portal of the complaints: a client files a complaint (with files), follows
its deadlines and status, reads the agency's reply and feedback, and rates the
handling.

Portal users only READ tickets (helpdesk_mgmt's ACL and its rule: tickets of their
own company). The list searches with the user's rules; the detail and every action
reach the ticket through ``_document_check_access`` (record rules, or the ticket's
access token); the input is validated whole before anything is written, and the
write happens in a savepoint.
"""

import logging

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import UserError, ValidationError
from odoo.http import request
from odoo.tools import plaintext2html

from ..models.core.res_company import agency_lang
from .portal import (
    MAX_FILE_SIZE,
    MAX_FILES,
    MAX_TEXT,
    attach_uploaded_files,
    checked_sudo,
    clean_rating,
    error_in_savepoint,
    portal_url,
    read_uploaded_files,
    readable_count,
    shared_error_messages,
)

_logger = logging.getLogger(__name__)

MAX_SUBJECT = 200


class ComplaintPortal(CustomerPortal):
    def _tsq_complaint_errors(self):
        return {
            "subject_missing": request.env._("Give your complaint a subject."),
            "subject_too_long": request.env._(
                "The subject is too long (at most %s characters).", MAX_SUBJECT
            ),
            "description_missing": request.env._("Describe what you are complaining about."),
            "description_too_long": request.env._(
                "The description is too long (at most %s characters).", MAX_TEXT
            ),
            "service_invalid": request.env._("Choose one of your services, or none."),
            "rating_not_open": request.env._(
                "The handling can be rated once we have given you our feedback, and only once."
            ),
            **shared_error_messages(request.env),
        }

    def _tsq_complaint_messages(self):
        return {
            "filed": request.env._(
                "Your complaint is registered. We will answer you within 24 hours."
            ),
            "rated": request.env._("Thank you for rating the handling of your complaint."),
        }

    # --------------------------------------------------------------- access
    def _tsq_complaints_domain(self):
        partner = request.env.user.partner_id.commercial_partner_id
        return [("is_complaint", "=", True), ("partner_id", "child_of", [partner.id])]

    def _tsq_complaint_sudo(self, ticket_id, access_token=None):
        """The complaint (sudo) if the user may see it, else None."""
        return checked_sudo(self, "helpdesk.ticket", ticket_id, access_token, "is_complaint")

    def _tsq_complaint_url(self, ticket_sudo, access_token=None, **query):
        return portal_url(f"/my/complaints/{ticket_sudo.id}", access_token, **query)

    def _tsq_own_services(self):
        """The services the user may name in a complaint (searched with their rules)."""
        Service = request.env["project.project"]
        if not Service.has_access("read"):
            return Service
        partner = request.env.user.partner_id.commercial_partner_id
        return Service.search(
            [("is_service", "=", True), ("partner_id", "child_of", [partner.id])],
            order="create_date desc",
        )

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "complaint_count" in counters:
            values["complaint_count"] = readable_count(
                "helpdesk.ticket", self._tsq_complaints_domain()
            )
        return values

    # ----------------------------------------------------------------- list
    @http.route(
        ["/my/complaints", "/my/complaints/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def portal_my_complaints(self, page=1, **kwargs):
        Ticket = request.env["helpdesk.ticket"]
        domain = self._tsq_complaints_domain()
        pager = portal_pager(
            url="/my/complaints",
            total=Ticket.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        tickets = Ticket.search(
            domain,
            order="tsq_received_at desc, id desc",
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "complaints": tickets.sudo(),
                "page_name": "complaint",
                "pager": pager,
                "default_url": "/my/complaints",
            }
        )
        return request.render("tech_service_quality.portal_my_complaints", values)

    # ------------------------------------------------------------------ new
    def _tsq_new_values(self, error=None, **form):
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "complaint_new",
                "services": self._tsq_own_services().sudo(),
                "form": form,
                "error": error,
                "error_message": self._tsq_complaint_errors().get(error),
                "max_files": MAX_FILES,
                "max_file_mb": MAX_FILE_SIZE // 2**20,
            }
        )
        return values

    @http.route("/my/complaints/new", type="http", auth="user", website=True, methods=["GET"])
    def portal_complaint_new(self, service_id=None, **kwargs):
        return request.render(
            "tech_service_quality.portal_complaint_new",
            self._tsq_new_values(service_id=service_id),
        )

    def _tsq_validate_complaint(self, subject, description, service_id):
        subject = subject.strip() if isinstance(subject, str) else ""
        description = description.strip() if isinstance(description, str) else ""
        if not subject:
            return None, "subject_missing"
        if len(subject) > MAX_SUBJECT:
            return None, "subject_too_long"
        if not description:
            return None, "description_missing"
        if len(description) > MAX_TEXT:
            return None, "description_too_long"
        service = request.env["project.project"]
        if service_id not in (None, "", "0"):
            try:
                wanted = int(service_id)
            except (TypeError, ValueError):
                return None, "service_invalid"
            service = self._tsq_own_services().filtered(lambda s: s.id == wanted)
            if not service:
                return None, "service_invalid"
        return {"subject": subject, "description": description, "service": service}, None

    def _tsq_complaint_vals(self, subject, description, service):
        user = request.env.user
        company = service.sudo().company_id or user.company_id
        category = request.env.ref("tech_service_quality.helpdesk_category_complaint")
        team = (
            request.env["helpdesk.ticket.team"]
            .sudo()
            .search(
                [("tsq_kind", "=", "complaint"), ("company_id", "in", [company.id, False])],
                limit=1,
            )
        )
        channel = request.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_web", False)
        return {
            "name": subject,
            "description": plaintext2html(description),
            "category_id": category.id,
            "team_id": team.id,
            "company_id": company.id,
            "channel_id": channel.id if channel else False,
            "partner_id": user.partner_id.id,
            "partner_name": user.partner_id.name,
            "partner_email": user.partner_id.email,
            "service_id": service.id,
            "user_id": False,
        }

    @http.route(
        "/my/complaints/new",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
        csrf=True,
    )
    def portal_complaint_submit(self, subject=None, description=None, service_id=None, **kw):
        form = {"subject": subject, "description": description, "service_id": service_id}
        clean, error = self._tsq_validate_complaint(subject, description, service_id)
        files = []
        if not error:
            files, error = read_uploaded_files(request.httprequest.files.getlist("files"))
        if error:
            return request.render(
                "tech_service_quality.portal_complaint_new", self._tsq_new_values(error, **form)
            )
        partner = request.env.user.partner_id
        try:
            with request.env.cr.savepoint():
                # Portal users may not create tickets: the ticket is created in sudo
                # from validated values only, on the user's own partner.
                Ticket = request.env["helpdesk.ticket"].with_user(request.env.user).sudo()
                ticket = Ticket.create(
                    self._tsq_complaint_vals(
                        clean["subject"], clean["description"], clean["service"]
                    )
                )
                ticket.message_subscribe(partner_ids=partner.ids)
                attachments = attach_uploaded_files(ticket, files)
                if attachments:
                    shared = agency_lang(ticket, ticket.company_id)
                    shared.message_post(
                        body=shared.env._("Files attached to the complaint."),
                        attachment_ids=attachments.ids,
                        author_id=partner.id,
                        message_type="comment",
                        subtype_xmlid="mail.mt_note",
                    )
        except (UserError, ValidationError):
            _logger.info("Portal complaint refused for user %s", request.env.uid)
            return request.render(
                "tech_service_quality.portal_complaint_new", self._tsq_new_values("failed", **form)
            )
        return request.redirect(self._tsq_complaint_url(ticket, message="filed"))

    # --------------------------------------------------------------- detail
    @http.route(
        "/my/complaints/<int:ticket_id>",
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
    )
    def portal_my_complaint(self, ticket_id, access_token=None, error=None, message=None, **kw):
        ticket_sudo = self._tsq_complaint_sudo(ticket_id, access_token)
        if not ticket_sudo:
            return request.redirect("/my")
        values = self._get_page_view_values(
            ticket_sudo,
            access_token,
            {
                "complaint": ticket_sudo,
                "page_name": "complaint",
                "clocks": ticket_sudo.tsq_clock_ids,
                "can_rate": bool(ticket_sudo.tsq_feedback_at and not ticket_sudo.tsq_rated_at),
                "error_message": self._tsq_complaint_errors().get(error),
                "success_message": self._tsq_complaint_messages().get(message),
                "token": access_token,
            },
            "my_complaints_history",
            False,
        )
        return request.render("tech_service_quality.portal_my_complaint", values)

    @http.route(
        "/my/complaints/<int:ticket_id>/rate",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        csrf=True,
    )
    def portal_complaint_rate(
        self, ticket_id, access_token=None, score=None, comments=None, **kwargs
    ):
        ticket_sudo = self._tsq_complaint_sudo(ticket_id, access_token)
        if not ticket_sudo:
            return request.redirect("/my")

        def back(**query):
            return request.redirect(self._tsq_complaint_url(ticket_sudo, access_token, **query))

        if not ticket_sudo.tsq_feedback_at or ticket_sudo.tsq_rated_at:
            return back(error="rating_not_open")
        score, comments, error = clean_rating(score, comments)
        if error:
            return back(error=error)
        partner = (
            ticket_sudo.partner_id if request.env.user._is_public() else request.env.user.partner_id
        )
        error = error_in_savepoint(
            lambda: (
                ticket_sudo.with_user(request.env.user).sudo()._tsq_rate(score, comments, partner)
            ),
            _logger,
            "Portal complaint rating refused for ticket %s",
            ticket_id,
        )
        if error:
            return back(error=error)
        return back(message="rated")

    @http.route(
        "/my/complaints/<int:ticket_id>/report",
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
    )
    def portal_complaint_report(self, ticket_id, access_token=None, **kwargs):
        ticket_sudo = self._tsq_complaint_sudo(ticket_id, access_token)
        if not ticket_sudo:
            raise NotFound()
        return self._show_report(
            model=ticket_sudo,
            report_type="pdf",
            report_ref="tech_service_quality.action_report_complaint",
            download=True,
        )
