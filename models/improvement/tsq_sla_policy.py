from odoo import api, fields, models


class TsqSlaPolicy(models.Model):
    _inherit = "tsq.sla.policy"

    propose_action_on_breach = fields.Boolean(
        string="Propose an Improvement Action on Breach",
        compute="_compute_propose_action_on_breach",
        store=True,
        readonly=False,
        help="When a clock of this policy breaches, propose one improvement action "
        "for it. On by default for complaint policies.",
    )

    @api.depends("ticket_kind")
    def _compute_propose_action_on_breach(self):
        for policy in self:
            policy.propose_action_on_breach = policy.ticket_kind == "complaint"
