from odoo import api, fields, models
from odoo.exceptions import UserError

FINDING_KINDS = [
    ("nonconformity", "Nonconformity"),
    ("observation", "Observation"),
    ("improvement", "Opportunity for improvement"),
]


# What describes a finding; fixed once its audit is closed.
FINDING_FIELDS = {
    "audit_id",
    "date",
    "kind",
    "name",
    "clause",
    "service_id",
    "service_category_id",
    "employee_id",
    "description",
}


class TsqAuditFinding(models.Model):
    """A finding of an internal audit (内审发现): a nonconformity, an observation
    or an opportunity for improvement, possibly about one service and the work
    of one employee (it counts in their staff scorecard). A nonconformity is
    raised as an OCA nonconformity, and any finding can propose one improvement
    action; each link is made once and kept both ways."""

    _name = "tsq.audit.finding"
    _description = "Internal Audit Finding"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Summary", required=True, tracking=True)
    audit_id = fields.Many2one(
        "mgmtsystem.audit",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    audit_state = fields.Selection(related="audit_id.state", string="Audit Status")
    company_id = fields.Many2one(
        "res.company",
        compute="_compute_company_id",
        store=True,
        index=True,
        readonly=True,
        precompute=True,
    )
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    kind = fields.Selection(
        FINDING_KINDS, required=True, default="nonconformity", index=True, tracking=True
    )
    clause = fields.Char(
        string="Requirement", help="The clause or procedure concerned, e.g. R5 S5 Acceptance."
    )
    process = fields.Selection(related="audit_id.tsq_process", store=True, string="Process")
    service_id = fields.Many2one(
        "project.project",
        index="btree_not_null",
        domain=[("is_service", "=", True)],
        check_company=True,
    )
    service_category_id = fields.Many2one(
        "tsq.service.category",
        compute="_compute_service_category_id",
        store=True,
        readonly=False,
        index="btree_not_null",
    )
    employee_id = fields.Many2one(
        "hr.employee",
        string="Employee Concerned",
        index="btree_not_null",
        check_company=True,
        help="The person whose work the finding is about: it counts in their staff scorecard.",
    )
    description = fields.Text(required=True)
    action_id = fields.Many2one(
        "mgmtsystem.action",
        string="Improvement Action",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    nonconformity_id = fields.Many2one(
        "mgmtsystem.nonconformity",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )

    @api.depends("audit_id.company_id")
    def _compute_company_id(self):
        for finding in self:
            finding.company_id = finding.audit_id.company_id or self.env.company

    @api.depends("service_id", "audit_id.tsq_service_category_id")
    def _compute_service_category_id(self):
        for finding in self:
            finding.service_category_id = (
                finding.service_id.service_category_id
                or finding.audit_id.tsq_service_category_id
                or finding.service_category_id
            )

    # ------------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        findings = super().create(vals_list)
        if not self.env.su:
            findings._tsq_check_audit_open()
        return findings

    def write(self, vals):
        if not self.env.su and FINDING_FIELDS & set(vals):
            self._tsq_check_audit_open()
        res = super().write(vals)
        if not self.env.su and "audit_id" in vals:
            self._tsq_check_audit_open()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_closed_audit(self):
        if self.filtered(lambda f: f.audit_id.state == "done"):
            raise UserError(
                self.env._("Findings of a closed audit are records and cannot be deleted.")
            )
        if self.filtered(lambda f: f.action_id or f.nonconformity_id):
            raise UserError(
                self.env._(
                    "A finding that raised a nonconformity or an improvement action "
                    "cannot be deleted."
                )
            )

    def _tsq_check_audit_open(self):
        closed = self.filtered(lambda f: f.audit_id.state == "done")
        if closed:
            raise UserError(
                self.env._(
                    "The audit %(audit)s is closed: its findings are records and cannot "
                    "be added or changed.",
                    audit=closed[0].audit_id.display_name,
                )
            )

    # ---------------------------------------------------------------- actions
    def _tsq_owner(self):
        """Who takes the finding in hand: the employee concerned, the service's
        responsible, the audit manager, else a Quality Manager."""
        self.ensure_one()
        return (
            self.employee_id.user_id
            or self.service_id.user_id
            or self.audit_id.user_id
            or self.env["res.partner"]._tsq_quality_manager(self.company_id)
        )

    def _tsq_describe(self):
        self.ensure_one()
        lines = [
            self.env._(
                "Internal audit %(audit)s, finding of %(date)s: %(name)s",
                audit=self.audit_id.display_name,
                date=fields.Date.to_string(self.date),
                name=self.name,
            )
        ]
        if self.clause:
            lines.append(self.env._("Requirement: %(clause)s", clause=self.clause))
        if self.service_id:
            lines.append(self.env._("Service: %(service)s", service=self.service_id.display_name))
        if self.employee_id:
            lines.append(self.env._("Employee: %(name)s", name=self.employee_id.name))
        lines.append(self.description or "")
        return "\n".join(lines)

    def action_propose_action(self):
        """Propose the finding's improvement action (once)."""
        self.check_access("write")
        for finding in self:
            if finding.action_id:
                raise UserError(
                    self.env._(
                        "The finding “%(name)s” already has its improvement action %(action)s.",
                        name=finding.name,
                        action=finding.action_id.name,
                    )
                )
            action = self.env["mgmtsystem.action"]._tsq_propose(
                finding,
                "tsq_audit_finding_id",
                self.env._("Audit finding: %(name)s", name=finding.name),
                finding._tsq_describe(),
                finding._tsq_owner(),
                "action_id",
                type_action="improvement" if finding.kind == "improvement" else "correction",
            )
            if finding.nonconformity_id:
                finding.nonconformity_id.sudo().action_ids = [fields.Command.link(action.id)]
            audit = finding.audit_id.sudo()
            if action.type_action == "improvement":
                audit.imp_opp_ids = [fields.Command.link(action.id)]
        return self._tsq_open(self[:1].action_id) if len(self) == 1 else True

    def action_raise_nonconformity(self):
        """Raise the finding as a nonconformity of the management system (once)."""
        self.check_access("write")
        origin = self.env.ref(
            "mgmtsystem_nonconformity.nc_origin_internal_audit", raise_if_not_found=False
        )
        for finding in self:
            if finding.kind != "nonconformity":
                raise UserError(
                    self.env._(
                        "Only a finding of kind “Nonconformity” is raised as a nonconformity; "
                        "propose an improvement action for “%(name)s” instead.",
                        name=finding.name,
                    )
                )
            if finding.nonconformity_id:
                raise UserError(
                    self.env._(
                        "The finding “%(name)s” was already raised as nonconformity %(ref)s.",
                        name=finding.name,
                        ref=finding.nonconformity_id.ref,
                    )
                )
            company = finding.company_id
            nonconformity = (
                self.env["mgmtsystem.nonconformity"]
                .sudo()
                .create(
                    {
                        "name": finding.name,
                        "partner_id": (finding.service_id.partner_id or company.partner_id).id,
                        "responsible_user_id": finding._tsq_owner().id,
                        "manager_user_id": self.env["res.partner"]._tsq_quality_manager(company).id,
                        "user_id": self.env.user.id,
                        "origin_ids": [fields.Command.set(origin.ids)],
                        "description": finding._tsq_describe(),
                        "company_id": company.id,
                        "audit_ids": [fields.Command.link(finding.audit_id.id)],
                        "res_model": finding._name,
                        "res_id": finding.id,
                        "reference": finding.audit_id.display_name,
                        "tsq_audit_finding_id": finding.id,
                    }
                )
            )
            finding.sudo().nonconformity_id = nonconformity
            finding.message_post(
                body=self.env._(
                    "Nonconformity %(ref)s raised.", ref=nonconformity.ref or nonconformity.name
                ),
                subtype_xmlid="mail.mt_note",
            )
        return self._tsq_open(self[:1].nonconformity_id) if len(self) == 1 else True

    def _tsq_open(self, record):
        if not record or not record.has_access("read"):
            return True
        return record.get_formview_action()
