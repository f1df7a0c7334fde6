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
        exceptions._recompute_open_deadlines()
        return exceptions

    def write(self, vals):
        scope = self._deadline_scope()
        res = super().write(vals)
        self._recompute_open_deadlines(scope)
        return res

    def unlink(self):
        scope = self._deadline_scope()
        res = super().unlink()
        self.browse()._recompute_open_deadlines(scope)
        return res

    def _deadline_scope(self):
        """The companies whose deadlines these rows affect (None: every company,
        for an official row shared by all)."""
        if any(not exc.company_id for exc in self):
            return None
        return self.company_id

    def _recompute_open_deadlines(self, scope=False):
        """Deadlines still running follow the calendar: open services' stage
        deadlines and unanswered inquiries' response deadlines are recomputed;
        what is already answered or closed keeps the limit it was judged by."""
        if scope is False:
            scope = self._deadline_scope()
        elif scope is not None and self._deadline_scope() is None:
            scope = None
        elif scope is not None:
            scope |= self.company_id
        Project = self.env["project.project"].sudo()
        domain = [
            ("is_service", "=", True),
            ("service_stage", "in", ["s1", "s2", "s3", "s4", "s5", "s6"]),
        ]
        if scope is not None:
            domain.append(("company_id", "in", scope.ids))
        services = Project.search(domain)
        self.env.add_to_compute(Project._fields["stage_deadline"], services)
        self.env.add_to_compute(
            Project._fields["response_deadline"],
            services.filtered(lambda s: not s.first_response_at),
        )
        return services
