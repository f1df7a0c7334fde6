# Copyright 2026 Tech Service Quality contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Benchmark of the SLA breach scan: its time and query count over many open tickets.

Run by hand, not a test:

    /opt/odoo18/bin/python scripts/bench_sla_scan.py [-d DB] [--sizes 1000,100000] [--due 50]

It needs a database with tech_service_quality installed (``-d``, default
``tsq_bench``; created without demo data when missing, which takes a minute).
For each size N it inserts N open complaints, each with its two running clocks
(response and resolution) whose next event lies in the future, plus ``--due``
complaints whose next event has come, straight in SQL (the ORM would take an hour
for 100,000 tickets); then it runs the scheduled scan once and prints the time and
the number of SQL queries. Everything is rolled back: the database is left as it was.

The scan reads the due clocks through the partial index on ``next_check_at`` and
re-plays only those; its query count must be the same for 1,000 and 100,000 open
tickets (it grows only with the number of *due* clocks, which is bounded by the
batch size).
"""

import argparse
import sys
import time
from datetime import datetime, timedelta

from bench_common import open_registry


def _insert(env, count, next_check, now):
    """``count`` open complaints with their clocks, straight in SQL."""
    cr = env.cr
    company = env.company
    stage = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress")
    category = env.ref("tech_service_quality.helpdesk_category_complaint")
    policies = [
        env.ref("tech_service_quality.sla_policy_complaint_response"),
        env.ref("tech_service_quality.sla_policy_complaint_resolution"),
    ]
    received = now - timedelta(hours=1)
    cr.execute(
        """
        INSERT INTO helpdesk_ticket (number, name, description, stage_id, company_id,
            category_id, priority, active, tsq_kind, is_complaint, tsq_received_at,
            tsq_validity, kanban_state, create_uid, write_uid, create_date, write_date)
        SELECT 'BENCH' || g, 'bench complaint ' || g, '<p>bench</p>', %s, %s,
            %s, '1', true, 'complaint', true, %s,
            'pending', 'normal', 1, 1, %s, %s
        FROM generate_series(1, %s) g
        RETURNING id
        """,
        (stage.id, company.id, category.id, received, now, now, count),
    )
    ticket_ids = [row[0] for row in cr.fetchall()]
    for policy in policies:
        cr.execute(
            """
            INSERT INTO tsq_sla_clock (ticket_id, policy_id, company_id, indicator_role,
                amount, unit, start_at, base_deadline, deadline, state, is_open,
                warned_level, next_check_at, paused_hours, used_hours, allowed_hours,
                create_uid, write_uid, create_date, write_date)
            SELECT t, %s, %s, %s, %s, %s, %s, %s, %s, 'running', true,
                0, %s, 0, 0, 24, 1, 1, %s, %s
            FROM unnest(%s) t
            """,
            (
                policy.id,
                company.id,
                policy.indicator_role,
                policy.amount,
                policy.unit,
                received,
                received + timedelta(days=1),
                received + timedelta(days=1),
                next_check,
                now,
                now,
                ticket_ids,
            ),
        )
    return ticket_ids


def _measure(registry, size, due, now):
    with registry.cursor() as cr:
        from odoo import SUPERUSER_ID, api

        env = api.Environment(cr, SUPERUSER_ID, {})
        # the company these figures assume (time zone and calendar), whatever the
        # machine: rolled back with the rest
        company = env.company
        company.partner_id.tz = "Asia/Shanghai"
        calendar = company._tsq_calendar()
        if calendar:
            calendar.tz = "Asia/Shanghai"
        env.flush_all()
        _insert(env, size, now + timedelta(hours=6), now)
        _insert(env, due, now - timedelta(minutes=1), now)
        cr.execute("ANALYZE tsq_sla_clock")
        env.invalidate_all()
        Clock = env["tsq.sla.clock"]
        # one scan rolled back first: the registry's caches warm at every size alike
        warm = cr.savepoint()
        Clock._cron_scan(batch_size=500, now=now)
        env.flush_all()
        warm.close(rollback=True)
        env.invalidate_all()
        queries = cr.sql_log_count
        start = time.perf_counter()
        scanned = Clock._cron_scan(batch_size=500, now=now)
        env.flush_all()
        elapsed = time.perf_counter() - start
        queries = cr.sql_log_count - queries
        cr.execute(
            "EXPLAIN SELECT id FROM tsq_sla_clock WHERE next_check_at <= %s "
            "ORDER BY next_check_at LIMIT 500",
            (now,),
        )
        plan = " / ".join(row[0].strip() for row in cr.fetchall()[:2])
        checked = len(scanned)
        cr.rollback()
    return elapsed, queries, checked, plan


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-d", "--database", default="tsq_bench")
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--due", type=int, default=50)
    args = parser.parse_args()

    registry = open_registry(args.database)
    now = datetime.utcnow().replace(microsecond=0)
    print(f"SLA breach scan, {args.due} due complaints (2 clocks each) among N open ones")
    print(f"{'open tickets':>12} {'open clocks':>12} {'checked':>8} {'queries':>8} {'time (s)':>9}")
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        elapsed, queries, checked, plan = _measure(registry, size, args.due, now)
        results.append((size, queries, checked))
        print(f"{size:>12,} {2 * (size + args.due):>12,} {checked:>8} {queries:>8} {elapsed:>9.3f}")
    print(f"plan: {plan}")
    same = len({q for _s, q, _c in results}) == 1
    print("query count independent of the number of open tickets:", "yes" if same else "NO")
    all_due = all(c == 2 * args.due for _s, _q, c in results)
    print(
        f"exactly the {2 * args.due} due clocks checked at each size:", "yes" if all_due else "NO"
    )
    return 0 if same and all_due else 1


if __name__ == "__main__":
    sys.exit(main())
