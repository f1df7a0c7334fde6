# Copyright 2026 Tech Service Quality contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Benchmark of lib/worktime.py against Odoo's own ``resource.calendar``.

Run by hand from the repository root (nothing of the add-on needs to be installed)::

    /opt/odoo18/bin/python scripts/bench_worktime.py                  # 100,000 cases
    /opt/odoo18/bin/python scripts/bench_worktime.py --cases 5000 --seed 7 -d tsq_bench
    python3 scripts/bench_worktime.py --helper-only                   # no Odoo needed

What it does
------------
It draws ``--cases`` random limits (default 100,000, reproducible with ``--seed``):
a start instant (uniform over 2025-01-01 .. 2026-12-01 UTC, whole minutes), a
calendar (one of the three below) and, half of the time, a number of working hours
(0.5 .. 200 by quarter hours, or by whole minutes with ``--durations minute``),
otherwise a number of working days (1 .. 30).  Each deadline is computed twice, on
the same calendar with the same public holidays:

* by the add-on's helper, :class:`WorkCalendar` of ``lib/worktime.py`` (loaded by
  file path), one instance per calendar built once, as the add-on does per company:
  ``add_working_hours(start, hours)`` and, with ``day_end="business"``,
  ``add_working_days(start, days)``;
* by Odoo: ``resource.calendar.plan_hours(hours, start, compute_leaves=True)`` and
  ``plan_days(days, <local 00:00 of the day after start's local date>,
  compute_leaves=True)`` on a calendar whose attendances mirror the helper's week
  exactly and whose public holidays are global ``resource.calendar.leaves``
  (``resource_id`` False) covering whole local days.

Two differences of Odoo's are normalised, both proved from Odoo's own work
intervals (see :func:`odoo_day_ends` and :func:`is_float_overshoot`):

* ``plan_days`` ends on the right day but at the end of that day's *first* work
  interval; the end of its last one (and 24:00, for the helper's default
  ``day_end="midnight"``, checked untimed) is read from Odoo's work intervals;
* ``plan_hours`` subtracts interval lengths as float hours, so a limit used up
  exactly at the end of an interval can, rarely, overshoot by 1e-15 h to the start
  of the next interval; such cases are counted apart (``float_overshoots``), not as
  mismatches, when Odoo's intervals add up to exactly the limit at the helper's
  deadline.

It reports the mismatches (the first ones in detail; exit status 1 if there is any),
the time of each side, the time per call and the ratio (the goal: the helper at least
20 times faster).  The last line is for machines::

    cases=100000 mismatches=0 float_overshoots=1 helper=0.291 s resource.calendar=353.066 s ratio=1212.4x

The Odoo side runs in a throwaway database (``-d``, default ``tsq_bench``) that the
script creates when it is missing, with only the ``resource`` module and no demo
data.  The calendars and leaves are created inside one transaction that is rolled
back at the end: the database is left as it was (drop it with ``dropdb`` when done).
Database setup is not timed.  Odoo 18 is found through the python running the
script (``import odoo``); its addons folder is the ``addons`` folder next to the
``odoo`` package, plus ``ODOO_ADDONS_PATH`` (comma-separated) if set, or
``--addons-path``.  PostgreSQL is reached through libpq's defaults
(``PGHOST``/``PGPORT``/``PGUSER``; the local socket otherwise).

