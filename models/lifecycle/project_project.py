from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import is_html_empty

from ..core.res_company import agency_lang, reader_lang
from ..core.tsq_concurrency import TsqConcurrentChange, lock_for_decision
from .tsq_service_category import GATE_STAGES, SERVICE_STAGES, STAGE_ORDER

TERMINAL_STAGES = ("done", "declined", "cancelled")


OPEN_STAGES = ("s1", "s2", "s3", "s4", "s5", "s6")


# The contract terms the standard requires (R5 S3), as (field, label).
CONTRACT_TERMS = [
    ("term_parties", "Parties"),
    ("term_scope", "Scope of service"),
    ("term_deliverables", "Deliverables"),
    ("term_timeline", "Timeline"),
    ("term_fees", "Fees and payment"),
    ("term_acceptance", "Acceptance criteria"),
    ("term_confidentiality", "Confidentiality"),
    ("term_ip", "Intellectual property"),
    ("term_liability", "Liability for breach"),
    ("term_disputes", "Dispute resolution"),
]


# Fields that belong to a stage: once the stage's gate is passed they are part of
# the record of that stage and cannot change until the service is moved back.
STAGE_FIELDS = {
    "s1": [
        "inquiry_received_at",
        "inquiry_channel",
        "inquiry_summary",
        "first_response_at",
        "first_response_note",
        "needs_analysis",
        "feasibility",
        "feasibility_reason",
        "feasibility_user_id",
    ],
    "s2": [
        "plan_objectives",
        "plan_scope",
        "plan_content",
        "plan_deliverables",
        "plan_fee",
        "plan_risks",
    ],
    "s3": [
        "contract_ref",
        "contract_signed_date",
        "contract_delivery_date",
        "contract_attachment_ids",
    ]
    + [name for name, _label in CONTRACT_TERMS],
}


# Changes that make the staff of a service be checked again (R4.2).
STAFF_FIELDS = {"user_id", "service_member_ids", "service_category_id", "contract_delivery_date"}


