from odoo import api, fields, models


class TsqSupplierEvaluationLine(models.Model):
    _name = "tsq.supplier.evaluation.line"
    _description = "Supplier Evaluation Score"
    _order = "evaluation_id, sequence, id"

    evaluation_id = fields.Many2one(
        "tsq.supplier.evaluation", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="evaluation_id.company_id", store=True, index=True)
    criterion_id = fields.Many2one("tsq.supplier.criterion", required=True, ondelete="restrict")
    sequence = fields.Integer(related="criterion_id.sequence", store=True)
    weight = fields.Float(
        compute="_compute_weight",
        store=True,
        readonly=False,
        help="The criterion's weight when the evaluation was made.",
    )
    score = fields.Float(default=0.0, digits=(5, 2), help="0–100.")
    note = fields.Char()

    _sql_constraints = [
        ("score_range", "CHECK(score >= 0 AND score <= 100)", "A score is between 0 and 100."),
        ("weight_positive", "CHECK(weight >= 0)", "A weight cannot be negative."),
    ]

    @api.depends("criterion_id")
    def _compute_weight(self):
        for line in self:
            line.weight = line.criterion_id.weight

    @api.model_create_multi
    def create(self, vals_list):
        evaluations = self.env["tsq.supplier.evaluation"].browse(
            {vals["evaluation_id"] for vals in vals_list if vals.get("evaluation_id")}
        )
        if not self.env.su:
            evaluations._tsq_check_draft()
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self.evaluation_id._tsq_check_draft()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_confirmed(self):
        self.evaluation_id._tsq_check_draft()
