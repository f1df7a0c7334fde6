from odoo import api, fields, models
from odoo.exceptions import UserError

from ...lib.stages import GATE_STAGES


class TsqServiceDeadlineMixin(models.AbstractModel):
    """The deadlines of a service, inherited by ``project.project``: the stage
    deadline, the response deadline at reception and the answer to an objection;
    whether each is late, and whether it is provisional (counted through a year the
    working calendar does not know yet).  Every limit becomes a deadline through
    ``res.company._tsq_limit``."""

    _name = "tsq.service.deadline.mixin"
    _description = "Deadlines of a service"

    def _work_calendars(self):
        """One plain-Python calendar per company of ``self`` (one build each)."""
        return {
            company: company._tsq_work_calendar()
            for company in (self.company_id or self.env.company)
        }

    @api.depends(
        "is_service",
        "service_stage",
        "stage_entered_at",
        "contract_delivery_date",
        "service_category_id.limit_s1_days",
        "service_category_id.limit_s2_days",
        "service_category_id.limit_s3_days",
        "service_category_id.limit_s4_days",
        "service_category_id.limit_s5_days",
        "service_category_id.limit_s6_days",
    )
    def _compute_stage_deadline(self):
        services = self.filtered(
            lambda p: (
                p.is_service
                and p.service_stage in dict(GATE_STAGES)
                and p.stage_entered_at
                and p.service_category_id
            )
        )
        (self - services).stage_deadline = False
        (self - services).stage_deadline_provisional = False
        calendars = services._work_calendars()
        for service in services:
            company = service.company_id or self.env.company
            days = service.service_category_id._stage_limit_days(service.service_stage)
            service.stage_deadline_provisional = False
            if service.service_stage == "s4" and not days:
                # the contract's delivery date: a fixed day, not a count
                service.stage_deadline = service._tsq_date_end(service.contract_delivery_date)
                continue
            deadline, years = company._tsq_limit(
                service.stage_entered_at, days, "working_days", calendars[company]
            )
            service.stage_deadline = deadline
            service.stage_deadline_provisional = bool(years)

    def _tsq_date_end(self, day):
        """24:00 (local) of ``day``, as naive UTC."""
        if not day:
            return False
        return (self.company_id or self.env.company)._tsq_end_of_day(day)

    def _compute_is_stage_late(self):
        now = fields.Datetime.now()
        for service in self:
            service.is_stage_late = bool(
                service.stage_deadline
                and service.service_stage in dict(GATE_STAGES)
                and service.stage_deadline < now
            )

    def _search_is_stage_late(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Operation not supported."))
        domain = [
            ("stage_deadline", "<", fields.Datetime.now()),
            ("service_stage", "in", [code for code, _l in GATE_STAGES]),
        ]
        positive = (operator == "=") == value
        return domain if positive else ["!", "&", *domain]

    @api.depends(
        "inquiry_received_at",
        "service_category_id.response_time",
        "service_category_id.response_unit",
    )
    def _compute_response_deadline(self):
        todo = self.filtered(lambda p: p.inquiry_received_at and p.service_category_id)
        (self - todo).response_deadline = False
        (self - todo).response_deadline_provisional = False
        calendars = todo._work_calendars()
        for service in todo:
            category = service.service_category_id
            company = service.company_id or self.env.company
            deadline, years = company._tsq_limit(
                service.inquiry_received_at,
                category.response_time,
                category.response_unit,
                calendars[company],
            )
            service.response_deadline = deadline
            service.response_deadline_provisional = bool(years)

    @api.depends(
        "stage_deadline",
        "stage_deadline_provisional",
        "stage_entered_at",
        "response_deadline",
        "response_deadline_provisional",
        "inquiry_received_at",
    )
    def _compute_deadline_notes(self):
        cache = {}  # covered years read once per company, not once per service
        for service in self:
            company = service.company_id or self.env.company
            service.stage_deadline_note = service.stage_deadline_provisional and (
                company._tsq_provisional_note(
                    company._tsq_uncovered_between(
                        service.stage_entered_at, service.stage_deadline, cache
                    )
                )
            )
            service.response_deadline_note = service.response_deadline_provisional and (
                company._tsq_provisional_note(
                    company._tsq_uncovered_between(
                        service.inquiry_received_at, service.response_deadline, cache
                    )
                )
            )

    @api.depends("stage_deadline_provisional", "response_deadline_provisional", "first_response_at")
    def _compute_has_provisional_deadline(self):
        for service in self:
            service.has_provisional_deadline = service.stage_deadline_provisional or (
                service.response_deadline_provisional and not service.first_response_at
            )

    def _search_has_provisional_deadline(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Operation not supported."))
        domain = [
            "|",
            ("stage_deadline_provisional", "=", True),
            "&",
            ("response_deadline_provisional", "=", True),
            ("first_response_at", "=", False),
        ]
        return domain if (operator == "=") == value else ["!", *domain]

    def _compute_is_response_late(self):
        now = fields.Datetime.now()
        for service in self:
            deadline = service.response_deadline
            answered = service.first_response_at
            service.is_response_late = bool(deadline and ((answered or now) > deadline))

    @api.depends("open_objection_id.objection_deadline")
    @api.depends_context("lang")
    def _compute_is_objection_late(self):
        now = fields.Datetime.now()
        for service in self:
            deadline = service.open_objection_id.objection_deadline
            late = bool(deadline and deadline < now)
            service.is_objection_late = late
            service.late_warning = late and self.env._(
                "The answer to the client's objection was due %(deadline)s and is overdue.",
                deadline=(service.company_id or self.env.company)._tsq_format_instant(deadline),
            )

    def _search_is_objection_late(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Operation not supported."))
        domain = [
            ("open_objection_id", "!=", False),
            ("open_objection_id.objection_deadline", "<", fields.Datetime.now()),
        ]
        return domain if (operator == "=") == value else ["!", "&", *domain]
