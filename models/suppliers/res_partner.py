import logging
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date

from ..core.res_company import in_agency_language, reader_lang
from ..core.tsq_concurrency import lock_for_decision

_logger = logging.getLogger(__name__)


# A supplier's standing (R4.3): decided by a Quality Manager, recorded in the
# supplier's status history. The same values apply to a qualification for one
# service category (``tsq.supplier.qualification.status``).
SUPPLIER_STATUSES = [
    ("qualified", "Qualified"),
    ("conditional", "Conditional"),
    ("suspended", "Suspended"),
    ("disqualified", "Disqualified"),
]


USABLE_STATUSES = ("qualified", "conditional")


BLOCKED_STATUSES = ("suspended", "disqualified")


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "tsq.record.mixin"]

    tsq_is_supplier = fields.Boolean(
        string="Service Supplier",
        index=True,
        help="A company the agency may give part of a service's work to (R4.3). "
        "It can be chosen for outsourcing only while qualified for the service's "
        "category.",
    )
    tsq_supplier_manager_id = fields.Many2one(
        "res.users",
        string="Supplier Manager",
        domain=[("share", "=", False)],
        groups="tech_service_quality.group_tsq_user",
        help="Keeps this supplier's qualification file; receives the expiry reminders "
        "of its documents and qualifications (default: a Quality Manager).",
    )
    tsq_supplier_status = fields.Selection(
        SUPPLIER_STATUSES,
        string="Supplier Status",
        readonly=True,
        copy=False,
        index=True,
        groups="tech_service_quality.group_tsq_user",
        help="Decided by a Quality Manager (Decide status); every decision is kept in "
        "the status history. Empty: not assessed yet.",
    )
    tsq_supplier_status_at = fields.Datetime(
        string="Status Decided On",
        readonly=True,
        copy=False,
        groups="tech_service_quality.group_tsq_user",
    )
    tsq_supplier_status_by_id = fields.Many2one(
        "res.users",
        string="Status Decided By",
        readonly=True,
        copy=False,
        groups="tech_service_quality.group_tsq_user",
    )
    tsq_supplier_status_reason = fields.Text(
        string="Status Reason",
        readonly=True,
        copy=False,
        groups="tech_service_quality.group_tsq_user",
    )
    tsq_supplier_status_ids = fields.One2many(
        "tsq.supplier.status",
        "partner_id",
        string="Status History",
        groups="tech_service_quality.group_tsq_user",
    )
    tsq_supplier_document_ids = fields.One2many(
        "tsq.supplier.document",
        "partner_id",
        string="Qualification Documents",
        groups="tech_service_quality.group_tsq_user",
    )
    tsq_supplier_qualification_ids = fields.One2many(
        "tsq.supplier.qualification",
        "partner_id",
        string="Category Qualifications",
        groups="tech_service_quality.group_tsq_user",
    )
    tsq_supplier_evaluation_ids = fields.One2many(
        "tsq.supplier.evaluation",
        "partner_id",
        string="Supplier Evaluations",
        groups="tech_service_quality.group_tsq_user",
    )
    tsq_outsourcing_ids = fields.One2many(
        "tsq.outsourcing",
        "partner_id",
        string="Outsourced Work",
        groups="tech_service_quality.group_tsq_user",
    )
    tsq_last_evaluation_id = fields.Many2one(
        "tsq.supplier.evaluation",
        string="Last Evaluation",
        compute="_compute_tsq_last_evaluation_id",
        store=True,
        groups="tech_service_quality.group_tsq_user",
    )
    tsq_last_evaluation_date = fields.Date(
        string="Last Evaluated",
        related="tsq_last_evaluation_id.date_to",
        groups="tech_service_quality.group_tsq_user",
    )
    tsq_last_evaluation_score = fields.Float(
        string="Last Score",
        related="tsq_last_evaluation_id.score",
        groups="tech_service_quality.group_tsq_user",
    )
    tsq_last_evaluation_grade = fields.Selection(
        string="Last Grade",
        related="tsq_last_evaluation_id.grade",
        groups="tech_service_quality.group_tsq_user",
    )
    tsq_next_evaluation_date = fields.Date(
        string="Next Evaluation Due",
        compute="_compute_tsq_next_evaluation_date",
        store=True,
        groups="tech_service_quality.group_tsq_user",
        help="A qualified supplier is evaluated again periodically (R4.3.3): the end of "
        "its last evaluation's period (or the day it was qualified) plus the shortest "
        "re-evaluation interval of its categories, else of the company (12 months).",
    )
    tsq_evaluation_overdue = fields.Boolean(
        string="Re-evaluation Overdue",
        compute="_compute_tsq_evaluation_overdue",
        search="_search_tsq_evaluation_overdue",
        groups="tech_service_quality.group_tsq_user",
    )
    tsq_reevaluation_reminded_for = fields.Date(
        string="Re-evaluation Reminded For",
        readonly=True,
        copy=False,
        groups="tech_service_quality.group_tsq_user",
        help="The due date whose reminder was sent to the supplier manager (once).",
    )
    tsq_document_alert = fields.Selection(
        [("expiring", "Document expiring"), ("expired", "Document expired")],
        string="Documents",
        compute="_compute_tsq_document_alert",
        groups="tech_service_quality.group_tsq_user",
        help="The most urgent validity of the supplier's active qualification documents.",
    )

    def _tsq_system_fields(self):
        return super()._tsq_system_fields() | {
            "tsq_supplier_status",
            "tsq_supplier_status_at",
            "tsq_supplier_status_by_id",
            "tsq_supplier_status_reason",
            "tsq_reevaluation_reminded_for",
        }

    # ------------------------------------------------------------------ computes
    @api.depends(
        "tsq_supplier_evaluation_ids.state",
        "tsq_supplier_evaluation_ids.date_to",
    )
    def _compute_tsq_last_evaluation_id(self):
        for partner in self:
            confirmed = partner.tsq_supplier_evaluation_ids.filtered(
                lambda e: e.state == "confirmed"
            ).sorted(lambda e: (e.date_to, e.id))
            partner.tsq_last_evaluation_id = confirmed[-1:]

    @api.depends(
        "tsq_is_supplier",
        "tsq_supplier_status",
        "tsq_supplier_status_at",
        "tsq_last_evaluation_id",
        "tsq_supplier_qualification_ids.status",
        "tsq_supplier_qualification_ids.service_category_id.supplier_reevaluation_months",
    )
    def _compute_tsq_next_evaluation_date(self):
        for partner in self:
            sudo = partner.sudo()
            basis = sudo.tsq_last_evaluation_id.date_to
            if not basis and sudo.tsq_supplier_status_at:
                company = sudo.company_id or self.env.company
                basis = fields.Date.context_today(
                    sudo.with_context(tz=company._tsq_tz()), sudo.tsq_supplier_status_at
                )
            if not (sudo.tsq_is_supplier and sudo.tsq_supplier_status in USABLE_STATUSES and basis):
                partner.tsq_next_evaluation_date = False
                continue
            months = sudo._tsq_reevaluation_months()
            partner.tsq_next_evaluation_date = basis + relativedelta(months=months)

    def _tsq_reevaluation_months(self):
        """The re-evaluation interval of this supplier: the shortest its qualified
        categories set, else its company's (12 months by default)."""
        self.ensure_one()
        categories = (
            self.sudo()
            .tsq_supplier_qualification_ids.filtered(lambda q: q.status in USABLE_STATUSES)
            .service_category_id
        )
        months = [m for m in categories.mapped("supplier_reevaluation_months") if m > 0]
        company = self.company_id or self.env.company
        return min(months) if months else (company.tsq_supplier_reevaluation_months or 12)

    def _tsq_agency_today(self):
        return fields.Date.context_today(self.with_context(tz=self.env.company._tsq_tz()))

    def _compute_tsq_evaluation_overdue(self):
        today = self._tsq_agency_today()
        for partner in self:
            due = partner.sudo().tsq_next_evaluation_date
            partner.tsq_evaluation_overdue = bool(due and due < today)

    def _search_tsq_evaluation_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on the re-evaluation flag."))
        domain = [("tsq_next_evaluation_date", "<", self._tsq_agency_today())]
        return domain if (operator == "=") == value else ["!", *domain]

    def _compute_tsq_document_alert(self):
        suppliers = self.filtered("tsq_is_supplier")
        (self - suppliers).tsq_document_alert = False
        if not suppliers:
            return
        groups = self.env["tsq.supplier.document"]._read_group(
            [("partner_id", "in", suppliers.ids), ("expiry_state", "in", ("expiring", "expired"))],
            ["partner_id"],
            ["valid_to:min"],
        )
        today = fields.Date.context_today(self)
        first_end = dict(groups)
        for partner in suppliers:
            end = first_end.get(partner)
            if not end:
                partner.tsq_document_alert = False
            else:
                partner.tsq_document_alert = "expired" if end < today else "expiring"

    # --------------------------------------------------------------- constraints
    @api.constrains("tsq_is_supplier", "is_company")
    def _check_tsq_supplier_company(self):
        for partner in self:
            if partner.tsq_is_supplier and not partner.is_company:
                raise ValidationError(
                    self.env._(
                        "A service supplier must be a company: %(partner)s is not.",
                        partner=partner.display_name,
                    )
                )

    # ------------------------------------------------------------ status changes
    def _tsq_status_label(self, status):
        return dict(self._fields["tsq_supplier_status"]._description_selection(self.env))[status]

    def _tsq_check_quality_manager(self):
        if not (
            self.env.su or self.env.user.has_group("tech_service_quality.group_tsq_quality_manager")
        ):
            raise AccessError(
                self.env._("Only a Quality Manager decides the status of a supplier.")
            )

    def _tsq_check_valid_document(self, on_date=None):
        """A supplier is qualified on documents (R4.3.1): at least one active
        qualification document valid on ``on_date``."""
        on_date = on_date or fields.Date.context_today(self)
        Document = self.env["tsq.supplier.document"].sudo()
        valid = Document._read_group(
            [
                ("partner_id", "in", self.ids),
                "|",
                ("valid_from", "=", False),
                ("valid_from", "<=", on_date),
                "|",
                ("valid_to", "=", False),
                ("valid_to", ">=", on_date),
            ],
            ["partner_id"],
        )
        without = self - self.browse([partner.id for (partner,) in valid])
        if without:
            raise UserError(
                self.env._(
                    "%(supplier)s has no qualification document (business licence, "
                    "certification, capability statement…) valid on %(date)s: record one "
                    "before qualifying the supplier.",
                    supplier=without[0].display_name,
                    date=format_date(self.env, on_date),
                )
            )

    def _tsq_set_supplier_status(self, status, reason, category=None):
        """The only way a supplier's status changes: a Quality Manager's decision,
        with its reason, recorded in the status history (who, when, why).

        Without ``category`` the decision is about the supplier as a whole; with a
        service ``category`` it applies to the supplier's approved qualifications
        for that category. A suspension or disqualification flags every open
        service that outsources work to the supplier and tells its responsible."""
        reason = self._tsq_check_status_decision(status, reason)
        now = fields.Datetime.now()
        history = []
        lock_for_decision(self)
        for partner in self:
            previous = partner._tsq_apply_status(status, reason, category, now)
            history.append(
                {
                    "partner_id": partner.id,
                    "status": status,
                    "previous_status": previous if previous in dict(SUPPLIER_STATUSES) else False,
                    "service_category_id": category.id if category else False,
                    "decided_by_id": self.env.uid,
                    "decided_at": now,
                    "reason": reason,
                    "company_id": self.env.company.id,
                }
            )
            partner.sudo()._tsq_post_status(status, category, reason)
        records = self.env["tsq.supplier.status"].sudo().create(history)
        Outsourcing = self.env["tsq.outsourcing"]
        if status in BLOCKED_STATUSES:
            Outsourcing._tsq_alert_blocked_suppliers(self, category)
        else:
            Outsourcing._tsq_clear_supplier_alerts(self, category)
        return records

    def _tsq_check_status_decision(self, status, reason):
        """A status decision is a Quality Manager's, on a known status, with a
        reason: return the reason, stripped."""
        self._tsq_check_quality_manager()
        if status not in dict(SUPPLIER_STATUSES):
            raise UserError(self.env._("Unknown supplier status."))
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason for the supplier's status decision."))
        return reason

    def _tsq_status_target(self, status, category):
        """(the approved qualifications for ``category`` or None, the previous
        status) of a decision on this supplier; refused when the partner is no
        supplier, has no approved qualification for ``category``, or already has
        ``status``."""
        self.ensure_one()
        if not self.tsq_is_supplier:
            raise UserError(
                self.env._("%(partner)s is not a service supplier.", partner=self.display_name)
            )
        if not category:
            previous = self.sudo().tsq_supplier_status or False
            if previous == status:
                raise UserError(
                    self.env._(
                        "%(supplier)s is already %(status)s.",
                        supplier=self.display_name,
                        status=self._tsq_status_label(status),
                    )
                )
            return None, previous
        target = self.sudo().tsq_supplier_qualification_ids.filtered(
            lambda q: (
                q.service_category_id == category
                and q.approved_at
                and q.company_id in self.env.companies
            )
        )
        if not target:
            raise UserError(
                self.env._(
                    "%(supplier)s has no approved qualification for %(category)s.",
                    supplier=self.display_name,
                    category=category.display_name,
                )
            )
        statuses = set(target.mapped("status"))
        if statuses == {status}:
            raise UserError(
                self.env._(
                    "%(supplier)s is already %(status)s for %(category)s.",
                    supplier=self.display_name,
                    status=self._tsq_status_label(status),
                    category=category.display_name,
                )
            )
        return target, ", ".join(sorted(statuses))

    def _tsq_apply_status(self, status, reason, category, now):
        """Give this supplier (or its qualifications for ``category``) ``status``,
        once its documents allow it; return the previous status."""
        self.ensure_one()
        target, previous = self._tsq_status_target(status, category)
        if status in USABLE_STATUSES:
            self._tsq_check_valid_document()
        if category:
            target.sudo().write({"status": status})
        else:
            self.sudo().write(
                {
                    "tsq_supplier_status": status,
                    "tsq_supplier_status_at": now,
                    "tsq_supplier_status_by_id": self.env.uid,
                    "tsq_supplier_status_reason": reason,
                }
            )
        return previous

    def _tsq_post_status(self, status, category, reason):
        """The supplier's chatter records the decision, in the agency's language."""
        self.ensure_one()
        partner = self.with_context(lang=self.env.company._tsq_lang())
        label = partner._tsq_status_label(status)
        if category:
            head = partner.env._(
                "Supplier status: %(status)s (%(category)s)",
                status=label,
                category=category.with_context(lang=partner.env.lang).display_name,
            )
        else:
            head = partner.env._("Supplier status: %(status)s", status=label)
        partner.message_post(
            body=Markup("%s<br/>%s") % (head, reason), subtype_xmlid="mail.mt_note"
        )

    def action_tsq_decide_status(self):
        """The Quality Manager's decision dialog: saving it records the decision."""
        self.ensure_one()
        self._tsq_check_quality_manager()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Decide Supplier Status"),
            "res_model": "tsq.supplier.status",
            "view_mode": "form",
            "views": [
                (
                    self.env.ref("tech_service_quality.tsq_supplier_status_view_form_decide").id,
                    "form",
                )
            ],
            "target": "new",
            "context": {"default_partner_id": self.id},
        }

    # ---------------------------------------------------------- expiry reminders
    @api.model
    def _tsq_quality_manager(self, company=None):
        """The Quality Manager who receives a decision to make (a supplier's, an
        indicator's action without an owner): the first (by id) internal user of the
        group in ``company``, else of any company; the database administrator only
        when nobody else holds the role."""
        group = self.env.ref("tech_service_quality.group_tsq_quality_manager")
        users = (
            self.env["res.users"]
            .sudo()
            .search([("groups_id", "in", group.ids), ("share", "=", False)], order="id")
        )
        users = users.filtered(lambda u: not u._is_superuser())
        admin = self.env.ref("base.user_admin", raise_if_not_found=False)
        users = users.sorted(lambda u: (u == admin, u.id))
        in_company = users.filtered(lambda u: company and company in u.company_ids)
        return (in_company or users)[:1] or self.env.user

    @api.model
    def _tsq_fallback_supplier_manager(self):
        """Who gets reminders for a supplier without a supplier manager: the person
        running the scan, or (for the scheduled scan) the first Quality Manager."""
        user = self.env.user
        if not user._is_superuser() and user._is_internal():
            return user
        return self._tsq_quality_manager(self.env.company)

    @api.model
    @in_agency_language
    def _cron_tsq_supplier_expiry(self, batch_size=500):
        """Scheduled daily: an activity for each supplier document and category
        qualification that reaches a reminder level (60 and 30 days before expiry by
        default), once per level. One search per level and model, whatever the number
        of suppliers; safe to run twice."""
        done = 0
        more = False
        for model in ("tsq.supplier.document", "tsq.supplier.qualification"):
            _reached, activities, full = self.env[model]._tsq_expiry_scan(batch_size)
            done += len(activities)
            more = more or full
        if more:
            self.env.ref("tech_service_quality.ir_cron_tsq_supplier_expiry")._trigger(
                fields.Datetime.now() + timedelta(seconds=5)
            )
        self.env["ir.cron"]._notify_progress(done=done, remaining=0)
        _logger.info("Supplier expiry scan: %s reminder(s)", done)
        return done

    @api.model
    @in_agency_language
    def _cron_tsq_supplier_reevaluation(self):
        """Scheduled daily: one activity for the supplier manager of each qualified
        supplier whose re-evaluation is due (R4.3.3), once per due date; a new
        evaluation moves the due date, and its reminder comes when that is reached.
        One search whatever the number of suppliers; safe to run twice."""
        today = self._tsq_agency_today()
        due = (
            self.sudo()
            .search(
                [
                    ("tsq_is_supplier", "=", True),
                    ("tsq_supplier_status", "in", USABLE_STATUSES),
                    ("tsq_next_evaluation_date", "<=", today),
                ]
            )
            .filtered(lambda p: p.tsq_reevaluation_reminded_for != p.tsq_next_evaluation_date)
        )
        for partner in due:
            user = partner.tsq_supplier_manager_id or self._tsq_fallback_supplier_manager()
            mine = reader_lang(partner, user)
            mine.activity_schedule(
                "tech_service_quality.mail_activity_type_supplier_reevaluation",
                date_deadline=partner.tsq_next_evaluation_date,
                summary=mine.env._(
                    "Evaluate %(supplier)s again: due %(date)s",
                    supplier=partner.display_name,
                    date=self.env.company.with_context(lang=mine.env.lang)._tsq_format_date(
                        partner.tsq_next_evaluation_date
                    ),
                ),
                user_id=user.id,
            )
            partner.write({"tsq_reevaluation_reminded_for": partner.tsq_next_evaluation_date})
        _logger.info("Supplier re-evaluation scan: %s reminder(s)", len(due))
        return len(due)

    # ------------------------------------------------------------------- reports
    @api.model
    def _tsq_supplier_list_date(self):
        """The date of the qualified supplier list: today, in the user's timezone."""
        return fields.Date.context_today(self)

    def _tsq_supplier_list_sections(self, on_date=None):
        """The qualified supplier list (合格供方名录) of the current company, by
        service category: among these partners, the suppliers qualified (or
        conditional) whose category qualification is in force on ``on_date``, with
        the validity and the last evaluation. [{'category', 'rows': [{'partner',
        'qualification', 'evaluation'}]}]"""
        on_date = on_date or self._tsq_supplier_list_date()
        qualifications = (
            self.env["tsq.supplier.qualification"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", self.ids),
                    ("partner_id.tsq_supplier_status", "in", USABLE_STATUSES),
                    ("status", "in", USABLE_STATUSES),
                    ("valid_from", "<=", on_date),
                    ("valid_to", ">=", on_date),
                    ("company_id", "in", [False, self.env.company.id]),
                ]
            )
        )
        qualifications = qualifications.sorted(
            lambda q: (q.service_category_id.sequence, q.service_category_id.id, q.partner_id.name)
        )
        sections = []
        for qualification in qualifications:
            category = qualification.service_category_id
            if not sections or sections[-1]["category"] != category:
                sections.append({"category": category, "rows": []})
            partner = qualification.partner_id
            sections[-1]["rows"].append(
                {
                    "partner": partner,
                    "qualification": qualification,
                    "evaluation": partner.tsq_last_evaluation_id,
                }
            )
        return sections
