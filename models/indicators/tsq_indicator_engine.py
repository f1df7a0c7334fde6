"""The indicator engine: one aggregate query per indicator and split, for any
number of periods at once, following INDICATORS.md.

Every indicator is written once, as a *facts* query that yields one row per
record it counts (the period it falls in, its split key, the record, whether it
is in the numerator and in the denominator, and its dates).  The figures are an
aggregate over that query; the drill-down lists its rows.  So the figure and the
list behind it can never disagree."""

from odoo import api, fields, models

from ...lib.periods import local_midnight, local_today

# Who stands for the split of a fact: the service's category / the service's team,
# else the ticket's team.
SPLIT_SQL = {
    "none": "NULL::int",
    "category": "s.service_category_id",
    "team": "COALESCE(s.service_team_id, t.team_id)",
    # the service a fact is about (the people who worked on it: see _count_by_service)
    "service": "s.id",
}


SPLIT_SQL_SERVICE = dict(SPLIT_SQL, team="s.service_team_id")


# The columns every facts query yields.
# ``prov``: the row's deadline is provisional (counted through a year whose official
# holidays were not loaded); the figure says how many of its rows are.
FACT_COLUMNS = "k, split_key, res_model, res_id, num, den, fact_at, due_at, done_at, prov"


# Always set (default now; filled from create_date for older tickets by
# helpdesk.ticket.init), so the index on it serves the period filter.
RECEIVED = "t.tsq_received_at"


def _one_clock(alias, role):
    """The clock of ``role`` of ticket ``t``: if several policies of the same role
    apply to it, only the first policy's counts (``is_primary``), so a ticket
    counts once."""
    return (
        f"LEFT JOIN tsq_sla_clock {alias} ON {alias}.ticket_id = t.id"
        f" AND {alias}.indicator_role = '{role}' AND {alias}.is_primary"
    )


TICKET_COUNTS = (
    "t.company_id = %(company_id)s AND t.active"
    " AND t.stage_id IS DISTINCT FROM %(cancelled_stage_id)s"
)


SERVICE_COUNTS = (
    "s.is_service AND s.company_id = %(company_id)s AND s.active"
    " AND s.service_stage NOT IN ('cancelled', 'declined')"
)


LOCAL_DAY = "(({col}) AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date"


# A date shown in the drill-down: the instant (UTC) of its local midnight.
LOCAL_MIDNIGHT = "(({col})::timestamp AT TIME ZONE %(tz)s AT TIME ZONE 'UTC')"


# A limit that is a day ends at its 24:00: the instant (UTC) of the next local midnight.
LOCAL_DAY_END = "((({col}) + 1)::timestamp AT TIME ZONE %(tz)s AT TIME ZONE 'UTC')"


def _facts_satisfaction(split):
    return f"""
        SELECT p.k, {SPLIT_SQL[split]}, 'tsq.feedback', f.id,
               f.score >= %(satisfied_score)s, TRUE, f.submitted_at, NULL::timestamp, NULL::timestamp,
               FALSE
          FROM tsq_feedback f
          JOIN p ON f.submitted_at >= p.t0 AND f.submitted_at < p.t1
          LEFT JOIN project_project s ON s.id = f.service_id
          LEFT JOIN helpdesk_ticket t ON t.id = f.ticket_id
         WHERE f.company_id = %(company_id)s
           AND COALESCE(s.service_stage, '') != 'cancelled'"""


def _facts_response(split):
    deadline = (
        "COALESCE(s.response_deadline, s.inquiry_received_at"
        " + make_interval(secs => %(response_seconds)s))"
    )
    return f"""
        SELECT p.k, {SPLIT_SQL_SERVICE[split]}, 'project.project', s.id,
               s.first_response_at IS NOT NULL AND s.first_response_at <= {deadline}, TRUE,
               s.inquiry_received_at, {deadline}, s.first_response_at,
               COALESCE(s.response_deadline_provisional, FALSE)
          FROM project_project s
          JOIN p ON s.inquiry_received_at >= p.t0 AND s.inquiry_received_at < p.t1
         WHERE s.is_service AND s.company_id = %(company_id)s AND s.active
           AND s.service_stage != 'cancelled'
           AND (s.first_response_at IS NOT NULL OR {deadline} <= %(now)s)
        UNION ALL
        SELECT p.k, {SPLIT_SQL[split]}, 'helpdesk.ticket', t.id,
               c.state = 'met', TRUE, {RECEIVED}, c.deadline, c.reached_at,
               COALESCE(c.deadline_provisional, FALSE)
          FROM helpdesk_ticket t
          JOIN p ON {RECEIVED} >= p.t0 AND {RECEIVED} < p.t1
          {_one_clock("c", "request_response")}
          LEFT JOIN project_project s ON s.id = t.service_id
         WHERE {TICKET_COUNTS} AND c.state IS NOT NULL
           AND (c.state IN ('met', 'breached') OR (c.state = 'running' AND c.deadline <= %(now)s))"""


