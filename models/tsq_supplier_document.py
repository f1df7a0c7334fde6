from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression
from odoo.tools import format_date


class TsqSupplierExpiryMixin(models.AbstractModel):
    """A supplier record valid between two dates (``tsq.expiry.mixin`` with a start
    date): its reminders go to the supplier's manager as activities on the
    supplier, at the supplier reminder levels (``res.partner._tsq_reminder_levels``)."""

    _name = "tsq.supplier.expiry.mixin"
    _inherit = ["tsq.expiry.mixin", "tsq.record.mixin"]
    _description = "Supplier record with a validity period"
    _tsq_expiry_activity_type = "tech_service_quality.mail_activity_type_supplier_expiry"

    valid_from = fields.Date()

    @api.constrains("valid_from", "valid_to")
    def _check_validity_dates(self):
        for record in self:
            if record.valid_from and record.valid_to and record.valid_to < record.valid_from:
                raise ValidationError(
                    self.env._(
                        "%(record)s: the end of validity cannot be before its start.",
                        record=record.display_name,
                    )
                )

    @api.model
    def _tsq_expiry_levels(self):
        return self.env["res.partner"]._tsq_reminder_levels()

    def _tsq_expiry_label(self):
        self.ensure_one()
        return self.display_name

    def _tsq_expiry_activity_vals(self, level, today):
        """One activity on the supplier for each record, to its supplier manager (or
        the fallback: whoever runs the scan, else a Quality Manager)."""
        if not self:
            return []
        model_id = self.env["ir.model"]._get_id("res.partner")
        activity_type = self.env.ref(self._tsq_expiry_activity_type)
        fallback_user = None
        vals_list = []
        for record in self:
            partner = record.partner_id
            user = partner.tsq_supplier_manager_id
            if not user:
                fallback_user = (
                    fallback_user or self.env["res.partner"]._tsq_fallback_supplier_manager()
                )
                user = fallback_user
            vals_list.append(
                {
                    "activity_type_id": activity_type.id,
                    "res_model_id": model_id,
                    "res_id": partner.id,
                    "user_id": user.id,
                    "date_deadline": record.valid_to,
                    "summary": self.env._(
                        "%(what)s expires on %(date)s (%(days)s days)",
                        what=record._tsq_expiry_label(),
                        date=format_date(self.env, record.valid_to),
                        days=(record.valid_to - today).days,
                    ),
                    "note": self.env._(
                        "Ask %(supplier)s for the renewed document, record it in the "
                        "supplier's qualification file, and have the qualification "
                        "renewed before it ends.",
                        supplier=partner.display_name,
                    ),
                    "automated": True,
                }
            )
        return vals_list


class TsqSupplierDocument(models.Model):
    """A qualification document of a supplier (R4.3.1): business licence,
    certification, capability statement, with its validity. The files are
    confidential: only Service Managers and above can read them (the field's
    group, and Odoo's attachment check through ``res_field``)."""

    _name = "tsq.supplier.document"
    _inherit = ["tsq.supplier.expiry.mixin"]
    _description = "Supplier Qualification Document"
    _order = "partner_id, valid_to desc, id desc"

    _tsq_system_fields = frozenset({"reminder_level"})

    name = fields.Char(string="Title", required=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Supplier",
        required=True,
        index=True,
        ondelete="cascade",
        domain=[("tsq_is_supplier", "=", True)],
    )
    company_id = fields.Many2one(related="partner_id.company_id", store=True, index=True)
    active = fields.Boolean(default=True)
    doc_type = fields.Selection(
        [
            ("business_licence", "Business licence"),
            ("certification", "Certification"),
            ("capability", "Capability statement"),
            ("other", "Other"),
        ],
        string="Type",
        required=True,
        default="business_licence",
    )
    number = fields.Char(help="Unified social credit code, certificate number…")
    issuer = fields.Char(string="Issuing Body")
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "tsq_supplier_document_attachment_rel",
        "document_id",
        "attachment_id",
        string="Files",
        groups="tech_service_quality.group_tsq_manager",
        help="Confidential: visible to Service Managers and Quality Managers only.",
    )
    note = fields.Text()

    @api.model_create_multi
    def create(self, vals_list):
        documents = super().create(vals_list)
        documents._tsq_protect_attachments()
        return documents

    def write(self, vals):
        res = super().write(vals)
        if "attachment_ids" in vals:
            self._tsq_protect_attachments()
        return res

    def _tsq_protect_attachments(self):
        """Tie the files to the confidential field: Odoo then refuses them to anyone
        who cannot read that field (``ir.attachment.check``), and hides them from
        attachment searches and the chatter."""
        for document in self.sudo():
            files = document.attachment_ids.filtered(
                lambda a, d=document: (
                    (a.res_model, a.res_id, a.res_field) != (d._name, d.id, "attachment_ids")
                )
            )
            if files:
                files.write(
                    {
                        "res_model": document._name,
                        "res_id": document.id,
                        "res_field": "attachment_ids",
                    }
                )

    def _compute_display_name(self):
        types = dict(self._fields["doc_type"]._description_selection(self.env))
        for document in self:
            parts = [types.get(document.doc_type) or "", document.name or ""]
            if document.number:
                parts.append(document.number)
            document.display_name = " ".join(p for p in parts if p)

    def _tsq_expiry_domain(self):
        return [("active", "=", True), ("partner_id.tsq_is_supplier", "=", True)]

    def _tsq_renewed(self):
        """A document is renewed by an active one of the same supplier, type and
        title that is valid longer (one query for the whole batch)."""
        if not self:
            return self.browse()
        later = self.sudo().search_read(
            [
                ("partner_id", "in", self.partner_id.ids),
                ("doc_type", "in", list(set(self.mapped("doc_type")))),
                ("name", "in", list(set(self.mapped("name")))),
                ("valid_to", ">", min(self.mapped("valid_to"))),
            ],
            ["partner_id", "doc_type", "name", "valid_to"],
        )
        ends = {}
        for row in later:
            key = (row["partner_id"][0], row["doc_type"], row["name"])
            ends[key] = max(ends.get(key, row["valid_to"]), row["valid_to"])
        return self.filtered(
            lambda d: ends.get((d.partner_id.id, d.doc_type, d.name), d.valid_to) > d.valid_to
        )

    def _tsq_expiry_label(self):
        self.ensure_one()
        return self.env._(
            "%(document)s of %(supplier)s",
            document=self.display_name,
            supplier=self.partner_id.display_name,
        )


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    @api.model
    def _search(self, domain, *args, **kwargs):
        """The files of supplier documents are confidential: whoever is not a Service
        Manager neither finds nor reads them (reading by id goes through ``_search``
        too), whatever their access to the document itself."""
        if not self.env.su and not self.env.user.has_group(
            "tech_service_quality.group_tsq_manager"
        ):
            domain = expression.AND([[("res_model", "!=", "tsq.supplier.document")], list(domain)])
        return super()._search(domain, *args, **kwargs)