Only public holidays are compared: ``resource.calendar`` cannot make a weekend day a
working day, so the helper's make-up working days (调休上班) are left out here (they
are covered by the plain-Python tests of ``tests/lib``).
"""

from __future__ import annotations

import argparse
import importlib.util
import platform
import random
import sys
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import NamedTuple
from zoneinfo import ZoneInfo

from bench_worktime_calendars import CALENDARS, WEEKDAYS, local_midnight
from bench_worktime_odoo import odoo_addons_path, odoo_calendar, open_registry

ROOT = Path(__file__).resolve().parents[1]
WORKTIME_PATH = ROOT / "lib" / "worktime.py"

HOURS = "hours"
DAYS = "days"
FIRST_START = datetime(2025, 1, 1)
LAST_START = datetime(2026, 12, 1)
PROGRESS_EVERY = 10_000


def out(text: str = "") -> None:
    """Write one line of the report on stdout."""
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def err(text: str) -> None:
    """Write one line of progress on stderr."""
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


# ---------------------------------------------------------------------------- cases


class Case(NamedTuple):
    calendar: int  # index in CALENDARS
    start: datetime  # naive UTC
    unit: str  # HOURS or DAYS
    amount: float | int
    day_dt: datetime | None  # DAYS: naive UTC of local 00:00 after start's local date


def make_cases(count: int, seed: int, durations: str) -> list[Case]:
    """``count`` random cases, the same for the same ``seed`` and ``durations``."""
    rng = random.Random(seed)
    zones = [ZoneInfo(spec.tz) for spec in CALENDARS]
    minutes = int((LAST_START - FIRST_START).total_seconds() // 60)
    cases = []
    for _ in range(count):
        index = rng.randrange(len(CALENDARS))
        start = FIRST_START + timedelta(minutes=rng.randrange(minutes))
        if rng.random() < 0.5:
            if durations == "minute":
                amount: float | int = rng.randint(30, 12_000) / 60
            else:
                amount = rng.randint(2, 800) / 4
            cases.append(Case(index, start, HOURS, amount, None))
        else:
            amount = rng.randint(1, 30)
            cases.append(Case(index, start, DAYS, amount, next_local_midnight(start, zones[index])))
    return cases


def to_local(instant: datetime, zone: ZoneInfo) -> datetime:
    """Aware local datetime of a naive UTC instant."""
    return instant.replace(tzinfo=UTC).astimezone(zone)


def next_local_midnight(instant: datetime, zone: ZoneInfo) -> datetime:
    """Naive UTC instant of local 00:00 of the day after the local date of ``instant``."""
    return local_midnight(to_local(instant, zone).date() + timedelta(days=1), zone)


def show(instant: datetime | None, zone: ZoneInfo) -> str:
    if instant is None:
        return "None"
    if not isinstance(instant, datetime):
        return repr(instant)
    wall = to_local(instant, zone)
    return (
        f"{instant:%Y-%m-%d %H:%M:%S.%f} UTC "
        f"({wall:%Y-%m-%d %H:%M:%S.%f} {WEEKDAYS[wall.weekday()]} {zone.key})"
    )


# --------------------------------------------------------------------- helper side


def load_worktime() -> ModuleType:
    """lib/worktime.py, loaded by file path (the add-on need not be importable)."""
    name = "tsq_lib_worktime"
    spec = importlib.util.spec_from_file_location(name, WORKTIME_PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def helper_calendars(worktime: ModuleType, day_end: str) -> list:
    return [
        worktime.WorkCalendar(tz=spec.tz, week=spec.week, holidays=spec.holidays, day_end=day_end)
        for spec in CALENDARS
    ]


class Timing(NamedTuple):
    seconds: dict[str, float]  # per unit
    calls: dict[str, int]


def run_helper(worktime: ModuleType, cases: Sequence[Case]) -> tuple[list, Timing]:
    """Deadlines by the helper (``day_end="business"``), timed per unit."""
    calendars = helper_calendars(worktime, worktime.DAY_END_BUSINESS)
    results: list = [None] * len(cases)
    seconds: dict[str, float] = {}
    calls: dict[str, int] = {}
    for unit in (HOURS, DAYS):
        indexes = [i for i, case in enumerate(cases) if case.unit == unit]
        began = time.perf_counter()
        if unit == HOURS:
            for i in indexes:
                case = cases[i]
                results[i] = calendars[case.calendar].add_working_hours(case.start, case.amount)
        else:
            for i in indexes:
                case = cases[i]
                results[i] = calendars[case.calendar].add_working_days(case.start, case.amount)
        seconds[unit] = time.perf_counter() - began
        calls[unit] = len(indexes)
    return results, Timing(seconds, calls)


# ----------------------------------------------------------------------- Odoo side


def run_odoo(env, calendars: Sequence, cases: Sequence[Case]) -> tuple[list, Timing]:
    """Deadlines by ``plan_hours``/``plan_days``, timed per unit (progress on stderr)."""
    results: list = [None] * len(cases)
    seconds: dict[str, float] = {}
    calls: dict[str, int] = {}
    done = 0
    total = len(cases)
    clock = time.perf_counter()
    for unit in (HOURS, DAYS):
        indexes = [i for i, case in enumerate(cases) if case.unit == unit]
        spent = 0.0
        for first in range(0, len(indexes), PROGRESS_EVERY):
            chunk = indexes[first : first + PROGRESS_EVERY]
            began = time.perf_counter()
            if unit == HOURS:
                for i in chunk:
                    case = cases[i]
                    results[i] = calendars[case.calendar].plan_hours(
                        case.amount, case.start, compute_leaves=True
                    )
            else:
                for i in chunk:
                    case = cases[i]
                    results[i] = calendars[case.calendar].plan_days(
                        case.amount, case.day_dt, compute_leaves=True
                    )
            spent += time.perf_counter() - began
            done += len(chunk)
            err(
                f"resource.calendar: {done:,}/{total:,} cases ({time.perf_counter() - clock:.1f} s)"
            )
        seconds[unit] = spent
        calls[unit] = len(indexes)
    return results, Timing(seconds, calls)


def odoo_day_ends(calendar, result: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """End of the working day of a ``plan_days`` result, as Odoo's calendar says.

    ``plan_days`` returns the end of the *first* work interval of the n-th working
    day (it stops at the first interval whose date makes n days).  The helper's
    limit ends at the end of the *last* working interval of that day
    (``day_end="business"``) or at 24:00 of it (``day_end="midnight"``): both are
    read here from Odoo's own work intervals of that local day.
    """
    day = to_local(result, zone).date()
    low = local_midnight(day, zone).replace(tzinfo=UTC)
    high = local_midnight(day + timedelta(days=1), zone).replace(tzinfo=UTC)
    intervals = calendar._work_intervals_batch(low, high)[False]
    business = max(stop for _start, stop, _meta in intervals)
    return business.astimezone(UTC).replace(tzinfo=None), high.replace(tzinfo=None)


def odoo_worked(calendar, low: datetime, high: datetime) -> timedelta:
    """Exact working time between two naive UTC instants, from Odoo's own work intervals."""
    if high <= low:
        return timedelta()
    intervals = calendar._work_intervals_batch(low.replace(tzinfo=UTC), high.replace(tzinfo=UTC))
    return sum((stop - start for start, stop, _meta in intervals[False]), timedelta())


