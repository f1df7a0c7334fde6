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
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _odoo_setup(dbname):
    import odoo
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

    addons_path = _odoo_setup(args.database)
    _ensure_database(args.database, addons_path)
    import logging

    import odoo
    from odoo.modules.registry import Registry

    logging.getLogger("odoo").setLevel(logging.WARNING)
    odoo.tools.config["log_level"] = "warn"
    registry = Registry(args.database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
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
