from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ...lib.periods import bounds, kind_of
from ...lib.periods import label as period_label

PERIOD_TYPES = [
    ("month", "Month"),
    ("quarter", "Quarter"),
    ("year", "Year"),
    ("custom", "Custom period"),
]


# The context flag under which the computation (and only it) writes scorecards.
COMPUTE_FLAG = "tsq_scorecard_compute"


COUNT_FIELDS = (
    "services_handled",
    "delivered_due",
    "delivered_on_time",
    "first_submissions",
    "first_pass",
    "feedback_count",
    "satisfied_count",
    "valid_complaints",
    "audit_findings",
)


FLOAT_FIELDS = (
    "on_time_rate",
    "first_pass_rate",
    "avg_score",
    "satisfaction_rate",
    "training_hours",
)


FIGURE_FIELDS = (*COUNT_FIELDS, *FLOAT_FIELDS, "satisfied_score")


# (flag field, indicator code, rate field, denominator field) for the target colours
TARGET_CHECKS = (
    ("on_time_missed", "on_time_delivery", "on_time_rate", "delivered_due"),
    ("first_pass_missed", "first_pass", "first_pass_rate", "first_submissions"),
    ("satisfaction_missed", "satisfaction", "satisfaction_rate", "feedback_count"),
)


MANAGER_GROUP = "tech_service_quality.group_tsq_manager"


# The figures the indicator engine counts, as the dashboard does, over the services
# of each staff member: (indicator code, numerator field, denominator field, an SQL
# expression of a fact averaged into ``avg_score``). The services handled are the
# denominator of the valid complaints (the services active in the period).
ENGINE_FIGURES = (
    ("on_time_delivery", "delivered_on_time", "delivered_due", None),
    ("first_pass", "first_pass", "first_submissions", None),
    (
        "satisfaction",
        "satisfied_count",
        "feedback_count",
        "(SELECT fb.score FROM tsq_feedback fb WHERE fb.id = f.res_id)",
    ),
    ("valid_complaint", "valid_complaints", "services_handled", None),
)


# (service id, user id) of the services of the company each user is responsible
# for or staff of (the groups of the engine's facts).
STAFF_SERVICES = """
    SELECT p.id, p.user_id
      FROM project_project p
     WHERE p.is_service AND p.company_id = %(company_id)s AND p.user_id = ANY(%(users)s)
    UNION
    SELECT p.id, m.user_id
      FROM tsq_project_member_rel m
      JOIN project_project p ON p.id = m.project_id
     WHERE p.is_service AND p.company_id = %(company_id)s AND m.user_id = ANY(%(users)s)"""


def _rate(numerator, denominator):
    """A percentage; 0 when nothing is counted (the views show "no data")."""
    return round(100.0 * numerator / denominator, 1) if denominator else 0.0


