from datetime import date

from odoo import api, fields, models

from ..core.res_company import in_agency_language


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    tsq_service_staff = fields.Boolean(
        string="Service Staff",
        compute="_compute_tsq_service_staff",
        store=True,
        readonly=False,
        index=True,
        help="In the standard's scope: the agency's staff who serve clients. Training "
        "coverage, staff scorecards and the management-review pack count them only (not "
        "the company's other departments). Set by itself for an employee whose user is a "
        "Service User; tick it for service staff without a login.",
    )
    tsq_qualification_ids = fields.One2many(
        "tsq.employee.qualification", "employee_id", string="Qualifications"
    )
    tsq_undertaking_ids = fields.One2many("tsq.undertaking", "employee_id", string="Undertakings")
    tsq_training_hours = fields.Float(
        string="Training Hours (this year)",
        compute="_compute_tsq_training_hours",
        help="Hours of the sessions passed this year.",
    )
    tsq_staff_alert = fields.Boolean(
        string="Expired or Expiring",
        compute="_compute_tsq_staff_alert",
        search="_search_tsq_staff_alert",
        help="A qualification or an undertaking has expired or expires soon.",
    )

    @api.depends("user_id.groups_id")
    def _compute_tsq_service_staff(self):
        group = self.env.ref("tech_service_quality.group_tsq_user", raise_if_not_found=False)
        for employee in self:
            user = employee.user_id
            employee.tsq_service_staff = employee.tsq_service_staff or bool(
                group and user and not user.share and group in user.sudo().groups_id
            )

    def _compute_tsq_training_hours(self):
        year = fields.Date.context_today(self).year
        start, end = date(year, 1, 1), date(year, 12, 31)
        rows = (
            self.env["hr.course.attendee"]
            .sudo()
            ._read_group(
                [
                    ("employee_id", "in", self.ids),
                    ("result", "=", "passed"),
                    ("course_schedule_id.end_date", ">=", start),
                    ("course_schedule_id.end_date", "<=", end),
                ],
                ["employee_id", "course_schedule_id"],
            )
        )
        hours = {}
        for employee, schedule in rows:
            hours[employee.id] = hours.get(employee.id, 0.0) + schedule.tsq_hours
        for employee in self:
            employee.tsq_training_hours = hours.get(employee.id, 0.0)

    def _compute_tsq_staff_alert(self):
        alerted = set(self._tsq_alerted_ids())
        for employee in self:
            employee.tsq_staff_alert = employee.id in alerted

    def _tsq_alerted_ids(self):
        domain = [("expiry_state", "in", ["expired", "expiring"])]
        ids = set()
        for model in ("tsq.employee.qualification", "tsq.undertaking"):
            ids |= set(self.env[model].sudo().search(domain).employee_id.ids)
        return ids

    def _search_tsq_staff_alert(self, operator, value):
        ids = list(self._tsq_alerted_ids())
        positive = (operator == "=") == bool(value)
        return [("id", "in" if positive else "not in", ids)]

    # ------------------------------------------------------------ competence
    def _tsq_staff_problems(self, category, date_from, date_to):
        """What stops this employee from working on a service of ``category`` from
        ``date_from`` to ``date_to``: translated strings, empty when assignable."""
        self.ensure_one()
        problems = []
        quals = self.sudo().tsq_qualification_ids
        for qtype in category.required_qualification_type_ids:
            held = quals.filtered(
                lambda q, t=qtype: (
                    q.type_id == t and (not q.category_ids or category in q.category_ids)
                )
            )
            if not held:
                problems.append(
                    self.env._("does not hold %(qualification)s", qualification=qtype.name)
                )
            elif not any(q._covers(date_from, date_to) for q in held):
                last = max(held.mapped("valid_to") or [False]) or ""
                problems.append(
                    self.env._(
                        "%(qualification)s is not valid from %(start)s to %(end)s "
                        "(valid to %(last)s)",
                        qualification=qtype.name,
                        start=date_from,
                        end=date_to,
                        last=last,
                    )
                )
        undertakings = self.sudo().tsq_undertaking_ids
        kinds = dict(self.env["tsq.undertaking"]._fields["kind"]._description_selection(self.env))
        wanted = []
        if category.require_confidentiality:
            wanted.append("confidentiality")
        if category.require_conduct:
            wanted.append("conduct")
        for kind in wanted:
            signed = undertakings.filtered(lambda u, k=kind: u.kind == k)
            if not any(u._covers(date_from, date_to) for u in signed):
                problems.append(
                    self.env._(
                        "has no %(undertaking)s valid from %(start)s to %(end)s",
                        undertaking=kinds[kind],
                        start=date_from,
                        end=date_to,
                    )
                )
        return problems

    def _tsq_reminded_users(self, record):
        """Who is reminded before ``record`` (one of this employee's qualifications
        or undertakings) expires: the employee and their manager, if they can open it
        (an activity goes only to someone who can)."""
        self.ensure_one()
        users = (self.user_id | self.parent_id.user_id).filtered("active")
        return users.filtered(lambda u: record.with_user(u).has_access("read"))

    @api.model
    @in_agency_language
    def _tsq_cron_expiry(self):
        """Scheduled: reminders before qualifications and undertakings expire."""
        self.env["tsq.employee.qualification"]._cron_expiry_reminders()
        self.env["tsq.undertaking"]._cron_expiry_reminders()
        return True
