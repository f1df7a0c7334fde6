from odoo import api, fields, models
from odoo.exceptions import UserError


class TsqTicketStageLog(models.Model):
    """The stage history of a ticket: one row each time it enters a stage.

    SLA clocks are re-played from these rows (pauses, closing), so they are kept
    as records: nobody edits or deletes them."""

    _name = "tsq.ticket.stage.log"
    _description = "Ticket Stage History"
    _order = "ticket_id, entered_at, id"

    ticket_id = fields.Many2one(
        "helpdesk.ticket", required=True, ondelete="cascade", index=True, readonly=True
    )
    stage_id = fields.Many2one("helpdesk.ticket.stage", required=True, readonly=True)
    entered_at = fields.Datetime(required=True, readonly=True)
    user_id = fields.Many2one("res.users", string="By", readonly=True)
    closed = fields.Boolean(readonly=True, help="The stage closes the ticket.")
    reopened = fields.Boolean(readonly=True, help="The ticket left a closed stage here.")
    company_id = fields.Many2one(related="ticket_id.company_id", store=True)

    @api.model
    def _log(self, tickets, stage, when=None, reopened=None):
        """Record that ``tickets`` enter ``stage`` now (or at ``when``); ``reopened``
        are those of them that leave a closed stage."""
        when = when or fields.Datetime.now()
        vals = []
        for ticket in tickets:
            vals.append(
                {
                    "ticket_id": ticket.id,
                    "stage_id": stage.id,
                    "entered_at": when,
                    "user_id": self.env.uid,
                    "closed": stage.closed,
                    "reopened": bool(reopened and ticket in reopened),
                }
            )
        return self.sudo().with_context(tsq_stage_log=True).create(vals)

    @api.model
    def _history(self, tickets):
        """``{ticket id: [(entered_at, stage id, closed), ...]}`` in one query."""
        rows = self.sudo().search_read(
            [("ticket_id", "in", tickets.ids)],
            ["ticket_id", "stage_id", "entered_at", "closed"],
            order="ticket_id, entered_at, id",
            load=None,
        )
        history = {}
        for row in rows:
            history.setdefault(row["ticket_id"], []).append(
                (row["entered_at"], row["stage_id"], row["closed"])
            )
        return history

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get("tsq_stage_log"):
            raise UserError(self.env._("The stage history is recorded by the system."))
        return super().create(vals_list)

    def write(self, vals):
        if vals:
            raise UserError(self.env._("The stage history of a ticket cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("The stage history of a ticket cannot be deleted."))
