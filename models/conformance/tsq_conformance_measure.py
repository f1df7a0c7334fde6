"""The measures of the conformance assessment, one method a measure.

Each ``_tsq_measure_<key>(period)`` returns ``(denominator, numerator)``: two
recordsets of one model, the records judged in the period and those of them that
meet the clause. The line keeps both, so that its figure and its drill-down are the
same records. ``period`` holds the company, the dates (half-open, company time)
and the UTC instants of its bounds."""

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from ...lib.stages import TERMINAL_STAGES
from ..suppliers.res_partner import USABLE_STATUSES

UTC = ZoneInfo("UTC")


TEN_TERMS = (
    "term_parties",
    "term_scope",
    "term_deliverables",
    "term_timeline",
    "term_fees",
    "term_acceptance",
    "term_confidentiality",
    "term_ip",
    "term_liability",
    "term_disputes",
)


@dataclass(frozen=True)
class Period:
    company: object
    date_from: date  # first day
    date_to: date  # first day after the period
    start: datetime  # naive UTC of date_from 00:00 company time
    end: datetime  # naive UTC of date_to 00:00 company time

    @classmethod
    def of(cls, company, date_from, date_to_inclusive):
        zone = ZoneInfo(company._tsq_tz())
        end_day = date_to_inclusive + relativedelta(days=1)

        def utc(day):
            return datetime.combine(day, time.min, zone).astimezone(UTC).replace(tzinfo=None)

        return cls(company, date_from, end_day, utc(date_from), utc(end_day))

    @property
    def last_day(self):
        return self.date_to - relativedelta(days=1)


