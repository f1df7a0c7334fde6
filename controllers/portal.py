"""Client portal of the services: the client follows its services, confirms the
plan, accepts (signs) or objects to a delivery and answers the return visit.

Portal users only READ services (ACL + record rules). Every action below reaches
its service through ``_document_check_access`` (record rules, or the service's
access token), finds the sub-record WITHIN that service, validates the whole
input, and then acts on the sudo record in a savepoint: a refused or invalid
request changes nothing.
"""

import base64
import binascii
import logging

from werkzeug.exceptions import NotFound
from werkzeug.urls import url_encode

from odoo import http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request
from odoo.tools.image import base64_to_image

from ..lib.stages import OPEN_STAGES, TERMINAL_STAGES
from ..models.core.tsq_concurrency import TsqConcurrentChange, concurrent_change_message

_logger = logging.getLogger(__name__)

SCORES = ("1", "2", "3", "4", "5")

MAX_FILE_SIZE = 10 * 1024 * 1024  # bytes, each file of an objection
MAX_FILES = 10
MAX_TEXT = 5000  # characters of a reason or a comment
MAX_NAME = 128  # characters of a signer's name
MAX_SIGNATURE = 2 * 1024 * 1024  # bytes of the base64 signature image

# The printed documents a client may download: kind -> report xml id.
REPORTS = {
    "plan": "tech_service_quality.action_report_service_plan",
    "contract": "tech_service_quality.action_report_contract_checklist",
    "acceptance": "tech_service_quality.action_report_acceptance",
    "objection": "tech_service_quality.action_report_objection",
    "return_visit": "tech_service_quality.action_report_return_visit",
}


def read_uploaded_files(files):
    """[(filename, content)] of the uploaded files, or an error code. Empty file
    fields (nothing chosen) are ignored; each file is read at most one byte past
    the size limit."""
    chosen = [f for f in files if f and f.filename]
    if len(chosen) > MAX_FILES:
        return None, "too_many_files"
    result = []
    for storage in chosen:
        content = storage.read(MAX_FILE_SIZE + 1)
        if not content:
            return None, "file_empty"
        if len(content) > MAX_FILE_SIZE:
            return None, "file_too_big"
        result.append((storage.filename[:255], content))
    return result, None


def attach_uploaded_files(record, files):
    """The attachments of ``record`` made of read_uploaded_files' [(filename, content)]."""
    return record.env["ir.attachment"].create(
        [
            {"name": filename, "raw": content, "res_model": record._name, "res_id": record.id}
            for filename, content in files
        ]
    )


def clean_rating(score, comments):
    """(score, comments, error code) of a satisfaction score and its comments."""
    if not isinstance(score, str) or score.strip() not in SCORES:
        return None, None, "score_invalid"
    comments = comments.strip() if isinstance(comments, str) else ""
    if len(comments) > MAX_TEXT:
        return None, None, "comments_too_long"
    return score.strip(), comments, None


def portal_url(path, access_token=None, **query):
    """``path`` with the access token and the non-empty ``query`` values."""
    if access_token:
        query["access_token"] = access_token
    query = {k: v for k, v in query.items() if v}
    return f"{path}?{url_encode(query)}" if query else path


def readable_count(model_name, domain):
    """The number of records of ``domain`` the user may read (0 without access)."""
    Model = request.env[model_name]
    return Model.search_count(domain) if Model.has_access("read") else 0


def error_in_savepoint(action, logger, refused, *args):
    """Run ``action`` in a savepoint: None, or the error code of its refusal
    ("concurrent", or "failed", logged as ``refused % args``)."""
    try:
        with request.env.cr.savepoint():
            action()
    except TsqConcurrentChange:
        return "concurrent"
    except (UserError, ValidationError):
        logger.info(refused, *args)
        return "failed"
    return None


