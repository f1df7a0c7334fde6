from odoo import fields, models


class TsqSupplierCriterion(models.Model):
    _name = "tsq.supplier.criterion"
    _description = "Supplier Evaluation Criterion"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    weight = fields.Float(
        required=True,
        default=25.0,
        help="Relative weight of the criterion in the overall score: the score is the "
        "weighted mean of the criteria's scores (weights need not add up to 100). "
        "A change applies to new evaluations only.",
    )
    description = fields.Text(translate=True, help="What the evaluator looks at.")

    _sql_constraints = [
        ("code_uniq", "unique(code)", "The criterion code must be unique."),
        ("weight_positive", "CHECK(weight > 0)", "A criterion's weight must be positive."),
    ]
