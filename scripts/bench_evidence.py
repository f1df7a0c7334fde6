# Copyright 2026 Tech Service Quality contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Benchmark of the data inalterability check over 100,000 sealed records.

Run by hand, not a test:

    /opt/odoo18/bin/python scripts/bench_evidence.py [-d DB] [--size 100000]

It needs a database with tech_service_quality installed and up to date (``-d``,
default ``tsq_bench_evidence``; created without demo data when missing, which
takes a few minutes).

In one transaction that is rolled back at the end (the database is left as it
was), it creates a company of its own, bulk-inserts ``--size`` supplier status
decisions straight in SQL (INSERT ... SELECT generate_series), seals them all
as the upgrade does (``_tsq_evidence_seal_existing``: payloads read through the
ORM, links appended with one multi-row INSERT per 1,000), then runs the check
of that chain (``tsq.evidence.check._tsq_verify_chain``: the hash chain
recomputed in Python, and every record read back through the ORM and compared
with its link) twice, and prints the times. It also checks that a changed row
is found.
"""

import argparse
import time

from bench_common import open_registry


def _measure(env, size):
    cr = env.cr
    company = env["res.company"].create({"name": "Evidence bench company"})
    supplier = env["res.partner"].create(
        {"name": "Bench supplier", "is_company": True, "tsq_is_supplier": True}
    )
    started = time.perf_counter()
    cr.execute(
        """INSERT INTO tsq_supplier_status
               (partner_id, company_id, status, previous_status, decided_by_id, decided_at,
                reason, create_uid, create_date, write_uid, write_date)
           SELECT %(partner)s, %(company)s,
                  (ARRAY['qualified','conditional','suspended'])[1 + g %% 3],
                  (ARRAY['conditional','suspended','qualified'])[1 + g %% 3],
                  %(uid)s, timestamp '2025-01-01' + g * interval '5 min',
                  'decision ' || g || ' 资质复核', %(uid)s, now(), %(uid)s, now()
             FROM generate_series(1, %(size)s) g""",
        {"partner": supplier.id, "company": company.id, "uid": env.uid, "size": size},
    )
    cr.execute("ANALYZE tsq_supplier_status")
    inserted = time.perf_counter() - started
    Status = env["tsq.supplier.status"].with_context(active_test=False)
    started = time.perf_counter()
    sealed = Status._tsq_evidence_seal_existing()
    cr.execute("ANALYZE tsq_evidence_link")
    sealing = time.perf_counter() - started
    env.invalidate_all()
    Check = env["tsq.evidence.check"]
    runs = []
    for _run in range(2):
        env.invalidate_all()
        started = time.perf_counter()
        result = Check._tsq_verify_chain(company.id, "supplier_status")
        runs.append(time.perf_counter() - started)
    assert not result["broken"], result
    cr.execute(
        """UPDATE tsq_supplier_status SET reason = 'forged' WHERE id =
           (SELECT max(id) - %s FROM tsq_supplier_status WHERE company_id = %s)""",
        (size // 2, company.id),
    )
    env.invalidate_all()
    forged = Check._tsq_verify_chain(company.id, "supplier_status")
    return {
        "links": result["total_count"],
        "sealed": sealed,
        "inserted": inserted,
        "sealing": sealing,
        "check": min(runs),
        "forged": (forged["broken_reason"], forged["broken_seq"]),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-d", "--database", default="tsq_bench_evidence")
    parser.add_argument("--size", type=int, default=100000)
    args = parser.parse_args()

    registry = open_registry(args.database)
    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        try:
            res = _measure(env, args.size)
        finally:
            cr.rollback()
    print(
        f"supplier status decisions inserted in SQL: {args.size:,} in {res['inserted']:.1f} s\n"
        f"sealed (upgrade path, ORM read + bulk insert of links): {res['sealed']:,} "
        f"in {res['sealing']:.1f} s\n"
        f"check of the chain ({res['links']:,} links, hash chain + every record compared): "
        f"{res['check']:.2f} s (best of 2)\n"
        f"one row changed in SQL: found as {res['forged'][0]!r} at link {res['forged'][1]:,}\n"
        "everything rolled back"
    )


if __name__ == "__main__":
    main()
