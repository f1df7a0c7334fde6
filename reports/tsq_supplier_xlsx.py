from odoo import fields, models


class TsqSupplierListXlsx(models.AbstractModel):
    """The qualified supplier list (合格供方名录) as a workbook: one row per supplier
    and service category in force today, by category, with the statuses, the
    validity and the last evaluation — the same rows as the PDF."""

    _name = "report.tech_service_quality.supplier_list_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Qualified Supplier List XLSX"

    def generate_xlsx_report(self, workbook, data, objects):
        title = workbook.add_format({"bold": True, "font_size": 14})
        bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        cell = workbook.add_format({"border": 1})
        day = workbook.add_format({"num_format": "yyyy-mm-dd", "border": 1})
        num = workbook.add_format({"num_format": "0.0", "border": 1})

        today = objects._tsq_supplier_list_date()
        sheet = workbook.add_worksheet(self.env._("Qualified Suppliers"))
        heading = self.env._(
            "Qualified Supplier List — %(company)s, %(date)s",
            company=self.env.company.name,
            date=fields.Date.to_string(today),
        )
        sheet.write(0, 0, f"合格供方名录 {heading}", title)
        headers = [
            self.env._("Service Category"),
            self.env._("Supplier"),
            self.env._("Supplier Status"),
            self.env._("Category Status"),
            self.env._("Valid From"),
            self.env._("Valid To"),
            self.env._("Last Evaluation"),
            self.env._("Score"),
            self.env._("Grade"),
            self.env._("Next Evaluation Due"),
        ]
        for col, header in enumerate(headers):
            sheet.write(2, col, header, bold)
        Partner = self.env["res.partner"]
        statuses = dict(Partner._fields["tsq_supplier_status"]._description_selection(self.env))
        Qualification = self.env["tsq.supplier.qualification"]
        category_statuses = dict(Qualification._fields["status"]._description_selection(self.env))
        row = 3
        for section in objects._tsq_supplier_list_sections(today):
            for line in section["rows"]:
                partner = line["partner"]
                qualification = line["qualification"]
                evaluation = line["evaluation"]
                sheet.write(row, 0, section["category"].display_name, cell)
                sheet.write(row, 1, partner.name, cell)
                sheet.write(row, 2, statuses.get(partner.tsq_supplier_status, ""), cell)
                sheet.write(row, 3, category_statuses.get(qualification.status, ""), cell)
                sheet.write_datetime(row, 4, qualification.valid_from, day)
                sheet.write_datetime(row, 5, qualification.valid_to, day)
                if evaluation:
                    sheet.write_datetime(row, 6, evaluation.date_to, day)
                    sheet.write_number(row, 7, evaluation.score, num)
                    sheet.write(row, 8, evaluation.grade, cell)
                else:
                    for col in (6, 7, 8):
                        sheet.write_blank(row, col, None, cell)
                next_due = partner.sudo().tsq_next_evaluation_date
                if next_due:
                    sheet.write_datetime(row, 9, next_due, day)
                else:
                    sheet.write_blank(row, 9, None, cell)
                row += 1
        sheet.set_column(0, 1, 30)
        sheet.set_column(2, 3, 14)
        sheet.set_column(4, 6, 13)
        sheet.set_column(7, 8, 8)
        sheet.set_column(9, 9, 13)
        sheet.freeze_panes(3, 0)
