from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..core.tsq_concurrency import lock_for_decision

# What may still change on a recorded evaluation.
RECORDED_WRITABLE = {"notes", "action_id", "message_main_attachment_id"}


class TsqExternalEvaluation(models.Model):
    """A third-party evaluation of the agency (外部评价, R6.3): who evaluated it,
    when, on what scope, the score and conclusion, the report and its findings.
    Recorded, it is evidence and cannot change except for internal notes."""

    _name = "tsq.external.evaluation"
    _description = "Third-party Evaluation"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Title", required=True, tracking=True)
    body = fields.Char(
        string="Evaluating Body",
        required=True,
        tracking=True,
        help="The organisation that carried out the evaluation.",
    )
    date = fields.Date(required=True, default=fields.Date.context_today, index=True, tracking=True)
    scope = fields.Text(required=True, help="What was evaluated: services, period, sites.")
    service_category_id = fields.Many2one("tsq.service.category", check_company=True)
    score = fields.Float(digits=(6, 2), tracking=True)
    score_max = fields.Float(string="Out of", default=100.0, digits=(6, 2))
    score_percent = fields.Float(
        string="Score (%)", compute="_compute_score_percent", store=True, digits=(5, 1)
    )
    conclusion = fields.Text()
    findings = fields.Text(help="The evaluator's findings and recommendations.")
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "tsq_external_evaluation_attachment_rel",
        "evaluation_id",
        "attachment_id",
        string="Report",
    )
    notes = fields.Text(string="Internal Notes", help="Can still be written once recorded.")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    state = fields.Selection(
        [("draft", "Draft"), ("recorded", "Recorded")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    recorded_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    recorded_at = fields.Datetime(readonly=True, copy=False)
    action_id = fields.Many2one(
        "mgmtsystem.action",
        string="Improvement Action",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )

    _sql_constraints = [
        ("score_max_positive", "CHECK(score_max > 0)", "The maximum score must be positive."),
    ]

    @api.depends("score", "score_max")
    def _compute_score_percent(self):
        for evaluation in self:
            evaluation.score_percent = (
                100.0 * evaluation.score / evaluation.score_max if evaluation.score_max else 0.0
            )

    @api.constrains("score", "score_max")
    def _check_score(self):
        for evaluation in self:
            if not 0 <= evaluation.score <= evaluation.score_max:
                raise ValidationError(
                    self.env._(
                        "The score of “%(name)s” must be between 0 and %(max)s.",
                        name=evaluation.name,
                        max=evaluation.score_max,
                    )
                )

    # ------------------------------------------------------------------- CRUD
    def write(self, vals):
        if not self.env.su and set(vals) - RECORDED_WRITABLE:
            recorded = self.filtered(lambda e: e.state == "recorded")
            if recorded:
                raise UserError(
                    self.env._(
                        "The evaluation “%(name)s” is recorded: it is evidence and cannot "
                        "change, except for its internal notes.",
                        name=recorded[0].name,
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_recorded(self):
        if self.filtered(lambda e: e.state == "recorded"):
            raise UserError(self.env._("A recorded third-party evaluation cannot be deleted."))

    # ---------------------------------------------------------------- actions
    def _tsq_check_manager(self):
        if not (self.env.su or self.env.user.has_group("tech_service_quality.group_tsq_manager")):
            raise AccessError(
                self.env._("Only a Service Manager records a third-party evaluation.")
            )
        self.check_access("write")

    def action_record(self):
        """Record the evaluation: it needs its report attached."""
        self._tsq_check_manager()
        lock_for_decision(self)
        for evaluation in self:
            if evaluation.state != "draft":
                raise UserError(self.env._("This evaluation is already recorded."))
            if not evaluation.attachment_ids:
                raise UserError(
                    self.env._(
                        "Attach the evaluation report of “%(name)s” before recording it.",
                        name=evaluation.name,
                    )
                )
            evaluation.sudo().write(
                {
                    "state": "recorded",
                    "recorded_by_id": self.env.uid,
                    "recorded_at": fields.Datetime.now(),
                }
            )
            evaluation.attachment_ids.sudo().write(
                {"res_model": self._name, "res_id": evaluation.id}
            )
            evaluation.message_post(
                body=self.env._(
                    "Third-party evaluation recorded: %(score)s / %(max)s.",
                    score=evaluation.score,
                    max=evaluation.score_max,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_propose_action(self):
        """Turn the evaluator's findings into one improvement action."""
        self._tsq_check_manager()
        for evaluation in self:
            if evaluation.action_id:
                raise UserError(
                    self.env._(
                        "The evaluation “%(name)s” already has its improvement action.",
                        name=evaluation.name,
                    )
                )
            if not (evaluation.findings or "").strip():
                raise UserError(self.env._("Write the evaluator's findings first."))
            self.env["mgmtsystem.action"]._tsq_propose(
                evaluation,
                "tsq_external_evaluation_id",
                self.env._("Third-party evaluation: %(name)s", name=evaluation.name),
                self.env._(
                    "%(body)s, %(date)s (%(score)s / %(max)s)\n%(findings)s",
                    body=evaluation.body,
                    date=fields.Date.to_string(evaluation.date),
                    score=evaluation.score,
                    max=evaluation.score_max,
                    findings=evaluation.findings,
                ),
                self.env["res.partner"]._tsq_quality_manager(evaluation.company_id),
                "action_id",
                type_action="improvement",
            )
        return True

    def action_open_action(self):
        self.ensure_one()
        return self.action_id.get_formview_action()
