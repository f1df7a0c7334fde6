"""External evaluators (R6.3, the explanatory note's 七.3 "监督评价"): people from
outside the agency — an industry association, a third-party body — who read its
quality records for a while.

A Quality Manager grants a *Quality Evaluator* access to one company for a date
range. The evaluator's record rules (security/tsq_evaluator_rules.xml) open the
records of the companies of the grants in force today, read-only, and nothing once
the last grant has ended: access expires by itself. Clients' contract documents
and signatures stay closed unless the grant says so. Every record an evaluator
opens or prints is logged."""

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

EVALUATOR = "tech_service_quality.group_tsq_evaluator"


CONTRACT_READER = "tech_service_quality.group_tsq_evaluator_contracts"


STAFF = "tech_service_quality.group_tsq_user"


# Clients' contract documents and signatures, per model: closed to an evaluator
# whose grant does not include them (read as empty).
CONTRACT_FIELDS = {
    "project.project": (
        "contract_attachment_ids",
        "plan_confirm_attachment_ids",
    ),
    "tsq.acceptance": ("signature", "signed_by", "objection_attachment_ids"),
    "tsq.gate.item": ("attachment_ids",),
    "tsq.gate.passage": ("attachment_ids",),
}


# Attachments of these models are the clients' documents.
CONTRACT_ATTACHMENT_MODELS = ("project.project", "tsq.acceptance", "tsq.gate.item")


class TsqEvaluatorGrant(models.Model):
    _name = "tsq.evaluator.grant"
    _description = "Evaluator Access Grant"
    _inherit = ["mail.thread"]
    _order = "date_to desc, id desc"
    _check_company_auto = True

    user_id = fields.Many2one(
        "res.users",
        string="Evaluator",
        required=True,
        index=True,
        tracking=True,
        domain=[("share", "=", False)],
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    body = fields.Char(string="Evaluating Body", tracking=True)
    purpose = fields.Text(help="The evaluation or supervision the access is for.")
    date_from = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    date_to = fields.Date(required=True, tracking=True)
    include_contracts = fields.Boolean(
        string="Contract Documents and Signatures",
        tracking=True,
        help="Also open the clients' contract documents, plan confirmations, acceptance "
        "signatures and the evidence files of the gates. Off: these stay closed.",
    )
    granted_by_id = fields.Many2one(
        "res.users", readonly=True, default=lambda self: self.env.user, string="Granted by"
    )
    revoked_at = fields.Datetime(readonly=True, tracking=True)
    state = fields.Selection(
        [
            ("scheduled", "Scheduled"),
            ("active", "In force"),
            ("expired", "Expired"),
            ("revoked", "Revoked"),
        ],
        compute="_compute_state",
        search="_search_state",
    )

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for grant in self:
            if grant.date_to < grant.date_from:
                raise ValidationError(self.env._("A grant must end on or after its start."))

    @api.depends("date_from", "date_to", "revoked_at")
    @api.depends_context("tsq_today")
    def _compute_state(self):
        for grant in self:
            today = grant._today()
            if grant.revoked_at:
                grant.state = "revoked"
            elif today < grant.date_from:
                grant.state = "scheduled"
            elif today > grant.date_to:
                grant.state = "expired"
            else:
                grant.state = "active"

    def _today(self):
        company = self.company_id or self.env.company
        return self.env.context.get("tsq_today") or company._tsq_today()

    def _search_state(self, operator, value):
        if operator not in ("=", "in"):
            raise ValidationError(self.env._("Search grants by state with = or in."))
        values = [value] if operator == "=" else value
        ids = self.search([("id", "!=", 0)]).filtered(lambda g: g.state in values).ids
        return [("id", "in", ids)]

    def _check_quality_manager(self):
        if not self.env.su and not self.env.user.has_group(
            "tech_service_quality.group_tsq_quality_manager"
        ):
            raise AccessError(self.env._("Only a Quality Manager grants evaluator access."))

    @api.model_create_multi
    def create(self, vals_list):
        self._check_quality_manager()
        grants = super().create(vals_list)
        grants._tsq_sync_users()
        return grants

    def write(self, vals):
        self._check_quality_manager()
        result = super().write(vals)
        self._tsq_sync_users()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise ValidationError(
            self.env._("A grant is a record of who could read what: revoke it instead.")
        )

    def action_revoke(self):
        self._check_quality_manager()
        self.filtered(lambda g: not g.revoked_at).write({"revoked_at": fields.Datetime.now()})
        return True

    def _tsq_sync_users(self):
        """Evaluators hold the evaluator group; the contract group while a grant in
        force includes contracts. Record rules read the grants themselves."""
        evaluator = self.env.ref(EVALUATOR)
        contracts = self.env.ref(CONTRACT_READER)
        for user in self.sudo().user_id:
            grants = self.sudo().search([("user_id", "=", user.id)])
            with_contracts = any(g.state == "active" and g.include_contracts for g in grants)
            commands = [(4, evaluator.id), (4 if with_contracts else 3, contracts.id)]
            user.sudo().write({"groups_id": commands})
        self.env.registry.clear_cache()

    @api.model
    def _tsq_cron_sync(self):
        """Daily: grants that start or end today change who reads contracts."""
        self.sudo().search(
            [("date_to", ">=", fields.Date.add(fields.Date.today(), days=-2))]
        )._tsq_sync_users()
