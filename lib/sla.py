# Copyright 2026 Tech Service Quality contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""SLA clock arithmetic: one pure function that replays a clock from its facts.

Plain Python, no Odoo import.  A clock is fully described by

* the instant it started (the ticket was received),
* its limit (``amount`` of ``unit``: clock hours, working hours or working days),
* the pauses it went through (the periods the ticket spent in a pausing stage, taken
  from the ticket's recorded stage history),
* the instant its target was reached (first response, resolution, a stage), if it was,
* "now".

:func:`evaluate` turns these facts into the deadline, the state and the warning
instants.  The ORM layer only gathers the facts and stores the result, so a clock can
always be recomputed from history (after a policy or calendar change) and gives the
same figures.

Rules
-----
* The **base deadline** is the limit added to the start on the working calendar
  (:mod:`worktime`: clock hours are elapsed time; working days follow the Civil
  Code counting).
* A **pause** moves the deadline by the paused time *in the clock's measure*: elapsed
  time for a clock-hour limit, working time for working-hour and working-day limits
  (a pause over a weekend or a public holiday moves a working-day deadline by
  nothing).  Pauses that begin after the target was reached or after the clock
  breached change nothing: a breach is never undone by a later pause.
* **Met** when the target was reached at or before the deadline, **breached** when it
  was reached after it or when "now" is at or past the deadline (a clock breaches at
  its deadline minute, not before), **paused** while the ticket sits in a pausing
  stage, **running** otherwise.
* **Warnings** fall at a percentage of the allowed time (the measure between the start
  and the base deadline) plus the time paused so far; 100 % is the deadline itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # loaded by path in tests/lib: no package-relative import at run time
    from .worktime import WorkCalendar

__all__ = [
    "UNITS",
    "ClockResult",
    "UnknownUnitError",
    "base_deadline",
    "check_unit",
    "evaluate",
    "uncovered_years",
]

UNITS = ("clock_hours", "working_hours", "working_days")


class UnknownUnitError(ValueError):
    """A limit expressed in a unit that is not one of :data:`UNITS`."""

    def __init__(self, unit):
        self.unit = unit
        super().__init__(f"unknown unit {unit!r}; expected one of {UNITS}")


def check_unit(unit: str) -> str:
    """``unit`` if it is one of :data:`UNITS`; else :class:`UnknownUnitError`."""
    if unit not in UNITS:
        raise UnknownUnitError(unit)
    return unit


BREACH_LEVEL = 100
"""The warning level of the breach itself."""


@dataclass(frozen=True)
class ClockResult:
    """What a clock shows at "now"; all instants naive UTC, durations in hours."""

    state: str
    """``running``, ``paused``, ``met`` or ``breached``."""
    base_deadline: datetime
    deadline: datetime
    paused_hours: float
    """Paused time in the clock's measure (working hours, or clock hours)."""
    allowed_hours: float
    """The limit in the clock's measure: from the start to the base deadline."""
    used_hours: float
    """Time consumed in the clock's measure up to the target, or up to now."""
    reached_at: datetime | None = None
    breached_at: datetime | None = None
    paused_since: datetime | None = None
    level_at: dict[int, datetime] = field(default_factory=dict)
    """Warning level (percent) -> the instant it falls; the breach level is the deadline.
    Empty when the clock is stopped (met, or breached with its target reached)."""
    uncovered_years: tuple[int, ...] = ()
    """Years whose holidays the calendar does not know and that the deadline was counted
    through (on the weekly pattern): the deadline is provisional when not empty."""

    @property
    def percent_used(self) -> float:
        if not self.allowed_hours:
            return 100.0
        return 100.0 * self.used_hours / self.allowed_hours


def _measure(cal: WorkCalendar, unit: str):
    """(elapsed(a, b) in hours, extend(t, hours)) for the measure of ``unit``."""
    if unit == "clock_hours":

        def elapsed(a: datetime, b: datetime) -> float:
            return max((b - a).total_seconds(), 0.0) / 3600.0

        def extend(t: datetime, hours: float) -> datetime:
            return t + timedelta(hours=hours) if hours > 0 else t

        return elapsed, extend

    def extend_working(t: datetime, hours: float) -> datetime:
        return cal.add_working_hours(t, hours) if hours > 0 else t

    return cal.working_hours_between, extend_working


def base_deadline(cal: WorkCalendar, start: datetime, amount: float, unit: str) -> datetime:
    """The deadline of a limit of ``amount`` ``unit`` started at ``start``, without pauses.

    The one place where a limit becomes a deadline: every time limit of the product
    (stage, response, objection, SLA clock) comes through here.  An unknown unit is an
    error, never silently read as another one."""
    if check_unit(unit) == "clock_hours":
        return cal.add_clock_hours(start, amount)
    if unit == "working_hours":
        return cal.add_working_hours(start, amount)
    return cal.add_working_days(start, int(amount))


def uncovered_years(
    cal: WorkCalendar, unit: str, start: datetime, deadline: datetime
) -> tuple[int, ...]:
    """The years not covered by ``cal`` that a limit in ``unit`` from ``start`` to
    ``deadline`` was counted through; ``()`` when the deadline is final.  Elapsed clock
    hours consult no calendar and are never provisional."""
    if check_unit(unit) == "clock_hours":
        return ()
    return cal.limit_uncovered_years(start, deadline, days=unit == "working_days")


def evaluate(
    cal: WorkCalendar,
    unit: str,
    amount: float,
    start: datetime,
    pauses: Iterable[tuple[datetime, datetime | None]],
    reached_at: datetime | None,
    now: datetime,
    levels: Sequence[int] = (50, 75),
) -> ClockResult:
    """Replay a clock; see the module docstring for the rules.

    :param pauses: ``(begin, end)`` periods the ticket spent in a pausing stage, in
        order; ``end`` is ``None`` for a pause still going on.  Parts before ``start``
        are ignored.
    :param levels: warning levels in percent of the allowed time (0 < level < 100).
    """
    elapsed, extend = _measure(cal, unit)
    base = base_deadline(cal, start, amount, unit)
    allowed = elapsed(start, base)
    stop = reached_at or now
    deadline = base
    paused = 0.0
    paused_since = None
    for begin, end in pauses:
        begin = max(begin, start)
        if begin >= deadline or begin >= stop:
            break  # after a breach or after the target: changes nothing
        if end is not None and end <= begin:
            continue
        if end is None or end > stop:
            if end is None and reached_at is None:
                paused_since = begin
            end = stop
        paused += elapsed(begin, end)
        deadline = extend(base, paused)
        if paused_since is not None:
            break
    used = max(elapsed(start, stop) - paused, 0.0)

    reached = breached = None
    if reached_at is not None:
        state = "met" if reached_at <= deadline else "breached"
        reached = reached_at
        breached = deadline if state == "breached" else None
    elif paused_since is not None:
        state = "paused"
    elif now >= deadline:
        state = "breached"
        breached = deadline
    else:
        state = "running"

    level_at: dict[int, datetime] = {}
    if reached_at is None and state != "paused":
        for level in sorted(set(levels)):
            if 0 < level < BREACH_LEVEL:
                level_at[level] = extend(start, allowed * level / 100.0 + paused)
        level_at[BREACH_LEVEL] = deadline
    return ClockResult(
        state=state,
        base_deadline=base,
        deadline=deadline,
        paused_hours=paused,
        allowed_hours=allowed,
        used_hours=used,
        reached_at=reached,
        breached_at=breached,
        paused_since=paused_since,
        level_at=level_at,
        uncovered_years=uncovered_years(cal, unit, start, deadline),
    )
