from datetime import UTC
from zoneinfo import ZoneInfo

from odoo import models


class TsqSlaXlsx(models.AbstractModel):
    """SLA analysis as a workbook: a summary by month, policy, category and team
    (clocks, met, breached, breach rate, mean times), then one row per clock."""

    _name = "report.tech_service_quality.sla_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "SLA Analysis XLSX"

    def generate_xlsx_report(self, workbook, data, objects):
        bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        pct = workbook.add_format({"num_format": "0.0", "border": 1})
        num = workbook.add_format({"num_format": "0.00", "border": 1})
        cell = workbook.add_format({"border": 1})
        when = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm", "border": 1})

        summary = workbook.add_worksheet(self.env._("Summary"))
        headers = [
            self.env._("Month"),
            self.env._("SLA Policy"),
            self.env._("Category"),
            self.env._("Team"),
            self.env._("Clocks"),
            self.env._("Met"),
            self.env._("Breached"),
            self.env._("Breach Rate (%)"),
            self.env._("Mean Response Time (h)"),
            self.env._("Mean Resolution Time (h)"),
        ]
        for col, title in enumerate(headers):
            summary.write(0, col, title, bold)
        groups = self.env["tsq.sla.report"]._summary(
            [("id", "in", objects.ids)],
            ["start_at:month", "policy_id", "category_id", "team_id"],
        )
        for row, group in enumerate(groups, start=1):
            month, policy, category, team, count, met, breached, rate, resp, resol = group
            summary.write(row, 0, month.strftime("%Y-%m") if month else "", cell)
            summary.write(row, 1, policy.display_name or "", cell)
            summary.write(row, 2, category.display_name or "", cell)
            summary.write(row, 3, team.display_name or "", cell)
            summary.write(row, 4, count, cell)
            summary.write(row, 5, met, cell)
            summary.write(row, 6, breached, cell)
            summary.write(row, 7, rate if met or breached else "", pct)
            summary.write(row, 8, resp or "", num)
            summary.write(row, 9, resol or "", num)
        summary.set_column(0, 0, 10)
        summary.set_column(1, 3, 28)
        summary.set_column(4, 9, 14)

        detail = workbook.add_worksheet(self.env._("Clocks"))
        columns = [
            self.env._("Ticket"),
            self.env._("SLA Policy"),
            self.env._("Client"),
            self.env._("Category"),
            self.env._("Team"),
            self.env._("Received"),
            self.env._("Deadline"),
            self.env._("State"),
        ]
        for col, title in enumerate(columns):
            detail.write(0, col, title, bold)
        states = dict(objects._fields["state"]._description_selection(self.env))
        tz = self.env.company._tsq_tz()
        for row, line in enumerate(objects, start=1):
            detail.write(row, 0, line.ticket_id.display_name, cell)
            detail.write(row, 1, line.policy_id.display_name, cell)
            detail.write(row, 2, line.partner_id.display_name or "", cell)
            detail.write(row, 3, line.category_id.display_name or "", cell)
            detail.write(row, 4, line.team_id.display_name or "", cell)
            for col, value in ((5, line.start_at), (6, line.deadline)):
                if value:
                    local = self._tsq_local(value, tz)
                    detail.write_datetime(row, col, local, when)
            detail.write(row, 7, states.get(line.state, ""), cell)
        detail.set_column(0, 4, 26)
        detail.set_column(5, 7, 18)

    def _tsq_local(self, value, tz):
        return value.replace(tzinfo=UTC).astimezone(ZoneInfo(tz)).replace(tzinfo=None)