def _facts_complaint_timeliness(split):
    late = "({c}.state = 'breached' OR ({c}.state = 'running' AND {c}.deadline <= %(now)s))"
    return f"""
        SELECT p.k, {SPLIT_SQL[split]}, 'helpdesk.ticket', t.id,
               COALESCE(r.state = 'met' AND x.state = 'met', FALSE), TRUE,
               {RECEIVED}, x.deadline, x.reached_at,
               COALESCE(r.deadline_provisional OR x.deadline_provisional, FALSE)
          FROM helpdesk_ticket t
          JOIN p ON {RECEIVED} >= p.t0 AND {RECEIVED} < p.t1
          JOIN helpdesk_ticket_stage st ON st.id = t.stage_id
          {_one_clock("r", "complaint_response")}
          {_one_clock("x", "complaint_resolution")}
          LEFT JOIN project_project s ON s.id = t.service_id
         WHERE t.is_complaint AND {TICKET_COUNTS}
           AND (st.closed OR {late.format(c="r")} OR {late.format(c="x")})"""


def _facts_on_time_delivery(split):
    delivered_day = LOCAL_DAY.format(col="s.delivered_at")
    return f"""
        SELECT p.k, {SPLIT_SQL_SERVICE[split]}, 'project.project', s.id,
               s.delivered_at IS NOT NULL AND {delivered_day} <= s.contract_delivery_date, TRUE,
               {LOCAL_MIDNIGHT.format(col="s.contract_delivery_date")},
               {LOCAL_DAY_END.format(col="s.contract_delivery_date")}, s.delivered_at, FALSE
          FROM project_project s
          JOIN p ON s.contract_delivery_date >= p.d0 AND s.contract_delivery_date < p.d1
         WHERE {SERVICE_COUNTS}
           AND (s.delivered_at IS NOT NULL OR s.contract_delivery_date < %(today)s)"""


def _facts_first_pass(split):
    return f"""
        SELECT p.k, {SPLIT_SQL_SERVICE[split]}, 'tsq.acceptance', a.id,
               a.state = 'accepted', TRUE, a.submitted_at, NULL::timestamp, a.decided_at, FALSE
          FROM tsq_acceptance a
          JOIN p ON a.submitted_at >= p.t0 AND a.submitted_at < p.t1
          JOIN project_project s ON s.id = a.service_id
         WHERE a.sequence = 1 AND a.state != 'submitted' AND {SERVICE_COUNTS}"""


def _facts_return_visit(split):
    done_day = LOCAL_DAY.format(col="v.done_at")
    return f"""
        SELECT p.k, {SPLIT_SQL_SERVICE[split]}, 'tsq.return.visit', v.id,
               v.done_at IS NOT NULL AND {done_day} <= v.due_date, TRUE,
               {LOCAL_MIDNIGHT.format(col="v.due_date")},
               {LOCAL_DAY_END.format(col="v.due_date")}, v.done_at, FALSE
          FROM tsq_return_visit v
          JOIN p ON v.due_date >= p.d0 AND v.due_date < p.d1
          JOIN project_project s ON s.id = v.service_id
         WHERE {SERVICE_COUNTS}
           AND (v.done_at IS NOT NULL OR v.due_date < %(today)s)"""


def _facts_valid_complaint(split):
    start = "COALESCE(s.inquiry_received_at, s.create_date)"
    end = "(CASE WHEN s.service_stage = 'done' THEN s.stage_entered_at END)"
    return f"""
        SELECT p.k, {SPLIT_SQL[split]}, 'helpdesk.ticket', t.id,
               TRUE, FALSE, {RECEIVED}, NULL::timestamp, t.tsq_judged_at, FALSE
          FROM helpdesk_ticket t
          JOIN p ON {RECEIVED} >= p.t0 AND {RECEIVED} < p.t1
          LEFT JOIN project_project s ON s.id = t.service_id
         WHERE t.is_complaint AND t.tsq_validity = 'valid' AND {TICKET_COUNTS}
        UNION ALL
        SELECT p.k, {SPLIT_SQL_SERVICE[split]}, 'project.project', s.id,
               FALSE, TRUE, {start}, NULL::timestamp, {end}, FALSE
          FROM project_project s
          JOIN p ON {start} < p.t1 AND ({end} IS NULL OR {end} >= p.t0)
         WHERE {SERVICE_COUNTS}"""


FACTS = {
    "satisfaction": _facts_satisfaction,
    "response": _facts_response,
    "complaint_timeliness": _facts_complaint_timeliness,
    "on_time_delivery": _facts_on_time_delivery,
    "first_pass": _facts_first_pass,
    "return_visit": _facts_return_visit,
    "valid_complaint": _facts_valid_complaint,
}


PERIODS_CTE = """
    WITH p(k, d0, d1, t0, t1) AS (
        SELECT * FROM unnest(%(pk)s::int[], %(pd0)s::date[], %(pd1)s::date[],
                             %(pt0)s::timestamp[], %(pt1)s::timestamp[])
    )"""