def is_float_overshoot(calendar, case: Case, mine: datetime, theirs: datetime) -> bool:
    """Whether ``plan_hours`` differs from the helper only by its float rounding.

    ``plan_hours`` walks windows of 14 days from its start and subtracts the length of
    each work interval, as a float number of hours, from what is left of the limit.
    A window edge (the start plus 14 n days, at the start's minute) can cut an
    interval in two pieces of non-dyadic length (13:30-13:55 is 0.41666... h), whose
    float sum may exceed the exact length by an ulp.  When the limit is then used up
    exactly at the end of a later interval, the 3.6e-15 h left over look like more
    than that interval, and ``plan_hours`` answers the start of the next interval
    instead of the end of this one -- the very rule it applies everywhere else (and
    the helper with it): ``if hours <= interval_hours: return start + hours``.

    So a difference is put down to that rounding (and not counted as a mismatch)
    only when Odoo's own work intervals say so exactly: from the start to the
    helper's deadline they add up to exactly the limit, and between the helper's
    deadline and ``plan_hours``' later answer there is no working time at all.
    """
    return (
        mine < theirs
        and odoo_worked(calendar, case.start, mine) == timedelta(hours=case.amount)
        and odoo_worked(calendar, mine, theirs) == timedelta()
    )


# ------------------------------------------------------------------------ reporting


def report_timing(name: str, timing: Timing) -> float:
    total = sum(timing.seconds.values())
    calls = sum(timing.calls.values())
    for unit in (HOURS, DAYS):
        n = timing.calls[unit]
        s = timing.seconds[unit]
        per_call = s / n * 1e6 if n else 0.0
        out(f"  {name:<28} {unit:<5} {n:>9,} calls {s:>11.3f} s {per_call:>11.1f} µs/call")
    per_call = total / calls * 1e6 if calls else 0.0
    out(f"  {name:<28} {'all':<5} {calls:>9,} calls {total:>11.3f} s {per_call:>11.1f} µs/call")
    return total


def boundary_count(worktime: ModuleType, cases: Sequence[Case], results: Sequence) -> int:
    """Hours cases whose deadline is exactly the end of a working interval."""
    calendars = helper_calendars(worktime, worktime.DAY_END_BUSINESS)
    zones = [ZoneInfo(spec.tz) for spec in CALENDARS]
    count = 0
    for case, result in zip(cases, results, strict=True):
        if case.unit != HOURS:
            continue
        wall = to_local(result, zones[case.calendar])
        if wall.second or wall.microsecond:
            continue
        hour = wall.hour + wall.minute / 60
        ends = [hi for _lo, hi in calendars[case.calendar].intervals(wall.date())]
        count += any(abs(hour - hi) < 1e-9 for hi in ends)
    return count


