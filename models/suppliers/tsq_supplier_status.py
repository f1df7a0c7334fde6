from odoo import api, fields, models
from odoo.exceptions import UserError

from .res_partner import SUPPLIER_STATUSES

# What a Quality Manager gives when deciding; the rest is recorded by the system.
DECISION_FIELDS = frozenset({"partner_id", "status", "service_category_id", "reason"})


class TsqSupplierStatus(models.Model):
    """One decision on a supplier's status (R4.3.3), by a Quality Manager, with its
    reason. Evidence: never edited, never deleted; a later decision answers it.

    Creating a row *is* deciding: a user's ``create`` (the *Decide status* dialog,
    or an RPC call) goes through ``res.partner._tsq_set_supplier_status``, which
    checks the decision, changes the status and records the row with who and when."""

    _name = "tsq.supplier.status"
    _inherit = ["tsq.evidence.mixin"]
    _description = "Supplier Status Decision"
    _order = "decided_at desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Supplier",
        required=True,
        index=True,
        ondelete="restrict",
        domain=[("tsq_is_supplier", "=", True)],
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    status = fields.Selection(SUPPLIER_STATUSES, required=True)
    previous_status = fields.Selection(SUPPLIER_STATUSES, readonly=True)
    service_category_id = fields.Many2one(
        "tsq.service.category",
        help="Empty: a decision about the supplier as a whole; otherwise about its "
        "qualification for this category.",
    )
    decided_by_id = fields.Many2one("res.users", required=True, readonly=True)
    decided_at = fields.Datetime(string="Decided On", required=True, readonly=True)
    reason = fields.Text(required=True)

    @api.model_create_multi
    def create(self, vals_list):
        if self.env.su:  # the row recorded by the decision itself
            return super().create(vals_list)
        self.check_access("create")
        records = self.browse()
        for vals in vals_list:
            recorded = set(vals) - DECISION_FIELDS
            if recorded:
                raise UserError(
                    self.env._(
                        "%(fields)s: recorded by the system when the decision is made.",
                        fields=", ".join(
                            sorted(self._fields[n]._description_string(self.env) for n in recorded)
                        ),
                    )
                )
            partner = self.env["res.partner"].browse(vals.get("partner_id")).exists()
            if not partner:
                raise UserError(self.env._("Choose the supplier the decision is about."))
            category = self.env["tsq.service.category"].browse(vals.get("service_category_id"))
            records |= partner._tsq_set_supplier_status(
                vals.get("status"), vals.get("reason"), category=category or None
            )
        return records.sudo(False)

    def write(self, vals):
        if vals:
            raise UserError(
                self.env._(
                    "A supplier status decision is a record of what was decided and "
                    "cannot be changed: decide again instead."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_record(self):
        raise UserError(self.env._("A supplier status decision is a record and cannot be deleted."))
