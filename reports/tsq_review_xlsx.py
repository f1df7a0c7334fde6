from odoo import models

from .review_xlsx_sections import SECTION_SHEETS, SectionSheets


class TsqReviewPackXlsx(models.AbstractModel):
    """The management-review pack as a workbook: one sheet per section of the
    pack, with native charts. Drawn from the same dict as the PDF
    (``mgmtsystem.review._tsq_pack_data``), so that both show the same figures."""

    _name = "report.tech_service_quality.review_pack_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Management Review Pack XLSX"

    def generate_xlsx_report(self, workbook, data, objects):
        review = objects[:1]
        if not review:
            return
        self = self.with_context(lang=review._tsq_pack_lang())
        review = review.with_context(lang=self.env.lang)
        pack = ((data or {}).get("tsq_packs") or {}).get(review.id) or review._tsq_pack_data()
        writer = _PackWriter(self.env, workbook, pack)
        writer.write_all()


class _PackWriter(SectionSheets):
    """Writes the sections of one pack; ``row`` helpers return the next free row."""

    def __init__(self, env, workbook, pack):
        self.env = env

        self.book = workbook
        self.pack = pack
        self.f_title = workbook.add_format({"bold": True, "font_size": 14})
        self.f_sub = workbook.add_format({"bold": True, "font_size": 11})
        self.f_head = workbook.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True}
        )
        self.f_cell = workbook.add_format({"border": 1})
        self.f_wrap = workbook.add_format({"border": 1, "text_wrap": True, "valign": "top"})
        self.f_int = workbook.add_format({"border": 1, "num_format": "0"})
        self.f_num = workbook.add_format({"border": 1, "num_format": "0.0"})
        self.f_num2 = workbook.add_format({"border": 1, "num_format": "0.00"})
        self.f_day = workbook.add_format({"border": 1, "num_format": "yyyy-mm-dd"})
        self.f_muted = workbook.add_format({"italic": True, "font_color": "#666666"})

    # ------------------------------------------------------------ helpers
    def sheet(self, title, number):
        sheet = self.book.add_worksheet(f"{number} {title}"[:31])
        sheet.write(0, 0, f"管理评审输入报告 — {title}", self.f_title)
        period = self.pack["period"]
        sheet.write(
            1,
            0,
            self.env._(
                "%(company)s · %(period)s (%(date_from)s – %(date_to)s) · generated %(when)s",
                company=self.pack["company"],
                period=period["label"],
                date_from=period["date_from"].isoformat(),
                date_to=period["date_last"].isoformat(),
                when=self.pack["generated_label"],
            ),
        )
        sheet.set_column(0, 0, 28)
        sheet.set_column(1, 12, 15)
        return sheet

    def cell(self, sheet, row, col, value, fmt=None):
        if value is None or value is False:
            sheet.write_blank(row, col, None, self.f_cell)
        elif isinstance(value, bool):
            sheet.write(row, col, "✔" if value else "", self.f_cell)
        elif isinstance(value, int):
            sheet.write_number(row, col, value, fmt or self.f_int)
        elif isinstance(value, float):
            sheet.write_number(row, col, value, fmt or self.f_num)
        elif hasattr(value, "isoformat") and not isinstance(value, str):
            sheet.write_datetime(row, col, value, self.f_day)
        else:
            sheet.write(row, col, str(value), fmt or self.f_wrap)

    def table(self, sheet, row, title, headers, rows, empty=None):
        """A titled table; ``rows`` are lists of values. Returns the next free row."""
        sheet.write(row, 0, title, self.f_sub)
        row += 1
        for col, header in enumerate(headers):
            sheet.write(row, col, header, self.f_head)
        row += 1
        if not rows:
            sheet.write(row, 0, empty or self.env._("None in the period."), self.f_muted)
            return row + 2
        for values in rows:
            for col, value in enumerate(values):
                self.cell(sheet, row, col, value)
            row += 1
        return row + 1

    def pairs(self, sheet, row, title, pairs):
        """Label / value rows."""
        return self.table(sheet, row, title, [self.env._("Figure"), self.env._("Value")], pairs)

    # ------------------------------------------------------------ sections
    def write_all(self):
        """The summary, one or two sheets per section of the pack (in the pack's
        order, see ``SECTION_SHEETS``), the decisions and the chains' heads."""
        self.write_summary()
        for key in self.pack["sections"]:
            for write in SECTION_SHEETS.get(key, ()):
                write(self)
        self.write_decisions()
        self.write_chain_heads()

    def write_summary(self):
        pack = self.pack
        sheet = self.sheet(self.env._("Summary"), 0)
        ind, comp, act = pack["indicators"], pack["complaints"], pack["actions"]
        self.pairs(
            sheet,
            3,
            self.env._("Review"),
            [
                [self.env._("Review"), pack["review"]["name"]],
                [self.env._("Reference"), pack["review"]["reference"] or ""],
                [self.env._("Company"), pack["company"]],
                [self.env._("Period"), pack["period"]["label"]],
                [self.env._("From"), pack["period"]["date_from"]],
                [self.env._("To (last day)"), pack["period"]["date_last"]],
                [self.env._("Participants"), pack["review"]["participants"]],
                [self.env._("Indicators met"), ind.get("met", 0)],
                [self.env._("Indicators missed"), ind.get("missed", 0)],
                [self.env._("Indicators without data"), ind.get("no_data", 0)],
                [self.env._("Complaints received"), comp["received"]],
                [self.env._("Valid complaints"), comp["valid"]],
                [self.env._("Open improvement actions"), act["open"]],
                [self.env._("Overdue improvement actions"), act["overdue"]],
                [self.env._("Decisions to take"), len(pack["decisions"])],
            ],
        )
        sheet.set_column(1, 1, 40)

    def write_decisions(self):
        sheet = self.sheet(self.env._("Decisions to Take"), 10)
        self.table(
            sheet,
            3,
            self.env._("Decisions to take"),
            [self.env._("No."), self.env._("Decision to take")],
            [[i, d["title"]] for i, d in enumerate(self.pack["decisions"], start=1)],
            self.env._("No decision proposed by the figures."),
        )
        sheet.set_column(0, 0, 6)
        sheet.set_column(1, 1, 110)

    def write_chain_heads(self):
        sheet = self.sheet(self.env._("Evidence Chain Heads"), 11)
        self.table(
            sheet,
            3,
            self.env._("Heads of the evidence chains when the pack was generated"),
            [self.env._("Chain"), self.env._("Links"), self.env._("Head hash (SHA-256)")],
            [[h["label"], h["seq"], h["hash"]] for h in self.pack.get("chain_heads") or []],
            self.env._("No record sealed yet."),
        )
        sheet.set_column(0, 0, 30)
        sheet.set_column(2, 2, 70)
