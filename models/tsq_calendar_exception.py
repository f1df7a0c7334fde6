from odoo import api, fields, models
from odoo.exceptions import ValidationError


class TsqCalendarException(models.Model):
    _name = "tsq.calendar.exception"
    _description = "Working Calendar Exception (Holiday / Make-up Working Day)"
    _order = "date desc, id"

    name = fields.Char(required=True, translate=True)
    date = fields.Date(required=True, index=True)
    kind = fields.Selection(
        [("holiday", "Public holiday"), ("workday", "Make-up working day (调休)")],
        required=True,
        default="holiday",
    )
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty for an official date that applies to every company; a "
        "company's own row overrides an official one on the same date.",
    )
    active = fields.Boolean(default=True)

    @api.constrains("date", "company_id", "active")
    def _check_unique_date(self):
        for exc in self.filtered("active"):
            if self.search_count(
                [
                    ("id", "!=", exc.id),
                    ("date", "=", exc.date),
                    ("company_id", "=", exc.company_id.id),
                ],
                limit=1,
            ):
                raise ValidationError(
                    self.env._(
                        "There is already a calendar exception on %(date)s for this company.",
                        date=exc.date,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        exceptions = super().create(vals_list)
        self._recompute_open_deadlines(exceptions._companies_affected())
        return exceptions

    def write(self, vals):
        before = self._companies_affected()
        res = super().write(vals)
        after = self._companies_affected()
        everywhere = before is None or after is None
        self._recompute_open_deadlines(None if everywhere else before | after)
        return res

    def unlink(self):
        companies = self._companies_affected()
        res = super().unlink()
        self._recompute_open_deadlines(companies)
        return res

    def _companies_affected(self):
        """The companies whose deadlines these rows change; None for every
        company (an official row is shared by all)."""
        if any(not exc.company_id for exc in self):
            return None
        return self.company_id

    @api.model
    def _recompute_open_deadlines(self, companies):
        """Deadlines still running follow the calendar: open services' stage
        deadlines and unanswered inquiries' response deadlines are recomputed,
        for ``companies`` (None: all); what is already answered or closed keeps
        the limit it was judged by."""
        Project = self.env["project.project"].sudo()
        domain = [
            ("is_service", "=", True),
            ("service_stage", "in", ["s1", "s2", "s3", "s4", "s5", "s6"]),
        ]
        if companies is not None:
            domain.append(("company_id", "in", companies.ids))
        services = Project.search(domain)
        self.env.add_to_compute(Project._fields["stage_deadline"], services)
        self.env.add_to_compute(
            Project._fields["response_deadline"],
            services.filtered(lambda s: not s.first_response_at),
        )
        Clock = self.env["tsq.sla.clock"].sudo()
        clock_domain = [("is_open", "=", True)]
        if companies is not None:
            clock_domain.append(("company_id", "in", companies.ids))
        Clock._recompute(Clock.search(clock_domain), notify=False)
        return services
