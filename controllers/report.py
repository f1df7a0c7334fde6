"""Odoo's generic report routes, for the add-on's reports (issue 12).

Who may read which record is decided by the one guard every report of the add-on
goes through (``models/core/ir_actions_report.py``), whichever route renders it. The
routes only make sure that a request for one of these reports cannot end in a
server error:

* ``/report/<converter>/<report>/<ids>`` keeps the ids that are numbers (report_xlsx
  failed with a server error on anything else) and, of the rest of the query, only a
  ``context`` that is a JSON object (400 otherwise): the add-on's templates and
  generators take no option from a URL. An unknown report of the add-on is a 404.
* ``/report/download`` (the web client's download) wrapped every error into a
  server error with its traceback (report_xlsx: a 200 holding the traceback). For
  the add-on's reports the request is checked first; a refusal is answered with
  the error the web client shows (403, no traceback), a malformed request 400.
"""

import json
import re

from werkzeug.exceptions import BadRequest, HTTPException, NotFound
from werkzeug.urls import url_parse

from odoo import http
from odoo.addons.report_xlsx.controllers.main import ReportController
from odoo.exceptions import AccessError
from odoo.http import request
from odoo.tools import html_escape

from ..models.core.ir_actions_report import PREFIX

# the report URLs the web client downloads: /report/<converter>/<report>[/<ids>][?…]
DOWNLOAD_URL = re.compile(r"^/report/(pdf|text|xlsx)/([^/?]+)(?:/([^/?]*))?(?:\?(.*))?$")
DOWNLOAD_TYPES = {"qweb-pdf": "pdf", "qweb-text": "text", "xlsx": "xlsx"}


class TsqReportController(ReportController):
    @http.route()
    def report_routes(self, reportname, docids=None, converter=None, **data):
        if reportname.startswith(PREFIX):
            docids, data = self._tsq_report_request(reportname, docids, data)
        return super().report_routes(reportname, docids, converter, **data)

    @http.route()
    def report_download(self, data=None, context=None, token=None, readonly=True):
        url, converter = self._tsq_download_target(data)
        match = DOWNLOAD_URL.match(url)
        if match[2].startswith(PREFIX) if match else PREFIX in url:
            try:
                if not match or match[1] != converter:
                    raise BadRequest()
                self._tsq_check_download(match, context)
            except (HTTPException, AccessError) as refusal:
                return self._tsq_download_refusal(refusal)
        return super().report_download(data, context=context, token=token, readonly=readonly)

    # ------------------------------------------------------------------ helpers
    def _tsq_report_request(self, reportname, docids, data):
        """(ids, data) of a request for a report of the add-on: the ids that are
        numbers, and only the context of the query (see the module)."""
        if not request.env["ir.actions.report"].sudo()._get_report_from_name(reportname):
            raise NotFound()
        ids = ",".join(i for i in str(docids or "").split(",") if i.isdigit())
        clean = {}
        if data.get("context"):
            self._tsq_json_object(data["context"])
            clean["context"] = data["context"]
        return ids, clean

    def _tsq_json_object(self, text):
        """The JSON object ``text`` holds, or 400."""
        try:
            value = json.loads(text or "{}")
        except (TypeError, ValueError):
            value = None
        if not isinstance(value, dict):
            raise BadRequest()
        return value

    def _tsq_download_target(self, data):
        """(url, converter) of a download request, or 400."""
        try:
            url, report_type = json.loads(data)[:2]
        except (TypeError, ValueError, KeyError):
            raise BadRequest() from None
        if not isinstance(url, str) or not isinstance(report_type, str):
            raise BadRequest()
        if report_type not in DOWNLOAD_TYPES:
            raise BadRequest()
        return url, DOWNLOAD_TYPES[report_type]

    def _tsq_check_download(self, match, context):
        """Run the guard on the report, records and context the download would
        render (as report_download passes them to report_routes)."""
        converter, reportname, docids, query = match.groups()
        context = self._tsq_json_object(context)
        if not docids and query:
            context.update(
                self._tsq_json_object(url_parse("?" + query).decode_query().get("context"))
            )
        ids, _data = self._tsq_report_request(reportname, docids, {})
        Report = request.env["ir.actions.report"].with_context(**context)
        res_ids = [int(i) for i in ids.split(",") if i]
        Report._tsq_check_report(reportname, res_ids, {"context": context}, converter)

    def _tsq_download_refusal(self, refusal):
        """The error the web client's download shows, without a traceback."""
        code = refusal.code if isinstance(refusal, HTTPException) else 403
        message = refusal.description if isinstance(refusal, HTTPException) else refusal.args[0]
        name = type(refusal)
        error = {
            "code": code,
            "message": "Odoo Server Error",
            "data": {
                "name": f"{name.__module__}.{name.__name__}",
                "message": message,
                "arguments": [message],
                "context": {},
                "debug": "",
            },
        }
        return request.make_response(html_escape(json.dumps(error)), status=code)