def shared_error_messages(env):
    """The messages of the errors every portal form may show."""
    return {
        "too_many_files": env._("Attach at most %s files.", MAX_FILES),
        "file_empty": env._("A file is empty. Please choose it again."),
        "file_too_big": env._("Each file must be smaller than %s MB.", MAX_FILE_SIZE // 2**20),
        "score_invalid": env._("Choose a satisfaction score from 1 to 5."),
        "comments_too_long": env._("The comments are too long (at most %s characters).", MAX_TEXT),
        "failed": env._("The action could not be completed. Please try again or contact us."),
        "concurrent": concurrent_change_message(env),
    }


def checked_sudo(portal, model_name, record_id, access_token, field):
    """The record (sudo) if the user may see it and its boolean ``field`` is set,
    else None. Reached only through the record rules or the record's access token."""
    try:
        record_sudo = portal._document_check_access(
            model_name, record_id, access_token=access_token or None
        )
    except (AccessError, MissingError):
        return None
    return record_sudo if record_sudo[field] else None


class ServicePortal(CustomerPortal):
    # ------------------------------------------------------------- messages
    def _tsq_error_messages(self):
        return {
            "plan_wrong_stage": request.env._(
                "The plan can be confirmed only at the planning stage."
            ),
            "plan_confirmed": request.env._("The plan is already confirmed."),
            "plan_incomplete": request.env._(
                "The plan is not complete yet. Your contact will complete it first."
            ),
            "acceptance_missing": request.env._("This submission cannot be found."),
            "acceptance_decided": request.env._("This submission has already been decided."),
            "acceptance_wrong_stage": request.env._(
                "A delivery can be accepted only at the delivery stage."
            ),
            "name_missing": request.env._("Enter your name."),
            "name_too_long": request.env._("The name is too long."),
            "signature_missing": request.env._("Please sign before accepting."),
            "signature_invalid": request.env._(
                "The signature could not be read. Please sign again."
            ),
            "reason_missing": request.env._("Give the reason of your objection."),
            "reason_too_long": request.env._(
                "The reason is too long (at most %s characters).", MAX_TEXT
            ),
            "visit_missing": request.env._("This return visit cannot be found."),
            "visit_done": request.env._("This return visit has already been answered."),
            "visit_wrong_stage": request.env._("This return visit cannot be answered now."),
            **shared_error_messages(request.env),
        }

    def _tsq_success_messages(self):
        return {
            "plan_confirmed": request.env._("Thank you. The plan is confirmed."),
            "accepted": request.env._("Thank you. The delivery is accepted."),
            "objection": request.env._("Your objection is recorded. We will answer you shortly."),
            "visit_done": request.env._("Thank you for your feedback."),
        }

    # --------------------------------------------------------------- access
    def _tsq_service_sudo(self, service_id, access_token=None):
        """The service (sudo) if the user may see it, else None. Reached only
        through the record rules or the service's access token."""
        return checked_sudo(self, "project.project", service_id, access_token, "is_service")

    def _tsq_acting(self, record_sudo):
        """``record_sudo`` still in sudo, but on behalf of the current user: the
        chatter, the "done by" fields and the uploads are theirs, not OdooBot's."""
        return record_sudo.with_user(request.env.user).sudo()

    def _tsq_service_url(self, service_sudo, access_token=None, suffix="", **query):
        return portal_url(f"/my/services/{service_sudo.id}{suffix}", access_token, **query)

    def _tsq_back(self, service_sudo, access_token, error=None, message=None):
        return request.redirect(
            self._tsq_service_url(service_sudo, access_token, error=error, message=message)
        )

    # ----------------------------------------------------------- home, list
    def _tsq_services_domain(self):
        partner = request.env.user.partner_id.commercial_partner_id
        return [("is_service", "=", True), ("partner_id", "child_of", [partner.id])]

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "service_count" in counters:
            values["service_count"] = readable_count("project.project", self._tsq_services_domain())
        return values

    def _tsq_searchbar_sortings(self):
        return {
            "date": {"label": request.env._("Newest"), "order": "create_date desc, id desc"},
            "stage": {"label": request.env._("Stage"), "order": "service_stage desc, id desc"},
            "name": {"label": request.env._("Name"), "order": "name asc, id desc"},
        }

    def _tsq_searchbar_filters(self):
        return {
            "all": {"label": request.env._("All"), "domain": []},
            "open": {
                "label": request.env._("In progress"),
                "domain": [("service_stage", "in", OPEN_STAGES)],
            },
            "closed": {
                "label": request.env._("Closed"),
                "domain": [("service_stage", "in", TERMINAL_STAGES)],
            },
        }

    def _prepare_tsq_services_values(self, page=1, sortby=None, filterby=None, **kwargs):
        """Values of the list: one count and ONE paged search; the template reads
        the page's records through the prefetch (no query per service)."""
        Service = request.env["project.project"]
        sortings = self._tsq_searchbar_sortings()
        filters = self._tsq_searchbar_filters()
        sortby = sortby if sortby in sortings else "date"
        filterby = filterby if filterby in filters else "all"
        domain = self._tsq_services_domain() + filters[filterby]["domain"]
        pager = portal_pager(
            url="/my/services",
            total=Service.search_count(domain),
            page=page,
            step=self._items_per_page,
            url_args={"sortby": sortby, "filterby": filterby},
        )
        services = Service.search(
            domain,
            order=sortings[sortby]["order"],
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                # searched with the user's rules; read in sudo (no rule per read)
                "services": services.sudo(),
                "page_name": "service",
                "pager": pager,
                "default_url": "/my/services",
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_filters": filters,
                "filterby": filterby,
            }
        )
        return values

    @http.route(
        ["/my/services", "/my/services/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def portal_my_services(self, page=1, sortby=None, filterby=None, **kwargs):
        values = self._prepare_tsq_services_values(
            page=page, sortby=sortby, filterby=filterby, **kwargs
        )
        return request.render("tech_service_quality.portal_my_services", values)

    # ---------------------------------------------------------------- detail
    def _tsq_latest_acceptance(self, service_sudo):
        return service_sudo.acceptance_ids.sorted("sequence")[-1:]

    def _tsq_can_confirm_plan(self, service_sudo):
        if service_sudo.service_stage != "s2" or service_sudo.plan_confirmed_at:
            return False
        try:
            service_sudo._tsq_check_plan_confirmable()
        except UserError:
            return False
        return True

    def _tsq_open_acceptance(self, service_sudo):
        """The submission the client can decide now (or an empty recordset)."""
        latest = self._tsq_latest_acceptance(service_sudo)
        if latest and not latest._decision_problem():
            return latest
        return latest.browse()

    def _tsq_open_visits(self, service_sudo):
        return service_sudo.return_visit_ids.filtered(lambda v: v._is_answerable())

    def _tsq_documents(self, service_sudo):
        """{kind: record} of the printed documents that exist for the service and
        whose printed form is installed."""
        return {
            kind: record
            for kind, record in service_sudo._tsq_portal_documents().items()
            if request.env.ref(REPORTS[kind], raise_if_not_found=False)
        }

    def _tsq_files(self, service_sudo):
        """The files the client may download: those of the deliverables handed
        over, and the files of their own objections."""
        handed = service_sudo.deliverable_ids.filtered("handed_over_at")
        return handed.attachment_ids | service_sudo.acceptance_ids.objection_attachment_ids

    def _prepare_tsq_service_values(self, service_sudo, access_token=None, **kwargs):
        labels = {
            "documents": {
                "plan": request.env._("Service plan"),
                "contract": request.env._("Contract checklist"),
                "acceptance": request.env._("Acceptance record"),
                "objection": request.env._("Objection record"),
                "return_visit": request.env._("Return visit record"),
            },
        }
        errors = self._tsq_error_messages()
        successes = self._tsq_success_messages()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "service": service_sudo,
                "page_name": "service",
                "tsq_steps": service_sudo._tsq_portal_stage_steps(),
                "tsq_can_confirm_plan": self._tsq_can_confirm_plan(service_sudo),
                "tsq_open_acceptance": self._tsq_open_acceptance(service_sudo),
                "tsq_acceptances": service_sudo.acceptance_ids.sorted("sequence", reverse=True),
                "tsq_open_visit": self._tsq_open_visits(service_sudo)[:1],
                "tsq_visits": service_sudo.return_visit_ids,
                "tsq_reports": service_sudo.progress_report_ids.filtered("sent_at"),
                "tsq_deliverables": service_sudo.deliverable_ids,
                "tsq_documents": self._tsq_documents(service_sudo),
                "tsq_document_labels": labels["documents"],
                "tsq_token": access_token or "",
                "tsq_url": lambda suffix="": self._tsq_service_url(
                    service_sudo, access_token, suffix
                ),
                "tsq_error": errors.get(kwargs.get("error") or ""),
                "tsq_message": successes.get(kwargs.get("message") or ""),
                "tsq_max_files": MAX_FILES,
                "tsq_max_file_mb": MAX_FILE_SIZE // 2**20,
                "tsq_max_text": MAX_TEXT,
                "tsq_scores": SCORES,
            }
        )
        # no previous/next pager: Odoo's would write a token on the neighbours
        values["object"] = service_sudo
        if access_token:
            values.update(no_breadcrumbs=False, access_token=access_token, token=access_token)
        return values

    @http.route(
        "/my/services/<int:service_id>",
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def portal_my_service(self, service_id, access_token=None, **kwargs):
        service_sudo = self._tsq_service_sudo(service_id, access_token)
        if not service_sudo:
            return request.redirect("/my")
        values = self._prepare_tsq_service_values(service_sudo, access_token, **kwargs)
        return request.render("tech_service_quality.portal_my_service", values)

    @http.route(
        "/my/services/<int:service_id>/file/<int:attachment_id>",
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def portal_my_service_file(self, service_id, attachment_id, access_token=None, **kwargs):
        service_sudo = self._tsq_service_sudo(service_id, access_token)
        if not service_sudo:
            raise NotFound()
        attachment = self._tsq_files(service_sudo).filtered(lambda a: a.id == attachment_id)
        if not attachment:
            raise NotFound()
        stream = request.env["ir.binary"]._get_stream_from(attachment)
        return stream.get_response(as_attachment=True)

    # ------------------------------------------------------------ S2: plan
    @http.route(
        "/my/services/<int:service_id>/plan/confirm",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
        csrf=True,
    )
    def portal_service_plan_confirm(self, service_id, access_token=None, **kwargs):
        service_sudo = self._tsq_service_sudo(service_id, access_token)
        if not service_sudo:
            return request.redirect("/my")
        if service_sudo.service_stage != "s2":
            return self._tsq_back(service_sudo, access_token, error="plan_wrong_stage")
        if service_sudo.plan_confirmed_at:
            return self._tsq_back(service_sudo, access_token, error="plan_confirmed")
        if not self._tsq_can_confirm_plan(service_sudo):
            return self._tsq_back(service_sudo, access_token, error="plan_incomplete")
        service = self._tsq_acting(service_sudo)

        def confirm():
            service._tsq_check_plan_confirmable()
            service._tsq_confirm_plan(request.env.user.name, "portal")

        error = error_in_savepoint(
            confirm, _logger, "Portal plan confirmation refused for service %s", service_id
        )
        if error:
            # a refused confirmation: the plan is not complete
            error = "plan_incomplete" if error == "failed" else error
            return self._tsq_back(service_sudo, access_token, error=error)
        return self._tsq_back(service_sudo, access_token, message="plan_confirmed")

    # ------------------------------------------------------ S5: acceptance
    def _tsq_check_decidable(self, service_sudo, acceptance_id):
        """(acceptance, error code): the submission ``acceptance_id`` looked up
        within the checked service, and why it cannot be decided now."""
        acceptance = service_sudo.acceptance_ids.filtered(lambda a: a.id == acceptance_id)
        if not acceptance:
            return acceptance, "acceptance_missing"
        if acceptance != self._tsq_latest_acceptance(service_sudo):
            return acceptance, "acceptance_decided"
        problem = acceptance._decision_problem()
        return acceptance, problem and f"acceptance_{problem}"

    def _tsq_clean_signature(self, signature):
        """The base64 PNG/JPEG of the drawn signature, or None if unusable."""
        if not isinstance(signature, str) or len(signature) > MAX_SIGNATURE:
            return None
        try:
            base64.b64decode(signature, validate=True)
            base64_to_image(signature)
        except (binascii.Error, ValueError, TypeError, UserError):
            return None
        return signature

    @http.route(
        "/my/services/<int:service_id>/acceptance/<int:acceptance_id>/accept",
        type="json",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_service_accept(
        self, service_id, acceptance_id, access_token=None, name=None, signature=None, **kwargs
    ):
        access_token = access_token or request.httprequest.args.get("access_token")
        errors = self._tsq_error_messages()

        def refuse(code):
            _logger.info("Portal acceptance of submission %s refused: %s", acceptance_id, code)
            return {"error": errors.get(code) or request.env._("This document cannot be found.")}

        service_sudo = self._tsq_service_sudo(service_id, access_token)
        if not service_sudo:
            return refuse("service_missing")
        acceptance, error = self._tsq_check_decidable(service_sudo, acceptance_id)
        if error:
            return refuse(error)
        name = name.strip() if isinstance(name, str) else ""
        if not name:
            return refuse("name_missing")
        if len(name) > MAX_NAME:
            return refuse("name_too_long")
        if not signature:
            return refuse("signature_missing")
        signature = self._tsq_clean_signature(signature)
        if not signature:
            return refuse("signature_invalid")
        error = error_in_savepoint(
            lambda: self._tsq_acting(acceptance)._accept(name, signature, "portal"),
            _logger,
            "Portal acceptance refused for submission %s",
            acceptance_id,
        )
        if error:
            return {"error": errors[error]}
        return {
            "force_refresh": True,
            "redirect_url": self._tsq_service_url(service_sudo, access_token, message="accepted"),
        }

    @http.route(
        "/my/services/<int:service_id>/acceptance/<int:acceptance_id>/objection",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
        csrf=True,
    )
    def portal_service_objection(
        self, service_id, acceptance_id, access_token=None, reason=None, **kwargs
    ):
        service_sudo = self._tsq_service_sudo(service_id, access_token)
        if not service_sudo:
            return request.redirect("/my")
        acceptance, error = self._tsq_check_decidable(service_sudo, acceptance_id)
        if error:
            return self._tsq_back(service_sudo, access_token, error=error)
        reason = reason.strip() if isinstance(reason, str) else ""
        if not reason:
            return self._tsq_back(service_sudo, access_token, error="reason_missing")
        if len(reason) > MAX_TEXT:
            return self._tsq_back(service_sudo, access_token, error="reason_too_long")
        files, error = read_uploaded_files(request.httprequest.files.getlist("files"))
        if error:
            return self._tsq_back(service_sudo, access_token, error=error)
        acceptance = self._tsq_acting(acceptance)

        def object_to():
            attachments = attach_uploaded_files(acceptance, files)
            acceptance._raise_objection(reason, "portal", attachments.ids)

        error = error_in_savepoint(
            object_to, _logger, "Portal objection refused for submission %s", acceptance_id
        )
        if error:
            return self._tsq_back(service_sudo, access_token, error=error)
        return self._tsq_back(service_sudo, access_token, message="objection")

    # ---------------------------------------------------- S6: return visit
    @http.route(
        "/my/services/<int:service_id>/return_visit/<int:visit_id>",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
        csrf=True,
    )
    def portal_service_return_visit(
        self, service_id, visit_id, access_token=None, score=None, comments=None, **kwargs
    ):
        service_sudo = self._tsq_service_sudo(service_id, access_token)
        if not service_sudo:
            return request.redirect("/my")
        visit = service_sudo.return_visit_ids.filtered(lambda v: v.id == visit_id)
        if not visit:
            return self._tsq_back(service_sudo, access_token, error="visit_missing")
        if visit.done_at:
            return self._tsq_back(service_sudo, access_token, error="visit_done")
        if visit not in self._tsq_open_visits(service_sudo):
            return self._tsq_back(service_sudo, access_token, error="visit_wrong_stage")
        score, comments, error = clean_rating(score, comments)
        if not error:
            error = error_in_savepoint(
                lambda: self._tsq_acting(visit)._record(
                    score, comments or False, "portal", request.env.user.name
                ),
                _logger,
                "Portal return visit refused for visit %s",
                visit_id,
            )
        if error:
            return self._tsq_back(service_sudo, access_token, error=error)
        return self._tsq_back(service_sudo, access_token, message="visit_done")

    # ----------------------------------------------------------- documents
    @http.route(
        "/my/services/<int:service_id>/report/<string:kind>",
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def portal_service_report(self, service_id, kind, access_token=None, **kwargs):
        service_sudo = self._tsq_service_sudo(service_id, access_token)
        if not service_sudo or kind not in REPORTS:
            raise NotFound()
        record_sudo = self._tsq_documents(service_sudo).get(kind)
        if not record_sudo:
            raise NotFound()
        return self._show_report(
            model=record_sudo, report_type="pdf", report_ref=REPORTS[kind], download=True
        )
