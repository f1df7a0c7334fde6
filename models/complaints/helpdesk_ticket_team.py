from odoo import fields, models

from .tsq_sla_policy import TICKET_KINDS


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    tsq_kind = fields.Selection(
        TICKET_KINDS,
        string="Default Request Kind",
        help="Kind of the team's tickets that have no category of their own "
        "(e.g. complaints received by e-mail on the team's alias).",
    )
    tsq_assignment = fields.Selection(
        [
            ("leader", "The team leader"),
            ("balanced", "The member with the fewest open requests"),
        ],
        string="New Requests Go To",
        default="leader",
        required=True,
        help="Who is responsible for a complaint or an after-sales request that arrives "
        "without one (portal, e-mail): they get an activity due at the response "
        "deadline, and the team is notified.",
    )

    def _tsq_assignee(self):
        """The user a new unassigned request of this team goes to."""
        self.ensure_one()
        if self.tsq_assignment == "balanced" and self.user_ids:
            counts = dict(
                self.env["helpdesk.ticket"]
                .sudo()
                ._read_group(
                    [
                        ("team_id", "=", self.id),
                        ("user_id", "in", self.user_ids.ids),
                        ("stage_id.closed", "=", False),
                    ],
                    ["user_id"],
                    ["__count"],
                )
            )
            return min(self.user_ids, key=lambda u: (counts.get(u, 0), u.id))
        return self.user_id or self.user_ids[:1]