class TsqIndicatorEngine(models.AbstractModel):
    _name = "tsq.indicator.engine"
    _description = "Indicator Engine"

    @api.model
    def _params(self, company, indicator, periods, now=None):
        """The query parameters: ``periods`` is a list of (date_from, date_to)
        dates, half-open, in the company's time zone."""
        now = now or fields.Datetime.now()
        tz = company._tsq_tz()
        cancelled_id = self.env["ir.model.data"]._xmlid_to_res_id(
            "helpdesk_mgmt.helpdesk_ticket_stage_cancelled", raise_if_not_found=False
        )
        return {
            "company_id": company.id,
            "tz": tz,
            "now": now,
            "today": local_today(tz, now),
            "satisfied_score": indicator.param_satisfied_score,
            "response_seconds": (indicator.param_response_hours or 24) * 3600,
            "cancelled_stage_id": cancelled_id or None,
            "pk": list(range(len(periods))),
            "pd0": [p[0] for p in periods],
            "pd1": [p[1] for p in periods],
            "pt0": [local_midnight(p[0], tz) for p in periods],
            "pt1": [local_midnight(p[1], tz) for p in periods],
        }

    @api.model
    def _count(self, company, indicator, periods, split="none", now=None):
        """{(period index, split key): (numerator, denominator, provisional)} of one
        indicator, for every period at once: one query.  ``provisional`` counts the
        rows of the denominator whose deadline is provisional."""
        facts = FACTS[indicator.code](split)
        query = f"""{PERIODS_CTE}, f({FACT_COLUMNS}) AS ({facts})
            SELECT k, split_key, count(*) FILTER (WHERE num), count(*) FILTER (WHERE den),
                   count(*) FILTER (WHERE den AND prov)
              FROM f GROUP BY k, split_key"""
        self.env.flush_all()
        self.env.cr.execute(query, self._params(company, indicator, periods, now))
        return {
            (k, key): (num, den, prov)
            for k, key, num, den, prov in self.env.cr.fetchall()
            if split == "none" or key is not None
        }

    @api.model
    def _clock_states(self, company, period, now=None):
        """``[(indicator role, state, count)]`` of the SLA clocks of the tickets
        received in ``period``, as the indicators read them: the primary clock of
        each role (``is_primary``; a clock of no role as it is), on the tickets that
        count (the company's, active, not cancelled). The review pack's SLA table."""
        query = f"""{PERIODS_CTE}
            SELECT c.indicator_role, c.state, count(*)
              FROM helpdesk_ticket t
              JOIN p ON {RECEIVED} >= p.t0 AND {RECEIVED} < p.t1
              JOIN tsq_sla_clock c ON c.ticket_id = t.id
                                  AND (c.is_primary OR c.indicator_role IS NULL)
             WHERE {TICKET_COUNTS}
             GROUP BY c.indicator_role, c.state"""
        self.env.flush_all()
        self.env.cr.execute(query, self._params(company, self.env["tsq.indicator"], [period], now))
        return self.env.cr.fetchall()

    @api.model
    def _facts(self, company, indicator, period, split="none", split_key=None, now=None):
        """The rows behind one figure (the drill-down), as dicts."""
        facts = FACTS[indicator.code](split)
        query = f"""{PERIODS_CTE}, f({FACT_COLUMNS}) AS ({facts})
            SELECT res_model, res_id, num, den, fact_at, due_at, done_at, prov FROM f
             WHERE %(split)s = 'none' OR split_key = %(split_key)s::int
             ORDER BY fact_at, res_id"""
        params = self._params(company, indicator, [period], now)
        params.update(split=split, split_key=split_key or None)
        self.env.flush_all()
        self.env.cr.execute(query, params)
        return self.env.cr.dictfetchall()

    # ---------------------------------------------------------- groups of services
    @api.model
    def _count_by_service(
        self, company, indicator, periods, groups, params=None, average=None, now=None
    ):
        """{(period index, group key): (numerator, denominator, provisional, average)}
        of one indicator, its facts gathered by the service they are about into
        ``groups``, the SQL of (service id, group key) rows: a service may be in
        several groups (a staff member's scorecard: the people who worked on it)
        and counts in each; a fact about no service counts in none.

        ``params``: the parameters of ``groups``, added to the indicator's (or
        replacing some of them); ``average``: an SQL expression of a fact
        (``f.res_id``, its record), averaged over the denominator's rows."""
        facts = FACTS[indicator.code]("service")
        query = f"""{PERIODS_CTE}, f({FACT_COLUMNS}) AS ({facts}),
                 g(service_id, group_key) AS ({groups})
            SELECT f.k, g.group_key, count(*) FILTER (WHERE f.num),
                   count(*) FILTER (WHERE f.den), count(*) FILTER (WHERE f.den AND f.prov),
                   avg({average or "NULL::numeric"}) FILTER (WHERE f.den)
              FROM f JOIN g ON g.service_id = f.split_key
             GROUP BY f.k, g.group_key"""
        self.env.flush_all()
        self.env.cr.execute(
            query, {**self._params(company, indicator, periods, now), **(params or {})}
        )
        return {(k, key): tuple(figure) for k, key, *figure in self.env.cr.fetchall()}