class ProjectProject(models.Model):
    _name = "project.project"
    _inherit = ["project.project", "tsq.record.mixin"]
    _tsq_guard_in_orm = False  # write() records stage times itself: checked there

    is_service = fields.Boolean(
        string="Is a Service",
        index=True,
        copy=False,
        help="A technology service run by the six-stage lifecycle of the standard.",
    )
    service_category_id = fields.Many2one("tsq.service.category", index=True, tracking=True)
    service_stage = fields.Selection(
        SERVICE_STAGES,
        default="s1",
        index=True,
        tracking=True,
        copy=False,
        group_expand="_group_expand_service_stage",
    )
    service_team_id = fields.Many2one("helpdesk.ticket.team", tracking=True, index=True)
    service_member_ids = fields.Many2many(
        "res.users",
        "tsq_project_member_rel",
        "project_id",
        "user_id",
        string="Service Staff",
        domain=[("share", "=", False)],
    )
    stage_entered_at = fields.Datetime(copy=False, readonly=True)
    stage_deadline = fields.Datetime(compute="_compute_stage_deadline", store=True, copy=False)
    stage_deadline_provisional = fields.Boolean(
        compute="_compute_stage_deadline",
        store=True,
        copy=False,
        help="The stage deadline was counted through a year whose official holidays are "
        "not in the working calendar yet (weekdays only); it is recomputed when the "
        "year is loaded.",
    )
    stage_deadline_note = fields.Char(compute="_compute_deadline_notes")
    is_stage_late = fields.Boolean(compute="_compute_is_stage_late", search="_search_is_stage_late")
    gate_item_ids = fields.One2many(
        "tsq.gate.item",
        "service_id",
        string="Gate Items",
        domain=[("superseded", "=", False)],
        help="The checklist in force; items of a stage the service was moved back to "
        "are kept as history on their gate records.",
    )
    current_gate_item_ids = fields.One2many(
        "tsq.gate.item",
        compute="_compute_current_gate_item_ids",
        string="Current Gate Checklist",
    )
    gate_passage_ids = fields.One2many("tsq.gate.passage", "service_id", string="Gate Passages")
    gate_missing = fields.Text(compute="_compute_gate_missing", string="Missing for the Gate")

    # S1 reception and needs
    inquiry_received_at = fields.Datetime("Inquiry Received", copy=False)
    inquiry_channel = fields.Selection(
        [
            ("phone", "Phone"),
            ("email", "E-mail"),
            ("visit", "Visit"),
            ("portal", "Portal"),
            ("referral", "Referral"),
            ("other", "Other"),
        ],
        copy=False,
    )
    inquiry_summary = fields.Text("Inquiry", copy=False)
    response_deadline = fields.Datetime(
        compute="_compute_response_deadline", store=True, copy=False
    )
    response_deadline_provisional = fields.Boolean(
        compute="_compute_response_deadline",
        store=True,
        copy=False,
        help="Counted through a year whose official holidays are not in the working "
        "calendar yet; recomputed when the year is loaded.",
    )
    response_deadline_note = fields.Char(compute="_compute_deadline_notes")
    has_provisional_deadline = fields.Boolean(
        string="Provisional Deadline",
        compute="_compute_has_provisional_deadline",
        search="_search_has_provisional_deadline",
    )
    first_response_at = fields.Datetime("First Response", copy=False)
    first_response_note = fields.Text(copy=False)
    is_response_late = fields.Boolean(compute="_compute_is_response_late")
    needs_analysis = fields.Html(copy=False)
    feasibility = fields.Selection(
        [("accept", "Accept"), ("decline", "Decline")],
        string="Feasibility Decision",
        copy=False,
        tracking=True,
    )
    feasibility_reason = fields.Text(copy=False)
    feasibility_user_id = fields.Many2one("res.users", string="Assessed by", copy=False)

    # S2 plan
    plan_objectives = fields.Text(copy=False)
    plan_scope = fields.Text(copy=False)
    plan_content = fields.Html(copy=False)
    plan_deliverables = fields.Text(copy=False)
    plan_fee = fields.Monetary(currency_field="currency_id", copy=False)
    plan_risks = fields.Text(copy=False)
    service_milestone_ids = fields.One2many(
        "tsq.milestone", "service_id", string="Service Milestones"
    )
    late_milestone_count = fields.Integer(compute="_compute_late_milestone_count")
    plan_confirmed_at = fields.Datetime(copy=False, readonly=True, tracking=True)
    plan_confirmed_by = fields.Char(copy=False, readonly=True)
    plan_confirm_channel = fields.Selection(
        [("portal", "Client portal"), ("recorded", "Recorded by staff")],
        copy=False,
        readonly=True,
    )
    plan_confirm_attachment_ids = fields.Many2many(
        "ir.attachment",
        "tsq_project_plan_confirm_attachment_rel",
        string="Plan Confirmation Evidence",
        copy=False,
    )

    # S3 contract
    contract_ref = fields.Char("Contract Number", copy=False)
    contract_signed_date = fields.Date(copy=False, tracking=True)
    contract_delivery_date = fields.Date(
        copy=False,
        tracking=True,
        help="Delivery date agreed in the contract (on-time delivery indicator).",
    )
    contract_attachment_ids = fields.Many2many(
        "ir.attachment",
        "tsq_project_contract_attachment_rel",
        string="Signed Contract",
        copy=False,
    )
    term_parties = fields.Boolean("Parties", copy=False)
    term_scope = fields.Boolean("Scope of service", copy=False)
    term_deliverables = fields.Boolean("Deliverables", copy=False)
    term_timeline = fields.Boolean("Timeline", copy=False)
    term_fees = fields.Boolean("Fees and payment", copy=False)
    term_acceptance = fields.Boolean("Acceptance criteria", copy=False)
    term_confidentiality = fields.Boolean("Confidentiality", copy=False)
    term_ip = fields.Boolean("Intellectual property", copy=False)
    term_liability = fields.Boolean("Liability for breach", copy=False)
    term_disputes = fields.Boolean("Dispute resolution", copy=False)

    # S4 implementation
    change_request_ids = fields.One2many("tsq.change.request", "service_id")
    progress_report_ids = fields.One2many("tsq.progress.report", "service_id")

    # S5 delivery and acceptance
    deliverable_ids = fields.One2many("tsq.deliverable", "service_id")
    acceptance_ids = fields.One2many("tsq.acceptance", "service_id")
    first_submission_at = fields.Datetime(compute="_compute_acceptance_facts", store=True)
    accepted_at = fields.Datetime(compute="_compute_acceptance_facts", store=True)
    delivered_at = fields.Datetime(
        compute="_compute_acceptance_facts",
        store=True,
        help="When the deliverables were handed over with the accepted submission.",
    )
    open_objection_id = fields.Many2one(
        "tsq.acceptance",
        compute="_compute_acceptance_facts",
        store=True,
        help="The client's objection the agency is handling now.",
    )
    objection_deadline = fields.Datetime(
        related="open_objection_id.objection_deadline", string="Objection Answer Due"
    )
    is_objection_late = fields.Boolean(
        string="Objection Overdue",
        compute="_compute_is_objection_late",
        search="_search_is_objection_late",
        help="An objection of the client is open past the limit for answering it.",
    )
    late_warning = fields.Char(compute="_compute_is_objection_late")
    acceptance_state = fields.Selection(
        [
            ("none", "Not submitted"),
            ("submitted", "Awaiting client"),
            ("objection", "Objection open"),
            ("accepted", "Accepted"),
        ],
        compute="_compute_acceptance_facts",
        store=True,
    )

    # S6 after-sales
    return_visit_ids = fields.One2many("tsq.return.visit", "service_id")
    aftersales_ticket_ids = fields.One2many("helpdesk.ticket", "service_id")

    close_reason = fields.Text(copy=False, readonly=True)

    def _tsq_system_fields(self):
        return super()._tsq_system_fields() | {
            "stage_entered_at",
            "close_reason",
            "plan_confirmed_at",
            "plan_confirmed_by",
            "plan_confirm_channel",
        }

    # ------------------------------------------------------------------ computes
    @api.model
    def _group_expand_service_stage(self, values, domain):
        return [code for code, _label in SERVICE_STAGES[:7]]

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for project in self.filtered("is_service"):
            project.access_url = f"/my/services/{project.id}"
        return res

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

    @api.depends("is_service", "service_stage", "gate_item_ids.stage")
    def _compute_current_gate_item_ids(self):
        for service in self:
            service.current_gate_item_ids = service.gate_item_ids.filtered(
                lambda i, s=service: i.stage == s.service_stage
            )

    def _compute_gate_missing(self):
        for service in self:
            missing = (
                service._tsq_gate_missing(service.service_stage)
                if service.is_service and service.service_stage in dict(GATE_STAGES)
                else []
            )
            service.gate_missing = "\n".join(f"• {m}" for m in missing) or False

    @api.depends("service_milestone_ids.is_late")
    def _compute_late_milestone_count(self):
        for service in self:
            service.late_milestone_count = len(service.service_milestone_ids.filtered("is_late"))

    @api.depends(
        "acceptance_ids.state",
        "acceptance_ids.submitted_at",
        "acceptance_ids.decided_at",
    )
    def _compute_acceptance_facts(self):
        for service in self:
            acceptances = service.acceptance_ids.sorted("sequence")
            accepted = acceptances.filtered(lambda a: a.state == "accepted")[-1:]
            last = acceptances[-1:]
            service.first_submission_at = acceptances[:1].submitted_at
            service.accepted_at = accepted.decided_at
            service.delivered_at = accepted.submitted_at
            service.open_objection_id = last if last.state == "objection" else False
            if accepted:
                service.acceptance_state = "accepted"
            elif last.state == "objection":
                service.acceptance_state = "objection"
            elif last:
                service.acceptance_state = "submitted"
            else:
                service.acceptance_state = "none"

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

    # ------------------------------------------------------------- constraints
    @api.constrains("is_service", "partner_id", "service_category_id", "user_id")
    def _check_service_fields(self):
        for service in self.filtered("is_service"):
            missing = []
            if not service.partner_id:
                missing.append(self.env._("a client"))
            if not service.service_category_id:
                missing.append(self.env._("a service category"))
            if not service.user_id:
                missing.append(self.env._("a responsible"))
            if missing:
                raise ValidationError(
                    self.env._(
                        "The service “%(name)s” needs %(missing)s.",
                        name=service.name,
                        missing=", ".join(missing),
                    )
                )
            if not service.partner_id.commercial_partner_id.is_company:
                raise ValidationError(
                    self.env._(
                        "The client of a service must be a company (or a contact of "
                        "one): %(partner)s is not.",
                        partner=service.partner_id.display_name,
                    )
                )

    @api.constrains("inquiry_received_at", "first_response_at")
    def _check_response_time(self):
        now = fields.Datetime.now()
        for service in self:
            if service.first_response_at and service.first_response_at > now:
                raise ValidationError(self.env._("The first response cannot be in the future."))
            if (
                service.first_response_at
                and service.inquiry_received_at
                and service.first_response_at < service.inquiry_received_at
            ):
                raise ValidationError(
                    self.env._("The first response cannot be earlier than the inquiry.")
                )

    # ------------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._tsq_check_system_fields(vals)
            if vals.get("is_service"):
                stage = vals.get("service_stage", "s1")
                if stage != "s1":
                    raise UserError(
                        self.env._(
                            "A service starts at reception (S1); later stages are "
                            "reached only through their gates."
                        )
                    )
                vals.setdefault("privacy_visibility", "followers")
                vals.setdefault("stage_entered_at", fields.Datetime.now())
                vals.setdefault("inquiry_received_at", vals.get("stage_entered_at"))
                if not vals.get("company_id"):
                    vals["company_id"] = self.env.company.id
        projects = super().create(vals_list)
        services = projects.filtered("is_service")
        if services and not (
            self.env.su or self.env.user.has_group("tech_service_quality.group_tsq_user")
        ):
            raise AccessError(self.env._("Only service staff can create services."))
        # the person who registers the inquiry keeps access to it
        services.sudo()._tsq_subscribe_staff(extra_partners=self.env.user.partner_id)
        services._tsq_sync_gate_items()
        services._tsq_check_staff()
        services._tsq_schedule_stage_activity()
        return projects

    def write(self, vals):
        self._tsq_check_system_fields(vals)
        self._tsq_check_project_write(vals)
        services = self.filtered("is_service")
        if services:
            self._tsq_check_locked_fields(vals)
            if "privacy_visibility" in vals and vals["privacy_visibility"] != "followers":
                raise UserError(
                    self.env._(
                        "A service is visible only to its staff and its client; "
                        "its visibility cannot be widened."
                    )
                )
        moves = {}
        if "service_stage" in vals:
            # one stage change at a time: a second, concurrent change of the same
            # service is refused; the stages compared below are the committed ones
            lock_for_decision(self)
            reason = self.env.context.get("tsq_stage_reason")
            for service in self:
                if service.service_stage != vals["service_stage"]:
                    moves[service] = service._tsq_prepare_stage_change(
                        vals["service_stage"], reason
                    )
        res = super().write(vals)
        if moves:
            # when the new stage starts, and why a service ended, are part of the
            # move: the system records them, for the services that moved only
            moved = self.browse([service.id for service in moves])
            stamp = {"stage_entered_at": fields.Datetime.now()}
            if vals["service_stage"] in TERMINAL_STAGES:
                stamp["close_reason"] = next(iter(moves.values()))["reason"] or False
            moved.sudo().write(stamp)
        if {"user_id", "service_member_ids"} & set(vals):
            services.sudo()._tsq_subscribe_staff()
        if "service_category_id" in vals:
            services._tsq_sync_gate_items()
        if STAFF_FIELDS & set(vals):
            services._tsq_check_staff()
        for service, move in moves.items():
            service._tsq_after_stage_change(move)
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_service_with_records(self):
        if self.filtered(lambda p: p.is_service and (p.gate_passage_ids or p.acceptance_ids)):
            raise UserError(
                self.env._(
                    "A service that has passed a gate keeps all its records: cancel "
                    "it instead of deleting it."
                )
            )

    def _tsq_check_project_write(self, vals):
        """This module lets service staff write services; ordinary projects stay
        with the project administrators, as in Odoo's own rights."""
        if (
            self.env.su
            or set(vals) <= {"is_favorite"}
            or self.env.user.has_group("project.group_project_manager")
            or not self.env.user.has_group("tech_service_quality.group_tsq_user")
        ):
            return
        if self.filtered(lambda p: not p.is_service) or (
            "is_service" in vals and not vals["is_service"]
        ):
            raise AccessError(
                self.env._("Only project administrators can modify projects that are not services.")
            )

    def _tsq_check_locked_fields(self, vals):
        for stage, names in STAGE_FIELDS.items():
            touched = set(names) & set(vals)
            if touched:
                self._tsq_check_stage_open(
                    stage, [self._fields[name]._description_string(self.env) for name in touched]
                )

    def _tsq_check_stage_open(self, stage, labels):
        """Refuse to change ``labels`` (what belongs to ``stage``) on a service
        whose gate of ``stage`` has been passed: they are part of its record."""
        closed = self.filtered(lambda p: p.is_service and p._tsq_stage_passed(stage))
        if closed:
            raise UserError(
                self.env._(
                    "%(fields)s of “%(service)s” belong to stage %(stage)s, whose "
                    "gate has been passed. Move the service back to that stage "
                    "(with a reason) to change them.",
                    fields=", ".join(sorted(labels)),
                    service=closed[0].name,
                    stage=self._stage_label(stage),
                )
            )

    def _tsq_stage_passed(self, stage):
        self.ensure_one()
        if self.service_stage in ("declined", "cancelled"):
            return True
        return STAGE_ORDER.index(self.service_stage) > STAGE_ORDER.index(stage)

    def _tsq_subscribe_staff(self, extra_partners=None):
        """Subscribe each service's responsible and staff (and the person who
        registered it): one call per set of followers, for bulk creations."""
        extra = self.env["res.partner"]
        if extra_partners and not self.env.user._is_superuser():
            extra = extra_partners.filtered(lambda p: p.user_ids and not p.user_ids[0].share)
        groups = defaultdict(lambda: self.browse())
        for service in self:
            partners = (service.user_id | service.service_member_ids).partner_id | extra
            groups[tuple(sorted(partners.ids))] |= service
        for partner_ids, services in groups.items():
            services.message_subscribe(partner_ids=list(partner_ids))

    def _tsq_sync_gate_items(self):
        """Create the checklist items of every stage from the category's
        templates; items of a passed gate stay as they were."""
        Item = self.env["tsq.gate.item"].sudo()
        to_create = []
        for service in self:
            templates = service.service_category_id.gate_template_ids
            existing = service.gate_item_ids
            # unlocked items of another category's templates go away
            stale = existing.filtered(
                lambda i, t=templates: not i.locked and i.template_id and i.template_id not in t
            )
            stale.sudo().unlink()
            have = (existing - stale).template_id
            for tmpl in templates - have:
                to_create.append(
                    {
                        "service_id": service.id,
                        "template_id": tmpl.id,
                        "stage": tmpl.stage,
                        "sequence": tmpl.sequence,
                        "name": tmpl.name,
                        "description": tmpl.description,
                        "kind": tmpl.kind,
                        "required": tmpl.required,
                        "evidence_required": tmpl.evidence_required,
                        "approver_group_id": tmpl.approver_group_id.id,
                        "segregation": tmpl.segregation,
                        "responsible_id": service.user_id.id,
                    }
                )
        Item.create(to_create)

    # ------------------------------------------------------------------ gates
    def _stage_label(self, stage):
        return dict(self._fields["service_stage"]._description_selection(self.env))[stage]

    # ------------------------------------------------------ staff competence
    def _tsq_staff_period(self):
        """The dates the staff must be qualified for: from today to the contract's
        delivery date (or today when there is none yet)."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        end = self.contract_delivery_date or today
        return today, max(today, end)

    def _tsq_staff_problems(self):
        """``{user: [problem, ...]}`` for the staff of this service (responsible and
        members) who lack what its category requires on the service's dates."""
        self.ensure_one()
        category = self.service_category_id
        if not category or self.service_stage not in OPEN_STAGES:
            return {}
        date_from, date_to = self._tsq_staff_period()
        result = {}
        for user in (self.user_id | self.service_member_ids).sudo():
            employee = (
                user.employee_ids.filtered(lambda e, c=self.company_id: e.company_id == c)[:1]
                or user.employee_ids[:1]
            )
            if not employee:
                needs = (
                    category.required_qualification_type_ids
                    or category.require_confidentiality
                    or category.require_conduct
                )
                if needs:
                    result[user] = [self.env._("has no employee record")]
                continue
            problems = employee._tsq_staff_problems(category, date_from, date_to)
            if problems:
                result[user] = problems
        return result

    def _tsq_format_staff_problems(self, problems):
        return "\n".join(
            self.env._("%(person)s: %(problems)s", person=user.name, problems="; ".join(items))
            for user, items in problems.items()
        )

    def _tsq_check_staff(self):
        """Refuse staff who lack the category's qualifications or undertakings, or,
        where the category says so, record each of them as a gate item that a
        Service Manager must approve (R4.2)."""
        Item = self.env["tsq.gate.item"].sudo()
        for service in self:
            problems = service._tsq_staff_problems()
            if not problems:
                continue
            if service.service_category_id.staff_check == "block":
                raise ValidationError(
                    self.env._(
                        "%(service)s: these people cannot be assigned to a service of "
                        "%(category)s:\n%(problems)s",
                        service=service.name,
                        category=service.service_category_id.name,
                        problems=service._tsq_format_staff_problems(problems),
                    )
                )
            stage = service.service_stage
            existing = service.gate_item_ids.filtered(
                lambda i, st=stage: i.stage == st and i.tsq_staff_user_id and not i.superseded
            )
            for user, items in problems.items():
                if user in existing.tsq_staff_user_id:
                    continue
                Item.create(
                    {
                        "service_id": service.id,
                        "stage": stage,
                        "sequence": 95,
                        "name": self.env._(
                            "Staff exception approved: %(person)s (%(problems)s)",
                            person=user.name,
                            problems="; ".join(items),
                        ),
                        "kind": "approval",
                        "required": True,
                        "approver_group_id": self.env.ref(
                            "tech_service_quality.group_tsq_manager"
                        ).id,
                        "segregation": True,
                        "responsible_id": service.user_id.id,
                        "tsq_staff_user_id": user.id,
                    }
                )
                shared = agency_lang(service, service.company_id)
                shared.message_post(
                    body=shared.env._(
                        "%(person)s lacks what %(category)s requires (%(problems)s): "
                        "recorded on the gate checklist for a manager's approval.",
                        person=user.name,
                        category=shared.service_category_id.name,
                        problems="; ".join(items),
                    ),
                    subtype_xmlid="mail.mt_note",
                )

    def action_tsq_check_staff(self):
        """Check the staff again (qualifications may have expired since assignment)."""
        self.check_access("write")
        self._tsq_check_staff()
        return True

    def _tsq_missing_staff(self, stage):
        """At the gate: staff who lack, at the moment of passage, what the category
        requires, unless a manager approved an exception for them in this stage."""
        problems = self._tsq_staff_problems()
        if not problems:
            return []
        approved = self.gate_item_ids.filtered(
            lambda i: i.stage == stage and i.tsq_staff_user_id and i.done_at and not i.superseded
        ).tsq_staff_user_id
        return [
            self.env._(
                "Staff: %(person)s %(problems)s", person=user.name, problems="; ".join(items)
            )
            for user, items in problems.items()
            if user not in approved
        ]

    def _tsq_gate_missing(self, stage):
        """Everything that stops the service from leaving ``stage``, translated."""
        self.ensure_one()
        missing = getattr(self, f"_tsq_missing_{stage}")()
        missing += self._tsq_missing_staff(stage)
        items = self.gate_item_ids.filtered(lambda i: i.stage == stage)
        for item in items:
            problem = item._gate_problem()
            if problem:
                missing.append(problem)
        return missing

    def _tsq_missing_s1(self):
        missing = []
        if not self.inquiry_received_at:
            missing.append(self.env._("The inquiry's received time"))
        if not self.first_response_at:
            missing.append(self.env._("The first response to the client"))
        if is_html_empty(self.needs_analysis):
            missing.append(self.env._("The needs analysis"))
        if self.feasibility != "accept":
            missing.append(
                self.env._(
                    "A feasibility assessment that accepts the service (a declined "
                    "inquiry is closed with “Decline”)"
                )
            )
        elif not self.feasibility_user_id or not self.feasibility_reason:
            missing.append(
                self.env._("The assessor and the reasoning of the feasibility assessment")
            )
        return missing

    def _tsq_missing_s2(self, with_confirmation=True):
        labels = [
            ("plan_objectives", self.env._("Plan: objectives")),
            ("plan_scope", self.env._("Plan: scope")),
            ("plan_content", self.env._("Plan: service content")),
            ("plan_deliverables", self.env._("Plan: deliverables")),
            ("plan_risks", self.env._("Plan: risks")),
        ]
        missing = []
        for name, label in labels:
            value = self[name]
            if not value or (name == "plan_content" and is_html_empty(value)):
                missing.append(label)
        if not self.service_milestone_ids:
            missing.append(self.env._("Plan: at least one milestone"))
        if not (self.service_member_ids or self.user_id):
            missing.append(self.env._("Plan: staff"))
        if not self.plan_fee:
            missing.append(self.env._("Plan: fees"))
        if with_confirmation and not self.plan_confirmed_at:
            missing.append(self.env._("The client's confirmation of the plan"))
        return missing

    def _tsq_missing_s3(self):
        missing = [
            self.env._(
                "Contract term: %(term)s",
                term=self._fields[name].get_description(self.env)["string"],
            )
            for name, _label in CONTRACT_TERMS
            if not self[name]
        ]
        if not self.contract_signed_date:
            missing.append(self.env._("The contract's signing date"))
        if not self.contract_attachment_ids:
            missing.append(self.env._("The signed contract document"))
        if not self.contract_delivery_date:
            missing.append(self.env._("The contract delivery date"))
        signed = self.contract_signed_date
        if signed:
            # the contract is signed before work starts (S4): not a date to come
            company = self.company_id or self.env.company
            today = fields.Date.context_today(self.with_context(tz=company._tsq_tz()))
            if signed > today:
                missing.append(
                    self.env._(
                        "The contract's signing date %(date)s is in the future: work "
                        "starts only once it is signed",
                        date=company._tsq_format_date(signed),
                    )
                )
            if self.contract_delivery_date and self.contract_delivery_date < signed:
                missing.append(
                    self.env._(
                        "The contract delivery date %(delivery)s is before the contract's "
                        "signing date %(signed)s",
                        delivery=company._tsq_format_date(self.contract_delivery_date),
                        signed=company._tsq_format_date(signed),
                    )
                )
        return missing

    def _tsq_missing_s4(self):
        missing = []
        open_milestones = self.service_milestone_ids.filtered(lambda m: not m.done_date)
        for milestone in open_milestones:
            missing.append(self.env._("Milestone not reached: %(name)s", name=milestone.name))
        for change in self.change_request_ids.filtered(lambda c: not c._is_settled()):
            missing.append(
                self.env._(
                    "Change request not settled (approval and client consent): %(name)s",
                    name=change.name,
                )
            )
        if not self.progress_report_ids.filtered("sent_at"):
            missing.append(self.env._("At least one progress report sent to the client"))
        return missing

    def _tsq_missing_s5(self):
        missing = []
        if not self.deliverable_ids:
            missing.append(self.env._("The deliverables"))
        for deliverable in self.deliverable_ids.filtered(lambda d: not d.handed_over_at):
            missing.append(
                self.env._("Deliverable not handed over: %(name)s", name=deliverable.name)
            )
        if self.acceptance_state != "accepted":
            missing.append(self.env._("The client's signed acceptance"))
        return missing

    def _tsq_missing_s6(self):
        missing = []
        visits = self.return_visit_ids
        if not visits.filtered("done_at"):
            missing.append(self.env._("A return visit with the client's satisfaction score"))
        # every request about the service counts, whether or not the person passing
        # the gate is on the team that handles it (record rules would hide it)
        open_requests = self.sudo().aftersales_ticket_ids.filtered(lambda t: not t.closed)
        for ticket in open_requests:
            missing.append(
                self.env._("After-sales request still open: %(name)s", name=ticket.display_name)
            )
        return missing

    def _tsq_check_gate(self, stage):
        self.ensure_one()
        missing = self._tsq_gate_missing(stage)
        if missing:
            raise ValidationError(
                self.env._(
                    "“%(service)s” cannot leave %(stage)s. Missing:\n%(items)s",
                    service=self.name,
                    stage=self._stage_label(stage),
                    items="\n".join(f"• {m}" for m in missing),
                )
            )

    def _tsq_prepare_stage_change(self, new_stage, reason=None):
        """Validate a stage change of one service, run the gate and record the
        passage. Called by write(), the only way a service changes stage."""
        self.ensure_one()
        old = self.service_stage
        if not self.is_service:
            raise UserError(self.env._("“%(name)s” is not a service.", name=self.name))
        if new_stage not in dict(SERVICE_STAGES):
            raise UserError(self.env._("Unknown stage."))
        if old in ("declined", "cancelled"):
            raise UserError(
                self.env._(
                    "“%(name)s” is %(stage)s; its records are kept and it cannot move.",
                    name=self.name,
                    stage=self._stage_label(old),
                )
            )
        reason = (reason or "").strip()
        if new_stage == "cancelled":
            direction = "cancel"
            if not reason:
                raise UserError(
                    self.env._("Give the reason for cancelling “%(name)s”.", name=self.name)
                )
        elif new_stage == "declined":
            direction = "decline"
            if old != "s1" or self.feasibility != "decline":
                raise UserError(
                    self.env._(
                        "Only an inquiry assessed as not feasible (S1, decision "
                        "“Decline”) can be declined."
                    )
                )
            reason = reason or (self.feasibility_reason or "").strip()
            if not reason:
                raise UserError(self.env._("Give the reason for declining the inquiry."))
        elif STAGE_ORDER.index(new_stage) > STAGE_ORDER.index(old):
            direction = "forward"
            if STAGE_ORDER.index(new_stage) != STAGE_ORDER.index(old) + 1:
                raise UserError(
                    self.env._(
                        "A service moves forward one stage at a time: %(stage)s is next.",
                        stage=self._stage_label(STAGE_ORDER[STAGE_ORDER.index(old) + 1]),
                    )
                )
            self._tsq_check_gate(old)
        else:
            direction = "back"
            if not reason:
                raise UserError(
                    self.env._(
                        "Moving “%(name)s” back to %(stage)s needs a reason.",
                        name=self.name,
                        stage=self._stage_label(new_stage),
                    )
                )
        items = self.gate_item_ids.filtered(lambda i: i.stage == old)
        forward = direction == "forward"
        if direction == "back":
            self._tsq_reopen_stages(new_stage, old)
        self.env["tsq.gate.passage"].sudo().create(
            {
                "service_id": self.id,
                "from_stage": old,
                "to_stage": new_stage,
                "direction": direction,
                "reason": reason or False,
                "item_ids": [(6, 0, items.ids)] if forward else [],
                "summary": self._tsq_passage_summary(items) if forward else False,
                "attachment_ids": [(6, 0, items.attachment_ids.ids)] if forward else [],
            }
        )
        if forward:
            items.filtered(lambda i: not i.locked)._lock()
        return {"old": old, "new": new_stage, "reason": reason}

    def _tsq_reopen_stages(self, target, current):
        """Moving back reopens the stages from ``target`` up to ``current``: their
        recorded checklists stay as history (on the gate records) and a fresh
        checklist is created, so passing again needs the work and the approvals
        anew."""
        reopened = STAGE_ORDER[STAGE_ORDER.index(target) : STAGE_ORDER.index(current)]
        recorded = self.gate_item_ids.filtered(lambda i: i.stage in reopened and i.locked)
        recorded.sudo().write({"superseded": True})
        self.invalidate_recordset(["gate_item_ids"])
        self._tsq_sync_gate_items()

    def _tsq_after_stage_change(self, move):
        """Start the new stage: its activity, and a note in the chatter."""
        self.ensure_one()
        shared = agency_lang(self, self.company_id)
        shared.activity_feedback(
            ["tech_service_quality.mail_activity_type_stage_gate"],
            feedback=shared.env._("Stage left: %(stage)s", stage=shared._stage_label(move["old"])),
        )
        self._tsq_schedule_stage_activity()
        shared.message_post(
            body=Markup("%s<br/>%s")
            % (
                shared.env._(
                    "%(old)s → %(new)s",
                    old=shared._stage_label(move["old"]),
                    new=shared._stage_label(move["new"]),
                ),
                move["reason"] or "",
            ),
            subtype_xmlid="mail.mt_note",
        )

    def _tsq_passage_summary(self, items):
        rows = Markup("").join(
            Markup("<li>%s — %s %s%s</li>")
            % (
                item.label,
                item.done_by_id.name or self.env._("not done"),
                fields.Datetime.to_string(item.done_at) if item.done_at else "",
                Markup(" (%s)") % item.evidence_note if item.evidence_note else "",
            )
            for item in items
        )
        return Markup("<ul>%s</ul>") % rows if rows else False

    def _tsq_schedule_stage_activity(self):
        """One activity per service for its responsible, due at the stage
        deadline; scheduled in one call per (stage, responsible, due date)."""
        groups = defaultdict(lambda: self.browse())
        for service in self.filtered(lambda p: p.service_stage in dict(GATE_STAGES) and p.user_id):
            deadline = service.stage_deadline
            company = service.company_id or self.env.company
            due = (
                company._tsq_due_date(deadline) if deadline else fields.Date.context_today(service)
            )
            groups[service.service_stage, service.user_id, due] |= service
        for (stage, user, due), services in groups.items():
            mine = reader_lang(services, user)
            mine.activity_schedule(
                "tech_service_quality.mail_activity_type_stage_gate",
                date_deadline=due,
                summary=mine.env._(
                    "Complete the gate of %(stage)s", stage=mine._stage_label(stage)
                ),
                user_id=user.id,
            )

    # ---------------------------------------------------------------- actions
    def _tsq_next_stage(self):
        self.ensure_one()
        return STAGE_ORDER[STAGE_ORDER.index(self.service_stage) + 1]

    def action_pass_gate(self):
        """Pass the gate of the current stage. The form sends the stage it shows
        (``tsq_expected_stage``): if the service moved meanwhile (another user
        passed the gate a moment ago), nothing is passed twice."""
        expected = self.env.context.get("tsq_expected_stage")
        lock_for_decision(self)
        for service in self:
            if expected and service.service_stage != expected:
                raise TsqConcurrentChange(
                    self.env._(
                        "“%(name)s” is now at %(stage)s: someone else moved it a moment "
                        "ago. Reload the page and try again.",
                        name=service.name,
                        stage=service._stage_label(service.service_stage),
                    )
                )
            if service.service_stage not in dict(GATE_STAGES):
                raise UserError(self.env._("“%(name)s” has no gate to pass.", name=service.name))
            service.write({"service_stage": service._tsq_next_stage()})
        return True

    def action_record_first_response(self):
        for service in self:
            if not service.first_response_at:
                service.first_response_at = fields.Datetime.now()
        return True

    def action_decline(self):
        for service in self:
            service.write({"service_stage": "declined"})
        return True

    def action_open_stage_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "tsq.stage.move.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_service_id": self.id,
                "default_mode": self.env.context.get("tsq_wizard_mode", "back"),
            },
        }

    def action_record_plan_confirmation(self):
        """Staff record a confirmation the client gave outside the portal; the
        evidence (signed plan, e-mail) must be attached first."""
        for service in self:
            service._tsq_check_plan_confirmable()
            if not service.plan_confirm_attachment_ids:
                raise UserError(
                    self.env._(
                        "Attach the client's confirmation (signed plan, e-mail) as "
                        "evidence before recording it."
                    )
                )
            service._tsq_confirm_plan(self.env.user.name, "recorded")
        return True

    def _tsq_check_plan_confirmable(self):
        self.ensure_one()
        if self.service_stage != "s2":
            raise UserError(self.env._("The plan can be confirmed only during S2."))
        if self.plan_confirmed_at:
            raise UserError(self.env._("The plan is already confirmed."))
        incomplete = self._tsq_missing_s2(with_confirmation=False)
        if incomplete:
            raise UserError(
                self.env._(
                    "The plan is not complete yet:\n%(items)s",
                    items="\n".join(f"• {m}" for m in incomplete),
                )
            )

    def _tsq_confirm_plan(self, name, channel):
        self.ensure_one()
        lock_for_decision(self)
        if self.plan_confirmed_at:
            raise UserError(self.env._("The plan is already confirmed."))
        self.sudo().write(
            {
                "plan_confirmed_at": fields.Datetime.now(),
                "plan_confirmed_by": name,
                "plan_confirm_channel": channel,
            }
        )
        shared = agency_lang(self, self.company_id)
        shared.message_post(
            body=shared.env._(
                "Service plan confirmed by %(name)s (%(channel)s).",
                name=name,
                channel=dict(
                    shared._fields["plan_confirm_channel"]._description_selection(shared.env)
                )[channel],
            ),
            subtype_xmlid="mail.mt_note",
        )

    def action_open_objection(self):
        self.ensure_one()
        return self.open_objection_id.get_formview_action()

    def action_view_passages(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tech_service_quality.tsq_gate_passage_action"
        )
        action["domain"] = [("service_id", "=", self.id)]
        return action

    # ----------------------------------------------------------------- portal
    def _tsq_portal_stage_steps(self):
        """(code, label, state) for the portal's progress bar."""
        self.ensure_one()
        steps = []
        current = self.service_stage
        for code, _label in GATE_STAGES:
            if current in ("declined", "cancelled"):
                state = "passed" if code == "s1" and current == "declined" else "todo"
            elif current == "done" or STAGE_ORDER.index(code) < STAGE_ORDER.index(current):
                state = "passed"
            elif code == current:
                state = "current"
            else:
                state = "todo"
            steps.append((code, self._stage_label(code), state))
        return steps

    def _tsq_portal_documents(self):
        """{kind: record} of the printed documents the client of this service may
        download (plan, contract, acceptance, objection, return_visit): those that
        exist at this stage, the latest of each. The portal's download links and the
        generic report routes both read it, so a client gets the same documents by
        either way."""
        self.ensure_one()
        stage = self.service_stage
        acceptances = self.acceptance_ids.sorted("sequence")
        docs = {}
        if stage not in ("s1", "declined") and self.plan_objectives:
            docs["plan"] = self
        if self.contract_signed_date and stage in ("s4", "s5", "s6", "done", "cancelled"):
            docs["contract"] = self
        accepted = acceptances.filtered(lambda a: a.state == "accepted")[-1:]
        if accepted:
            docs["acceptance"] = accepted
        objection = acceptances.filtered(lambda a: a.objection_reason)[-1:]
        if objection:
            docs["objection"] = objection
        visit = self.return_visit_ids.filtered("done_at").sorted("done_at")[-1:]
        if visit:
            docs["return_visit"] = visit
        return docs

    def _get_report_base_filename(self):
        self.ensure_one()
        return f"{self.env._('Service')}-{self.name}"
