# Copyright 2026 Tech Service Quality contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What the benchmarks of tech_service_quality share: Odoo's configuration (the
add-on's folder linked under ``.tsq_addons``, Odoo's own addons folder and
``ODOO_ADDONS_PATH``), the database (created with the add-on, without demo data,
when missing) and its registry. Imported by ``scripts/bench_*.py``, which run as
``python scripts/bench_x.py`` (this folder is then on ``sys.path``)."""

import logging
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def odoo_setup(dbname):
    """Configure Odoo for ``dbname``; the addons path it uses."""
    import odoo  # fails clearly when Odoo is missing
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


def ensure_database(dbname, addons_path):
    """Create ``dbname`` with tech_service_quality (no demo data) if it is missing."""
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


def open_registry(dbname):
    """The registry of ``dbname`` (created when missing), Odoo's logs at warnings."""
    addons_path = odoo_setup(dbname)
    ensure_database(dbname, addons_path)
    import odoo
    from odoo.modules.registry import Registry

    logging.getLogger("odoo").setLevel(logging.WARNING)
    odoo.tools.config["log_level"] = "warn"
    return Registry(dbname)
