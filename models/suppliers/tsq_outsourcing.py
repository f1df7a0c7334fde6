from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date

from ...lib.stages import OPEN_STAGES
from ..core.res_company import reader_lang
from ..core.tsq_concurrency import lock_for_decision
from .res_partner import BLOCKED_STATUSES, USABLE_STATUSES

# What a Service User who monitors the outsourced work may record.
MONITOR_FIELDS = frozenset({"acceptance_result", "acceptance_note", "milestone_ids"})


class TsqOutsourcing(models.Model):
    """Part of a service's work given to a supplier (R4.3): only to a supplier
    qualified for the service's category over the whole period of the work,
    monitored by a named member of staff through milestones, and accepted like the
    agency's own work (R4.3.2). The agency stays responsible to the client: a
    supplier suspended later flags the service."""

    _name = "tsq.outsourcing"
    _inherit = ["mail.thread", "mail.activity.mixin", "tsq.record.mixin"]
    _description = "Outsourced Work"
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Outsourced Work", required=True, tracking=True)
    service_id = fields.Many2one(
        "project.project",
        required=True,
        index=True,
        ondelete="restrict",
        domain=[("is_service", "=", True)],
        check_company=True,
        tracking=True,
    )
    company_id = fields.Many2one(related="service_id.company_id", store=True, index=True)
    service_category_id = fields.Many2one(
        related="service_id.service_category_id", store=True, string="Service Category"
    )
    service_stage = fields.Selection(related="service_id.service_stage", string="Service Stage")
    partner_id = fields.Many2one(
        "res.partner",
        string="Supplier",
        required=True,
        index=True,
        ondelete="restrict",
        domain=[("tsq_is_supplier", "=", True)],
        check_company=True,
        tracking=True,
    )
    work_description = fields.Text(string="Part of the Work", required=True)
    date_start = fields.Date(string="Start", required=True, tracking=True)
    date_end = fields.Date(string="End", required=True, tracking=True)
    agreement_ref = fields.Char(string="Agreement Reference", tracking=True)
    agreement_attachment_ids = fields.Many2many(
        "ir.attachment",
        "tsq_outsourcing_agreement_attachment_rel",
        "outsourcing_id",
        "attachment_id",
        string="Agreement",
    )
    monitor_id = fields.Many2one(
        "res.users",
        string="Internal Monitor",
        required=True,
        domain=[("share", "=", False)],
        default=lambda self: self.env.user,
        tracking=True,
        help="The member of staff who follows the supplier's work like the agency's own.",
    )
    milestone_ids = fields.One2many(
        "tsq.outsourcing.milestone", "outsourcing_id", string="Milestones"
    )
    late_milestone_count = fields.Integer(compute="_compute_late_milestone_count")
    acceptance_result = fields.Selection(
        [
            ("accepted", "Accepted"),
            ("reservations", "Accepted with reservations"),
            ("rejected", "Rejected"),
        ],
        tracking=True,
    )
    acceptance_note = fields.Text()
    accepted_at = fields.Datetime(string="Acceptance Recorded On", readonly=True, copy=False)
    accepted_by_id = fields.Many2one(
        "res.users", string="Acceptance Recorded By", readonly=True, copy=False
    )
    state = fields.Selection(
        [("in_progress", "In progress"), ("accepted", "Accepted"), ("rejected", "Rejected")],
        compute="_compute_state",
        store=True,
        index=True,
    )
    supplier_blocked = fields.Boolean(
        string="Supplier Suspended",
        compute="_compute_supplier_blocked",
        store=True,
        help="The supplier is suspended or disqualified, as a whole or for this "
        "service's category.",
    )
    alert_sent_at = fields.Datetime(
        readonly=True,
        copy=False,
        help="When the service's responsible was told that the supplier was suspended "
        "or disqualified (once per suspension).",
    )

    def _tsq_system_fields(self):
        return super()._tsq_system_fields() | {"accepted_at", "accepted_by_id", "alert_sent_at"}

    # ------------------------------------------------------------------ computes
    @api.depends("accepted_at", "acceptance_result")
    def _compute_state(self):
        for outsourcing in self:
            if not outsourcing.accepted_at:
                outsourcing.state = "in_progress"
            elif outsourcing.acceptance_result == "rejected":
                outsourcing.state = "rejected"
            else:
                outsourcing.state = "accepted"

    @api.depends(
        "partner_id.tsq_supplier_status",
        "partner_id.tsq_supplier_qualification_ids.status",
        "service_category_id",
        "company_id",
    )
    def _compute_supplier_blocked(self):
        for outsourcing in self:
            partner = outsourcing.partner_id.sudo()
            qualifications = partner.tsq_supplier_qualification_ids.filtered(
                lambda q, o=outsourcing: (
                    q.service_category_id == o.service_category_id
                    and q.company_id == o.company_id
                    and q.status in BLOCKED_STATUSES
                )
            )
            outsourcing.supplier_blocked = bool(
                partner.tsq_supplier_status in BLOCKED_STATUSES or qualifications
            )

    @api.depends("milestone_ids.is_late")
    def _compute_late_milestone_count(self):
        for outsourcing in self:
            outsourcing.late_milestone_count = len(outsourcing.milestone_ids.filtered("is_late"))

    # --------------------------------------------------------------- constraints
    @api.constrains("service_id", "partner_id", "date_start", "date_end")
    def _check_qualified_supplier(self):
        """Only a supplier qualified (or conditional) as a whole, with a category
        qualification in force over the whole period of the work, can be chosen."""
        Qualification = self.env["tsq.supplier.qualification"].sudo()
        for outsourcing in self:
            service = outsourcing.service_id
            supplier = outsourcing.partner_id.sudo()
            category = service.service_category_id
            if not service.is_service:
                raise ValidationError(
                    self.env._("“%(name)s” is not a service.", name=service.display_name)
                )
            if outsourcing.date_end < outsourcing.date_start:
                raise ValidationError(
                    self.env._("The outsourced work cannot end before it starts.")
                )
            dates = {
                "supplier": supplier.display_name,
                "category": category.display_name,
                "start": format_date(self.env, outsourcing.date_start),
                "end": format_date(self.env, outsourcing.date_end),
            }
            if not supplier.tsq_is_supplier:
                raise ValidationError(
                    self.env._(
                        "%(supplier)s is not a service supplier: work on %(category)s "
                        "from %(start)s to %(end)s can go only to a qualified supplier.",
                        **dates,
                    )
                )
            if supplier.tsq_supplier_status not in USABLE_STATUSES:
                status = (
                    supplier._tsq_status_label(supplier.tsq_supplier_status)
                    if supplier.tsq_supplier_status
                    else self.env._("not qualified yet")
                )
                raise ValidationError(
                    self.env._(
                        "%(supplier)s is %(status)s: it cannot be given work on "
                        "%(category)s from %(start)s to %(end)s.",
                        status=status,
                        **dates,
                    )
                )
            covering = Qualification.search_count(
                [
                    ("partner_id", "=", supplier.id),
                    ("service_category_id", "=", category.id),
                    ("status", "in", USABLE_STATUSES),
                    ("company_id", "in", [False, service.company_id.id]),
                    ("valid_from", "<=", outsourcing.date_start),
                    ("valid_to", ">=", outsourcing.date_end),
                ],
                limit=1,
            )
            if not covering:
                raise ValidationError(
                    self.env._(
                        "%(supplier)s is not qualified for %(category)s over the whole "
                        "period of the work, from %(start)s to %(end)s: it needs an "
                        "approved qualification for that category valid on those dates.",
                        **dates,
                    )
                )

    # ------------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        outsourcings = super().create(vals_list)
        closed = outsourcings.filtered(lambda o: o.service_id.service_stage not in OPEN_STAGES)
        if closed:
            raise UserError(
                self.env._(
                    "“%(service)s” is closed: no work can be outsourced on it.",
                    service=closed[0].service_id.display_name,
                )
            )
        return outsourcings

    def write(self, vals):
        if not self.env.su:
            if self.filtered("accepted_at"):
                raise UserError(
                    self.env._(
                        "The acceptance of “%(name)s” is recorded: the outsourced work is "
                        "a record and cannot change.",
                        name=self.filtered("accepted_at")[0].name,
                    )
                )
            if not self.env.user.has_group("tech_service_quality.group_tsq_manager") and (
                set(vals) - MONITOR_FIELDS
            ):
                raise AccessError(
                    self.env._(
                        "Only a Service Manager can change outsourced work; its monitor "
                        "records the milestones and the acceptance."
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_accepted(self):
        if self.filtered("accepted_at"):
            raise UserError(
                self.env._("Outsourced work whose acceptance is recorded cannot be deleted.")
            )

    # ---------------------------------------------------------------- actions
    def action_record_acceptance(self):
        """The monitor (or a Service Manager) records the acceptance of the
        supplier's work, as the agency accepts its own: result, who, when."""
        is_manager = self.env.user.has_group("tech_service_quality.group_tsq_manager")
        lock_for_decision(self)
        for outsourcing in self:
            if not (is_manager or outsourcing.monitor_id == self.env.user):
                raise AccessError(
                    self.env._(
                        "Only the monitor of “%(name)s” or a Service Manager records its "
                        "acceptance.",
                        name=outsourcing.name,
                    )
                )
            if outsourcing.accepted_at:
                raise UserError(
                    self.env._(
                        "The acceptance of “%(name)s” is already recorded.", name=outsourcing.name
                    )
                )
            if not outsourcing.acceptance_result:
                raise UserError(self.env._("Choose the result of the acceptance first."))
            open_milestones = outsourcing.milestone_ids.filtered(lambda m: not m.done_date)
            if outsourcing.acceptance_result != "rejected" and open_milestones:
                raise UserError(
                    self.env._(
                        "Milestones not reached yet: %(names)s",
                        names=", ".join(open_milestones.mapped("name")),
                    )
                )
            if (
                outsourcing.acceptance_result != "accepted"
                and not (outsourcing.acceptance_note or "").strip()
            ):
                raise UserError(
                    self.env._("Write the reservations or the reasons for the rejection.")
                )
            outsourcing.sudo().write(
                {"accepted_at": fields.Datetime.now(), "accepted_by_id": self.env.uid}
            )
            result = dict(
                outsourcing._fields["acceptance_result"]._description_selection(self.env)
            )[outsourcing.acceptance_result]
            outsourcing.service_id.sudo().message_post(
                body=Markup("%s<br/>%s")
                % (
                    self.env._(
                        "Outsourced work “%(name)s” by %(supplier)s: %(result)s",
                        name=outsourcing.name,
                        supplier=outsourcing.partner_id.display_name,
                        result=result,
                    ),
                    outsourcing.acceptance_note or "",
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    # ------------------------------------------------------- supplier decisions
    @api.model
    def _tsq_open_domain(self, suppliers, category=None):
        """The outsourced work of open services given to ``suppliers`` (for
        ``category`` only, when given)."""
        domain = [
            ("partner_id", "in", suppliers.ids),
            ("service_id.service_stage", "in", OPEN_STAGES),
        ]
        if category:
            domain.append(("service_category_id", "=", category.id))
        return domain

    @api.model
    def _tsq_alert_blocked_suppliers(self, suppliers, category=None):
        """Flag the open services that outsource work to ``suppliers`` (just
        suspended or disqualified) and give each service's responsible one activity
        (once per suspension: a second decision before the supplier is qualified
        again does not repeat it)."""
        todo = self.sudo().search(
            self._tsq_open_domain(suppliers, category) + [("alert_sent_at", "=", False)]
        )
        if not todo:
            return todo
        by_service = {}
        for outsourcing in todo:
            by_service.setdefault(outsourcing.service_id, todo.browse())
            by_service[outsourcing.service_id] |= outsourcing
        model_id = self.env["ir.model"]._get_id("project.project")
        activity_type = self.env.ref("tech_service_quality.mail_activity_type_supplier_alert")
        vals_list = []
        for service, outsourcings in by_service.items():
            suppliers_names = ", ".join(outsourcings.partner_id.mapped("display_name"))
            user = service.user_id or self.env.user
            env = reader_lang(self, user).env
            vals_list.append(
                {
                    "activity_type_id": activity_type.id,
                    "res_model_id": model_id,
                    "res_id": service.id,
                    "user_id": user.id,
                    "date_deadline": fields.Date.context_today(self),
                    "summary": env._(
                        "Supplier suspended or disqualified: %(suppliers)s",
                        suppliers=suppliers_names,
                    ),
                    "note": env._(
                        "Review the work outsourced to %(suppliers)s on this service: take "
                        "it back, or move it to another qualified supplier.",
                        suppliers=suppliers_names,
                    ),
                    "automated": True,
                }
            )
        self.env["mail.activity"].sudo().create(vals_list)
        todo.write({"alert_sent_at": fields.Datetime.now()})
        return todo

    @api.model
    def _tsq_clear_supplier_alerts(self, suppliers, category=None):
        """A supplier qualified again may be alerted about again later."""
        done = self.sudo().search(
            self._tsq_open_domain(suppliers, category) + [("alert_sent_at", "!=", False)]
        )
        done.filtered(lambda o: not o.supplier_blocked).write({"alert_sent_at": False})