class TsqStaffScorecard(models.Model):
    """The quality scorecard of one employee for one period (员工质量绩效考核):
    the services they handled and how those went — delivered on time, accepted
    at the first submission, their clients' satisfaction, valid complaints — and
    the audit findings about their work and the hours of training they passed.

    Periods are half-open ``[date_from, date_to)`` in the company's time zone.
    Figures are computed by :meth:`_tsq_compute` for every employee of a company
    at once, and cannot be edited by hand."""

    _name = "tsq.staff.scorecard"
    _description = "Staff Quality Scorecard"
    _order = "date_from desc, period_type, employee_name, id"
    _rec_name = "display_name"

    employee_id = fields.Many2one(
        "hr.employee", required=True, readonly=True, index=True, ondelete="cascade"
    )
    employee_name = fields.Char(related="employee_id.name", store=True, string="Employee Name")
    user_id = fields.Many2one(related="employee_id.user_id", store=True, index=True, string="User")
    department_id = fields.Many2one(
        related="employee_id.department_id", store=True, index=True, string="Department"
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    period_type = fields.Selection(PERIOD_TYPES, required=True, readonly=True, index=True)
    date_from = fields.Date("From", required=True, readonly=True, index=True)
    date_to = fields.Date(
        "Until", required=True, readonly=True, help="The first day after the period."
    )
    period_label = fields.Char("Period", readonly=True, index=True)
    team_ids = fields.Many2many(
        "helpdesk.ticket.team",
        "tsq_staff_scorecard_team_rel",
        "scorecard_id",
        "team_id",
        string="Teams",
        readonly=True,
        help="The teams the employee's user belonged to when the scorecard was computed.",
    )

    services_handled = fields.Integer(
        readonly=True,
        help="Services the employee was responsible for or staff of, active at any time "
        "in the period (started before its end, not finished before its start). "
        "Cancelled and declined services are left out.",
    )
    delivered_due = fields.Integer(
        "Deliveries Due",
        readonly=True,
        help="Their services whose contract delivery date falls in the period and has "
        "passed, or which are delivered.",
    )
    delivered_on_time = fields.Integer(
        "Delivered on Time",
        readonly=True,
        help="Of the deliveries due, those delivered on or before the contract date.",
    )
    on_time_rate = fields.Float(
        "On-time Delivery (%)", readonly=True, digits=(16, 1), aggregator=None
    )
    first_submissions = fields.Integer(
        readonly=True,
        help="Their services' first acceptance submissions made in the period and "
        "already decided by the client.",
    )
    first_pass = fields.Integer(
        "Accepted at First Submission",
        readonly=True,
        help="First submissions accepted with no objection.",
    )
    first_pass_rate = fields.Float(
        "First-pass Acceptance (%)", readonly=True, digits=(16, 1), aggregator=None
    )
    feedback_count = fields.Integer(
        "Feedback Responses",
        readonly=True,
        help="Client feedback responses on their services submitted in the period.",
    )
    satisfied_count = fields.Integer(
        "Satisfied Responses",
        readonly=True,
        help="Responses scored at least the satisfied score of the satisfaction indicator.",
    )
    satisfied_score = fields.Integer(
        "Satisfied from Score", readonly=True, help="The threshold used at computation."
    )
    avg_score = fields.Float("Average Score", readonly=True, digits=(16, 2), aggregator=None)
    satisfaction_rate = fields.Float(
        "Satisfaction (%)", readonly=True, digits=(16, 1), aggregator=None
    )
    valid_complaints = fields.Integer(
        readonly=True,
        help="Complaints received in the period about one of their services and judged valid.",
    )
    audit_findings = fields.Integer(
        readonly=True, help="Audit findings about the employee's work dated in the period."
    )
    training_hours = fields.Float(
        readonly=True,
        digits=(16, 1),
        help="Hours of the training sessions passed that ended in the period.",
    )
    computed_at = fields.Datetime(readonly=True)

    on_time_missed = fields.Boolean(compute="_compute_target_missed")
    first_pass_missed = fields.Boolean(compute="_compute_target_missed")
    satisfaction_missed = fields.Boolean(compute="_compute_target_missed")

    _sql_constraints = [
        (
            "one_per_period",
            "unique(employee_id, period_type, date_from, date_to)",
            "An employee has one scorecard per period.",
        ),
    ]

    # ---------------------------------------------------------------- computes
    @api.depends("employee_id", "period_label")
    def _compute_display_name(self):
        for card in self:
            card.display_name = " · ".join(
                p for p in (card.employee_id.name, card.period_label) if p
            )

    @api.depends(*(check[2] for check in TARGET_CHECKS), "date_to")
    def _compute_target_missed(self):
        """Below the indicator's target in force on the period's last day."""
        indicators = {}
        if "tsq.indicator" in self.env:
            codes = [check[1] for check in TARGET_CHECKS]
            for indicator in self.env["tsq.indicator"].sudo().search([("code", "in", codes)]):
                indicators[indicator.code] = indicator
        for card in self:
            day = card.date_to and card.date_to - timedelta(days=1)
            for flag, code, rate, denominator in TARGET_CHECKS:
                indicator = indicators.get(code)
                line = indicator._target_line(day) if indicator and day else False
                missed = False
                if line and card[denominator]:
                    if line.direction == "le":
                        missed = card[rate] > line.target
                    else:
                        missed = card[rate] < line.target
                card[flag] = missed

    # -------------------------------------------------------------- ORM guards
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get(COMPUTE_FLAG):
            raise UserError(self.env._("Staff scorecards are computed; they cannot be created."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.context.get(COMPUTE_FLAG):
            raise UserError(
                self.env._("Staff scorecards are computed by the system and cannot be edited.")
            )
        return super().write(vals)

    # ------------------------------------------------------------------ periods
    @api.model
    def _tsq_period_dates(self, period_type, year, month=1, quarter=1):
        """``(date_from, date_to)`` of a month, quarter or year (date_to excluded)."""
        if period_type not in ("month", "quarter", "year"):
            raise ValidationError(self.env._("A custom period has no default dates."))
        index = {"month": month, "quarter": quarter}.get(period_type, 1)
        return bounds(period_type, year, int(index))

    # -------------------------------------------------------------- computation
    @api.model
    def _tsq_compute(self, company, date_from, date_to, period_type=None):
        """Compute the scorecards of every employee of ``company`` for
        ``[date_from, date_to)``: creates the missing ones and updates the others in
        place (a rerun creates nothing and changes only what the records changed).

        A fixed number of queries whatever the number of employees: the figures
        are aggregate queries over all of them, new scorecards are created in one
        batch, existing ones updated with one ``UPDATE … FROM (VALUES …)``.
        Returns the scorecards of the period."""
        company.ensure_one()
        date_from = fields.Date.to_date(date_from)
        date_to = fields.Date.to_date(date_to)
        if not date_from or not date_to or date_to <= date_from:
            raise ValidationError(self.env._("The end of a period must come after its start."))
        period_type = period_type or kind_of(date_from, date_to)
        Card = self.sudo().with_context(**{COMPUTE_FLAG: True})
        period = [
            ("period_type", "=", period_type),
            ("date_from", "=", date_from),
            ("date_to", "=", date_to),
        ]
        employees = (
            self.env["hr.employee"]
            .sudo()
            .search([("company_id", "=", company.id), ("tsq_service_staff", "=", True)])
        )
        existing = Card.with_context(active_test=False).search(
            ["|", ("company_id", "=", company.id), ("employee_id", "in", employees.ids), *period]
        )
        employees |= existing.employee_id
        figures, teams = self._tsq_figures(company, employees, date_from, date_to)
        now = fields.Datetime.now()

        by_employee = {card.employee_id.id: card for card in existing}
        to_create = []
        for employee in employees:
            if employee.id in by_employee:
                continue
            to_create.append(
                dict(
                    figures[employee.id],
                    employee_id=employee.id,
                    company_id=company.id,
                    period_type=period_type,
                    date_from=date_from,
                    date_to=date_to,
                    period_label=period_label(period_type, date_from, date_to),
                    team_ids=[fields.Command.set(teams.get(employee.id, []))],
                    computed_at=now,
                )
            )
        created = Card.create(to_create) if to_create else Card
        if existing:
            self._tsq_update_in_place(existing, figures, teams, now)
        return self.browse((existing | created).ids)

    def _tsq_update_in_place(self, cards, figures, teams, now):
        """Write the new figures and teams of ``cards`` in three queries."""
        cr = self.env.cr
        columns = SQL(", ").join(SQL.identifier(name) for name in FIGURE_FIELDS)
        rows = SQL(", ").join(
            SQL(
                "(%s, " + ", ".join(["%s"] * len(FIGURE_FIELDS)) + ")",
                card.id,
                *(figures[card.employee_id.id][name] for name in FIGURE_FIELDS),
            )
            for card in cards
        )
        assignments = SQL(", ").join(
            SQL("%s = v.%s", SQL.identifier(name), SQL.identifier(name)) for name in FIGURE_FIELDS
        )
        cr.execute(
            SQL(
                """UPDATE tsq_staff_scorecard AS c
                      SET %(assignments)s, computed_at = %(now)s,
                          write_date = %(now)s, write_uid = %(uid)s
                     FROM (VALUES %(rows)s) AS v(id, %(columns)s)
                    WHERE c.id = v.id""",
                assignments=assignments,
                now=now,
                uid=self.env.uid,
                rows=rows,
                columns=columns,
            )
        )
        card_ids, team_ids = [], []
        for card in cards:
            for team_id in teams.get(card.employee_id.id, []):
                card_ids.append(card.id)
                team_ids.append(team_id)
        cr.execute(
            SQL(
                "DELETE FROM tsq_staff_scorecard_team_rel WHERE scorecard_id = ANY(%s)",
                cards.ids,
            )
        )
        cr.execute(
            SQL(
                """INSERT INTO tsq_staff_scorecard_team_rel (scorecard_id, team_id)
                   SELECT * FROM unnest(%s::int[], %s::int[])""",
                card_ids,
                team_ids,
            )
        )
        cards.invalidate_recordset([*FIGURE_FIELDS, "computed_at", "write_date", "write_uid"])
        cards.invalidate_recordset(["team_ids"])

    @api.model
    def _tsq_figures(self, company, employees, date_from, date_to):
        """``({employee id: figure values}, {employee id: [team ids]})`` for
        ``[date_from, date_to)``, in a fixed number of aggregate queries.

        An employee's services are those of the company whose responsible or
        staff is the employee's user. Their figures are the indicator engine's,
        counted over those services (:data:`ENGINE_FIGURES`): archived, cancelled
        and declined services are never handled, due or submitted; feedback on a
        cancelled service and cancelled or archived complaints never count."""
        employees = employees.sudo()
        satisfied = self.env["tsq.indicator"]._tsq_satisfied_score()
        user_of = {emp.id: emp.user_id.id for emp in employees if emp.user_id}
        users = sorted(set(user_of.values()))
        by_user = self._tsq_engine_figures(company, users, date_from, date_to, satisfied)
        hours = self._tsq_training_hours(employees, date_from, date_to)
        findings = self._tsq_audit_findings(employees, date_from, date_to)
        teams_of_user = self._tsq_teams_of_users(company, users)
        figures, teams = {}, {}
        for employee in employees:
            user_id = user_of.get(employee.id)
            row = by_user.get(user_id, {}) if user_id else {}
            vals = {name: int(row.get(name) or 0) for name in COUNT_FIELDS}
            vals["audit_findings"] = findings.get(employee.id, 0)
            vals["avg_score"] = round(float(row.get("avg_score") or 0.0), 2)
            vals["training_hours"] = round(float(hours.get(employee.id) or 0.0), 1)
            vals["on_time_rate"] = _rate(vals["delivered_on_time"], vals["delivered_due"])
            vals["first_pass_rate"] = _rate(vals["first_pass"], vals["first_submissions"])
            vals["satisfaction_rate"] = _rate(vals["satisfied_count"], vals["feedback_count"])
            vals["satisfied_score"] = satisfied
            figures[employee.id] = vals
            teams[employee.id] = sorted(teams_of_user.get(user_id, [])) if user_id else []
        return figures, teams

    @api.model
    def _tsq_engine_figures(self, company, users, date_from, date_to, satisfied):
        """{user id: {figure: value}} of the figures the indicator engine counts,
        over the services of each user (one query per indicator)."""
        engine = self.env["tsq.indicator.engine"].sudo()
        Indicator = self.env["tsq.indicator"].sudo()
        codes = [figure[0] for figure in ENGINE_FIGURES]
        indicators = {i.code: i for i in Indicator.search([("code", "in", codes)])}
        by_user = {}
        for code, numerator, denominator, average in ENGINE_FIGURES:
            counts = engine._count_by_service(
                company,
                indicators.get(code) or Indicator.new({"code": code}),
                [(date_from, date_to)],
                STAFF_SERVICES,
                params={"users": users, "satisfied_score": satisfied},
                average=average,
            )
            for (_k, user_id), (num, den, _prov, mean) in counts.items():
                row = by_user.setdefault(user_id, {})
                row.update({numerator: num, denominator: den})
                if average:
                    row["avg_score"] = mean
        return by_user

    @api.model
    def _tsq_training_hours(self, employees, date_from, date_to):
        """{employee id: hours} of the training sessions passed that ended in the
        period, once per session."""
        self.env.cr.execute(
            SQL(
                """SELECT x.employee_id, SUM(x.hours)
                     FROM (SELECT DISTINCT a.employee_id, s.id, COALESCE(s.tsq_hours, 0) AS hours
                             FROM hr_course_attendee a
                             JOIN hr_course_schedule s ON s.id = a.course_schedule_id
                            WHERE a.employee_id = ANY(%(employees)s) AND a.active
                              AND a.result = 'passed' AND s.state != 'cancelled'
                              AND s.end_date >= %(dfrom)s AND s.end_date < %(dto)s) x
                 GROUP BY x.employee_id""",
                employees=employees.ids,
                dfrom=date_from,
                dto=date_to,
            )
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _tsq_audit_findings(self, employees, date_from, date_to):
        """{employee id: number} of the audit findings about their work dated in
        the period."""
        if "tsq.audit.finding" not in self.env:
            return {}
        period = [("date", ">=", date_from), ("date", "<", date_to)]
        rows = (
            self.env["tsq.audit.finding"]
            .sudo()
            ._read_group(
                [("employee_id", "in", employees.ids), *period], ["employee_id"], ["__count"]
            )
        )
        return {employee.id: count for employee, count in rows}

    @api.model
    def _tsq_teams_of_users(self, company, users):
        """{user id: [team ids]}: the active teams of the company (or of none)
        each user belongs to."""
        team_records = (
            self.env["helpdesk.ticket.team"]
            .sudo()
            .search([("user_ids", "in", users), ("company_id", "in", [False, company.id])])
        )
        teams_of_user = {}
        for team in team_records:
            for user_id in team.user_ids.ids:
                teams_of_user.setdefault(user_id, []).append(team.id)
        return teams_of_user

    # ------------------------------------------------------------------ actions
    def action_tsq_recompute(self):
        """Recompute the periods of the selected scorecards (Service Managers)."""
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only a Service Manager can compute scorecards."))
        periods = {(c.company_id, c.period_type, c.date_from, c.date_to) for c in self}
        for company, period_type, date_from, date_to in periods:
            self._tsq_compute(company, date_from, date_to, period_type)
        return True
