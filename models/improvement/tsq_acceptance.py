from odoo import fields, models


class TsqAcceptance(models.Model):
    """An objection to a submission proposes one improvement action."""

    _inherit = "tsq.acceptance"

    tsq_action_id = fields.Many2one(
        "mgmtsystem.action",
        string="Improvement Action",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )

    def _raise_objection(self, reason, channel, attachment_ids=()):
        res = super()._raise_objection(reason, channel, attachment_ids)
        self._tsq_propose_action()
        return res

    def _tsq_propose_action(self):
        """One action per objected submission, linked both ways."""
        self.ensure_one()
        acceptance = self.sudo()
        service = acceptance.service_id
        owner = service.user_id or self.env["res.partner"]._tsq_quality_manager(service.company_id)
        description = self.env._(
            "Objection of %(client)s to submission %(sequence)s of %(service)s:\n%(reason)s",
            client=service.partner_id.commercial_partner_id.display_name or "-",
            sequence=acceptance.sequence,
            service=service.display_name,
            reason=acceptance.objection_reason or "-",
        )
        action = self.env["mgmtsystem.action"]._tsq_propose(
            acceptance,
            "tsq_acceptance_id",
            self.env._("Acceptance objection: %(submission)s", submission=acceptance.display_name),
            description,
            owner,
            "tsq_action_id",
        )
        return action

    def action_tsq_open_action(self):
        self.ensure_one()
        return self.tsq_action_id._tsq_form_action()
