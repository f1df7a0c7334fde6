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
import sys
import time
from contextlib import closing
from datetime import date, datetime

from bench_common import open_registry
from bench_indicators_data import TABLES, insert

TZ = "Asia/Shanghai"
NOW = datetime(2026, 1, 15)
TODAY = date(2026, 1, 15)
YEAR = 2025
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


FEEDBACK_AT = LOCAL.format("f.submitted_at")
RECEIVED = LOCAL.format("COALESCE(t.tsq_received_at, t.create_date)")
SUBMITTED = LOCAL.format("a.submitted_at")
LATE = "({0}.state = 'breached' OR ({0}.state = 'running' AND {0}.deadline <= %(now)s))"

# One plain query per indicator: (month, numerator, denominator) rows.
HAND_QUERIES = {
    # 1. responses submitted in the month; satisfied = score >= N
    "satisfaction": f"""
        SELECT date_trunc('month', {FEEDBACK_AT}),
               count(*) FILTER (WHERE f.score >= %(satisfied)s), count(*)
          FROM tsq_feedback f
          LEFT JOIN project_project s ON s.id = f.service_id
         WHERE f.company_id = %(company)s
           AND (s.service_stage IS NULL OR s.service_stage != 'cancelled')
           AND {IN_YEAR.format(FEEDBACK_AT)}
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
        SELECT date_trunc('month', {RECEIVED}),
               count(*) FILTER (WHERE r.state = 'met' AND x.state = 'met'), count(*)
          FROM helpdesk_ticket t
          JOIN helpdesk_ticket_stage st ON st.id = t.stage_id
          LEFT JOIN tsq_sla_clock r
                 ON r.ticket_id = t.id AND r.indicator_role = 'complaint_response'
          LEFT JOIN tsq_sla_clock x
                 ON x.ticket_id = t.id AND x.indicator_role = 'complaint_resolution'
         WHERE t.is_complaint AND {TICKET_OK} AND {IN_YEAR.format(RECEIVED)}
           AND (st.closed OR {LATE.format("r")} OR {LATE.format("x")})
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
        SELECT date_trunc('month', {SUBMITTED}),
               count(*) FILTER (WHERE a.state = 'accepted'), count(*)
          FROM tsq_acceptance a
          JOIN project_project s ON s.id = a.service_id
         WHERE a.sequence = 1 AND a.state IN ('accepted', 'objection', 'objection_closed')
           AND {SERVICE_OK} AND {IN_YEAR.format(SUBMITTED)}
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
            SELECT date_trunc('month', {RECEIVED}) AS m, count(*) AS n
              FROM helpdesk_ticket t
             WHERE t.is_complaint AND t.tsq_validity = 'valid' AND {TICKET_OK}
               AND {IN_YEAR.format(RECEIVED)}
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
        cr.execute(HAND_QUERIES[code], params)
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
        services, rows = insert(env, size)
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

    registry = open_registry(args.database)
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
