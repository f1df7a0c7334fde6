from odoo import fields, models


class TsqSlaClock(models.Model):
    """A clock that breaches proposes one improvement action, if its policy says so."""

    _inherit = "tsq.sla.clock"

    tsq_action_id = fields.Many2one(
        "mgmtsystem.action",
        string="Improvement Action",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )

    def write(self, vals):
        res = super().write(vals)
        if vals.get("state") == "breached":
            for clock in self:
                clock._tsq_propose_action()
        return res

    def _tsq_propose_action(self):
        self.ensure_one()
        if self.tsq_action_id or not self.policy_id.propose_action_on_breach:
            return self.tsq_action_id
        clock = self.sudo()
        ticket = clock.ticket_id
        running = ticket._tsq_running_action()
        if running:  # one open action per ticket: a further breach joins it
            clock.tsq_action_id = running
            running.message_post(
                body=self.env._(
                    "The SLA %(policy)s of %(ticket)s was breached too.",
                    policy=clock.policy_id.name,
                    ticket=ticket.display_name,
                ),
                subtype_xmlid="mail.mt_note",
            )
            return running
        company = ticket.company_id or self.env.company
        owner = (
            ticket.user_id
            or ticket.team_id.user_id
            or self.env["res.partner"]._tsq_quality_manager(company)
        )
        description = self.env._(
            "The SLA %(policy)s of %(ticket)s was breached at %(breached)s "
            "(deadline %(deadline)s).",
            policy=clock.policy_id.name,
            ticket=ticket.display_name,
            breached=company._tsq_format_instant(clock.breached_at) if clock.breached_at else "-",
            deadline=clock.deadline_label or "-",
        )
        action = self.env["mgmtsystem.action"]._tsq_propose(
            clock,
            "tsq_sla_clock_id",
            self.env._(
                "SLA breach: %(policy)s — %(ticket)s",
                policy=clock.policy_id.name,
                ticket=ticket.display_name,
            ),
            description,
            owner,
            "tsq_action_id",
        )
        ticket.message_post(
            body=self.env._(
                "Improvement action %(action)s proposed for the SLA breach.", action=action.name
            ),
            subtype_xmlid="mail.mt_note",
        )
        return action

    def action_tsq_open_action(self):
        self.ensure_one()
        return self.tsq_action_id._tsq_form_action()
