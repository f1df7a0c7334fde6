from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..core.res_company import agency_lang, reader_lang
from ..core.tsq_concurrency import lock_for_decision

# Fields that make up the client's decision; frozen once decided.
DECISION_FIELDS = {
    "service_id",
    "sequence",
    "submitted_at",
    "submitted_by_id",
    "deliverable_ids",
    "state",
    "decided_at",
    "signed_by",
    "signature",
    "decision_channel",
    "objection_reason",
    "objection_deadline",
    "objection_limit_days",
    "objection_deadline_provisional",
}


# What the agency fills in while handling an objection.
OBJECTION_HANDLING_FIELDS = {"objection_owner_id", "objection_outcome", "objection_attachment_ids"}


class TsqAcceptance(models.Model):
    """One submission of the deliverables for acceptance (S5). The client
    accepts it with a signature, or raises an objection that the agency handles
    within the category's limit; a new submission follows a closed objection."""

    _name = "tsq.acceptance"
    _description = "Acceptance Submission"
    _inherit = ["mail.thread", "portal.mixin", "tsq.evidence.mixin"]
    _order = "service_id, sequence"
    _rec_name = "display_name"

    service_id = fields.Many2one(
        "project.project", required=True, ondelete="restrict", index=True, readonly=True
    )
    company_id = fields.Many2one(related="service_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="service_id.partner_id", store=True, index=True)
    service_category_id = fields.Many2one(
        related="service_id.service_category_id", store=True, index=True
    )
    sequence = fields.Integer(readonly=True, index=True)
    submitted_at = fields.Datetime(
        readonly=True, required=True, default=fields.Datetime.now, index=True
    )
    submitted_by_id = fields.Many2one(
        "res.users", readonly=True, default=lambda self: self.env.user
    )
    note = fields.Text("Submission Note")
    deliverable_ids = fields.Many2many(
        "tsq.deliverable", "tsq_acceptance_deliverable_rel", string="Deliverables", readonly=True
    )
    state = fields.Selection(
        [
            ("submitted", "Awaiting client"),
            ("accepted", "Accepted"),
            ("objection", "Objection raised"),
            ("objection_closed", "Objection closed"),
        ],
        default="submitted",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    decided_at = fields.Datetime(readonly=True)
    decision_channel = fields.Selection(
        [("portal", "Client portal"), ("recorded", "Recorded by staff")], readonly=True
    )
    signed_by = fields.Char(readonly=True)
    signature = fields.Image(readonly=True, attachment=True, max_width=1024, max_height=1024)
    objection_reason = fields.Text(readonly=True)
    objection_attachment_ids = fields.Many2many(
        "ir.attachment", "tsq_acceptance_objection_attachment_rel", string="Objection Files"
    )
    objection_deadline = fields.Datetime(readonly=True)
    objection_limit_days = fields.Integer(
        string="Objection Limit (working days)",
        readonly=True,
        help="The category's limit in force when the objection was raised.",
    )
    objection_deadline_provisional = fields.Boolean(
        readonly=True,
        help="Counted through a year whose official holidays are not in the working "
        "calendar yet; recomputed when the year is loaded.",
    )
    objection_deadline_note = fields.Char(compute="_compute_objection_deadline_note")
    objection_owner_id = fields.Many2one("res.users", tracking=True)
    objection_outcome = fields.Text(tracking=True)
    objection_closed_at = fields.Datetime(readonly=True)
    is_objection_late = fields.Boolean(
        string="Answered Late",
        compute="_compute_is_objection_late",
        search="_search_is_objection_late",
        help="The objection was closed after its deadline, or is still open past it "
        "(searching finds the open ones past their deadline).",
    )

    @api.depends("service_id", "sequence")
    def _compute_display_name(self):
        for acc in self:
            acc.display_name = self.env._(
                "%(service)s — submission %(seq)s", service=acc.service_id.name, seq=acc.sequence
            )

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for acc in self:
            acc.access_url = f"/my/services/{acc.service_id.id}"
        return res

    def _get_report_base_filename(self):
        self.ensure_one()
        return f"{self.service_id.name}-{self.sequence}"

    @api.depends("objection_deadline", "objection_deadline_provisional", "decided_at")
    def _compute_objection_deadline_note(self):
        cache = {}
        for acc in self:
            company = acc.company_id or self.env.company
            acc.objection_deadline_note = acc.objection_deadline_provisional and (
                company._tsq_provisional_note(
                    company._tsq_uncovered_between(acc.decided_at, acc.objection_deadline, cache)
                )
            )

    def _recompute_objection_deadline(self):
        """Open objections follow the working calendar (a year loaded, a holiday
        corrected); a closed one keeps the deadline it was judged by."""
        for acc in self.filtered(lambda a: a.state == "objection" and a.decided_at):
            company = acc.company_id or self.env.company
            days = acc.objection_limit_days or acc.service_category_id.objection_days
            deadline, years = company._tsq_limit(acc.decided_at, days, "working_days")
            values = {
                "objection_deadline": deadline,
                "objection_deadline_provisional": bool(years),
            }
            changed = {k: v for k, v in values.items() if acc[k] != v}
            if changed:
                acc._system_write(changed)

    def _search_is_objection_late(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Operation not supported."))
        domain = [("state", "=", "objection"), ("objection_deadline", "<", fields.Datetime.now())]
        return domain if (operator == "=") == value else ["!", "&", *domain]

    def _compute_is_objection_late(self):
        now = fields.Datetime.now()
        for acc in self:
            end = acc.objection_closed_at or (now if acc.state == "objection" else False)
            acc.is_objection_late = bool(
                acc.objection_deadline and end and end > acc.objection_deadline
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            service = self.env["project.project"].browse(vals["service_id"])
            service.check_access("write")
            # one submission at a time per service: its sequence is taken once
            lock_for_decision(service)
            if service.service_stage != "s5":
                raise UserError(self.env._("Deliverables are submitted for acceptance in S5 only."))
            last = service.acceptance_ids.sorted("sequence")[-1:]
            if last and last.state != "objection_closed":
                raise UserError(
                    self.env._(
                        "A new submission follows only a closed objection; the last "
                        "submission is “%(state)s”.",
                        state=dict(self._fields["state"]._description_selection(self.env))[
                            last.state
                        ],
                    )
                )
            handed = service.deliverable_ids.filtered("handed_over_at")
            if not handed:
                raise UserError(self.env._("Hand over at least one deliverable before submitting."))
            vals.update(
                sequence=(last.sequence or 0) + 1,
                submitted_at=fields.Datetime.now(),
                submitted_by_id=self.env.user.id,
                deliverable_ids=[(6, 0, handed.ids)],
                state="submitted",
            )
            for name in (
                "decided_at",
                "signed_by",
                "signature",
                "objection_reason",
                "objection_deadline",
                "objection_limit_days",
                "objection_deadline_provisional",
                "objection_closed_at",
                "decision_channel",
            ):
                vals.pop(name, None)
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            frozen = (DECISION_FIELDS | {"objection_closed_at"}) & set(vals)
            if frozen:
                raise UserError(
                    self.env._(
                        "The client's decision on a submission is recorded by the system and cannot be edited."
                    )
                )
            if set(vals) & OBJECTION_HANDLING_FIELDS and self.filtered(
                lambda a: a.state != "objection"
            ):
                raise UserError(self.env._("Only an open objection can be handled."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_record(self):
        raise UserError(self.env._("Acceptance submissions are records and cannot be deleted."))

    def _tsq_evidence_final(self):
        return self.filtered(lambda a: a.state in ("accepted", "objection_closed"))

    def _system_write(self, vals):
        return self.sudo().write(vals)

    def _decision_problem(self):
        """Why the client cannot decide this submission now: "decided",
        "wrong_stage", or None. Only a submission awaiting the client, on a
        service at the delivery stage (S5), can be accepted or objected to."""
        self.ensure_one()
        if self.state != "submitted":
            return "decided"
        if self.service_id.service_stage != "s5":
            return "wrong_stage"
        return None

    def _check_open(self):
        """Refuse a decision on a submission that is decided or not at S5; the
        submission is locked first, so of two concurrent decisions one is
        recorded and the other refused."""
        lock_for_decision(self)
        problem = self._decision_problem()
        if problem == "decided":
            raise UserError(self.env._("This submission has already been decided."))
        if problem == "wrong_stage":
            raise UserError(
                self.env._(
                    "A delivery can be accepted or objected to only at the delivery stage (S5)."
                )
            )

    def _accept(self, signed_by, signature, channel):
        """The client accepts the submission (portal signature, or staff record
        a signed paper form)."""
        self.ensure_one()
        self._check_open()
        if not signed_by or not signature:
            raise ValidationError(
                self.env._("An acceptance needs the signer's name and signature.")
            )
        self._system_write(
            {
                "state": "accepted",
                "decided_at": fields.Datetime.now(),
                "signed_by": signed_by,
                "signature": signature,
                "decision_channel": channel,
            }
        )
        service = agency_lang(self.service_id.sudo(), self.company_id)
        self.env["tsq.return.visit"].sudo()._plan_for(self)
        service.message_post(
            body=service.env._("Delivery accepted and signed by %(name)s.", name=signed_by),
            subtype_xmlid="mail.mt_note",
        )
        return True

    def _raise_objection(self, reason, channel, attachment_ids=()):
        self.ensure_one()
        self._check_open()
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError(self.env._("Give the reason of the objection."))
        service = self.service_id.sudo()
        raised = fields.Datetime.now()
        days = service.service_category_id.objection_days
        deadline, years = service.company_id._tsq_limit(raised, days, "working_days")
        self._system_write(
            {
                "state": "objection",
                "decided_at": raised,
                "decision_channel": channel,
                "objection_reason": reason,
                "objection_deadline": deadline,
                "objection_limit_days": days,
                "objection_deadline_provisional": bool(years),
                "objection_owner_id": service.user_id.id,
                "objection_attachment_ids": [(6, 0, list(attachment_ids))],
            }
        )
        shared = agency_lang(service, service.company_id)
        shared.message_post(
            body=shared.env._("Objection to the delivery: %(reason)s", reason=reason),
            subtype_xmlid="mail.mt_note",
        )
        if service.user_id:
            owner = reader_lang(service, service.user_id)
            owner.activity_schedule(
                "tech_service_quality.mail_activity_type_stage_gate",
                date_deadline=service.company_id._tsq_due_date(deadline),
                summary=owner.env._("Handle the acceptance objection"),
                user_id=service.user_id.id,
            )
        return True

    def action_record_acceptance(self):
        """Staff record a paper acceptance: the signed form must be attached."""
        self.ensure_one()
        if not self.objection_attachment_ids and not self.message_attachment_count:
            raise UserError(self.env._("Attach the client's signed acceptance form first."))
        signature = self.env.context.get("tsq_signature")
        return self._accept(
            self.service_id.partner_id.name, signature or self._paper_signature(), "recorded"
        )

    def _paper_signature(self):
        # a 1x1 PNG marks a signature held on paper (the scan is attached)
        return "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="

    def action_close_objection(self):
        lock_for_decision(self)
        for acc in self:
            if acc.state != "objection":
                raise UserError(self.env._("There is no open objection to close."))
            if not (acc.objection_outcome or "").strip():
                raise UserError(self.env._("Write the outcome of the objection before closing it."))
            acc._system_write(
                {"state": "objection_closed", "objection_closed_at": fields.Datetime.now()}
            )
        return True
