import json
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..core.res_company import agency_lang, in_agency_language
from .tsq_conformance_measure import Period

STATUSES = [
    ("conforms", "Conforms"),
    ("partly", "Partly conforms"),
    ("not", "Does not conform"),
    ("na", "Not applicable"),
]


QUALITY_MANAGER = "tech_service_quality.group_tsq_quality_manager"


# What may still be written on a finished assessment: nothing but the chatter.
FINISHED_WRITABLE = {"message_main_attachment_id", "external_evaluation_id"}


class TsqConformanceAssessment(models.Model):
    """A conformance assessment (标准符合性评价) of one company over one period: one
    line per clause of the standard, its measure computed from the live records,
    its status, the evidence behind it and the assessor's comment. The agency's
    self-assessment or an outside evaluator's. Finished, it is a record: it does
    not change; a correction is a new version."""

    _name = "tsq.conformance.assessment"
    _description = "Conformance Assessment"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_to desc, version desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name")
    _rec_names_search = ["evaluator_body"]
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    kind = fields.Selection(
        [("self", "Self-assessment"), ("external", "External assessment")],
        required=True,
        default="self",
        tracking=True,
    )
    date_from = fields.Date(string="Period From", required=True, tracking=True)
    date_to = fields.Date(string="Period To", required=True, tracking=True)
    version = fields.Integer(default=1, readonly=True, copy=False)
    previous_id = fields.Many2one(
        "tsq.conformance.assessment", string="Corrects", readonly=True, copy=False
    )
    assessor_id = fields.Many2one("res.users", default=lambda self: self.env.user, tracking=True)
    evaluator_body = fields.Char(
        string="Evaluating Body", help="For an external assessment: who carried it out."
    )
    head_name = fields.Char(
        string="Head of the Agency", help="Who signs the report for the agency."
    )
    comment = fields.Text(string="Conclusion")
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Finished")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    computed_at = fields.Datetime(readonly=True, copy=False)
    finished_at = fields.Datetime(readonly=True, copy=False)
    finished_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    line_ids = fields.One2many(
        "tsq.conformance.line", "assessment_id", string="Clauses", copy=False
    )
    conform_count = fields.Integer(compute="_compute_summary", store=True, string="Conform")
    partly_count = fields.Integer(compute="_compute_summary", store=True, string="Partly")
    not_count = fields.Integer(compute="_compute_summary", store=True, string="Do Not Conform")
    na_count = fields.Integer(compute="_compute_summary", store=True, string="Not Applicable")
    score = fields.Float(
        string="Score (%)",
        compute="_compute_summary",
        store=True,
        digits=(5, 1),
        help="Of the applicable clauses: conforming ones count whole, partly conforming ones half.",
    )
    finding_ids = fields.One2many("tsq.conformance.finding", "assessment_id", string="Findings")
    external_evaluation_id = fields.Many2one(
        "tsq.external.evaluation", string="Third-party Evaluation", readonly=True, copy=False
    )

    _sql_constraints = [
        ("period", "CHECK(date_to >= date_from)", "The period must end on or after its start."),
    ]

    @api.depends("kind", "date_from", "date_to", "version", "company_id")
    @api.depends_context("lang")
    def _compute_name(self):
        """In the reader's language: "自评 2025年1月1日 – 2025年12月31日"."""
        kinds = {
            "self": self.env._("Self-assessment"),
            "external": self.env._("External assessment"),
        }
        for assessment in self:
            company = assessment.company_id.sudo() or self.env.company
            period = (
                f"{company._tsq_format_date(assessment.date_from)} – "
                f"{company._tsq_format_date(assessment.date_to)}"
                if assessment.date_from and assessment.date_to
                else ""
            )
            name = f"{kinds.get(assessment.kind, '')} {period}".strip()
            if assessment.version > 1:
                name = self.env._(
                    "%(name)s (version %(version)s)", name=name, version=assessment.version
                )
            assessment.name = name

    def _compute_display_name(self):
        for assessment in self:
            assessment.display_name = assessment.name

    @api.depends("line_ids.status")
    def _compute_summary(self):
        for assessment in self:
            statuses = assessment.line_ids.mapped("status")
            counts = {key: statuses.count(key) for key, _label in STATUSES}
            applicable = counts["conforms"] + counts["partly"] + counts["not"]
            assessment.conform_count = counts["conforms"]
            assessment.partly_count = counts["partly"]
            assessment.not_count = counts["not"]
            assessment.na_count = counts["na"]
            assessment.score = (
                100.0 * (counts["conforms"] + 0.5 * counts["partly"]) / applicable
                if applicable
                else 0.0
            )

    # ------------------------------------------------------------ rules
    def _check_quality_manager(self):
        if not self.env.su and not self.env.user.has_group(QUALITY_MANAGER):
            raise AccessError(
                self.env._("Only a Quality Manager computes and finishes conformance assessments.")
            )

    def write(self, vals):
        if set(vals) - FINISHED_WRITABLE and any(a.state == "done" for a in self):
            raise ValidationError(
                self.env._(
                    "A finished conformance assessment is a record and cannot be changed. "
                    "Create a new version to correct it."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_finished(self):
        if any(a.state == "done" for a in self):
            raise ValidationError(
                self.env._("A finished conformance assessment is a record and cannot be deleted.")
            )

    # ------------------------------------------------------------ compute
    def action_compute(self):
        """(Re)compute every clause's measure from the live records; the assessor's
        comments on the clauses are kept."""
        self._check_quality_manager()
        Line = self.env["tsq.conformance.line"]
        clauses = self.env["tsq.conformance.clause"].search([("active", "=", True)])
        Measure = self.env["tsq.conformance.measure"]
        for assessment in self:
            if assessment.state != "draft":
                raise ValidationError(self.env._("Only a draft assessment can be computed again."))
            period = Period.of(assessment.company_id, assessment.date_from, assessment.date_to)
            comments = {line.clause_id: line.comment for line in assessment.line_ids}
            assessment.line_ids.unlink()
            vals_list = []
            for clause in clauses:
                den, num = getattr(Measure, f"_tsq_measure_{clause.measure}")(period)
                num = num & den
                vals_list.append(
                    {
                        "assessment_id": assessment.id,
                        "clause_id": clause.id,
                        "numerator": len(num),
                        "denominator": len(den),
                        "status": clause._status(len(num), len(den)),
                        "res_model": den._name,
                        "evidence_ids": json.dumps(sorted(den.ids)),
                        "gap_ids": json.dumps(sorted((den - num).ids)),
                        "comment": comments.get(clause, False),
                    }
                )
            Line.create(vals_list)
            assessment.computed_at = fields.Datetime.now()
        return True

    def action_finish(self):
        """Finish: the assessment becomes a record; each clause that does not (or
        only partly) conform proposes one improvement action (once per clause and
        period); an external assessment is recorded as a third-party evaluation."""
        self._check_quality_manager()
        for assessment in self:
            if assessment.state != "draft":
                raise ValidationError(self.env._("This assessment is already finished."))
            if not assessment.line_ids:
                raise ValidationError(self.env._("Compute the assessment before finishing it."))
            if assessment.kind == "external" and not (assessment.evaluator_body or "").strip():
                raise ValidationError(
                    self.env._("An external assessment names the evaluating body.")
                )
            assessment.write(
                {
                    "state": "done",
                    "finished_at": fields.Datetime.now(),
                    "finished_by_id": self.env.uid,
                }
            )
            for line in assessment.line_ids.filtered(lambda li: li.status in ("not", "partly")):
                line._tsq_propose_action()
            if assessment.kind == "external":
                assessment._tsq_record_external_evaluation()
        return True

    def action_new_version(self):
        """A correction of a finished assessment: a new draft of the same period,
        computed again, that says which version it corrects."""
        self._check_quality_manager()
        self.ensure_one()
        if self.state != "done":
            raise ValidationError(self.env._("Only a finished assessment gets a new version."))
        latest = self.search(
            [
                ("company_id", "=", self.company_id.id),
                ("kind", "=", self.kind),
                ("date_from", "=", self.date_from),
                ("date_to", "=", self.date_to),
            ],
            order="version desc",
            limit=1,
        )
        new = self.copy({"version": latest.version + 1, "previous_id": self.id})
        for line in self.line_ids:
            self.env["tsq.conformance.line"].create(
                {"assessment_id": new.id, "clause_id": line.clause_id.id, "comment": line.comment}
            )
        new.action_compute()
        return new._tsq_form_action()

    def _tsq_form_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def _tsq_record_external_evaluation(self):
        self.ensure_one()
        self = agency_lang(self, self.company_id)
        evaluation = (
            self.env["tsq.external.evaluation"]
            .sudo()
            .create(
                {
                    "name": self.name,
                    "body": self.evaluator_body,
                    "date": fields.Date.context_today(self),
                    "scope": self.env._(
                        "Conformance to the standard, %(start)s – %(end)s: %(count)s clauses.",
                        start=self.date_from,
                        end=self.date_to,
                        count=len(self.line_ids),
                    ),
                    "score": self.score,
                    "score_max": 100.0,
                    "conclusion": self.comment or "",
                    "findings": "\n".join(
                        f"{line.clause_id.code}: {line.comment or line.status_label}"
                        for line in self.line_ids
                        if line.status in ("not", "partly")
                    ),
                    "company_id": self.company_id.id,
                    "attachment_ids": [Command.create(self._tsq_workbook_attachment())],
                }
            )
        )
        evaluation.action_record()
        self.external_evaluation_id = evaluation

    def _tsq_workbook_attachment(self):
        """The assessment's workbook, as the evaluation report's attachment."""
        content, _kind = (
            self.env["ir.actions.report"]
            .sudo()
            ._render("tech_service_quality.conformance_xlsx", self.ids)
        )
        return {
            "name": f"{self.name}.xlsx",
            "raw": content,
            "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }

    # ------------------------------------------------------------ yearly job
    @api.model
    @in_agency_language
    def _tsq_cron_yearly(self):
        """After a year ends, each company gets its self-assessment of that year,
        computed as a draft for the Quality Manager to review, comment and finish
        (once: an existing one for the year is left alone)."""
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        group = self.env.ref(QUALITY_MANAGER)
        for company in self.env["res.company"].sudo().search([("active", "=", True)]):
            start, end = self._tsq_default_period(company)
            year = start.year
            if self.search_count(
                [
                    ("company_id", "=", company.id),
                    ("kind", "=", "self"),
                    ("date_from", "=", start),
                    ("date_to", "=", end),
                ]
            ):
                continue
            assessment = self.create(
                {"company_id": company.id, "date_from": start, "date_to": end, "assessor_id": False}
            )
            assessment.sudo().action_compute()
            manager = group.users.filtered(lambda u, c=company: c in u.company_ids)[:1]
            if manager:
                assessment.activity_schedule(
                    activity_type_id=activity_type.id,
                    summary=self.env._("Review and finish the %(year)s self-assessment", year=year),
                    user_id=manager.id,
                    date_deadline=end + relativedelta(months=1),
                )

    @api.model
    def _tsq_default_period(self, company):
        """The last whole calendar year of the company (its local today)."""
        year = company._tsq_today().year - 1
        return date(year, 1, 1), date(year, 12, 31)

    def _tsq_report_lines(self):
        """The lines the printed report and the workbook show, by part."""
        self.ensure_one()
        parts = dict(
            self.env["tsq.conformance.clause"]._fields["part"]._description_selection(self.env)
        )
        result = []
        for part, label in parts.items():
            lines = self.line_ids.filtered(lambda li, p=part: li.clause_id.part == p)
            if lines:
                result.append({"label": label, "lines": lines})
        return result
