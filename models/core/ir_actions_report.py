"""One guard for every printed and exported report of the add-on.

Odoo's generic routes (``/report/pdf|html|text/<report>/<ids>``, report_xlsx's
``/report/xlsx/…``, ``/report/download``) render a report for any logged-in user;
a report action's ``groups_id`` only hides its Print menu. Every report whose
``report_name`` starts with ``tech_service_quality.`` is therefore checked here,
at each way in (PDF, HTML, text, XLSX), before anything is rendered: the records
it would read are checked against the report's rule in :data:`REPORT_RULES`, as
the caller. A report without a rule, the wrong converter, no record, a missing
record or a record the caller may not read all get the same refusal, an
:class:`~odoo.exceptions.AccessError` (403 over HTTP), and nothing is rendered.
Only a QWeb report rendered by a caller who visibly bypasses security
(``sudo()``, as the client portal's download routes do after their own check) is
not checked again; an XLSX report is checked for the user report_xlsx generates
it as (its route reaches the renderer in sudo), unless that is the superuser.
"""

import io
from collections import OrderedDict
from dataclasses import dataclass

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from odoo import api, models
from odoo.exceptions import AccessError
from odoo.tools.pdf import PdfFileReader, PdfFileWriter

PREFIX = "tech_service_quality."


SERVICE_USER = "tech_service_quality.group_tsq_user"


SERVICE_MANAGER = "tech_service_quality.group_tsq_manager"


QUALITY_MANAGER = "tech_service_quality.group_tsq_quality_manager"


HR_OFFICER = "hr.group_hr_user"


EVALUATOR = "tech_service_quality.group_tsq_evaluator"


# The ways a report of each type may be rendered (/report/<converter>/…).
CONVERTERS = {
    "qweb-pdf": ("pdf", "html"),
    "qweb-html": ("html",),
    "qweb-text": ("text",),
    "xlsx": ("xlsx",),
}


@dataclass(frozen=True)
class ReportRule:
    """Who may read which record with a report.

    ``readers``: the method of ``ir.actions.report`` that says, as the caller,
    whether every record may be read (it may raise AccessError, also a refusal);
    ``groups``: the caller must belong to one of them (empty: decided by
    ``readers``); ``portal_kind``: the client portal's document it is (a portal
    user reads it only where the portal offers it); ``per_record``: a PDF of
    several records is one document per record (False: one document for all;
    XLSX reports are one workbook anyway)."""

    readers: str
    groups: tuple = ()
    portal_kind: str = ""
    per_record: bool = True


def _service_document(kind):
    return ReportRule("_tsq_read_service_documents", portal_kind=kind)


# Every report of the add-on, and who may read which record. A report that is not
# listed here is refused to everyone (tests/test_report_access.py fails on it too).
REPORT_RULES = {
    # the service's printed records: the staff who may read the service (its
    # responsible and members, the Service Managers of its company); its client's
    # portal users, for the documents the portal offers them
    PREFIX + "report_service_plan": _service_document("plan"),
    PREFIX + "report_contract_checklist": _service_document("contract"),
    PREFIX + "report_acceptance": _service_document("acceptance"),
    PREFIX + "report_objection": _service_document("objection"),
    PREFIX + "report_return_visit": _service_document("return_visit"),
    # the complaint handling record: the staff who may read the ticket (its team,
    # the helpdesk managers); the complainant's portal users, complaints only
    PREFIX + "report_complaint": ReportRule("_tsq_read_complaints"),
    # staff files: the employee, their manager, Service Managers, Quality Managers
    # and HR officers of the employee's company
    PREFIX + "report_employee_record": ReportRule("_tsq_read_staff_records"),
    PREFIX + "training_xlsx": ReportRule("_tsq_read_records", groups=(SERVICE_MANAGER, HR_OFFICER)),
    # the qualified supplier list (one list for all the suppliers printed):
    # Service Managers and Quality Managers
    PREFIX + "report_supplier_list": ReportRule(
        "_tsq_read_records", groups=(SERVICE_MANAGER,), per_record=False
    ),
    PREFIX + "supplier_list_xlsx": ReportRule("_tsq_read_records", groups=(SERVICE_MANAGER,)),
    # staff scorecards: as their record rules say (own and team-mates', managers all)
    PREFIX + "scorecard_xlsx": ReportRule("_tsq_read_records", groups=(SERVICE_USER,)),
    # SLA analysis: staff who may read every complaint the rows are about
    PREFIX + "sla_xlsx": ReportRule("_tsq_read_complaint_clocks", groups=(SERVICE_USER,)),
    # the management review pack: Quality Managers
    PREFIX + "report_review_pack": ReportRule("_tsq_read_records", groups=(QUALITY_MANAGER,)),
    PREFIX + "review_pack_xlsx": ReportRule("_tsq_read_records", groups=(QUALITY_MANAGER,)),
    # conformance assessments: Service Managers and Quality Managers of the company
    PREFIX + "report_conformance": ReportRule("_tsq_read_records", groups=(SERVICE_MANAGER,)),
    PREFIX + "conformance_xlsx": ReportRule("_tsq_read_records", groups=(SERVICE_MANAGER,)),
    # the data inalterability check: Quality Managers (their companies' checks)
    PREFIX + "report_evidence_check": ReportRule("_tsq_read_records", groups=(QUALITY_MANAGER,)),
}


