from odoo import api, fields, models
from odoo.exceptions import ValidationError


class TsqEmployeeQualification(models.Model):
    """A qualification or certificate an employee holds: number, issuing body,
    validity, the document, and the service categories it qualifies for."""

    _name = "tsq.employee.qualification"
    _description = "Employee Qualification"
    _inherit = ["mail.thread", "mail.activity.mixin", "tsq.staff.expiry.mixin"]
    _order = "employee_id, valid_to desc, id"
    _rec_name = "type_id"

    employee_id = fields.Many2one(
        "hr.employee", required=True, index=True, ondelete="cascade", tracking=True
    )
    company_id = fields.Many2one(related="employee_id.company_id", store=True, index=True)
    type_id = fields.Many2one(
        "tsq.qualification.type", string="Qualification", required=True, tracking=True
    )
    number = fields.Char(string="Certificate Number", tracking=True)
    issuer = fields.Char(string="Issuing Body")
    valid_from = fields.Date(tracking=True)
    valid_to = fields.Date(tracking=True)
    category_ids = fields.Many2many(
        "tsq.service.category",
        string="Qualifies For",
        help="The service categories this qualification qualifies the person for.",
    )
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "tsq_employee_qualification_attachment_rel",
        string="Documents",
        groups="tech_service_quality.group_tsq_manager",
    )
    note = fields.Text()

    @api.constrains("valid_from", "valid_to")
    def _check_dates(self):
        for rec in self:
            if rec.valid_from and rec.valid_to and rec.valid_to < rec.valid_from:
                raise ValidationError(
                    self.env._(
                        "%(qualification)s of %(employee)s: the end of validity is before "
                        "its start.",
                        qualification=rec.type_id.display_name,
                        employee=rec.employee_id.name,
                    )
                )

    def _tsq_reminder_text(self, days):
        return self.env._(
            "%(qualification)s of %(employee)s expires on %(date)s (%(days)s days)",
            qualification=self.type_id.name,
            employee=self.employee_id.name,
            date=self.valid_to,
            days=days,
        )
