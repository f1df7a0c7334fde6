from odoo import api, fields, models


class TsqSupplierDocument(models.Model):
    """A qualification document of a supplier (R4.3.1): business licence,
    certification, capability statement, with its validity. The files are
    confidential: only Service Managers and above can read them (the field's
    group, and Odoo's attachment check through ``res_field``)."""

    _name = "tsq.supplier.document"
    _inherit = ["tsq.supplier.expiry.mixin"]
    _description = "Supplier Qualification Document"
    _order = "partner_id, valid_to desc, id desc"

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

    def _tsq_system_fields(self):
        return super()._tsq_system_fields() | {"reminder_level"}

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
