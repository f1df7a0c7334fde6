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
        return self.env.context.get("tsq_today") or self.env["tsq.indicator.snapshot"]._tsq_today(
            company
        )

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


class ResUsers(models.Model):
    _inherit = "res.users"

    tsq_evaluator_company_ids = fields.Many2many(
        "res.company",
        compute="_compute_tsq_evaluator_company_ids",
        string="Companies Open to the Evaluator",
    )

    def _compute_tsq_evaluator_company_ids(self):
        Grant = self.env["tsq.evaluator.grant"].sudo()
        for user in self:
            grants = Grant.search([("user_id", "=", user.id), ("revoked_at", "=", False)])
            user.tsq_evaluator_company_ids = grants.filtered(
                lambda g: g.state == "active"
            ).company_id

    def _tsq_is_evaluator(self):
        """An outside evaluator: in the evaluator group and not agency staff."""
        self.ensure_one()
        return self.has_group(EVALUATOR) and not self.has_group(STAFF)

    def _tsq_reads_contracts(self):
        self.ensure_one()
        return not self._tsq_is_evaluator() or self.has_group(CONTRACT_READER)


class IrRule(models.Model):
    _inherit = "ir.rule"

    def _compute_domain_context_values(self):
        """Evaluator grants end with the day: the cached rule domains too."""
        yield from super()._compute_domain_context_values()
        yield fields.Date.context_today(self)


class TsqEvaluatorAccessLog(models.Model):
    _name = "tsq.evaluator.access.log"
    _description = "Evaluator Access Log"
    _order = "id desc"

    user_id = fields.Many2one("res.users", required=True, readonly=True, index=True)
    at = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    operation = fields.Selection(
        [("open", "Opened"), ("print", "Printed")], required=True, readonly=True
    )
    res_model = fields.Char(string="Model", required=True, readonly=True, index=True)
    res_id = fields.Integer(string="Record ID", readonly=True)
    res_name = fields.Char(string="Record", readonly=True)
    report = fields.Char(readonly=True)

    def write(self, vals):
        if vals:
            raise ValidationError(self.env._("The evaluator access log cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise ValidationError(self.env._("The evaluator access log cannot be deleted."))

    @api.model
    def _tsq_log(self, records, operation, report=None):
        user = self.env.user
        if not records or self.env.su or not user._tsq_is_evaluator():
            return
        # one line per record and transaction (a PDF passes the guard more than once)
        logged = self.env.cr.cache.setdefault("tsq_evaluator_logged", set())
        keys = {(user.id, operation, records._name, rid, report) for rid in records.ids}
        records = records.browse([key[3] for key in keys - logged])
        logged |= keys
        if not records:
            return
        names = {r.id: r.display_name for r in records.sudo()}
        self.sudo().create(
            [
                {
                    "user_id": user.id,
                    "operation": operation,
                    "res_model": records._name,
                    "res_id": record_id,
                    "res_name": names.get(record_id, ""),
                    "report": report,
                }
                for record_id in records.ids
            ]
        )


class Base(models.AbstractModel):
    _inherit = "base"

    def web_read(self, specification):
        result = super().web_read(specification)
        if self and not self.env.su and self._name != "tsq.evaluator.access.log":
            user = self.env.user
            if not user.share and user.has_group(EVALUATOR):
                self.env["tsq.evaluator.access.log"]._tsq_log(self, "open")
        return result

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load)
        closed = CONTRACT_FIELDS.get(self._name)
        if closed and not self.env.su and not self.env.user._tsq_reads_contracts():
            for values in result:
                for name in closed:
                    if name in values:
                        values[name] = [] if name.endswith("_ids") else False
        return result


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    @api.model
    def check(self, mode, values=None):
        result = super().check(mode, values)
        if self and not self.env.su and not self.env.user._tsq_reads_contracts():
            self.env.cr.execute(
                "SELECT 1 FROM ir_attachment WHERE id IN %s AND res_model IN %s LIMIT 1",
                [tuple(self.ids), CONTRACT_ATTACHMENT_MODELS],
            )
            if self.env.cr.fetchone():
                raise AccessError(
                    self.env._(
                        "Clients' contract documents are not open to evaluators under this grant."
                    )
                )
        return result
