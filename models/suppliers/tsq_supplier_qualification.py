from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from ..core.tsq_concurrency import lock_for_decision
from .res_partner import SUPPLIER_STATUSES, USABLE_STATUSES

# What a Quality Manager approved: the supplier, the category and the dates.
APPROVED_FIELDS = ("partner_id", "service_category_id", "valid_from", "valid_to", "company_id")


class TsqSupplierQualification(models.Model):
    """A supplier qualified for one service category on given dates (R4.3.1):
    proposed by a Service Manager, approved by a Quality Manager. Once approved its
    supplier, category and dates are part of the record; a renewal is a new
    qualification. Its status changes only through a recorded decision
    (``res.partner._tsq_set_supplier_status`` with the category)."""

    _name = "tsq.supplier.qualification"
    _inherit = ["tsq.supplier.expiry.mixin", "mail.thread"]
    _description = "Supplier Qualification for a Service Category"
    _order = "partner_id, service_category_id, valid_to desc, id desc"

    partner_id = fields.Many2one(
        "res.partner",
        string="Supplier",
        required=True,
        index=True,
        ondelete="restrict",
        domain=[("tsq_is_supplier", "=", True)],
        tracking=True,
    )
    service_category_id = fields.Many2one(
        "tsq.service.category",
        required=True,
        index=True,
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        help="The agency whose Quality Manager approved the qualification.",
    )
    valid_from = fields.Date(required=True, tracking=True)
    valid_to = fields.Date(required=True, index=True, tracking=True)
    status = fields.Selection(
        [("pending", "To approve"), *SUPPLIER_STATUSES],
        required=True,
        default="pending",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    scope = fields.Text(help="What the supplier is qualified to do in this category.")
    conditions = fields.Text(help="For a conditional qualification: the conditions to meet.")
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    approved_at = fields.Datetime(string="Approved On", readonly=True, copy=False)

    def _tsq_system_fields(self):
        return super()._tsq_system_fields() | {
            "status",
            "approved_by_id",
            "approved_at",
            "reminder_level",
        }

    def _compute_display_name(self):
        for qualification in self:
            qualification.display_name = self.env._(
                "%(supplier)s — %(category)s",
                supplier=qualification.partner_id.display_name or "",
                category=qualification.service_category_id.display_name or "",
            )

    def write(self, vals):
        touched = [name for name in APPROVED_FIELDS if name in vals]
        if touched and not self.env.su:
            approved = self.filtered("approved_at")
            if approved:
                raise UserError(
                    self.env._(
                        "%(fields)s of the approved qualification “%(name)s” cannot change: "
                        "record a new qualification instead (a renewal).",
                        fields=", ".join(
                            sorted(self._fields[n]._description_string(self.env) for n in touched)
                        ),
                        name=approved[0].display_name,
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        if self.filtered("approved_at"):
            raise UserError(
                self.env._("An approved qualification is a record and cannot be deleted.")
            )

    def action_approve(self):
        return self._tsq_approve("qualified")

    def action_approve_conditional(self):
        return self._tsq_approve("conditional")

    def _tsq_approve(self, status):
        """A Quality Manager approves the proposed qualifications: the supplier is
        qualified for the category on those dates (recorded in its status history)."""
        self.env["res.partner"]._tsq_check_quality_manager()
        now = fields.Datetime.now()
        history = []
        lock_for_decision(self)
        for qualification in self:
            if qualification.status != "pending":
                raise UserError(
                    self.env._(
                        "“%(name)s” has already been decided.", name=qualification.display_name
                    )
                )
            if status == "conditional" and not (qualification.conditions or "").strip():
                raise UserError(
                    self.env._("Write the conditions of a conditional qualification first.")
                )
            qualification.partner_id._tsq_check_valid_document(qualification.valid_from)
            qualification.sudo().write(
                {"status": status, "approved_by_id": self.env.uid, "approved_at": now}
            )
            reason = self.env._(
                "Qualified for %(category)s from %(start)s to %(end)s.",
                category=qualification.service_category_id.name,
                start=format_date(self.env, qualification.valid_from),
                end=format_date(self.env, qualification.valid_to),
            )
            history.append(
                {
                    "partner_id": qualification.partner_id.id,
                    "status": status,
                    "service_category_id": qualification.service_category_id.id,
                    "decided_by_id": self.env.uid,
                    "decided_at": now,
                    "reason": reason,
                    "company_id": qualification.company_id.id,
                }
            )
            qualification.partner_id.sudo().message_post(
                body=Markup("%s") % reason, subtype_xmlid="mail.mt_note"
            )
        self.env["tsq.supplier.status"].sudo().create(history)
        return True

    # ------------------------------------------------------------------ reminders
    def _tsq_expiry_domain(self):
        return [("status", "in", USABLE_STATUSES)]

    def _tsq_renewed(self):
        if not self:
            return self.browse()
        later = self.sudo().search_read(
            [
                ("partner_id", "in", self.partner_id.ids),
                ("service_category_id", "in", self.service_category_id.ids),
                ("status", "in", USABLE_STATUSES),
                ("valid_to", ">", min(self.mapped("valid_to"))),
            ],
            ["partner_id", "service_category_id", "company_id", "valid_to"],
        )
        ends = {}
        for row in later:
            key = (row["partner_id"][0], row["service_category_id"][0], row["company_id"][0])
            ends[key] = max(ends.get(key, row["valid_to"]), row["valid_to"])
        return self.filtered(
            lambda q: (
                ends.get((q.partner_id.id, q.service_category_id.id, q.company_id.id), q.valid_to)
                > q.valid_to
            )
        )

    def _tsq_expiry_label(self):
        self.ensure_one()
        return self.env._(
            "Qualification of %(supplier)s for %(category)s",
            supplier=self.partner_id.display_name,
            category=self.service_category_id.display_name,
        )
