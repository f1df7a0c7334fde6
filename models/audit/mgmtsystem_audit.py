from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ...lib.stages import GATE_STAGES

# The processes an internal audit covers: the six lifecycle stages and the
# supporting processes of the standard.
AUDIT_PROCESSES = [
    *GATE_STAGES,
    ("complaints", "Complaint handling"),
    ("suppliers", "Suppliers and outsourcing"),
    ("staff", "Staff competence"),
]


PLAN_LOCKED_FIELDS = {"name", "year", "company_id"}


class MgmtsystemAudit(models.Model):
    _inherit = "mgmtsystem.audit"

    def init(self):
        res = super().init()
        # audits of the product's plans filed before the system field was set
        system = self.env.ref(
            "tech_service_quality.mgmtsystem_system_service_quality", raise_if_not_found=False
        )
        if system:
            self.env.cr.execute(
                "UPDATE mgmtsystem_audit SET system_id = %s"
                " WHERE system_id IS NULL AND tsq_plan_id IS NOT NULL",
                [system.id],
            )
        return res

    @api.model_create_multi
    def create(self, vals_list):
        self.env["res.company"]._tsq_set_mgmtsystem(vals_list)
        return super().create(vals_list)

    tsq_plan_id = fields.Many2one(
        "tsq.audit.plan",
        string="Audit Plan",
        index="btree_not_null",
        ondelete="restrict",
        tracking=True,
    )
    tsq_process = fields.Selection(AUDIT_PROCESSES, string="Process Audited", tracking=True)
    tsq_service_category_id = fields.Many2one(
        "tsq.service.category", string="Service Category Audited", tracking=True
    )
    tsq_finding_ids = fields.One2many("tsq.audit.finding", "audit_id", string="Findings")
    tsq_finding_count = fields.Integer(
        compute="_compute_tsq_finding_count", string="Number of Findings"
    )

    @api.depends("tsq_finding_ids")
    def _compute_tsq_finding_count(self):
        counts = dict(
            self.env["tsq.audit.finding"]._read_group(
                [("audit_id", "in", self.ids)], ["audit_id"], ["__count"]
            )
        )
        for audit in self:
            audit.tsq_finding_count = counts.get(audit, 0)

    @api.constrains("tsq_plan_id", "company_id")
    def _check_tsq_plan_company(self):
        for audit in self:
            plan = audit.tsq_plan_id
            if plan and audit.company_id and plan.company_id != audit.company_id:
                raise ValidationError(
                    self.env._(
                        "The audit %(audit)s and its plan %(plan)s belong to different companies.",
                        audit=audit.display_name,
                        plan=plan.display_name,
                    )
                )

    def button_close(self):
        """Closing the audit raises its nonconformity findings as nonconformities
        and proposes the action of its nonconformity and improvement findings
        (corrective or improvement; each once). Observations are left to the
        auditor's judgement (buttons on the finding)."""
        res = super().button_close()
        for finding in self.sudo().tsq_finding_ids:
            if finding.kind == "nonconformity" and not finding.nonconformity_id:
                finding.action_raise_nonconformity()
            if finding.kind in ("nonconformity", "improvement") and not finding.action_id:
                finding.action_propose_action()
        return res

    def action_tsq_open_findings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tech_service_quality.tsq_audit_finding_action"
        )
        action["domain"] = [("audit_id", "=", self.id)]
        action["context"] = {"default_audit_id": self.id}
        return action
