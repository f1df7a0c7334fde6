from odoo import models


class TsqTrainingXlsx(models.AbstractModel):
    """Training plans and their completion by team: one row per person to train
    (planned hours, hours passed, sessions passed), then a total per plan."""

    _name = "report.tech_service_quality.training_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Training Plan XLSX"

    def generate_xlsx_report(self, workbook, data, objects):
        bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        cell = workbook.add_format({"border": 1})
        num = workbook.add_format({"num_format": "0.0", "border": 1})
        total = workbook.add_format({"bold": True, "num_format": "0.0", "border": 1})
        sheet = workbook.add_worksheet(self.env._("Training"))
        headers = [
            self.env._("Plan"),
            self.env._("Year"),
            self.env._("Team"),
            self.env._("Employee"),
            self.env._("Planned Hours"),
            self.env._("Hours Done"),
            self.env._("Completion (%)"),
            self.env._("Sessions Passed"),
        ]
        for col, title in enumerate(headers):
            sheet.write(0, col, title, bold)
        row = 1
        for plan in objects.sudo():
            passed = plan.schedule_ids.course_attendee_ids.filtered(lambda a: a.result == "passed")
            for employee in plan.employee_ids.sorted("name"):
                mine = passed.filtered(lambda a, e=employee: a.employee_id == e)
                hours = sum(mine.mapped("course_schedule_id.tsq_hours"))
                sheet.write(row, 0, plan.name, cell)
                sheet.write(row, 1, plan.year, cell)
                sheet.write(row, 2, plan.department_id.name or "", cell)
                sheet.write(row, 3, employee.name, cell)
                sheet.write(row, 4, plan.planned_hours, num)
                sheet.write(row, 5, hours, num)
                sheet.write(
                    row, 6, 100.0 * hours / plan.planned_hours if plan.planned_hours else 0, num
                )
                sheet.write(row, 7, len(mine), cell)
                row += 1
            sheet.write(row, 0, plan.name, bold)
            sheet.write(
                row,
                3,
                self.env._("Total (coverage %(coverage)s %%)", coverage=round(plan.coverage)),
                bold,
            )
            sheet.write(row, 4, plan.planned_hours * len(plan.employee_ids), total)
            sheet.write(row, 5, plan.done_hours, total)
            sheet.write(row, 6, plan.completion, total)
            row += 1
        sheet.set_column(0, 3, 24)
        sheet.set_column(4, 7, 14)
