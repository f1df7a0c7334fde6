# Copyright 2026 Tech Service Quality contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The Odoo side of scripts/bench_worktime.py: the throwaway database (only the
``resource`` module, no demo data) and the ``resource.calendar`` that mirrors each
calendar of bench_worktime_calendars.py."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bench_worktime_calendars import WEEKDAYS, CalendarSpec, hhmm, local_midnight


def odoo_addons_path(explicit: str | None) -> str:
    """Odoo's addons folder next to the ``odoo`` package, plus ODOO_ADDONS_PATH."""
    if explicit:
        return explicit
    import odoo

    folders = []
    extra = os.environ.get("ODOO_ADDONS_PATH", "")
    folders.extend(p.strip() for p in extra.split(",") if p.strip())
    src_addons = Path(odoo.__file__).resolve().parents[1] / "addons"
    if src_addons.is_dir():
        folders.append(str(src_addons))
    return ",".join(folders)


def database_exists(name: str) -> bool:
    import odoo

    connection = odoo.sql_db.db_connect("postgres")
    with connection.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        found = bool(cr.fetchall())
    odoo.sql_db.close_db("postgres")
    return found


def create_database(name: str, addons_path: str) -> None:
    """A new database with only the ``resource`` module, no demo data (Odoo's CLI)."""
    print(
        f"creating database {name!r} with the resource module (takes a minute) ...",
        file=sys.stderr,
        flush=True,
    )
    command = [
        sys.executable,
        "-c",
        "import sys, odoo.cli; sys.argv[0] = 'odoo'; odoo.cli.main()",
        "--addons-path",
        addons_path,
        "-d",
        name,
        "-i",
        "resource",
        "--without-demo",
        "all",
        "--stop-after-init",
        "--log-level",
        "warn",
    ]
    subprocess.run(command, check=True)


def open_registry(name: str, addons_path: str):
    import odoo
    from odoo.tools import config

    config.parse_config(["--addons-path", addons_path, "--log-level", "warn"])
    created = False
    if not database_exists(name):
        create_database(name, addons_path)
        created = True
    registry = odoo.modules.registry.Registry(name)
    if "resource.calendar" not in registry:
        raise SystemExit(
            f"database {name!r} exists but has no 'resource' module: "
            "choose another -d (a missing database is created)"
        )
    return registry, created


def odoo_calendar(env, spec: CalendarSpec):
    """A ``resource.calendar`` mirroring ``spec``: its attendances and global leaves."""
    from odoo import Command

    zone = ZoneInfo(spec.tz)
    attendances = [
        Command.create(
            {
                "name": f"{WEEKDAYS[wd]} {hhmm(lo)}-{hhmm(hi)}",
                "dayofweek": str(wd),
                "hour_from": lo,
                "hour_to": hi,
                "day_period": "morning" if lo < 12 else "afternoon",
            }
        )
        for wd in range(7)
        for lo, hi in spec.week.get(wd, ())
    ]
    # One leave per run of consecutive holidays, from local 00:00 of the first day to
    # local 00:00 after the last one.
    runs: list[list[date]] = []
    for day in spec.holidays:
        if runs and runs[-1][1] + timedelta(days=1) == day:
            runs[-1][1] = day
        else:
            runs.append([day, day])
    leaves = [
        Command.create(
            {
                "name": f"holiday {first}..{last}",
                "date_from": local_midnight(first, zone),
                "date_to": local_midnight(last + timedelta(days=1), zone),
                "resource_id": False,
                "time_type": "leave",
            }
        )
        for first, last in runs
    ]
    calendar = env["resource.calendar"].create(
        {
            "name": f"tsq bench: {spec.label}",
            "tz": spec.tz,
            "two_weeks_calendar": False,
            "flexible_hours": False,
            "attendance_ids": [Command.clear(), *attendances],
            "global_leave_ids": [Command.clear(), *leaves],
        }
    )
    env.flush_all()
    # Nothing but the intended attendances and leaves (no lunch line, no dates).
    got = sorted(
        (int(a.dayofweek), a.hour_from, a.hour_to, a.day_period, bool(a.display_type))
        for a in calendar.attendance_ids
    )
    want = sorted(
        (wd, lo, hi, "morning" if lo < 12 else "afternoon", False)
        for wd in range(7)
        for lo, hi in spec.week.get(wd, ())
    )
    odd = calendar.attendance_ids.filtered(
        lambda a: a.resource_id or a.date_from or a.date_to or a.week_type
    )
    assert got == want and not odd, f"{spec.label}: unexpected attendances {got}"
    assert not calendar.two_weeks_calendar and not calendar.flexible_hours
    assert calendar.tz == spec.tz
    found = env["resource.calendar.leaves"].search_count(
        [("calendar_id", "in", [False, calendar.id]), ("resource_id", "=", False)]
    )
    assert found == len(runs), f"{spec.label}: {found} global leaves, expected {len(runs)}"
    return calendar