def header(args: argparse.Namespace) -> None:
    out("Benchmark: lib/worktime.py (WorkCalendar) vs Odoo resource.calendar plan_hours/plan_days")
    out(f"  python {platform.python_version()} on {platform.machine()}, helper {WORKTIME_PATH}")
    out(
        f"  cases={args.cases:,} seed={args.seed}; durations: hours 0.5..200 by "
        f"{'whole minutes' if args.durations == 'minute' else 'quarter hours'} (50%), "
        "days 1..30 (50%)"
    )
    out(f"  start instants uniform over {FIRST_START:%Y-%m-%d} .. {LAST_START:%Y-%m-%d} UTC")
    out("  calendars (public holidays only: resource.calendar cannot express make-up")
    out("  working days, so none are used on either side):")
    for spec in CALENDARS:
        out(f"    - {spec.describe()}")
    out("  hours: add_working_hours(start, h) == plan_hours(h, start, compute_leaves=True)")
    out("  days:  add_working_days(start, n) == plan_days(n, local 00:00 of the day after")
    out("         start's local date, compute_leaves=True), moved from the end of the first")
    out("         to the end of the last work interval of its day (helper day_end=business);")
    out("         the helper's day_end=midnight must give 24:00 of that day (untimed check)")


def compare(
    worktime: ModuleType,
    cases: Sequence[Case],
    helper_results: Sequence,
    odoo_results: Sequence,
    calendars: Sequence,
    max_shown: int,
) -> tuple[int, int, list[str]]:
    """The mismatches and the float-rounding differences, and the first ones in detail.

    Hours: ``add_working_hours`` and ``plan_hours`` must return the very same instant
    (both end a limit used up exactly at the end of an interval at that end, not at
    the start of the next interval), except for the differences that
    :func:`is_float_overshoot` proves to be float rounding inside ``plan_hours``.
    Days: the local day of ``plan_days`` gives, via :func:`odoo_day_ends`, the end of
    its last interval, which must equal the helper's ``day_end="business"`` deadline;
    the helper's ``day_end="midnight"`` deadline (not timed) must equal 24:00 of that
    same day.
    """
    zones = [ZoneInfo(spec.tz) for spec in CALENDARS]
    midnight_calendars = helper_calendars(worktime, worktime.DAY_END_MIDNIGHT)
    day_ends: dict[tuple[int, date], tuple[datetime, datetime]] = {}
    mismatches = 0
    overshoots = 0
    details: list[str] = []
    overshoot_details: list[str] = []
    for number, (case, mine, theirs) in enumerate(
        zip(cases, helper_results, odoo_results, strict=True)
    ):
        zone = zones[case.calendar]
        lines: list[str] = []
        overshoot = False
        if not isinstance(theirs, datetime):
            lines.append(f"resource.calendar returned {theirs!r}, helper {show(mine, zone)}")
        elif case.unit == HOURS:
            if mine != theirs:
                overshoot = is_float_overshoot(calendars[case.calendar], case, mine, theirs)
                lines.append(f"helper            {show(mine, zone)}")
                lines.append(f"plan_hours        {show(theirs, zone)}")
        else:
            key = (case.calendar, to_local(theirs, zone).date())
            if key not in day_ends:
                day_ends[key] = odoo_day_ends(calendars[case.calendar], theirs, zone)
            business, midnight = day_ends[key]
            mine_midnight = midnight_calendars[case.calendar].add_working_days(
                case.start, case.amount
            )
            if mine != business or mine_midnight != midnight:
                lines.append(f"plan_days input   {show(case.day_dt, zone)}")
                lines.append(f"plan_days result  {show(theirs, zone)}")
                lines.append(f"helper business   {show(mine, zone)}")
                lines.append(f"odoo day end      {show(business, zone)}")
                lines.append(f"helper midnight   {show(mine_midnight, zone)}")
                lines.append(f"odoo 24:00        {show(midnight, zone)}")
        if not lines:
            continue
        if overshoot:
            overshoots += 1
            listing = overshoot_details
        else:
            mismatches += 1
            listing = details
        if len(listing) < max_shown:
            spec = CALENDARS[case.calendar]
            listing.append(
                f"  #{number}: {spec.label}, {case.amount} {case.unit} from "
                f"{show(case.start, zone)}\n" + "\n".join(f"      {line}" for line in lines)
            )
    if mismatches > len(details):
        details.append(f"  ... and {mismatches - len(details):,} more")
    if overshoots:
        if overshoots > len(overshoot_details):
            overshoot_details.append(f"  ... and {overshoots - len(overshoot_details):,} more")
        details.append(
            f"Float rounding of plan_hours, not counted as mismatches ({overshoots:,}): "
            "Odoo's own work intervals add up to exactly the limit at the helper's "
            "deadline, and plan_hours answers the start of the next interval instead"
        )
        details.extend(overshoot_details)
    return mismatches, overshoots, details


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000, help="number of random cases")
    parser.add_argument("--seed", type=int, default=20260101, help="random seed")
    parser.add_argument(
        "--durations",
        choices=("quarter", "minute"),
        default="quarter",
        help="granularity of the working-hours amounts (default: quarter hours)",
    )
    parser.add_argument("-d", "--database", default="tsq_bench", help="throwaway database")
    parser.add_argument("--addons-path", help="Odoo addons path (default: found from odoo)")
    parser.add_argument("--show", type=int, default=5, help="mismatches shown in detail")
    parser.add_argument(
        "--helper-only", action="store_true", help="time the helper alone (no Odoo)"
    )
    args = parser.parse_args(argv)
    if args.cases <= 0:
        parser.error("--cases must be positive")
    return args


