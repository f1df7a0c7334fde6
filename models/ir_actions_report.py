import io

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from odoo import models
from odoo.tools.pdf import PdfFileReader, PdfFileWriter

MODULE_PREFIX = "tech_service_quality."
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

    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        """The add-on's printed records number their pages ("第 1 页，共 3 页"), each
        record's document on its own, in the agency's language."""
        streams = super()._render_qweb_pdf_prepare_streams(report_ref, data, res_ids=res_ids)
        report = self._get_report(report_ref)
        if not (report.report_name or "").startswith(MODULE_PREFIX):
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
