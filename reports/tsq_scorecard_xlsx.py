from datetime import timedelta

from odoo import models


def _write_or_blank(sheet, row, col, value, fmt):
    """``value``, or an empty cell when it is None (nothing was counted)."""
    if value is None:
        sheet.write_blank(row, col, None, fmt)
    else:
        sheet.write_number(row, col, value, fmt)


class TsqScorecardXlsx(models.AbstractModel):
    """Staff quality scorecards for the performance appraisal (绩效考核): one row
    per scorecard, the figures and their rates, a totals row whose rates are
    computed from the totals (not averaged)."""

    _name = "report.tech_service_quality.scorecard_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Staff Scorecard XLSX"

    def _tsq_columns(self):
        """(header, kind, value getter) of each column; kind is text, date, int,
        num (one decimal), score (two) or rate ((numerator, denominator) fields)."""
        return [
            (self.env._("Employee"), "text", lambda c: c.employee_id.name or ""),
            (self.env._("Department"), "text", lambda c: c.department_id.name or ""),
            (self.env._("Teams"), "text", lambda c: ", ".join(c.team_ids.mapped("name"))),
            (self.env._("Period"), "text", lambda c: c.period_label or ""),
            (self.env._("From"), "date", lambda c: c.date_from),
            (self.env._("To"), "date", lambda c: c.date_to - timedelta(days=1)),
            (self.env._("Services Handled"), "int", "services_handled"),
            (self.env._("Deliveries Due"), "int", "delivered_due"),
            (self.env._("Delivered on Time"), "int", "delivered_on_time"),
            (self.env._("On-time Delivery"), "rate", ("delivered_on_time", "delivered_due")),
            (self.env._("First Submissions"), "int", "first_submissions"),
            (self.env._("Accepted at First Submission"), "int", "first_pass"),
            (self.env._("First-pass Acceptance"), "rate", ("first_pass", "first_submissions")),
            (self.env._("Feedback Responses"), "int", "feedback_count"),
            (self.env._("Satisfied Responses"), "int", "satisfied_count"),
            (self.env._("Average Score"), "score", "avg_score"),
            (self.env._("Satisfaction"), "rate", ("satisfied_count", "feedback_count")),
            (self.env._("Valid Complaints"), "int", "valid_complaints"),
            (self.env._("Audit Findings"), "int", "audit_findings"),
            (self.env._("Training Hours"), "num", "training_hours"),
        ]

    def _tsq_formats(self, workbook):
        """(title, header, {kind: cell format}, {kind: totals row format})."""
        title = workbook.add_format({"bold": True, "font_size": 14})
        head = workbook.add_format(
            {
                "bold": True,
                "bg_color": "#DDEBF7",
                "border": 1,
                "text_wrap": True,
                "valign": "vcenter",
                "align": "center",
            }
        )
        formats = {
            "text": workbook.add_format({"border": 1}),
            "date": workbook.add_format({"num_format": "yyyy-mm-dd", "border": 1}),
            "int": workbook.add_format({"num_format": "0", "border": 1}),
            "num": workbook.add_format({"num_format": "0.0", "border": 1}),
            "score": workbook.add_format({"num_format": "0.00", "border": 1}),
            "rate": workbook.add_format({"num_format": "0.0%", "border": 1}),
        }
        totals = {
            kind: workbook.add_format(
                {"bold": True, "border": 1, "top": 2, "num_format": fmt.num_format}
            )
            for kind, fmt in formats.items()
        }
        return title, head, formats, totals

    def generate_xlsx_report(self, workbook, data, objects):
        title, head, formats, totals = self._tsq_formats(workbook)
        cards = objects.sorted(lambda c: (c.date_from, c.period_type, c.employee_id.name or ""))
        sheet = workbook.add_worksheet(self.env._("Staff Scorecards"))
        heading = self.env._(
            "Staff Quality Scorecards — %(company)s",
            company=", ".join(cards.company_id.mapped("name")) or self.env.company.name,
        )
        sheet.write(0, 0, f"员工质量绩效考核表 {heading}", title)
        columns = self._tsq_columns()
        for col, (header, _kind, _getter) in enumerate(columns):
            sheet.write(2, col, header, head)
        sheet.set_row(2, 32)

        row = 3
        sums = {}
        for card in cards:
            self._tsq_write_card(sheet, row, card, columns, formats, sums)
            row += 1
        self._tsq_write_totals(sheet, row, columns, totals, sums)

        sheet.set_column(0, 0, 14)
        sheet.set_column(1, 2, 20)
        sheet.set_column(3, 3, 12)
        sheet.set_column(4, 5, 11)
        sheet.set_column(6, len(columns) - 1, 11)
        sheet.freeze_panes(3, 1)

    def _tsq_write_card(self, sheet, row, card, columns, formats, sums):
        """The row of one scorecard; its counts and hours added to ``sums``."""
        for col, (_header, kind, getter) in enumerate(columns):
            fmt = formats[kind]
            if kind == "rate":
                numerator, denominator = card[getter[0]], card[getter[1]]
                value = numerator / denominator if denominator else None
                _write_or_blank(sheet, row, col, value, fmt)
            elif kind == "score":
                value = card[getter] if card.feedback_count else None
                _write_or_blank(sheet, row, col, value, fmt)
            elif kind == "date":
                sheet.write_datetime(row, col, getter(card), fmt)
            elif kind == "text":
                sheet.write_string(row, col, getter(card), fmt)
            else:
                sheet.write_number(row, col, card[getter], fmt)
                sums[getter] = sums.get(getter, 0) + card[getter]
        sums["score_points"] = sums.get("score_points", 0.0) + card.avg_score * card.feedback_count

    def _tsq_write_totals(self, sheet, row, columns, totals, sums):
        """The totals row: counts and hours added up, rates and the score from the
        totals (not averaged)."""
        sheet.write_string(row, 0, self.env._("Total"), totals["text"])
        for col, (_header, kind, getter) in enumerate(columns):
            if col == 0:
                continue
            fmt = totals[kind]
            if kind == "rate":
                denominator = sums.get(getter[1], 0)
                value = sums.get(getter[0], 0) / denominator if denominator else None
                _write_or_blank(sheet, row, col, value, fmt)
            elif kind == "score":
                count = sums.get("feedback_count", 0)
                value = sums["score_points"] / count if count else None
                _write_or_blank(sheet, row, col, value, fmt)
            elif kind in ("int", "num"):
                sheet.write_number(row, col, sums.get(getter, 0), fmt)
            else:
                sheet.write_blank(row, col, None, fmt)
