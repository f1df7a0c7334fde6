from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..core.tsq_concurrency import lock_for_decision
from .mgmtsystem_audit import AUDIT_PROCESSES, PLAN_LOCKED_FIELDS


class TsqAuditPlan(models.Model):
    """The yearly internal audit programme (年度内审计划, R6.2): the audits planned
    per process and service category, approved by the Quality Manager, and how
    much of the lifecycle and of the categories it covers (planned and audited)."""

    _name = "tsq.audit.plan"
    _description = "Internal Audit Plan"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "year desc, id desc"

    name = fields.Char(required=True, tracking=True)
    year = fields.Integer(
        required=True, default=lambda self: fields.Date.context_today(self).year, tracking=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    objectives = fields.Html(string="Objectives and Criteria")
    state = fields.Selection(
        [("draft", "Draft"), ("approved", "Approved")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    approved_at = fields.Datetime(readonly=True, copy=False)
    audit_ids = fields.One2many("mgmtsystem.audit", "tsq_plan_id", string="Audits")
    audit_count = fields.Integer(compute="_compute_coverage")
    audit_done_count = fields.Integer(compute="_compute_coverage", string="Audits Done")
    finding_count = fields.Integer(compute="_compute_coverage", string="Findings")
    process_planned_rate = fields.Float(
        compute="_compute_coverage",
        string="Processes Planned (%)",
        help="Share of the lifecycle and supporting processes with at least one audit in the plan.",
    )
    process_audited_rate = fields.Float(
        compute="_compute_coverage",
        string="Processes Audited (%)",
        help="Share of the processes with at least one closed audit.",
    )
    unplanned_processes = fields.Char(compute="_compute_coverage", string="Processes Not Planned")
    coverage_html = fields.Html(compute="_compute_coverage", string="Coverage", sanitize=False)

    _sql_constraints = [
        (
            "year_company_uniq",
            "unique(company_id, year)",
            "A company has one internal audit plan per year.",
        ),
        ("year_range", "CHECK(year BETWEEN 2000 AND 2999)", "Give the plan's year."),
    ]

    @api.depends(
        "audit_ids.state",
        "audit_ids.tsq_process",
        "audit_ids.tsq_service_category_id",
        "audit_ids.tsq_finding_ids",
        "company_id",
    )
    def _compute_coverage(self):
        process_labels = dict(
            self.env["mgmtsystem.audit"]._fields["tsq_process"]._description_selection(self.env)
        )
        all_categories = self.env["tsq.service.category"].search(
            ["|", ("company_id", "=", False), ("company_id", "in", self.company_id.ids)]
        )
        for plan in self:
            audits = plan.audit_ids
            done = audits.filtered(lambda a: a.state == "done")
            planned_proc = set(audits.mapped("tsq_process")) - {False}
            audited_proc = set(done.mapped("tsq_process")) - {False}
            plan.audit_count = len(audits)
            plan.audit_done_count = len(done)
            plan.finding_count = len(audits.tsq_finding_ids)
            total = len(AUDIT_PROCESSES)
            plan.process_planned_rate = 100.0 * len(planned_proc) / total
            plan.process_audited_rate = 100.0 * len(audited_proc) / total
            plan.unplanned_processes = ", ".join(
                process_labels[code] for code, _label in AUDIT_PROCESSES if code not in planned_proc
            )
            categories = all_categories.filtered(
                lambda c, company=plan.company_id: not c.company_id or c.company_id == company
            )
            rows = [
                (process_labels[code], audits.filtered(lambda a, c=code: a.tsq_process == c))
                for code, _label in AUDIT_PROCESSES
            ]
            rows += [
                (
                    category.display_name,
                    audits.filtered(lambda a, c=category: a.tsq_service_category_id == c),
                )
                for category in categories
            ]
            plan.coverage_html = plan._tsq_coverage_table(rows)

    def _tsq_coverage_table(self, rows):
        """An HTML table: for each process and category, its planned and closed audits."""
        yes, no = Markup("&#10003;"), Markup("&#8212;")
        header = Markup(
            "<table class='table table-sm o_tsq_audit_coverage'><thead><tr>"
            "<th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>"
        ) % (
            self.env._("Process / service category"),
            self.env._("Planned"),
            self.env._("Audited"),
            self.env._("Audits"),
        )
        body = Markup()
        for label, audits in rows:
            done = audits.filtered(lambda a: a.state == "done")
            css = "" if audits else " class='text-muted'"
            body += Markup("<tr%s><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>") % (
                Markup(css),
                label,
                yes if audits else no,
                yes if done else no,
                ", ".join(a.reference or a.name or "" for a in audits),
            )
        return header + body + Markup("</tbody></table>")

    @api.depends("name", "year")
    def _compute_display_name(self):
        for plan in self:
            plan.display_name = plan.name or str(plan.year)

    # ------------------------------------------------------------------- CRUD
    def write(self, vals):
        if not self.env.su and PLAN_LOCKED_FIELDS & set(vals):
            approved = self.filtered(lambda p: p.state == "approved")
            if approved:
                raise UserError(
                    self.env._(
                        "The audit plan %(plan)s is approved: reset it to draft to change it.",
                        plan=approved[0].display_name,
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        if self.filtered(lambda p: p.state == "approved"):
            raise UserError(self.env._("An approved audit plan cannot be deleted."))

    # ---------------------------------------------------------------- actions
    def _tsq_check_quality_manager(self):
        if not (
            self.env.su or self.env.user.has_group("tech_service_quality.group_tsq_quality_manager")
        ):
            raise AccessError(self.env._("Only a Quality Manager approves an audit plan."))
        self.check_access("write")

    def action_approve(self):
        """The Quality Manager approves the plan: it needs at least one audit."""
        self._tsq_check_quality_manager()
        lock_for_decision(self)
        for plan in self:
            if plan.state != "draft":
                raise UserError(self.env._("This audit plan is already approved."))
            if not plan.audit_ids:
                raise UserError(self.env._("Plan at least one audit before approving the plan."))
            plan.sudo().write(
                {
                    "state": "approved",
                    "approved_by_id": self.env.uid,
                    "approved_at": fields.Datetime.now(),
                }
            )
            body = self.env._("Audit plan approved.")
            if plan.unplanned_processes:
                body = self.env._(
                    "Audit plan approved. Processes not planned this year: %(processes)s.",
                    processes=plan.unplanned_processes,
                )
            plan.message_post(body=body, subtype_xmlid="mail.mt_note")
        return True

    def action_reset_draft(self):
        self._tsq_check_quality_manager()
        self.sudo().write({"state": "draft", "approved_by_id": False, "approved_at": False})
        for plan in self:
            plan.message_post(
                body=self.env._("Audit plan reset to draft."), subtype_xmlid="mail.mt_note"
            )
        return True

    def action_open_audits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tech_service_quality.mgmtsystem_audit_action_tsq"
        )
        action["domain"] = [("tsq_plan_id", "=", self.id)]
        action["context"] = {
            "default_tsq_plan_id": self.id,
            "default_company_id": self.company_id.id,
        }
        return action

    def action_open_findings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tech_service_quality.tsq_audit_finding_action"
        )
        action["domain"] = [("audit_id.tsq_plan_id", "=", self.id)]
        return action
