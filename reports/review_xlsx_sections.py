"""The sheets of the sections of the management-review pack in its XLSX workbook
(see reports/tsq_review_xlsx.py): one writer per section of the pack, drawn from
the section's dict (``mgmtsystem.review._tsq_pack_data``). ``SECTION_SHEETS``
says which writers print a section (by its key in the pack); the workbook prints
the sections in the pack's order. The helpers (``sheet``, ``table``, ``pairs``,
``cell``, the formats) are those of the workbook's writer."""


class SectionSheets:
    """The section writers of ``_PackWriter`` (its helpers and formats)."""

    def write_indicators(self):
        section = self.pack["indicators"]
        sheet = self.sheet(self.env._("Indicators"), 1)
        headers = [
            self.env._("Code"),
            self.env._("Indicator"),
            self.env._("Chinese Name"),
            self.env._("English Name"),
            self.env._("Numerator"),
            self.env._("Denominator"),
            self.env._("Value (%)"),
            self.env._("Target (%)"),
            self.env._("Direction"),
            self.env._("Status"),
            self.env._("Period"),
        ]
        rows = [
            [
                r["code"],
                r["name"],
                r["name_zh"],
                r["name_en"],
                r["numerator"],
                r["denominator"],
                r["value"],
                r["target"],
                r["sign"],
                r["status_label"],
                r["period_label"],
            ]
            for r in section["rows"]
        ]
        empty = (
            None if section["available"] else self.env._("The indicator figures are not available.")
        )
        self.table(sheet, 3, self.env._("Indicators against targets"), headers, rows, empty)
        sheet.set_column(1, 3, 24)
        if rows:
            first, last = 5, 4 + len(rows)
            chart = self.book.add_chart({"type": "column"})
            name = sheet.get_name()
            chart.add_series(
                {
                    "name": self.env._("Value (%)"),
                    "categories": [name, first, 2, last, 2],
                    "values": [name, first, 6, last, 6],
                    "fill": {"color": "#1F5F99"},
                }
            )
            chart.add_series(
                {
                    "name": self.env._("Target (%)"),
                    "categories": [name, first, 2, last, 2],
                    "values": [name, first, 7, last, 7],
                    "fill": {"color": "#A6A6A6"},
                }
            )
            chart.set_title({"name": self.env._("Indicators: value against target")})
            chart.set_y_axis({"min": 0, "max": 100, "name": "%"})
            chart.set_size({"width": 820, "height": 340})
            sheet.insert_chart(last + 3, 0, chart)

    def write_trends(self):
        rows = self.pack["indicators"]["rows"]
        sheet = self.sheet(self.env._("Trends"), 2)
        labels = self.pack["indicators"].get("trend_labels") or []
        sheet.write(3, 0, self.env._("Monthly values (%) of the last 12 months"), self.f_sub)
        sheet.write(4, 0, self.env._("Indicator"), self.f_head)
        for col, label in enumerate(labels, start=1):
            sheet.write(4, col, label, self.f_head)
        sheet.write(4, len(labels) + 1, self.env._("Target (%)"), self.f_head)
        for i, r in enumerate(rows):
            row = 5 + i
            sheet.write(row, 0, r["name_zh"] or r["name"], self.f_cell)
            for col, point in enumerate(r["trend"], start=1):
                self.cell(sheet, row, col, point["value"] if point["has_data"] else None)
            self.cell(sheet, row, len(labels) + 1, r["target"])
        if not rows or not labels:
            sheet.write(5, 0, self.env._("No trend available."), self.f_muted)
            return
        chart = self.book.add_chart({"type": "line"})
        name = sheet.get_name()
        for i in range(len(rows)):
            chart.add_series(
                {
                    "name": [name, 5 + i, 0],
                    "categories": [name, 4, 1, 4, len(labels)],
                    "values": [name, 5 + i, 1, 5 + i, len(labels)],
                    "marker": {"type": "circle", "size": 4},
                }
            )
        chart.show_blanks_as("gap")
        chart.set_title({"name": self.env._("12-month trend of the indicators")})
        chart.set_y_axis({"name": "%"})
        chart.set_size({"width": 900, "height": 380})
        sheet.insert_chart(6 + len(rows), 0, chart)

    def write_complaints(self):
        section = self.pack["complaints"]
        sheet = self.sheet(self.env._("Complaints"), 3)
        row = self.pairs(
            sheet,
            3,
            self.env._("Complaints received in the period"),
            [
                [self.env._("Complaints received"), section["received"]],
                [self.env._("Valid"), section["valid"]],
                [self.env._("Not valid"), section["invalid"]],
                [self.env._("To be judged"), section["pending"]],
                [self.env._("Closed"), section["closed"]],
                [self.env._("Still open"), section["open"]],
            ],
        )
        row = self.table(
            sheet,
            row,
            self.env._("Complaints by category"),
            [self.env._("Category"), self.env._("Complaints")],
            [[c["name"], c["count"]] for c in section["by_category"]],
        )
        row = self.table(
            sheet,
            row,
            self.env._("SLA compliance (tickets received in the period)"),
            [
                self.env._("Time limit"),
                self.env._("Clocks"),
                self.env._("Met"),
                self.env._("Breached"),
                self.env._("Running"),
                self.env._("Compliance (%)"),
            ],
            [
                [s["label"], s["total"], s["met"], s["breached"], s["running"], s["compliance"]]
                for s in section["sla"]
            ],
        )
        month_row = row
        row = self.table(
            sheet,
            row,
            self.env._("Complaints by month"),
            [self.env._("Month"), self.env._("Complaints")],
            [[m["label"], m["count"]] for m in section["by_month"]],
        )
        chart = self.book.add_chart({"type": "column"})
        name = sheet.get_name()
        first, last = month_row + 2, month_row + 1 + len(section["by_month"])
        chart.add_series(
            {
                "name": self.env._("Complaints"),
                "categories": [name, first, 0, last, 0],
                "values": [name, first, 1, last, 1],
                "fill": {"color": "#1F5F99"},
            }
        )
        chart.set_title({"name": self.env._("Complaints by month")})
        chart.set_legend({"none": True})
        chart.set_size({"width": 720, "height": 300})
        sheet.insert_chart(month_row, 3, chart)

    def write_services(self):
        section = self.pack["services"]
        acc = section["acceptance"]
        sheet = self.sheet(self.env._("Services"), 4)
        row = self.table(
            sheet,
            3,
            self.env._("Services by stage (on the generation date)"),
            [self.env._("Stage"), self.env._("Services")],
            [[s["label"], s["count"]] for s in section["by_stage"]],
        )
        row = self.pairs(
            sheet,
            row,
            self.env._("Services, gates and acceptance"),
            [
                [self.env._("Services in progress"), section["active"]],
                [self.env._("Inquiries received in the period"), section["received"]],
                [self.env._("Services late at their stage gate"), section["late_count"]],
                [self.env._("Submissions for acceptance"), acc["submitted"]],
                [self.env._("Accepted"), acc["accepted"]],
                [self.env._("Objections raised"), acc["objections_raised"]],
                [self.env._("Objections closed"), acc["objections_closed"]],
                [self.env._("Objections closed late"), acc["objections_closed_late"]],
                [self.env._("Objections open"), acc["objections_open"]],
                [self.env._("Objections open and late"), acc["objections_open_late"]],
            ],
        )
        row = self.table(
            sheet,
            row,
            self.env._("Late stage gates"),
            [
                self.env._("Service"),
                self.env._("Client"),
                self.env._("Stage"),
                self.env._("Deadline"),
                self.env._("Responsible"),
            ],
            [
                [s["name"], s["client"], s["stage"], s["deadline"], s["responsible"]]
                for s in section["late"]
            ],
        )
        self.table(
            sheet,
            row,
            self.env._("Acceptance objections"),
            [
                self.env._("Service"),
                self.env._("Client"),
                self.env._("Raised"),
                self.env._("Limit"),
                self.env._("Closed"),
                self.env._("Late"),
                self.env._("Reason"),
            ],
            [
                [
                    o["service"],
                    o["client"],
                    o["raised"],
                    o["deadline"],
                    o["closed"],
                    o["late"],
                    o["reason"],
                ]
                for o in section["objections"]
            ],
        )

    def write_feedback(self):
        section = self.pack["feedback"]
        sheet = self.sheet(self.env._("Client Feedback"), 5)
        row = self.pairs(
            sheet,
            3,
            self.env._("Client feedback in the period"),
            [
                [self.env._("Responses"), section["count"]],
                [self.env._("Average score (1–5)"), round(section["average"], 2)],
                [
                    section["satisfied_label"],
                    section["satisfied"],
                ],
                [self.env._("Satisfied (%)"), section["satisfied_share"]],
            ],
        )
        dist_row = row
        row = self.table(
            sheet,
            row,
            self.env._("Distribution of the scores"),
            [self.env._("Score"), self.env._("Responses")],
            [[d["score"], d["count"]] for d in section["distribution"]],
        )
        chart = self.book.add_chart({"type": "bar"})
        name = sheet.get_name()
        chart.add_series(
            {
                "name": self.env._("Responses"),
                "categories": [name, dist_row + 2, 0, dist_row + 6, 0],
                "values": [name, dist_row + 2, 1, dist_row + 6, 1],
                "fill": {"color": "#1F5F99"},
            }
        )
        chart.set_title({"name": self.env._("Distribution of the scores")})
        chart.set_legend({"none": True})
        chart.set_size({"width": 480, "height": 260})
        sheet.insert_chart(dist_row, 3, chart)
        row = max(row, dist_row + 14)
        row = self.table(
            sheet,
            row,
            self.env._("By occasion"),
            [self.env._("Occasion"), self.env._("Responses"), self.env._("Average score")],
            [[o["label"], o["count"], round(o["average"], 2)] for o in section["by_occasion"]],
        )
        self.table(
            sheet,
            row,
            self.env._("Latest comments"),
            [
                self.env._("Date"),
                self.env._("Client"),
                self.env._("About"),
                self.env._("Occasion"),
                self.env._("Score"),
                self.env._("Comment"),
            ],
            [
                [c["date"], c["client"], c["about"], c["occasion"], c["score"], c["comment"]]
                for c in section["comments"]
            ],
        )
        sheet.set_column(5, 5, 60)

    def write_suppliers(self):
        section = self.pack["suppliers"]
        sheet = self.sheet(self.env._("Suppliers"), 6)
        row = self.table(
            sheet,
            3,
            self.env._("Suppliers by status"),
            [self.env._("Status"), self.env._("Suppliers")],
            [[s["label"], s["count"]] for s in section["by_status"]],
        )
        row = self.table(
            sheet,
            row,
            self.env._("Expiring within %(days)s days", days=self.pack["expiry_days"]),
            [
                self.env._("Supplier"),
                self.env._("Kind"),
                self.env._("Document / category"),
                self.env._("Valid to"),
            ],
            [[e["supplier"], e["kind"], e["item"], e["valid_to"]] for e in section["expiring"]],
        )
        row = self.table(
            sheet,
            row,
            self.env._("Evaluations in the period"),
            [
                self.env._("Supplier"),
                self.env._("From"),
                self.env._("To"),
                self.env._("Score"),
                self.env._("Grade"),
            ],
            [
                [e["supplier"], e["date_from"], e["date_to"], e["score"], e["grade"]]
                for e in section["evaluations"]
            ],
        )
        self.table(
            sheet,
            row,
            self.env._("Evaluations by grade"),
            [self.env._("Grade"), self.env._("Evaluations")],
            [[g["grade"], g["count"]] for g in section["by_grade"]],
        )

    def write_staff(self):
        section = self.pack["staff"]
        sheet = self.sheet(self.env._("Staff"), 7)
        row = self.pairs(
            sheet,
            3,
            self.env._("Training in the period"),
            [
                [self.env._("Training hours (passed attendances)"), section["training_hours"]],
                [self.env._("Sessions"), section["sessions"]],
                [self.env._("People trained"), section["trained"]],
                [self.env._("Staff"), section["headcount"]],
                [self.env._("Coverage (%)"), section["coverage"]],
                [self.env._("Hours per person"), section["hours_per_person"]],
            ],
        )
        row = self.table(
            sheet,
            row,
            self.env._("Training plans"),
            [
                self.env._("Plan"),
                self.env._("Year"),
                self.env._("Team"),
                self.env._("People"),
                self.env._("Planned hours"),
                self.env._("Hours done"),
                self.env._("Coverage (%)"),
                self.env._("Completion (%)"),
            ],
            [
                [
                    p["name"],
                    p["year"],
                    p["team"],
                    p["people"],
                    p["planned"],
                    p["done"],
                    p["coverage"],
                    p["completion"],
                ]
                for p in section["plans"]
            ],
        )
        row = self.table(
            sheet,
            row,
            self.env._(
                "Qualifications expiring within %(days)s days", days=self.pack["expiry_days"]
            ),
            [
                self.env._("Employee"),
                self.env._("Qualification"),
                self.env._("Number"),
                self.env._("Valid to"),
            ],
            [
                [q["employee"], q["item"], q["number"], q["valid_to"]]
                for q in section["qualifications"]
            ],
        )
        self.table(
            sheet,
            row,
            self.env._(
                "Undertakings to sign again within %(days)s days", days=self.pack["expiry_days"]
            ),
            [self.env._("Employee"), self.env._("Undertaking"), self.env._("Valid to")],
            [[u["employee"], u["item"], u["valid_to"]] for u in section["undertakings"]],
        )

    def write_audits(self):
        section = self.pack["audits"]
        sheet = self.sheet(self.env._("Audits"), 8)
        row = self.table(
            sheet,
            3,
            self.env._("Internal audits in the period"),
            [
                self.env._("Reference"),
                self.env._("Audit"),
                self.env._("Date"),
                self.env._("State"),
                self.env._("Nonconformities"),
                self.env._("Improvement opportunities"),
            ],
            [
                [
                    a["reference"],
                    a["name"],
                    a["date"],
                    a["state"],
                    a["nonconformities"],
                    a["improvements"],
                ]
                for a in section["rows"]
            ],
        )
        if section["findings_available"]:
            row = self.table(
                sheet,
                row,
                self.env._("Audit findings by kind"),
                [self.env._("Kind"), self.env._("Findings")],
                [[f["label"], f["count"]] for f in section["findings"]],
            )
        if section["external_available"]:
            self.table(
                sheet,
                row,
                self.env._("Third-party evaluations"),
                [self.env._("Body"), self.env._("Date"), self.env._("Scope"), self.env._("Score")],
                [[e["body"], e["date"], e["scope"], e["score"]] for e in section["external"]],
            )

    def write_actions(self):
        section = self.pack["actions"]
        sheet = self.sheet(self.env._("Improvement Actions"), 9)
        pairs = [
            [self.env._("Opened in the period"), section["opened"]],
            [self.env._("Open"), section["open"]],
            [self.env._("Overdue"), section["overdue"]],
            [self.env._("Closed in the period"), section["closed"]],
        ]
        if section["effective_available"]:
            pairs.append([self.env._("Closed and verified effective"), section["effective"]])
        row = self.pairs(sheet, 3, self.env._("Improvement actions"), pairs)
        row = self.table(
            sheet,
            row,
            self.env._("Open actions by type"),
            [self.env._("Type"), self.env._("Number of actions")],
            [[t["label"], t["count"]] for t in section["by_type"]],
        )
        self.table(
            sheet,
            row,
            self.env._("Open actions"),
            [
                self.env._("Reference"),
                self.env._("Action"),
                self.env._("Owner"),
                self.env._("Deadline"),
                self.env._("Stage"),
                self.env._("Overdue"),
            ],
            [
                [a["reference"], a["name"], a["owner"], a["deadline"], a["stage"], a["overdue"]]
                for a in section["open_rows"]
            ],
        )
        sheet.set_column(1, 1, 40)


# The writers of each section of the pack, by the section's key.
SECTION_SHEETS = {
    "indicators": (SectionSheets.write_indicators, SectionSheets.write_trends),
    "complaints": (SectionSheets.write_complaints,),
    "services": (SectionSheets.write_services,),
    "feedback": (SectionSheets.write_feedback,),
    "suppliers": (SectionSheets.write_suppliers,),
    "staff": (SectionSheets.write_staff,),
    "audits": (SectionSheets.write_audits,),
    "actions": (SectionSheets.write_actions,),
}
