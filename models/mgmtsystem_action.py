from odoo import api, fields, models
from odoo.tools import plaintext2html


class MgmtsystemAction(models.Model):
    _inherit = "mgmtsystem.action"

    tsq_ticket_id = fields.Many2one(
        "helpdesk.ticket",
        string="Source Complaint",
        readonly=True,
        index="btree_not_null",
        help="The valid complaint that proposed this action.",
    )
    tsq_supplier_evaluation_id = fields.Many2one(
        "tsq.supplier.evaluation",
        string="Source Supplier Evaluation",
        readonly=True,
        index="btree_not_null",
        help="The supplier evaluation (grade D) that proposed this action.",
    )

    tsq_snapshot_id = fields.Many2one(
        "tsq.indicator.snapshot",
        string="Source Indicator Figure",
        readonly=True,
        index="btree_not_null",
        help="The indicator figure of a closed period that missed its target.",
    )

    @api.model
    def _tsq_propose(self, source, link_field, name, description, user):
        """Create the corrective action ``source`` proposes, linked back to it
        through ``link_field``, and say so in the source's chatter. The caller
        keeps the link on its side and makes sure it proposes only once."""
        action = self.sudo().create(
            {
                "name": name,
                "type_action": "correction",
                "description": plaintext2html(description),
                "user_id": user.id,
                "company_id": source.company_id.id,
                link_field: source.id,
            }
        )
        if "message_ids" in source._fields:
            source.message_post(
                body=self.env._("Improvement action %(action)s proposed.", action=action.name),
                subtype_xmlid="mail.mt_note",
            )
        return action
