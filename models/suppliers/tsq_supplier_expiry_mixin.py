from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date

# The reminder levels of supplier documents and qualifications (days before the end
# of validity) when the company's expiry reminder settings are both 0.
DEFAULT_REMINDER_DAYS = (60, 30)


class TsqSupplierExpiryMixin(models.AbstractModel):
    """A supplier record valid between two dates (``tsq.expiry.mixin`` with a start
    date): its reminders go to the supplier's manager as activities on the
    supplier, at the supplier reminder levels (:meth:`_tsq_expiry_levels`)."""

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
        """The company's expiry reminder settings (Tech Services → Configuration →
        Settings, shared with the staff qualifications), largest first; 60 and 30 days
        when both are 0. A document or qualification is "expiring" within the first
        (largest) level."""
        return super()._tsq_expiry_levels() or list(DEFAULT_REMINDER_DAYS)

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