# What an outside evaluator may print besides (their record rules decide which
# records), and the service documents that carry the client's contract and
# signature, closed to an evaluator whose grant does not include them.
EVALUATOR_REPORTS = frozenset(
    {
        PREFIX + "report_conformance",
        PREFIX + "conformance_xlsx",
    }
)


CONTRACT_REPORTS = frozenset(
    {
        PREFIX + "report_service_plan",
        PREFIX + "report_contract_checklist",
        PREFIX + "report_acceptance",
        PREFIX + "report_objection",
    }
)


# A CJK font built into every PDF reader (no font file needed), Latin digits included.
PAGE_FONT = "STSong-Light"


def stamp_page_numbers(pdf, label):
    """``pdf`` (bytes) with "label(page, pages)" printed at the foot of each page.

    Debian's wkhtmltopdf (unpatched Qt) prints no report header or footer, so the
    page numbers of the printed records are added to the finished PDF instead."""
    if PAGE_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(PAGE_FONT))
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    writer = PdfFileWriter()
    pages = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        overlay = io.BytesIO()
        drawing = canvas.Canvas(overlay, pagesize=(width, height))
        drawing.setFont(PAGE_FONT, 8)
        drawing.setFillGray(0.35)
        drawing.drawCentredString(width / 2, 18, label(number, pages))
        drawing.save()
        page.merge_page(PdfFileReader(io.BytesIO(overlay.getvalue())).pages[0])
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    # ------------------------------------------------------------ the ways in
    @api.model
    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        self._tsq_check_report(report_ref, res_ids, data, "pdf")
        return super()._render_qweb_pdf(report_ref, res_ids=res_ids, data=data)

    @api.model
    def _render_qweb_html(self, report_ref, docids, data=None):
        self._tsq_check_report(report_ref, docids, data, "html")
        return super()._render_qweb_html(report_ref, docids, data=data)

    @api.model
    def _render_qweb_text(self, report_ref, docids, data=None):
        self._tsq_check_report(report_ref, docids, data, "text")
        return super()._render_qweb_text(report_ref, docids, data=data)

    @api.model
    def _render_xlsx(self, report_ref, docids, data):
        # report_xlsx runs the generator as the user, without sudo, though its route
        # reaches this method in sudo: that user is checked, unless it is the
        # superuser (scheduled jobs)
        if not self.env.user._is_superuser():
            self.sudo(False)._tsq_check_report(report_ref, docids, data, "xlsx")
        return super()._render_xlsx(report_ref, docids, data)

    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        """Several records of a one-document-per-record report are printed one by
        one (then merged by ``_render_qweb_pdf``): Debian's wkhtmltopdf (unpatched
        Qt) cannot print more than one HTML document per run, and gave an empty
        file, hence a server error, for two employees. The add-on's documents get
        their pages numbered."""
        rule = REPORT_RULES.get(self._get_report(report_ref).report_name)
        ids = list(dict.fromkeys(res_ids or []))
        if not (rule and rule.per_record and len(ids) > 1):
            streams = super()._render_qweb_pdf_prepare_streams(report_ref, data, res_ids=res_ids)
        else:
            streams = OrderedDict()
            for res_id in ids:
                streams.update(
                    super()._render_qweb_pdf_prepare_streams(
                        report_ref, dict(data or {}), res_ids=[res_id]
                    )
                )
        return self._tsq_number_pages(report_ref, streams)

    def _tsq_number_pages(self, report_ref, streams):
        """Number the pages of the add-on's documents ("第 1 页，共 3 页"), each
        record's document on its own, in the agency's language."""
        if not (self._get_report(report_ref).report_name or "").startswith(PREFIX):
            return streams
        env = self.with_context(lang=self.env.company._tsq_lang()).env

        def label(page, pages):
            return env._("Page %(page)s of %(pages)s", page=page, pages=pages)

        for entry in streams.values():
            stream = entry.get("stream")
            if stream and not entry.get("attachment"):
                stamped = stamp_page_numbers(stream.getvalue(), label)
                stream.close()
                entry["stream"] = io.BytesIO(stamped)
        return streams

    # -------------------------------------------------------------- the guard
    @api.model
    def _tsq_check_report(self, report_ref, res_ids, data, converter):
        """Refuse (AccessError) unless the caller may read, with this report,
        every record it would render through ``converter``. Reports of other
        add-ons, and callers in sudo, pass unchecked."""
        if self.env.su:
            return
        report = self._get_report(report_ref)
        if not report.report_name.startswith(PREFIX):
            return
        if not self._tsq_may_read(report, res_ids, data, converter):
            raise AccessError(
                self.env._("This document does not exist, or you are not allowed to read it.")
            )
        if not self.env.user.share and self.env.user.has_group(EVALUATOR):
            records = self._tsq_report_records(report, res_ids, data)
            self.env["tsq.evaluator.access.log"]._tsq_log(records, "print", report.report_name)

    @api.model
    def _tsq_may_read(self, report, res_ids, data, converter):
        rule = REPORT_RULES.get(report.report_name)
        if not rule or converter not in CONVERTERS.get(report.report_type, ()):
            return False
        user = self.env.user
        if rule.groups and not any(user.has_group(group) for group in rule.groups):
            if not (user._tsq_is_evaluator() and report.report_name in EVALUATOR_REPORTS):
                return False
        if report.report_name in CONTRACT_REPORTS and not user._tsq_reads_contracts():
            return False
        records = self._tsq_report_records(report, res_ids, data)
        if not records or not all(type(i) is int for i in records._ids):
            return False
        if len(records.exists()) != len(records):
            return False
        try:
            return bool(getattr(self, rule.readers)(records, rule))
        except AccessError:
            return False

    @api.model
    def _tsq_report_records(self, report, res_ids, data):
        """The records the report would read: the ids asked for, or, for an
        XLSX report, those report_xlsx itself takes (the ids, else the context's
        ``active_ids``)."""
        if report.report_type == "xlsx":
            generator = self.env.get(f"report.{report.report_name}")
            if generator is None:
                return self.env[report.model]
            return generator.with_context(active_model=report.model)._get_objs_for_report(
                res_ids, data
            )
        if isinstance(res_ids, int):
            res_ids = [res_ids]
        return self.env[report.model].browse(res_ids or [])

    # ---------------------------------------------------------------- readers
    def _tsq_read_records(self, records, rule):
        """What the caller's access rights and record rules let them read."""
        records.check_access("read")
        return True

    def _tsq_read_service_documents(self, records, rule):
        """Staff: the service (or the service of the record) is readable under
        their rules. Portal users: besides, each record is the document of its kind
        that the portal offers for its service."""
        records.check_access("read")
        user = self.env.user
        if user._is_internal():
            services = records if records._name == "project.project" else records.service_id
            return all(services.mapped("is_service"))
        if not user._is_portal():
            return False
        for record in records:
            service = record if record._name == "project.project" else record.service_id
            offered = service.sudo()._tsq_portal_documents() if service.is_service else {}
            if record != offered.get(rule.portal_kind):
                return False
        return True

    def _tsq_read_complaints(self, tickets, rule):
        """Staff: the tickets are readable under their rules. Portal users:
        readable, and complaints."""
        tickets.check_access("read")
        user = self.env.user
        if user._is_internal():
            return True
        return user._is_portal() and all(tickets.mapped("is_complaint"))

    def _tsq_read_staff_records(self, employees, rule):
        """An employee's training and qualification record: the employee, their
        manager, and the Service Managers, Quality Managers and HR officers, of the
        employee's company."""
        user = self.env.user
        if not user._is_internal():
            return False
        # read to decide only (Service Users see employees as public profiles)
        staff = employees.sudo()
        if staff.company_id - user.company_ids:
            return False
        if user.has_group(SERVICE_MANAGER) or user.has_group(HR_OFFICER):
            return True
        return all(user in (employee.user_id | employee.parent_id.user_id) for employee in staff)

    def _tsq_read_complaint_clocks(self, rows, rule):
        """SLA rows: readable, and so is every ticket they are about (the ticket
        and its client are printed)."""
        rows.check_access("read")
        rows.ticket_id.check_access("read")
        return True
