from odoo import api, fields, models


class TsqTrainingPlan(models.Model):
    """A year's training plan for a team (R4.2.3): who is to be trained, how many
    hours each, the sessions (OCA hr_course schedules) that carry it out, and
    how far it got (hours done, coverage)."""

    _name = "tsq.training.plan"
    _description = "Training Plan"
    _inherit = ["mail.thread"]
    _order = "year desc, name"

    name = fields.Char(required=True, tracking=True)
    year = fields.Integer(required=True, default=lambda self: fields.Date.today().year)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    department_id = fields.Many2one("hr.department", string="Team", tracking=True)
    employee_ids = fields.Many2many(
        "hr.employee", string="Staff to Train", help="The people this plan covers."
    )
    planned_hours = fields.Float(string="Planned Hours per Person", default=24, tracking=True)
    schedule_ids = fields.One2many("hr.course.schedule", "tsq_plan_id", string="Sessions")
    done_hours = fields.Float(
        string="Hours Done", compute="_compute_progress", help="Hours of passed attendances."
    )
    coverage = fields.Float(
        string="Coverage (%)",
        compute="_compute_progress",
        help="Share of the staff to train who passed at least one session of the plan.",
    )
    completion = fields.Float(
        string="Completion (%)",
        compute="_compute_progress",
        help="Hours done against the planned hours of all staff to train.",
    )

    _sql_constraints = [
        ("hours_positive", "CHECK(planned_hours >= 0)", "Planned hours cannot be negative."),
    ]

    @api.depends(
        "employee_ids",
        "planned_hours",
        "schedule_ids.tsq_hours",
        "schedule_ids.course_attendee_ids.result",
    )
    def _compute_progress(self):
        for plan in self:
            passed = plan.schedule_ids.course_attendee_ids.filtered(
                lambda a, p=plan: a.result == "passed" and a.employee_id in p.employee_ids
            )
            plan.done_hours = sum(a.course_schedule_id.tsq_hours for a in passed)
            people = len(plan.employee_ids)
            plan.coverage = 100.0 * len(passed.employee_id) / people if people else 0.0
            planned = plan.planned_hours * people
            plan.completion = min(100.0 * plan.done_hours / planned, 100.0) if planned else 0.0
