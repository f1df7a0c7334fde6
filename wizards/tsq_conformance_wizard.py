from odoo import api, fields, models
from odoo.exceptions import ValidationError


class TsqConformanceWizard(models.TransientModel):
    """Assess Conformance: the company, the period and the kind; creates the
    assessment, computes every clause from the live records and opens it."""

    _name = "tsq.conformance.wizard"
    _description = "Assess Conformance to the Standard"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.companies.ids)],
    )
    kind = fields.Selection(
        [("self", "Self-assessment"), ("external", "External assessment")],
        required=True,
        default="self",
    )
    date_from = fields.Date(string="From", compute="_compute_period", store=True, readonly=False)
    date_to = fields.Date(
        string="To (last day)", compute="_compute_period", store=True, readonly=False
    )
    evaluator_body = fields.Char(string="Evaluating Body")

    @api.depends("company_id")
    def _compute_period(self):
        Assessment = self.env["tsq.conformance.assessment"]
        for wizard in self:
            wizard.date_from, wizard.date_to = Assessment._tsq_default_period(
                wizard.company_id or self.env.company
            )

    def action_assess(self):
        self.ensure_one()
        if self.date_to < self.date_from:
            raise ValidationError(self.env._("The period must end on or after its start."))
        assessment = self.env["tsq.conformance.assessment"].create(
            {
                "company_id": self.company_id.id,
                "kind": self.kind,
                "date_from": self.date_from,
                "date_to": self.date_to,
                "evaluator_body": self.evaluator_body,
            }
        )
        assessment.action_compute()
        return assessment._tsq_form_action()
