from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

UNDERTAKING_KINDS = [
    ("confidentiality", "Confidentiality (保密承诺)"),
    ("conduct", "Code of conduct (职业操守承诺)"),
]


class TsqUndertaking(models.Model):
    """A signed code-of-conduct or confidentiality undertaking (R4.2.4, R4.2.5):
    signed on a date, with the document, valid until it must be signed again."""

    _name = "tsq.undertaking"
    _description = "Staff Undertaking"
    _inherit = ["mail.thread", "mail.activity.mixin", "tsq.staff.expiry.mixin"]
    _order = "employee_id, kind, signed_on desc, id"
    _rec_name = "kind"
    _tsq_valid_from_field = "signed_on"

    employee_id = fields.Many2one(
        "hr.employee", required=True, index=True, ondelete="cascade", tracking=True
    )
    company_id = fields.Many2one(related="employee_id.company_id", store=True, index=True)
    kind = fields.Selection(UNDERTAKING_KINDS, required=True, tracking=True)
    signed_on = fields.Date(required=True, tracking=True)
    valid_to = fields.Date(
        compute="_compute_valid_to",
        store=True,
        readonly=False,
        tracking=True,
        help="When it must be signed again; by default the signing date plus the "
        "company's re-signing period.",
    )
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "tsq_undertaking_attachment_rel",
        string="Signed Document",
        groups="tech_service_quality.group_tsq_manager",
    )

    @api.depends("signed_on", "employee_id.company_id.tsq_undertaking_months")
    def _compute_valid_to(self):
        for rec in self:
            months = rec.employee_id.company_id.tsq_undertaking_months
            if rec.signed_on and months and not rec.valid_to:
                rec.valid_to = rec.signed_on + relativedelta(months=months, days=-1)

    def _tsq_reminder_text(self, days):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        return self.env._(
            "%(kind)s of %(employee)s must be signed again by %(date)s (%(days)s days)",
            kind=kinds.get(self.kind),
            employee=self.employee_id.name,
            date=self.valid_to,
            days=days,
        )
