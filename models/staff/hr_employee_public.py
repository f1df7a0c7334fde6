from odoo import api, fields, models


class HrEmployeePublic(models.Model):
    """What a colleague without HR rights sees of an employee (Odoo shows them the
    public employee): the competence tab for the service staff's managers, each list
    read with the reader's own rights (record rules), never in sudo."""

    _inherit = "hr.employee.public"

    tsq_service_staff = fields.Boolean(related="employee_id.tsq_service_staff")
    tsq_qualification_ids = fields.One2many(
        "tsq.employee.qualification",
        compute="_compute_tsq_competence",
        string="Qualifications",
        groups="tech_service_quality.group_tsq_user",
    )
    tsq_undertaking_ids = fields.One2many(
        "tsq.undertaking",
        compute="_compute_tsq_competence",
        string="Undertakings",
        groups="tech_service_quality.group_tsq_user",
    )

    @api.depends_context("uid")
    def _compute_tsq_competence(self):
        qualifications = self.env["tsq.employee.qualification"].search(
            [("employee_id", "in", self.ids)]
        )
        undertakings = self.env["tsq.undertaking"].search([("employee_id", "in", self.ids)])
        for employee in self:
            employee.tsq_qualification_ids = qualifications.filtered(
                lambda q, e=employee: q.employee_id.id == e.id
            )
            employee.tsq_undertaking_ids = undertakings.filtered(
                lambda u, e=employee: u.employee_id.id == e.id
            )