def run_and_compare_odoo(
    args: argparse.Namespace, worktime: ModuleType, cases: Sequence[Case], helper_results: list
) -> tuple[Timing, int, int, list[str]]:
    """Odoo's deadlines of ``cases`` in a rolled-back transaction, compared with the
    helper's: (Odoo's timing, mismatches, float overshoots, details)."""
    import odoo

    addons_path = odoo_addons_path(args.addons_path)
    registry, created = open_registry(args.database, addons_path)
    out(
        f"  Odoo {odoo.release.version}, database {args.database!r} "
        f"({'created' if created else 'existing'}), addons path {addons_path}"
    )
    cr = registry.cursor()
    try:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        # Global leaves of every calendar would count on ours too: none may exist
        # (removed inside this transaction, which is rolled back anyway).
        env["resource.calendar.leaves"].search(
            [("calendar_id", "=", False), ("resource_id", "=", False)]
        ).unlink()
        calendars = [odoo_calendar(env, spec) for spec in CALENDARS]
        env.flush_all()
        odoo_results, odoo_timing = run_odoo(env, calendars, cases)
        mismatches, overshoots, details = compare(
            worktime, cases, helper_results, odoo_results, calendars, args.show
        )
    finally:
        cr.rollback()
        cr.close()
    return odoo_timing, mismatches, overshoots, details


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    worktime = load_worktime()
    header(args)
    cases = make_cases(args.cases, args.seed, args.durations)
    helper_results, helper_timing = run_helper(worktime, cases)
    if args.helper_only:
        out()
        out("Timings:")
        helper_total = report_timing("helper WorkCalendar", helper_timing)
        out()
        out(f"cases={len(cases)} helper={helper_total:.3f} s")
        return 0

    odoo_timing, mismatches, overshoots, details = run_and_compare_odoo(
        args, worktime, cases, helper_results
    )
    boundaries = boundary_count(worktime, cases, helper_results)
    out()
    out(
        f"Comparison: {mismatches:,} mismatch(es) out of {len(cases):,} cases "
        f"({boundaries:,} hours cases end exactly at the end of a working interval; "
        f"{overshoots:,} float-rounding differences of plan_hours)"
    )
    for block in details:
        out(block)
    out()
    out("Timings (database setup excluded; the same case list on both sides):")
    helper_total = report_timing("helper WorkCalendar", helper_timing)
    odoo_total = report_timing("resource.calendar plan_*", odoo_timing)
    ratios = {
        unit: odoo_timing.seconds[unit] / helper_timing.seconds[unit]
        for unit in (HOURS, DAYS)
        if helper_timing.seconds[unit] > 0
    }
    ratio = odoo_total / helper_total
    parts = ", ".join(f"{unit} {value:.1f}x" for unit, value in ratios.items())
    out(
        f"  ratio resource.calendar / helper: {parts}, all {ratio:.1f}x "
        f"(goal >= 20x: {'met' if ratio >= 20 else 'NOT met'})"
    )
    out()
    out(
        f"cases={len(cases)} mismatches={mismatches} float_overshoots={overshoots} "
        f"helper={helper_total:.3f} s "
        f"resource.calendar={odoo_total:.3f} s ratio={ratio:.1f}x"
    )
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
