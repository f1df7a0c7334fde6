from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_round, format_date

from ..core.res_company import reader_lang
from ..core.tsq_concurrency import lock_for_decision

GRADES = [("A", "A"), ("B", "B"), ("C", "C"), ("D", "D")]


# Grade of an evaluation's overall weighted score (0–100): A ≥ 90, B ≥ 75,
# C ≥ 60, D below 60. A grade D proposes the supplier's suspension and an
# improvement action.
GRADE_THRESHOLDS = ((90.0, "A"), (75.0, "B"), (60.0, "C"))


FAILING_GRADE = "D"


# What an evaluation records: fixed once it is confirmed.
LOCKED_FIELDS = (
    "partner_id",
    "company_id",
    "evaluator_id",
    "date_from",
    "date_to",
    "line_ids",
    "attachment_ids",
    "comments",
)


def grade_of(score):
    for threshold, grade in GRADE_THRESHOLDS:
        if score >= threshold:
            return grade
    return FAILING_GRADE


class TsqSupplierEvaluation(models.Model):
    """A periodic evaluation of a supplier (R4.3.3): a score 0–100 per criterion,
    the overall weighted score and its grade. Confirmed, it is a record; a grade D
    proposes the supplier's suspension to the Quality Managers and one improvement
    action."""

    _name = "tsq.supplier.evaluation"
    _inherit = ["mail.thread", "mail.activity.mixin", "tsq.record.mixin"]
    _description = "Supplier Evaluation"
    _order = "date_to desc, id desc"

    partner_id = fields.Many2one(
        "res.partner",
        string="Supplier",
        required=True,
        index=True,
        ondelete="restrict",
        domain=[("tsq_is_supplier", "=", True)],
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    evaluator_id = fields.Many2one(
        "res.users",
        required=True,
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
        tracking=True,
    )
    date_from = fields.Date(string="Period From", required=True)
    date_to = fields.Date(string="Period To", required=True, index=True)
    line_ids = fields.One2many("tsq.supplier.evaluation.line", "evaluation_id", string="Scores")
    score = fields.Float(
        string="Overall Score",
        compute="_compute_score",
        store=True,
        digits=(5, 2),
        help="Weighted mean of the criteria's scores (0–100).",
    )
    grade = fields.Selection(
        GRADES,
        compute="_compute_score",
        store=True,
        help="A: 90 and above; B: 75 and above; C: 60 and above; D: below 60.",
    )
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "tsq_supplier_evaluation_attachment_rel",
        "evaluation_id",
        "attachment_id",
        string="Evidence",
    )
    comments = fields.Text()
    state = fields.Selection(
        [("draft", "Draft"), ("confirmed", "Confirmed")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    confirmed_at = fields.Datetime(readonly=True, copy=False)
    confirmed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    suspension_proposed = fields.Boolean(
        readonly=True,
        copy=False,
        help="Set when a grade D is confirmed: the Quality Managers decide on the "
        "supplier's suspension.",
    )
    action_id = fields.Many2one(
        "mgmtsystem.action",
        string="Improvement Action",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )

    def _tsq_system_fields(self):
        return super()._tsq_system_fields() | {
            "state",
            "confirmed_at",
            "confirmed_by_id",
            "suspension_proposed",
            "action_id",
        }

    @api.depends("line_ids.score", "line_ids.weight")
    def _compute_score(self):
        for evaluation in self:
            total = sum(evaluation.line_ids.mapped("weight"))
            if not total:
                evaluation.score = 0.0
                evaluation.grade = False
                continue
            weighted = sum(line.weight * line.score for line in evaluation.line_ids)
            evaluation.score = float_round(weighted / total, precision_digits=2)
            evaluation.grade = grade_of(evaluation.score)

    def _compute_display_name(self):
        for evaluation in self:
            evaluation.display_name = self.env._(
                "%(supplier)s %(start)s – %(end)s",
                supplier=evaluation.partner_id.display_name or "",
                start=format_date(self.env, evaluation.date_from) if evaluation.date_from else "",
                end=format_date(self.env, evaluation.date_to) if evaluation.date_to else "",
            )

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for evaluation in self:
            if evaluation.date_to < evaluation.date_from:
                raise ValidationError(
                    self.env._("The evaluation period cannot end before it starts.")
                )

    # ------------------------------------------------------------------- CRUD
    @api.model
    def _tsq_default_lines(self):
        """One score line per active criterion, with its current weight."""
        return [
            Command.create({"criterion_id": criterion.id, "weight": criterion.weight})
            for criterion in self.env["tsq.supplier.criterion"].search([])
        ]

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        if "line_ids" in fields_list and not res.get("line_ids"):
            res["line_ids"] = self._tsq_default_lines()
        return res

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("line_ids"):
                vals["line_ids"] = self._tsq_default_lines()
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and set(LOCKED_FIELDS) & set(vals):
            self._tsq_check_draft()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_confirmed(self):
        if self.filtered(lambda e: e.state == "confirmed"):
            raise UserError(
                self.env._("A confirmed supplier evaluation is a record and cannot be deleted.")
            )

    def _tsq_check_draft(self):
        confirmed = self.filtered(lambda e: e.state == "confirmed")
        if confirmed:
            raise UserError(
                self.env._(
                    "The evaluation “%(name)s” is confirmed: it is a record and cannot "
                    "change. Evaluate again instead.",
                    name=confirmed[0].display_name,
                )
            )

    # ---------------------------------------------------------------- actions
    def action_confirm(self):
        """Confirm the evaluation (Service Manager): its scores become a record; a
        grade D proposes the supplier's suspension and an improvement action."""
        if not (self.env.su or self.env.user.has_group("tech_service_quality.group_tsq_manager")):
            raise AccessError(self.env._("Only a Service Manager confirms a supplier evaluation."))
        self.check_access("write")
        lock_for_decision(self)
        for evaluation in self:
            evaluation._tsq_check_draft()
            if not evaluation.line_ids or not sum(evaluation.line_ids.mapped("weight")):
                raise UserError(
                    self.env._(
                        "The evaluation “%(name)s” has no weighted criterion to score.",
                        name=evaluation.display_name,
                    )
                )
            evaluation.sudo().write(
                {
                    "state": "confirmed",
                    "confirmed_at": fields.Datetime.now(),
                    "confirmed_by_id": self.env.uid,
                }
            )
            evaluation.message_post(
                body=self.env._(
                    "Evaluation confirmed: score %(score)s, grade %(grade)s.",
                    score=evaluation.score,
                    grade=evaluation.grade,
                ),
                subtype_xmlid="mail.mt_note",
            )
            if evaluation.grade == FAILING_GRADE:
                evaluation._tsq_propose_suspension()
                evaluation._tsq_propose_action()
        return True

    def _tsq_propose_suspension(self):
        """A grade D puts the supplier's suspension to a Quality Manager (once)."""
        self.ensure_one()
        if self.suspension_proposed:
            return False
        partner = self.partner_id
        manager = self.env["res.partner"]._tsq_quality_manager(self.company_id)
        env = reader_lang(self, manager).env
        partner.sudo().activity_schedule(
            "tech_service_quality.mail_activity_type_supplier_review",
            summary=env._(
                "Grade D: decide whether to suspend %(supplier)s", supplier=partner.display_name
            ),
            note=env._(
                "The evaluation %(evaluation)s scored %(score)s (grade D).",
                evaluation=self.display_name,
                score=self.score,
            ),
            user_id=manager.id,
        )
        self.sudo().suspension_proposed = True
        return True

    def _tsq_propose_action(self):
        """A grade D proposes one corrective action, linked both ways."""
        self.ensure_one()
        partner = self.partner_id
        owner = partner.sudo().tsq_supplier_manager_id or self.env[
            "res.partner"
        ]._tsq_quality_manager(self.company_id)
        weak = self.line_ids.filtered(lambda line: line.score < GRADE_THRESHOLDS[-1][0])
        description = self.env._(
            "Supplier %(supplier)s scored %(score)s (grade D) for %(period)s.\n"
            "Criteria below 60: %(criteria)s",
            supplier=partner.display_name,
            score=self.score,
            period=self.display_name,
            criteria=", ".join(weak.criterion_id.mapped("name")) or "-",
        )
        action = self.env["mgmtsystem.action"]._tsq_propose(
            self,
            "tsq_supplier_evaluation_id",
            self.env._("Supplier evaluation grade D: %(supplier)s", supplier=partner.display_name),
            description,
            owner,
            "action_id",
        )
        return action
