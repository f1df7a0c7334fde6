# Copyright 2026 Tech Service Quality contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Benchmark of the indicator engine: the seven indicators, 12 months, against plain SQL.

Run by hand, not a test:

    /opt/odoo18/bin/python scripts/bench_indicators.py [-d DB] [--sizes 10000,1000000]
        [--explain]

It needs a database with tech_service_quality installed and up to date (``-d``,
default ``tsq_bench``; created without demo data when missing, which takes a
minute). A copy of a demo database does as well::

    createdb -T tsq_base tsq_bench5
    cd /work/main && source scripts/odoo-env.sh && tsq_odoo --addons-path="$TSQ_ADDONS_PATH" \\
        -d tsq_bench5 -u tech_service_quality --stop-after-init --http-port 8111

For each size N it bulk-inserts, straight in SQL (INSERT ... SELECT generate_series;
the ORM would take hours), N/10 services with their first acceptance submission and
a return visit, N tickets (a fifth of them complaints) with their SLA clocks, and N
feedback responses, all spread over 2025 in the company's time zone (Asia/Shanghai)
with a few just outside it, and the edge cases of INDICATORS.md: late and missing
first responses, deliveries and visits at 23:30 on the due day and 00:30 the day
after (local time), overdue running clocks, cancelled, declined and archived records.
Then it computes the seven indicators for the 12 months of 2025 at once, company
level, with now = 2026-01-15, twice:

* by the engine: ``tsq.indicator.engine._count()`` once per indicator;
* by a hand-written SQL query per indicator, written from INDICATORS.md alone and
  kept plain: GROUP BY the local month with count(*) FILTER (...).

Each side runs twice; the best time is kept. It prints the time and the number of
SQL queries of each side, their ratio (the goal: the engine within 3 times the
plain SQL, with the same query count at every size), whether both sides give the
same (numerator, denominator) for every indicator and month (exit status 1 if
not), and the time of each indicator at the largest size. ``--explain`` prints the
EXPLAIN ANALYZE of the engine's slowest indicator query at the largest size.

