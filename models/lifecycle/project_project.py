from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ...lib.stages import (
    SERVICE_STAGES,
    TERMINAL_STAGES,
    gate_progress,
)
from ..core.res_company import agency_lang
from ..core.tsq_concurrency import lock_for_decision

# Changes that make the staff of a service be checked again (R4.2).
STAFF_FIELDS = {"user_id", "service_member_ids", "service_category_id", "contract_delivery_date"}


class ProjectProject(models.Model):
    _name = "project.project"
    _inherit = [
        "project.project",
        "tsq.record.mixin",
        "tsq.stage.gate.mixin",
        "tsq.gate.requirement.mixin",
        "tsq.service.staff.mixin",
        "tsq.service.deadline.mixin",
    ]
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

    # ---------------------------------------------------------------- actions
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
        return [
            (code, self._stage_label(code), state)
            for code, state in gate_progress(self.service_stage)
        ]

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
