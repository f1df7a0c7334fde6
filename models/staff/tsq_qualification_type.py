from odoo import fields, models


class TsqQualificationType(models.Model):
    """A kind of qualification or certificate a person can hold (专利代理师资格证,
    检验检测人员上岗证 …). Service categories name the ones their staff need."""

    _name = "tsq.qualification.type"
    _description = "Qualification Type"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char()
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    kind = fields.Selection(
        [
            ("qualification", "Professional qualification"),
            ("certificate", "Certificate"),
            ("licence", "Licence"),
        ],
        default="certificate",
        required=True,
    )
    description = fields.Text(translate=True)
    company_id = fields.Many2one("res.company", help="Empty: shared by every company.")