Everything is rolled back: the database is left as it was (the sequences are set
back and the tables vacuumed and analysed afterwards).
"""

import argparse
import os
import subprocess
import sys
import time
from contextlib import closing
from datetime import date, datetime

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TZ = "Asia/Shanghai"
NOW = datetime(2026, 1, 15)
TODAY = date(2026, 1, 15)
YEAR = 2025
TABLES = (
    "res_partner",
    "project_project",
    "tsq_acceptance",
    "tsq_return_visit",
    "helpdesk_ticket",
    "tsq_sla_clock",
    "tsq_feedback",
)
# 2025-01-01 00:00 in Asia/Shanghai, as naive UTC; the spread runs over 366 days
# from 12 hours before it, so that a few records fall just outside 2025.
SPREAD = (
    "(timestamp '2024-12-31 16:00' + (((g::bigint * {m}) %% 31622400) - 43200) * interval '1 s')"
)


def _odoo_setup(dbname):
    import odoo  # noqa: F401 - fails clearly when Odoo is missing
    from odoo.tools import config

    odoo_addons = os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "addons")
    link_dir = os.path.join(ROOT, ".tsq_addons")
    os.makedirs(link_dir, exist_ok=True)
    link = os.path.join(link_dir, "tech_service_quality")
    if not os.path.islink(link):
        os.symlink(ROOT, link)
    extra = [p for p in os.environ.get("ODOO_ADDONS_PATH", "").split(",") if p]
    addons = [p for p in (*extra, odoo_addons, link_dir) if os.path.isdir(p)]
    config.parse_config(["-d", dbname, "--addons-path", ",".join(addons)])
    return ",".join(addons)


def _ensure_database(dbname, addons_path):
    exists = subprocess.run(
        ["psql", "-lqt"], capture_output=True, text=True, check=True
    ).stdout.split()
    if dbname in exists:
        return
    print(f"creating database {dbname} (tech_service_quality, no demo data)...", file=sys.stderr)
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import odoo.cli, sys; sys.argv[0] = 'odoo'; odoo.cli.main()",
            "-d",
            dbname,
            "--addons-path",
            addons_path,
            "-i",
            "tech_service_quality",
            "--without-demo=all",
            "--stop-after-init",
            "--log-level=warn",
        ],
        check=True,
    )


# --------------------------------------------------------------------------- data


def _ids(cr, query, params=None):
    cr.execute(query, params)
    return [row[0] for row in cr.fetchall()]


def _insert(env, size):
    """``size`` tickets and feedback responses, ``size // 10`` services, in SQL:
    (number of services, number of rows inserted in all tables)."""
    cr = env.cr
    company = env.company.id
    services = max(size // 10, 1)
    categories = _ids(cr, "SELECT id FROM tsq_service_category ORDER BY id")
    teams = _ids(cr, "SELECT id FROM helpdesk_ticket_team ORDER BY id")
    alias = _ids(cr, "SELECT min(id) FROM mail_alias")[0]
    cr.execute("SELECT indicator_role, min(id) FROM tsq_sla_policy GROUP BY indicator_role")
    policies = dict(cr.fetchall())
    stage = {
        name: env.ref(f"helpdesk_mgmt.helpdesk_ticket_stage_{name}").id
        for name in ("new", "in_progress", "awaiting", "done", "cancelled", "rejected")
    }
    common = {
        "company": company,
        "uid": env.uid,
        "categories": categories or [None],
        "teams": teams or [None],
        "alias": alias,
        "services": services,
        "size": size,
        "partners": max(3000, size // 300),
    }
    audit = "create_uid, write_uid, create_date, write_date"
    audit_values = "%(uid)s, %(uid)s, now() at time zone 'UTC', now() at time zone 'UTC'"

    partner_ids = _ids(
        cr,
        f"""INSERT INTO res_partner (name, complete_name, type, active, is_company, {audit})
            SELECT 'Bench client ' || g, 'Bench client ' || g, 'contact', true, true,
                   {audit_values}
              FROM generate_series(1, %(partners)s) g RETURNING id""",
        common,
    )
    # Services: stage mostly S4..done; 5 % cancelled, 5 % declined, 2 % archived;
    # some without an inquiry time, a response deadline or a first response.
    service_ids = _ids(
        cr,
        f"""INSERT INTO project_project (name, alias_id, privacy_visibility, rating_status,
                rating_status_period, last_update_status, active, is_service, company_id,
                service_category_id, service_team_id, inquiry_received_at, response_deadline,
                first_response_at, contract_delivery_date, delivered_at, service_stage,
                stage_entered_at, create_uid, write_uid, create_date, write_date)
            SELECT jsonb_build_object('en_US', 'Bench service ' || g), %(alias)s, 'followers',
                   'stage', 'monthly', 'to_define', g %% 53 != 0, true, %(company)s,
                   CASE WHEN g %% 17 != 0
                        THEN (%(categories)s::int[])[1 + g %% cardinality(%(categories)s::int[])]
                   END,
                   CASE WHEN g %% 13 != 0
                        THEN (%(teams)s::int[])[1 + g %% cardinality(%(teams)s::int[])] END,
                   CASE WHEN g %% 41 != 0 THEN ts END,
                   CASE WHEN g %% 7 != 0 THEN ts + interval '1 day' END,
                   CASE WHEN g %% 10 != 0 THEN ts + (g * 37 %% 40) * interval '1 hour' END,
                   delivery,
                   CASE g %% 6
                        WHEN 1 THEN delivery + time '23:30' - interval '8 hours'
                        WHEN 2 THEN delivery + time '00:30' + interval '16 hours'
                        WHEN 3 THEN delivery - 3 + time '10:00'
                        WHEN 4 THEN delivery + 5 + time '02:00'
                        WHEN 5 THEN delivery - 10 + time '06:00'
                   END,
                   stage,
                   CASE WHEN stage = 'done' AND g %% 97 != 0
                        THEN ts + (g %% 200) * interval '1 day'
                        WHEN stage != 'done' THEN ts + interval '1 day' END,
                   %(uid)s, %(uid)s, ts - interval '2 hours', ts
              FROM (SELECT g, {SPREAD.format(m=7919)} AS ts,
                           date '2025-01-01' + (g * 131 %% 372 - 3)::int AS delivery,
                           CASE g %% 20 WHEN 0 THEN 'cancelled' WHEN 1 THEN 'declined'
                                WHEN 2 THEN 's1' WHEN 3 THEN 's4' WHEN 4 THEN 's5'
                                WHEN 5 THEN 's5' WHEN 6 THEN 's6' WHEN 7 THEN 's6'
                                ELSE 'done' END AS stage
                      FROM generate_series(1, %(services)s) g) x
            RETURNING id""",
        common,
    )
    # the ids of one INSERT follow each other: g maps to first + g
    assert service_ids[-1] - service_ids[0] + 1 == len(service_ids)
    params = dict(common, first=service_ids[0], last=service_ids[-1])
    rows = len(partner_ids) + len(service_ids)
    # First acceptance submissions (4 services in 5), some still awaiting the
    # client; a second submission after each objection.
    cr.execute(
        f"""INSERT INTO tsq_acceptance (service_id, company_id, sequence, state, submitted_at,
                decided_at, {audit})
            SELECT id, %(company)s, 1, state, sub, CASE WHEN state != 'submitted'
                   THEN sub + interval '2 days' END, {audit_values}
              FROM (SELECT id, create_date + (id %% 60) * interval '1 day' AS sub,
                           CASE WHEN id %% 11 = 0 THEN 'submitted'
                                WHEN id %% 7 = 0 THEN 'objection'
                                WHEN id %% 13 = 0 THEN 'objection_closed'
                                ELSE 'accepted' END AS state
                      FROM project_project
                     WHERE id BETWEEN %(first)s AND %(last)s AND id %% 5 != 0) x
            UNION ALL
            SELECT id, %(company)s, 2, 'accepted', create_date + interval '70 days',
                   create_date + interval '71 days', {audit_values}
              FROM project_project
             WHERE id BETWEEN %(first)s AND %(last)s AND id %% 5 != 0 AND id %% 7 = 0
                   AND id %% 11 != 0""",
        params,
    )
    rows += cr.rowcount
    # Return visits (3 services in 4), due over 2025: done early, on the due day at
    # 23:30 local, at 00:30 the day after, late, or not at all.
    cr.execute(
        f"""INSERT INTO tsq_return_visit (service_id, company_id, due_date, done_at, {audit})
            SELECT id, %(company)s, due, CASE id %% 5
                       WHEN 1 THEN due + time '23:30' - interval '8 hours'
                       WHEN 2 THEN due + time '00:30' + interval '16 hours'
                       WHEN 3 THEN due - 2 + time '03:00'
                       WHEN 4 THEN due + 3 + time '03:00' END, {audit_values}
              FROM (SELECT id, date '2025-01-01' + (id * 173 %% 372 - 3)::int AS due
                      FROM project_project
                     WHERE id BETWEEN %(first)s AND %(last)s AND id %% 4 != 0) x""",
        params,
    )
    rows += cr.rowcount
    # Tickets: a fifth complaints, two fifths after-sales requests; a third about a
    # service; 3 % archived. Every ticket has its received time (the add-on fills it
    # from the creation time for tickets older than itself).
    ticket_ids = _ids(
        cr,
        f"""INSERT INTO helpdesk_ticket (number, name, description, company_id, active,
                stage_id, team_id, priority, kanban_state, is_complaint, tsq_kind,
                tsq_received_at, tsq_validity, tsq_judged_at, service_id, {audit})
            SELECT 'BENCH' || g, 'Bench ticket ' || g, '<p>bench</p>', %(company)s,
                   g %% 37 != 0,
                   CASE g / 3 %% 10 WHEN 0 THEN %(cancelled)s WHEN 1 THEN %(new)s
                        WHEN 2 THEN %(new)s WHEN 3 THEN %(in_progress)s
                        WHEN 4 THEN %(awaiting)s WHEN 5 THEN %(rejected)s ELSE %(done)s END,
                   CASE WHEN g %% 9 != 0
                        THEN (%(teams)s::int[])[1 + g %% cardinality(%(teams)s::int[])] END,
                   '1', 'normal', kind = 'complaint', kind,
                   ts,
                   CASE WHEN kind != 'complaint' THEN 'pending'
                        WHEN g / 5 %% 4 IN (0, 3) THEN 'valid'
                        WHEN g / 5 %% 4 = 1 THEN 'invalid' ELSE 'pending' END,
                   CASE WHEN kind = 'complaint' AND g / 5 %% 4 != 2
                        THEN ts + interval '2 days' END,
                   CASE WHEN g %% 3 = 0 THEN %(first)s + g %% %(services)s END,
                   %(uid)s, %(uid)s, ts - interval '2 hours', ts
              FROM (SELECT g, {SPREAD.format(m=104729)} AS ts,
                           CASE WHEN g %% 5 = 0 THEN 'complaint'
                                WHEN g %% 5 IN (1, 2) THEN 'aftersales'
                                ELSE 'general' END AS kind
                      FROM generate_series(1, %(size)s) g) x
            RETURNING id""",
        dict(params, **stage),
    )
    assert ticket_ids[-1] - ticket_ids[0] + 1 == len(ticket_ids)
    params.update(ticket_first=ticket_ids[0], ticket_last=ticket_ids[-1])
    rows += len(ticket_ids)
    # Clocks: met, breached, running overdue or not yet due, paused; a few
    # complaints lack their resolution clock.
    for role, kind, hours, salt in (
        ("complaint_response", "complaint", 24, 1),
        ("complaint_resolution", "complaint", 24 * 9, 7),
        ("request_response", "aftersales", 24, 3),
    ):
        cr.execute(
            f"""INSERT INTO tsq_sla_clock (ticket_id, policy_id, company_id, indicator_role,
                    amount, unit, start_at, base_deadline, deadline, state, is_open,
                    reached_at, breached_at, warned_level, paused_hours, used_hours,
                    allowed_hours, is_primary, {audit})
                SELECT id, %(policy)s, %(company)s, %(role)s, 1, 'clock_hours', start_at,
                       deadline, deadline, state, state NOT IN ('met'),
                       CASE WHEN state = 'met' THEN start_at + (deadline - start_at) / 2
                            WHEN state = 'breached' AND id %% 2 = 0
                            THEN deadline + interval '5 hours' END,
                       CASE WHEN state = 'breached' THEN deadline END,
                       0, 0, 0, %(hours)s, TRUE, {audit_values}
                  FROM (SELECT t.id, COALESCE(t.tsq_received_at, t.create_date) AS start_at,
                               CASE WHEN (t.id / 5 * %(salt)s) %% 20 = 4
                                    THEN timestamp '2026-02-01'
                                    ELSE COALESCE(t.tsq_received_at, t.create_date)
                                         + %(hours)s * interval '1 hour' END AS deadline,
                               CASE (t.id / 5 * %(salt)s) %% 10 WHEN 0 THEN 'breached'
                                    WHEN 1 THEN 'breached' WHEN 2 THEN 'running'
                                    WHEN 3 THEN 'paused' WHEN 4 THEN 'running'
                                    ELSE 'met' END AS state
                          FROM helpdesk_ticket t
                         WHERE t.id BETWEEN %(ticket_first)s AND %(ticket_last)s
                           AND t.tsq_kind = %(kind)s
                           AND (%(role)s != 'complaint_resolution' OR t.id %% 50 != 7)) x""",
            dict(params, role=role, kind=kind, hours=hours, salt=salt, policy=policies[role]),
        )
        rows += cr.rowcount
    # Feedback: 10 per service (5 occasions x 2 clients, unique), 1 in 20 about a
    # ticket instead; 1 % of another company (none).
    cr.execute(
        f"""INSERT INTO tsq_feedback (partner_id, service_id, ticket_id, occasion, score,
                submitted_at, company_id, {audit})
            SELECT (%(partner_ids)s::int[])[1 + ((g %% %(services)s) * 2 + g / %(services)s / 5)
                                             %% %(partners)s],
                   CASE WHEN g %% 20 != 0 THEN %(first)s + g %% %(services)s END,
                   CASE WHEN g %% 20 = 0 THEN %(ticket_first)s + g END,
                   (ARRAY['return_visit', 'acceptance', 'portal', 'survey', 'complaint'])
                       [1 + g / %(services)s %% 5],
                   CASE g * 31 %% 10 WHEN 0 THEN 1 WHEN 1 THEN 2 WHEN 2 THEN 3
                        WHEN 3 THEN 4 WHEN 4 THEN 4 WHEN 5 THEN 4 ELSE 5 END,
                   {SPREAD.format(m=15485863)},
                   CASE WHEN g %% 101 != 0 THEN %(company)s END, {audit_values}
              FROM generate_series(0, %(size)s - 1) g""",
        dict(params, partner_ids=partner_ids),
    )
    rows += cr.rowcount
    for table in TABLES:
        cr.execute(f"ANALYZE {table}")
    return len(service_ids), rows


# --------------------------------------------------------------------------- hand SQL

LOCAL = "({} AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)"
IN_YEAR = "{0} >= %(year_start)s AND {0} < %(year_end)s"
SERVICE_OK = (
    "s.is_service AND s.active AND s.company_id = %(company)s"
    " AND s.service_stage NOT IN ('cancelled', 'declined')"
)
TICKET_OK = (
    "t.company_id = %(company)s AND t.active"
    " AND (t.stage_id IS NULL OR t.stage_id != %(cancelled)s)"
)


def _hand_queries():
    """One plain query per indicator: (month, numerator, denominator) rows."""
    feedback_at = LOCAL.format("f.submitted_at")
    received = LOCAL.format("COALESCE(t.tsq_received_at, t.create_date)")
    submitted = LOCAL.format("a.submitted_at")
    late = "({0}.state = 'breached' OR ({0}.state = 'running' AND {0}.deadline <= %(now)s))"
    return {
        # 1. responses submitted in the month; satisfied = score >= N
        "satisfaction": f"""
            SELECT date_trunc('month', {feedback_at}),
                   count(*) FILTER (WHERE f.score >= %(satisfied)s), count(*)
              FROM tsq_feedback f
              LEFT JOIN project_project s ON s.id = f.service_id
             WHERE f.company_id = %(company)s
               AND (s.service_stage IS NULL OR s.service_stage != 'cancelled')
               AND {IN_YEAR.format(feedback_at)}
             GROUP BY 1""",
        # 2. inquiries at reception and after-sales requests received in the month,
        # answered or past their response time; on time = answered by then
        "response": f"""
            SELECT date_trunc('month', {LOCAL.format("received")}),
                   count(*) FILTER (WHERE on_time), count(*)
              FROM (SELECT s.inquiry_received_at AS received,
                           s.first_response_at <= due AS on_time,
                           s.first_response_at IS NOT NULL OR due <= %(now)s AS counted
                      FROM (SELECT s.*, COALESCE(s.response_deadline, s.inquiry_received_at
                                       + %(response_hours)s * interval '1 hour') AS due
                              FROM project_project s
                             WHERE s.is_service AND s.active AND s.company_id = %(company)s
                               AND s.service_stage != 'cancelled') s
                    UNION ALL
                    SELECT COALESCE(t.tsq_received_at, t.create_date), c.state = 'met',
                           c.state IN ('met', 'breached')
                           OR (c.state = 'running' AND c.deadline <= %(now)s)
                      FROM tsq_sla_clock c
                      JOIN helpdesk_ticket t ON t.id = c.ticket_id
                     WHERE c.indicator_role = 'request_response' AND {TICKET_OK}) r
             WHERE counted AND {IN_YEAR.format(LOCAL.format("received"))}
             GROUP BY 1""",
        # 3. complaints received in the month that are closed or past either limit;
        # on time = both limits met
        "complaint_timeliness": f"""
            SELECT date_trunc('month', {received}),
                   count(*) FILTER (WHERE r.state = 'met' AND x.state = 'met'), count(*)
              FROM helpdesk_ticket t
              JOIN helpdesk_ticket_stage st ON st.id = t.stage_id
              LEFT JOIN tsq_sla_clock r
                     ON r.ticket_id = t.id AND r.indicator_role = 'complaint_response'
              LEFT JOIN tsq_sla_clock x
                     ON x.ticket_id = t.id AND x.indicator_role = 'complaint_resolution'
             WHERE t.is_complaint AND {TICKET_OK} AND {IN_YEAR.format(received)}
               AND (st.closed OR {late.format("r")} OR {late.format("x")})
             GROUP BY 1""",
        # 4. services whose contract delivery date falls in the month, delivered or
        # overdue; on time = delivered (local day) on or before that date
        "on_time_delivery": f"""
            SELECT date_trunc('month', s.contract_delivery_date),
                   count(*) FILTER (WHERE {LOCAL.format("s.delivered_at")}::date
                                          <= s.contract_delivery_date),
                   count(*)
              FROM project_project s
             WHERE {SERVICE_OK}
               AND s.contract_delivery_date >= %(year_start)s
               AND s.contract_delivery_date < %(year_end)s
               AND (s.delivered_at IS NOT NULL OR s.contract_delivery_date < %(today)s)
             GROUP BY 1""",
        # 5. first acceptance submissions of the month that the client decided on
        "first_pass": f"""
            SELECT date_trunc('month', {submitted}),
                   count(*) FILTER (WHERE a.state = 'accepted'), count(*)
              FROM tsq_acceptance a
              JOIN project_project s ON s.id = a.service_id
             WHERE a.sequence = 1 AND a.state IN ('accepted', 'objection', 'objection_closed')
               AND {SERVICE_OK} AND {IN_YEAR.format(submitted)}
             GROUP BY 1""",
        # 6. return visits due in the month, done or overdue; on time = done (local
        # day) by the due date
        "return_visit": f"""
            SELECT date_trunc('month', v.due_date),
                   count(*) FILTER (WHERE {LOCAL.format("v.done_at")}::date <= v.due_date),
                   count(*)
              FROM tsq_return_visit v
              JOIN project_project s ON s.id = v.service_id
             WHERE {SERVICE_OK}
               AND v.due_date >= %(year_start)s AND v.due_date < %(year_end)s
               AND (v.done_at IS NOT NULL OR v.due_date < %(today)s)
             GROUP BY 1""",
        # 7. valid complaints received in the month / services active at any time
        # in it (from the inquiry, or creation, to closure)
        "valid_complaint": f"""
            WITH months AS (
                SELECT generate_series(%(year_start)s::timestamp,
                                       %(year_end)s::timestamp - interval '1 month',
                                       interval '1 month') AS m
            ), complaints AS (
                SELECT date_trunc('month', {received}) AS m, count(*) AS n
                  FROM helpdesk_ticket t
                 WHERE t.is_complaint AND t.tsq_validity = 'valid' AND {TICKET_OK}
                   AND {IN_YEAR.format(received)}
                 GROUP BY 1
            ), active AS (
                SELECT months.m, count(*) AS n
                  FROM months
                  JOIN project_project s
                    ON {LOCAL.format("COALESCE(s.inquiry_received_at, s.create_date)")}
                       < months.m + interval '1 month'
                   AND (s.service_stage != 'done' OR s.stage_entered_at IS NULL
                        OR {LOCAL.format("s.stage_entered_at")} >= months.m)
                 WHERE {SERVICE_OK}
                 GROUP BY 1
            )
            SELECT months.m, COALESCE(complaints.n, 0), COALESCE(active.n, 0)
              FROM months
              LEFT JOIN complaints ON complaints.m = months.m
              LEFT JOIN active ON active.m = months.m""",
    }


# --------------------------------------------------------------------------- runs


def _normalise(figures):
    return {key: value for key, value in figures.items() if tuple(value) != (0, 0)}


def _run_engine(env, indicators, company, periods):
    Engine = env["tsq.indicator.engine"]
    env.invalidate_all()
    cr = env.cr
    queries = cr.sql_log_count
    start = time.perf_counter()
    result, times = {}, {}
    for indicator in indicators:
        t0 = time.perf_counter()
        counts = Engine._count(company, indicator, periods, "none", NOW)
        times[indicator.code] = time.perf_counter() - t0
        result[indicator.code] = _normalise(
            {k + 1: tuple(value[:2]) for (k, _key), value in counts.items()}
        )
    elapsed = time.perf_counter() - start
    return elapsed, cr.sql_log_count - queries, result, times


def _run_hand(env, indicators, company):
    cr = env.cr
    queries_by_code = _hand_queries()
    cancelled = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_cancelled").id
    params_by_code = {
        indicator.code: {
            "company": company.id,
            "tz": TZ,
            "now": NOW,
            "today": TODAY,
            "year_start": date(YEAR, 1, 1),
            "year_end": date(YEAR + 1, 1, 1),
            "cancelled": cancelled,
            "satisfied": indicator.param_satisfied_score,
            "response_hours": indicator.param_response_hours or 24,
        }
        for indicator in indicators
    }
    queries = cr.sql_log_count
    start = time.perf_counter()
    result, times = {}, {}
    for code, params in params_by_code.items():
        t0 = time.perf_counter()
        cr.execute(queries_by_code[code], params)
        rows = cr.fetchall()
        times[code] = time.perf_counter() - t0
        result[code] = _normalise({month.month: (num, den) for month, num, den in rows})
    elapsed = time.perf_counter() - start
    return elapsed, cr.sql_log_count - queries, result, times


def _compare(engine, hand):
    """Lines describing every (indicator, month) where the two sides differ."""
    lines = []
    for code in engine:
        for month in sorted(set(engine[code]) | set(hand[code])):
            mine, theirs = engine[code].get(month, (0, 0)), hand[code].get(month, (0, 0))
            if mine != theirs:
                lines.append(f"  {code} {YEAR}-{month:02d}: engine {mine}, hand SQL {theirs}")
    return lines


def _explain(env, company, indicator, periods):
    from odoo.addons.tech_service_quality.models.indicators import tsq_indicator_engine as engine

    query = (
        f"EXPLAIN (ANALYZE, BUFFERS) {engine.PERIODS_CTE}, "
        f"f({engine.FACT_COLUMNS}) AS ({engine.FACTS[indicator.code]('none')}) "
        "SELECT k, split_key, count(*) FILTER (WHERE num), count(*) FILTER (WHERE den) "
        "FROM f GROUP BY k, split_key"
    )
    params = env["tsq.indicator.engine"]._params(company, indicator, periods, NOW)
    env.cr.execute(query, params)
    return [row[0] for row in env.cr.fetchall()]


def _setup_company(company):
    """The company the figures assume, whatever the machine or the database: its
    time zone Asia/Shanghai, on its partner and on its service calendar (Monday to
    Friday, 9-12 and 13-18). Written in the measuring transaction, rolled back with
    it."""
    from odoo import Command

    env = company.env
    calendar = env["resource.calendar"].create(
        {
            "name": "Benchmark calendar 9-12 13-18",
            "tz": TZ,
            "company_id": company.id,
            "attendance_ids": [Command.clear()]
            + [
                Command.create(
                    {
                        "name": f"d{day}{period}",
                        "dayofweek": str(day),
                        "hour_from": start,
                        "hour_to": end,
                        "day_period": period,
                    }
                )
                for day in range(5)
                for start, end, period in ((9, 12, "morning"), (13, 18, "afternoon"))
            ],
        }
    )
    company.partner_id.tz = TZ
    company.tsq_calendar_id = calendar
    env.flush_all()
    if company._tsq_tz() != TZ:
        raise SystemExit(f"the company's time zone is {company._tsq_tz()}, not {TZ}")


def _measure(registry, size, explain):
    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env.company
        _setup_company(company)
        indicators = env["tsq.indicator"].with_context(active_test=False).search([])
        indicators = indicators.sorted(lambda i: (i.sequence, i.id))
        periods = [(date(YEAR, m, 1), date(YEAR + m // 12, m % 12 + 1, 1)) for m in range(1, 13)]
        start = time.perf_counter()
        services, rows = _insert(env, size)
        env.invalidate_all()
        inserted = time.perf_counter() - start
        runs = {"engine": [], "hand": []}
        for _round in range(2):
            runs["engine"].append(_run_engine(env, indicators, company, periods))
            runs["hand"].append(_run_hand(env, indicators, company))
        engine = min(runs["engine"], key=lambda r: r[0])
        hand = min(runs["hand"], key=lambda r: r[0])
        differences = _compare(engine[2], hand[2])
        differences += [
            f"  {side} run 2 differs from run 1"
            for side, (one, two) in runs.items()
            if one[2] != two[2]
        ]
        plan = []
        if explain:
            slowest = max(indicators, key=lambda i: engine[3][i.code])
            plan = [f"EXPLAIN ANALYZE, engine, {slowest.code}:"]
            plan += _explain(env, company, slowest, periods)
        cr.rollback()
    return {
        "services": services,
        "rows": rows,
        "inserted": inserted,
        "engine": engine,
        "hand": hand,
        "engine_queries": [run[1] for run in runs["engine"]],
        "hand_queries": [run[1] for run in runs["hand"]],
        "differences": differences,
        "plan": plan,
    }


def _sequences(cr):
    cr.execute("SELECT pg_get_serial_sequence(t, 'id') FROM unnest(%s::text[]) t", (list(TABLES),))
    return [row[0] for row in cr.fetchall()]


def _restore(dbname, sequences):
    """Set the sequences back, then vacuum and analyse: ANALYZE's row counts and
    the rolled-back rows would otherwise outlive the transaction."""
    import psycopg2

    from odoo.sql_db import connection_info_for

    _name, info = connection_info_for(dbname)
    with closing(psycopg2.connect(**info)) as cnx:
        cnx.autocommit = True
        with cnx.cursor() as cr:
            for name, (last_value, is_called) in sequences.items():
                cr.execute("SELECT setval(%s, %s, %s)", (name, last_value, is_called))
            for table in TABLES:
                cr.execute(f"VACUUM ANALYZE {table}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-d", "--database", default="tsq_bench")
    parser.add_argument("--sizes", default="10000,1000000")
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()

    addons_path = _odoo_setup(args.database)
    _ensure_database(args.database, addons_path)
    import logging

    import odoo
    from odoo.modules.registry import Registry

    logging.getLogger("odoo").setLevel(logging.WARNING)
    odoo.tools.config["log_level"] = "warn"
    registry = Registry(args.database)
    with registry.cursor() as cr:
        sequences = {}
        for name in _sequences(cr):
            cr.execute(f"SELECT last_value, is_called FROM {name}")
            sequences[name] = cr.fetchone()

    sizes = [int(s) for s in args.sizes.split(",")]
    print(
        f"Seven indicators, 12 months of {YEAR}, company level, now = {NOW:%Y-%m-%d}: "
        "engine vs hand-written SQL (best of 2 runs)"
    )
    header = (
        f"{'N':>10} {'services':>9} {'rows':>10} {'insert s':>9} {'engine s':>9} "
        f"{'eng q':>6} {'hand s':>7} {'hand q':>6} {'ratio':>6}  same"
    )
    print(header, flush=True)
    results = []
    try:
        for size in sizes:
            res = _measure(registry, size, args.explain and size == sizes[-1])
            results.append(res)
            eng, hand = res["engine"], res["hand"]
            print(
                f"{size:>10,} {res['services']:>9,} {res['rows']:>10,} {res['inserted']:>9.1f} "
                f"{eng[0]:>9.3f} {max(res['engine_queries']):>6} {hand[0]:>7.3f} "
                f"{max(res['hand_queries']):>6} {eng[0] / hand[0]:>6.2f}  "
                f"{'yes' if not res['differences'] else 'NO'}",
                flush=True,
            )
    finally:
        _restore(args.database, sequences)

    last = results[-1]
    print(f"\nper indicator at N = {sizes[-1]:,} (seconds, best run):")
    print(f"{'indicator':<22} {'engine':>8} {'hand':>8} {'ratio':>6}   2025 total (num/den)")
    for code, seconds in last["engine"][3].items():
        hand_seconds = last["hand"][3][code]
        num = sum(v[0] for v in last["engine"][2][code].values())
        den = sum(v[1] for v in last["engine"][2][code].values())
        print(
            f"{code:<22} {seconds:>8.3f} {hand_seconds:>8.3f} "
            f"{seconds / hand_seconds:>6.2f}   {num}/{den}"
        )
    for size, res in zip(sizes, results, strict=True):
        if res["differences"]:
            print(f"\nN = {size:,}: engine and hand SQL differ:")
            print("\n".join(res["differences"]))
    if last["plan"]:
        print()
        print("\n".join(last["plan"]))
    queries = {max(r["engine_queries"]) for r in results}
    same_queries = len(queries) == 1
    same_figures = not any(r["differences"] for r in results)
    within = all(r["engine"][0] <= 3 * r["hand"][0] for r in results)
    print("\nsame figures as the hand-written SQL:", "yes" if same_figures else "NO")
    print("engine query count independent of N:", "yes" if same_queries else "NO")
    print("engine within 3 times the hand-written SQL:", "yes" if within else "NO")
    return 0 if same_figures and same_queries else 1


if __name__ == "__main__":
    sys.exit(main())
