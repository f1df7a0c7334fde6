from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..lib.periods import bounds, last_day, last_ended
from ..models.review.mgmtsystem_review import PERIOD_TYPES

QUARTERS = [("1", "Q1"), ("2", "Q2"), ("3", "Q3"), ("4", "Q4")]
HALVES = [("1", "H1 (January–June)"), ("2", "H2 (July–December)")]


class TsqReviewWizard(models.TransientModel):
    """Prepare Management Review: the company, the period and the name; creates
    the review with the Quality Managers as participants and generates its pack."""

    _name = "tsq.review.wizard"
    _description = "Prepare Management Review"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.companies.ids)],
    )
    review_interval = fields.Selection(
        related="company_id.tsq_review_interval", string="Company Review Interval"
    )
    period_type = fields.Selection(
        PERIOD_TYPES,
        string="Period",
        required=True,
        compute="_compute_period_type",
        store=True,
        readonly=False,
    )
    year = fields.Integer(compute="_compute_period", store=True, readonly=False)
    quarter = fields.Selection(QUARTERS, compute="_compute_period", store=True, readonly=False)
    half = fields.Selection(
        HALVES, string="Half-year", compute="_compute_period", store=True, readonly=False
    )
    date_from = fields.Date(string="From", compute="_compute_period", store=True, readonly=False)
    date_end = fields.Date(
        string="To (last day)", compute="_compute_period", store=True, readonly=False
    )
    period_label = fields.Char(compute="_compute_name", store=True)
    name = fields.Char(string="Review Name", compute="_compute_name", store=True, readonly=False)

    @api.depends("company_id")
    def _compute_period_type(self):
        for wizard in self:
            wizard.period_type = wizard.company_id.tsq_review_interval or "quarter"

    @api.depends("period_type", "company_id")
    def _compute_period(self):
        for wizard in self:
            today = (wizard.company_id or self.env.company)._tsq_today()
            kind = wizard.period_type if wizard.period_type != "custom" else "quarter"
            year, index, date_from, date_to = last_ended(kind, today)
            wizard.year = year
            wizard.quarter = str(index) if kind == "quarter" else "1"
            wizard.half = str(index) if kind == "half" else "1"
            wizard.date_from = date_from
            wizard.date_end = last_day(date_to)

    @api.depends("period_type", "year", "quarter", "half", "date_from", "date_end")
    def _compute_name(self):
        Review = self.env["mgmtsystem.review"]
        for wizard in self:
            period = wizard._tsq_period()
            label = Review._tsq_period_label_of(wizard.period_type, *period) if period else ""
            wizard.period_label = label
            wizard.name = self.env._("Management Review %(period)s", period=label) if label else ""

    def _tsq_period(self):
        """(date_from, date_to) of the chosen period, date_to excluded; None if incomplete."""
        self.ensure_one()
        kind = self.period_type
        if kind == "custom":
            if not (self.date_from and self.date_end):
                return None
            return self.date_from, self.date_end + timedelta(days=1)
        if not kind or not self.year or self.year < 1900:
            return None
        index = {"quarter": self.quarter, "half": self.half}.get(kind, "1")
        return bounds(kind, self.year, int(index or 1))

    def action_confirm(self):
        self.ensure_one()
        period = self._tsq_period()
        if not period:
            raise UserError(self.env._("Choose the period of the review."))
        if not (self.name or "").strip():
            raise UserError(self.env._("Give the review a name."))
        date_from, date_to = period
        if date_to <= date_from:
            raise UserError(self.env._("The period must end after it starts."))
        Review = self.env["mgmtsystem.review"]
        today = self.company_id._tsq_today()
        if date_from > today:
            raise UserError(self.env._("The period has not started yet."))
        review = Review._tsq_create_for_period(
            self.company_id, self.period_type, date_from, date_to, name=self.name
        )
        return review.get_formview_action()
