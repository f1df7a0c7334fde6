from odoo import models


class TsqConformanceXlsx(models.AbstractModel):
    """The conformance assessment as a workbook: one sheet per assessment, one row
    per clause with the same figures as the printed report."""

    _name = "report.tech_service_quality.conformance_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Conformance Assessment XLSX"

    def generate_xlsx_report(self, workbook, data, objects):
        title = workbook.add_format({"bold": True, "font_size": 14})
        bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        cell = workbook.add_format({"border": 1, "text_wrap": True, "valign": "top"})
        num = workbook.add_format({"num_format": "0.0", "border": 1})
        statuses = dict(
            self.env["tsq.conformance.line"]._fields["status"]._description_selection(self.env)
        )
        measures = dict(
            self.env["tsq.conformance.clause"]._fields["measure"]._description_selection(self.env)
        )
        for index, assessment in enumerate(objects):
            sheet = workbook.add_worksheet(f"{index + 1} {assessment.date_to.year}"[:31])
            sheet.write(0, 0, f"科技服务机构服务规范符合性评价报告 {assessment.name}", title)
            sheet.write(1, 0, self.env._("Score (%)"), bold)
            sheet.write_number(1, 1, assessment.score, num)
            headers = [
                self.env._("Clause"),
                self.env._("Requirement"),
                self.env._("Measure"),
                self.env._("Met"),
                self.env._("Judged"),
                self.env._("Share (%)"),
                self.env._("Status"),
                self.env._("Comment"),
            ]
            for col, header in enumerate(headers):
                sheet.write(3, col, header, bold)
            for row, line in enumerate(assessment.line_ids, start=4):
                sheet.write(row, 0, line.code, cell)
                sheet.write(row, 1, line.clause_id.name, cell)
                sheet.write(row, 2, measures.get(line.measure, ""), cell)
                sheet.write_number(row, 3, line.numerator, cell)
                sheet.write_number(row, 4, line.denominator, cell)
                sheet.write_number(row, 5, line.ratio, num)
                sheet.write(row, 6, statuses.get(line.status, ""), cell)
                sheet.write(row, 7, line.comment or "", cell)
            sheet.set_column(0, 0, 10)
            sheet.set_column(1, 2, 40)
            sheet.set_column(3, 6, 12)
            sheet.set_column(7, 7, 40)
