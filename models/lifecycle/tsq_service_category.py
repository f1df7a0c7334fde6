from odoo import fields, models

from ...lib.stages import GATE_STAGES
from ..core.res_company import LIMIT_UNITS


class TsqServiceCategory(models.Model):
    _name = "tsq.service.category"
    _description = "Technology Service Category"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Short code, e.g. IP, TT, TIC.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    company_id = fields.Many2one(
        "res.company", help="Leave empty to share the category between companies."
    )
    response_time = fields.Float(
        string="Committed Response Time",
        default=24.0,
        required=True,
        help="Time within which an inquiry at reception (S1) must be answered.",
    )
    response_unit = fields.Selection(
        LIMIT_UNITS, string="Response Time Unit", default="clock_hours", required=True
    )
    return_visit_days = fields.Integer(
        string="Return Visit After (days)",
        default=30,
        required=True,
        help="A return visit is due this many calendar days after acceptance.",
    )
    objection_days = fields.Integer(
        string="Objection Handling Limit (working days)",
        default=5,
        required=True,
        help="An acceptance objection must be handled and closed within this many "
        "working days of being raised.",
    )
    limit_s1_days = fields.Integer("S1 Limit (working days)", default=3)
    limit_s2_days = fields.Integer("S2 Limit (working days)", default=10)
    limit_s3_days = fields.Integer("S3 Limit (working days)", default=10)
    limit_s4_days = fields.Integer(
        "S4 Limit (working days)",
        default=0,
        help="0: the implementation ends on the contract delivery date.",
    )
    limit_s5_days = fields.Integer("S5 Limit (working days)", default=10)
    limit_s6_days = fields.Integer("S6 Limit (working days)", default=45)
    gate_template_ids = fields.One2many("tsq.gate.template", "category_id", string="Gate Checklist")
    # Staff competence (R4.2)
    required_qualification_type_ids = fields.Many2many(
        "tsq.qualification.type",
        string="Required Qualifications",
        help="Everyone assigned to a service of this category must validly hold these "
        "on the service's dates.",
    )
    require_confidentiality = fields.Boolean(
        string="Confidentiality Undertaking Required",
        help="Staff must have a valid confidentiality undertaking (R4.2.5).",
    )
    require_conduct = fields.Boolean(
        string="Code-of-Conduct Undertaking Required",
        help="Staff must have a valid code-of-conduct undertaking (R4.2.4).",
    )
    staff_check = fields.Selection(
        [
            ("block", "Refuse the assignment"),
            ("warn", "Record it for a manager's approval"),
        ],
        string="Unqualified Staff",
        default="block",
        required=True,
        help="What happens when someone without the required qualifications or "
        "undertakings is assigned: refused, or recorded as a gate item that a Service "
        "Manager must approve before the stage can be passed.",
    )
    supplier_reevaluation_months = fields.Integer(
        string="Suppliers Re-evaluated Every (months)",
        help="How often a supplier qualified for this category is evaluated again "
        "(R4.3.3). 0: the company's interval (12 months by default).",
    )
    service_count = fields.Integer(compute="_compute_service_count")

    _sql_constraints = [
        ("code_uniq", "unique(code, company_id)", "The category code must be unique."),
        (
            "limits_positive",
            "CHECK(response_time > 0 AND return_visit_days >= 0 AND objection_days > 0"
            " AND limit_s1_days >= 0 AND limit_s2_days >= 0 AND limit_s3_days >= 0"
            " AND limit_s4_days >= 0 AND limit_s5_days >= 0 AND limit_s6_days >= 0"
            " AND supplier_reevaluation_months >= 0)",
            "Time limits cannot be negative, and the response time and objection "
            "limit must be positive.",
        ),
    ]

    def _compute_service_count(self):
        counts = dict(
            self.env["project.project"]._read_group(
                [("service_category_id", "in", self.ids)],
                ["service_category_id"],
                ["__count"],
            )
        )
        for category in self:
            category.service_count = counts.get(category, 0)

    def _stage_limit_days(self, stage):
        self.ensure_one()
        return self[f"limit_{stage}_days"] if stage in dict(GATE_STAGES) else 0

    def action_view_services(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tech_service_quality.project_project_action_services"
        )
        action["domain"] = [("service_category_id", "=", self.id)]
        return action
