from odoo import api, fields, models

from .tsq_sla_clock import CLOCK_STATES
from .tsq_sla_policy import TICKET_KINDS


class TsqSlaReport(models.Model):
    """SLA analysis: one row per clock, with the ticket's category, team and client,
    for pivot and graph views (breach rate, mean response and resolution time)."""

    _name = "tsq.sla.report"
    _description = "SLA Analysis"
    _auto = False
    _order = "start_at desc"
    _rec_name = "ticket_id"

    ticket_id = fields.Many2one("helpdesk.ticket", readonly=True)
    policy_id = fields.Many2one("tsq.sla.policy", string="SLA Policy", readonly=True)
    target = fields.Selection(
        [("response", "First response"), ("resolution", "Resolution"), ("stage", "Stage")],
        readonly=True,
    )
    company_id = fields.Many2one("res.company", readonly=True)
    team_id = fields.Many2one("helpdesk.ticket.team", readonly=True)
    category_id = fields.Many2one("helpdesk.ticket.category", readonly=True)
    tsq_kind = fields.Selection(TICKET_KINDS, string="Request Kind", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Client", readonly=True)
    service_category_id = fields.Many2one("tsq.service.category", readonly=True)
    start_at = fields.Datetime(string="Received", readonly=True)
    deadline = fields.Datetime(readonly=True)
    state = fields.Selection(CLOCK_STATES, readonly=True)
    clock_count = fields.Integer(string="Clocks", readonly=True, aggregator="sum")
    breached_count = fields.Integer(string="Breached", readonly=True, aggregator="sum")
    met_count = fields.Integer(string="Met", readonly=True, aggregator="sum")
    breach_rate = fields.Float(
        string="Breach Rate (%)",
        readonly=True,
        aggregator="avg",
        help="Breached clocks among the decided ones (met or breached); clocks still "
        "running within their time are left out.",
    )
    response_hours = fields.Float(
        string="Mean Response Time (h)",
        readonly=True,
        aggregator="avg",
        help="Time to the first response, in the policy's measure (elapsed or working hours).",
    )
    resolution_hours = fields.Float(
        string="Mean Resolution Time (h)",
        readonly=True,
        aggregator="avg",
        help="Time to resolution, in working hours for a working-time policy, pauses left out.",
    )

    def _select(self):
        return """
            c.id AS id,
            c.ticket_id AS ticket_id,
            c.policy_id AS policy_id,
            p.target AS target,
            t.company_id AS company_id,
            t.team_id AS team_id,
            t.category_id AS category_id,
            t.tsq_kind AS tsq_kind,
            t.commercial_partner_id AS partner_id,
            s.service_category_id AS service_category_id,
            c.start_at AS start_at,
            c.deadline AS deadline,
            c.state AS state,
            1 AS clock_count,
            CASE WHEN c.state = 'breached' THEN 1 ELSE 0 END AS breached_count,
            CASE WHEN c.state = 'met' THEN 1 ELSE 0 END AS met_count,
            CASE WHEN c.state = 'breached' THEN 100.0
                 WHEN c.state = 'met' THEN 0.0 END AS breach_rate,
            CASE WHEN p.target = 'response' AND c.reached_at IS NOT NULL
                 THEN c.used_hours END AS response_hours,
            CASE WHEN p.target = 'resolution' AND c.reached_at IS NOT NULL
                 THEN c.used_hours END AS resolution_hours
        """

    def _from(self):
        return """
            tsq_sla_clock c
            JOIN tsq_sla_policy p ON p.id = c.policy_id
            JOIN helpdesk_ticket t ON t.id = c.ticket_id
            LEFT JOIN project_project s ON s.id = t.service_id
        """

    def _where(self):
        return "t.active"

    @property
    def _table_query(self):
        return f"SELECT {self._select()} FROM {self._from()} WHERE {self._where()}"

    @api.model
    def _summary(self, domain, groupby):
        """Aggregated rows for the XLSX export: ``groupby`` -> counts and means."""
        return self._read_group(
            domain,
            groupby,
            [
                "clock_count:sum",
                "met_count:sum",
                "breached_count:sum",
                "breach_rate:avg",
                "response_hours:avg",
                "resolution_hours:avg",
            ],
        )