class TsqConformanceMeasure(models.AbstractModel):
    _name = "tsq.conformance.measure"
    _description = "Conformance Measures"

    # ------------------------------------------------------------ helpers
    @api.model
    def _in_period(self, model, field, period, domain=(), dates=False, until=None):
        """The records of ``model`` (sudo) of the period's company whose ``field``
        falls in the period: between its UTC instants, or its dates if ``dates``;
        ``until`` replaces the period's end. The services: archived ones included."""
        low, high = (period.date_from, period.date_to) if dates else (period.start, period.end)
        Model = self.env[model].sudo()
        if model == "project.project":  # a service is archived with its project
            Model = Model.with_context(active_test=False)
        return Model.search(
            [
                ("company_id", "=", period.company.id),
                (field, ">=", low),
                (field, "<", until or high),
                *domain,
            ]
        )

    @api.model
    def _services(self, period):
        """The services of the period: started before its end, and open during it
        (not ended before it began). Cancelled and declined ones are left out."""
        services = (
            self.env["project.project"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("is_service", "=", True),
                    ("company_id", "=", period.company.id),
                    ("create_date", "<", period.end),
                    ("service_stage", "not in", ("cancelled", "declined")),
                ]
            )
        )
        return services.filtered(
            lambda s: (
                s.service_stage not in TERMINAL_STAGES
                or not s.stage_entered_at
                or s.stage_entered_at >= period.start
            )
        )

    @api.model
    def _passages(self, period, from_stage=None):
        """The forward gate passages of the period (from ``from_stage``, if given)."""
        domain = [("direction", "=", "forward")]
        if from_stage:
            domain.append(("from_stage", "=", from_stage))
        return self._in_period("tsq.gate.passage", "date", period, domain)

    @api.model
    def _staff(self, period):
        return (
            self.env["hr.employee"]
            .sudo()
            .search([("company_id", "=", period.company.id), ("tsq_service_staff", "=", True)])
        )

    @api.model
    def _public(self, den, num):
        """Staff measures are drilled into as the public employee records, which
        every Quality Manager may read (the HR file stays HR's)."""
        Public = self.env["hr.employee.public"]
        return Public.browse(den.ids), Public.browse(num.ids)

    @api.model
    def _engine(self, period, code):
        """The rows of the indicator ``code`` whose due date falls in the period:
        the same facts as the dashboard's figure (denominator, numerator)."""
        indicator = self.env["tsq.indicator"].sudo().search([("code", "=", code)], limit=1)
        if not indicator:
            return self.env["project.project"], self.env["project.project"]
        rows = self.env["tsq.indicator.engine"]._facts(
            period.company, indicator, (period.date_from, period.date_to)
        )
        model = rows[0]["res_model"] if rows else "project.project"
        Model = self.env[model].sudo().with_context(active_test=False)
        den = Model.browse([r["res_id"] for r in rows if r["den"] and r["res_model"] == model])
        num = Model.browse([r["res_id"] for r in rows if r["num"] and r["res_model"] == model])
        return den, num & den

    # ------------------------------------------------------------ R4.1
    @api.model
    def _tsq_measure_procedures(self, period):
        categories = self._services(period).service_category_id
        return categories, categories.filtered("gate_template_ids")

    @api.model
    def _tsq_measure_resources(self, period):
        services = self._services(period)
        return services, services.filtered(lambda s: s.user_id and s.service_team_id)

    @api.model
    def _tsq_measure_traceability(self, period):
        passages = self._passages(period)

        def kept(passage):
            templates = passage.service_id.service_category_id.gate_template_ids
            return bool(passage.item_ids) or not templates.filtered(
                lambda t, st=passage.from_stage: t.stage == st
            )

        return passages, passages.filtered(kept)

    @api.model
    def _tsq_measure_security(self, period):
        data = (
            self.env["ir.model.data"]
            .sudo()
            .search([("module", "=", "tech_service_quality"), ("model", "=", "ir.rule")])
        )
        rules = (
            self.env["ir.rule"].sudo().with_context(active_test=False).browse(data.mapped("res_id"))
        )
        rules = rules.exists()
        return rules, rules.filtered("active")

    @api.model
    def _tsq_measure_review(self, period):
        reviews = self._in_period("mgmtsystem.review", "tsq_date_to", period, dates=True)
        return reviews, reviews.filtered(lambda r: r.state == "done")

    # ------------------------------------------------------------ R4.2
    @api.model
    def _tsq_measure_competence(self, period):
        services = self._services(period).filtered("service_category_id")
        return services, services.filtered(
            lambda s: not s._tsq_staff_problems_between(*s._tsq_staff_period())
        )

    @api.model
    def _tsq_measure_skills(self, period):
        staff = self._staff(period)
        return self._public(staff, staff.filtered("employee_skill_ids"))

    @api.model
    def _tsq_measure_training(self, period):
        staff = self._staff(period)
        attendees = (
            self.env["hr.course.attendee"]
            .sudo()
            .search(
                [
                    ("employee_id", "in", staff.ids),
                    ("result", "=", "passed"),
                    ("course_schedule_id.end_date", ">=", period.date_from),
                    ("course_schedule_id.end_date", "<", period.date_to),
                ]
            )
        )
        return self._public(staff, attendees.employee_id)

    def _undertaking_measure(self, period, kind):
        staff = self._staff(period)
        day = period.last_day
        return self._public(
            staff,
            staff.filtered(
                lambda e: any(u.kind == kind and u._covers(day, day) for u in e.tsq_undertaking_ids)
            ),
        )

    @api.model
    def _tsq_measure_conduct(self, period):
        return self._undertaking_measure(period, "conduct")

    @api.model
    def _tsq_measure_confidentiality(self, period):
        return self._undertaking_measure(period, "confidentiality")

    # ------------------------------------------------------------ R4.3
    @api.model
    def _outsourcings(self, period, field):
        return self._in_period(
            "tsq.outsourcing", field, period, [("state", "!=", "cancelled")], dates=True
        )

    @api.model
    def _status_decisions(self, company, domain, limit=None):
        """The supplier status decisions in ``domain`` that apply to ``company``
        (its own and those of every company), the latest first."""
        return (
            self.env["tsq.supplier.status"]
            .sudo()
            .search(
                [*domain, "|", ("company_id", "=", False), ("company_id", "=", company.id)],
                order="decided_at desc, id desc",
                limit=limit,
            )
        )

    @api.model
    def _status_at(self, partner, company, instant):
        decision = self._status_decisions(
            company,
            [("partner_id", "=", partner.commercial_partner_id.id), ("decided_at", "<=", instant)],
            limit=1,
        )
        return decision.status

    @api.model
    def _tsq_measure_outsourcing(self, period):
        works = self._outsourcings(period, "date_start")
        return works, works.filtered(
            lambda w: (
                self._status_at(w.partner_id, period.company, w.create_date) in USABLE_STATUSES
            )
        )

    @api.model
    def _tsq_measure_outsourcing_control(self, period):
        works = self._outsourcings(period, "date_end")
        return works, works.filtered(lambda w: w.monitor_id and w.accepted_at)

    @api.model
    def _tsq_measure_reevaluation(self, period):
        day = period.last_day
        decisions = self._status_decisions(period.company, [("decided_at", "<", period.end)])
        latest = {}
        for decision in decisions:
            latest.setdefault(decision.partner_id, decision.status)
        Partner = self.env["res.partner"].sudo()
        suppliers = Partner.browse(
            [p.id for p, status in latest.items() if status in USABLE_STATUSES]
        )
        zone = ZoneInfo(period.company._tsq_tz())
        qualified_on = {}
        for decision in decisions.sorted(lambda d: (d.decided_at, d.id)):
            if decision.status in USABLE_STATUSES:
                local = decision.decided_at.replace(tzinfo=UTC).astimezone(zone).date()
                qualified_on.setdefault(decision.partner_id, local)
        evaluations = (
            self.env["tsq.supplier.evaluation"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", suppliers.ids),
                    ("state", "=", "confirmed"),
                    ("date_to", "<=", day),
                ],
                order="date_to desc, id desc",
            )
        )
        last = {}
        for evaluation in evaluations:
            last.setdefault(evaluation.partner_id, evaluation.date_to)

        def on_time(partner):
            """Evaluated within its interval (R4.3.3): the last evaluation's end, or
            the day it was qualified, plus its re-evaluation interval, reaches the
            period's last day."""
            basis = last.get(partner) or qualified_on.get(partner)
            months = partner._tsq_reevaluation_months()
            return bool(basis and basis + relativedelta(months=months) >= day)

        return suppliers, suppliers.filtered(on_time)

    # ------------------------------------------------------------ R5
    @api.model
    def _tsq_measure_feasibility(self, period):
        inquiries = self._in_period(
            "project.project",
            "inquiry_received_at",
            period,
            [("is_service", "=", True), ("service_stage", "not in", ("s1", "cancelled"))],
        )
        return inquiries, inquiries.filtered("feasibility")

    @api.model
    def _tsq_measure_plan(self, period):
        passages = self._passages(period, "s2")
        return passages, passages.filtered(
            lambda p: p.service_id.plan_confirmed_at and p.service_id.plan_confirmed_at <= p.date
        )

    @api.model
    def _tsq_measure_contract(self, period):
        passages = self._passages(period, "s3")
        zone = ZoneInfo(period.company._tsq_tz())

        def signed_before(passage):
            service = passage.service_id
            day = passage.date.replace(tzinfo=UTC).astimezone(zone).date()
            return (
                all(service[term] for term in TEN_TERMS)
                and service.contract_signed_date
                and service.contract_signed_date <= day
            )

        return passages, passages.filtered(signed_before)

    @api.model
    def _tsq_measure_control(self, period):
        passages = self._passages(period, "s4")
        reports = (
            self.env["tsq.progress.report"]
            .sudo()
            .search([("service_id", "in", passages.service_id.ids)])
        )
        reported = reports.service_id
        return passages, passages.filtered(lambda p: p.service_id in reported)

    @api.model
    def _tsq_measure_acceptance(self, period):
        Acceptance = "tsq.acceptance"
        decided = self._in_period(
            Acceptance, "decided_at", period, [("state", "=", "accepted")]
        ) | self._in_period(
            Acceptance, "objection_closed_at", period, [("state", "=", "objection_closed")]
        )
        overdue = self._in_period(
            Acceptance,
            "objection_deadline",
            period,
            [("state", "=", "objection")],
            until=min(period.end, fields.Datetime.now()),
        )

        def met(acceptance):
            if acceptance.state == "accepted":
                return bool(acceptance.signed_by or acceptance.decision_channel)
            return bool(
                acceptance.state == "objection_closed"
                and acceptance.objection_deadline
                and acceptance.objection_closed_at <= acceptance.objection_deadline
            )

        records = decided | overdue
        return records, records.filtered(met)

    @api.model
    def _tsq_measure_return_visit(self, period):
        return self._engine(period, "return_visit")

    # ------------------------------------------------------------ R6
    @api.model
    def _tsq_measure_indicators(self, period):
        Snapshot = self.env["tsq.indicator.snapshot"]
        Engine = self.env["tsq.indicator.engine"]
        indicators = self.env["tsq.indicator"].sudo().search([("active", "=", True)])
        judged = met = self.env["tsq.indicator"]
        for indicator in indicators:
            counts = Engine._count(period.company, indicator, [(period.date_from, period.date_to)])
            numerator, denominator, _prov = counts.get((0, None), (0, 0, 0))
            if not denominator:
                continue
            judged |= indicator
            vals = Snapshot._tsq_figure_vals(
                indicator, period.date_from, period.date_to, numerator, denominator
            )
            if vals.get("status") == "met":
                met |= indicator
        return judged, met

    @api.model
    def _tsq_measure_audits(self, period):
        audits = self._in_period("mgmtsystem.audit", "date", period)
        return audits, audits.filtered(lambda a: a.state == "done")

    @api.model
    def _tsq_measure_feedback(self, period):
        services = self._in_period(
            "project.project", "accepted_at", period, [("is_service", "=", True)]
        )
        feedback = self.env["tsq.feedback"].sudo().search([("service_id", "in", services.ids)])
        return services, feedback.service_id & services

    @api.model
    def _tsq_measure_complaints(self, period):
        return self._engine(period, "complaint_timeliness")

    @api.model
    def _tsq_measure_improvement(self, period):
        closed = self._in_period("mgmtsystem.action", "date_closed", period).filtered(
            lambda a: a._tsq_is_closing(a.stage_id)
        )
        overdue = self._in_period(
            "mgmtsystem.action",
            "date_deadline",
            period,
            [("stage_id.is_ending", "=", False)],
            dates=True,
        )
        actions = closed | overdue
        return actions, closed.filtered(
            lambda a: a.tsq_effective == "effective" and (a.tsq_act_description or "").strip()
        )
