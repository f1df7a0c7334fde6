# Copyright 2026 Tech Service Quality contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Calendar periods of the add-on: months, quarters, half-years and years, and the
local days they are made of.

A period is half-open, ``[date_from, date_to)``: ``date_to`` is the first day after
it. Dates are local days of the company's time zone; instants are naive UTC
``datetime`` values, as Odoo stores them.

Plain Python (standard library and ``dateutil``): the indicators, the staff
scorecards and the management review all count their periods here.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

__all__ = [
    "MONTHS",
    "bounds",
    "index_of",
    "kind_of",
    "label",
    "last_day",
    "last_ended",
    "local_midnight",
    "local_today",
    "month_starts",
    "period_of",
]

# The length in months of each kind of calendar period.
MONTHS = {"month": 1, "quarter": 3, "half": 6, "year": 12}


def bounds(kind: str, year: int, index: int = 1) -> tuple[date, date]:
    """``(date_from, date_to)`` of the ``index``-th (1-based) month, quarter or
    half-year of ``year``, or of the year itself."""
    months = MONTHS[kind]
    start = date(year, 1 + (int(index) - 1) * months, 1)
    return start, start + relativedelta(months=months)


def index_of(kind: str, day: date) -> int:
    """Which month, quarter or half-year of its year ``day`` falls in (1-based)."""
    return (day.month - 1) // MONTHS[kind] + 1


def period_of(kind: str, day: date) -> tuple[date, date]:
    """The month, quarter, half-year or year that contains ``day``."""
    return bounds(kind, day.year, index_of(kind, day))


def last_ended(kind: str, today: date) -> tuple[int, int, date, date]:
    """``(year, index, date_from, date_to)`` of the last period of ``kind`` that
    has ended on ``today`` (its ``date_to`` is on or before today)."""
    current_start = period_of(kind, today)[0]
    start = current_start - relativedelta(months=MONTHS[kind])
    return start.year, index_of(kind, start), start, current_start


def kind_of(date_from: date, date_to: date, kinds=("month", "quarter", "year")) -> str:
    """The calendar period (of ``kinds``) that ``[date_from, date_to)`` is, or "custom"."""
    for kind in kinds:
        if period_of(kind, date_from) == (date_from, date_to):
            return kind
    return "custom"


def last_day(date_to: date) -> date:
    """The last day of a period that ends before ``date_to``."""
    return date_to - timedelta(days=1)


def label(kind: str, date_from: date, date_to: date) -> str:
    """The language-neutral label of a period: ``2024-03``, ``2024 Q1``, ``2024``,
    or ``2024-01-05 – 2024-02-04`` (its first and last day) for any other."""
    if kind == "month":
        return date_from.strftime("%Y-%m")
    if kind == "quarter":
        return f"{date_from.year} Q{index_of('quarter', date_from)}"
    if kind == "year":
        return str(date_from.year)
    return f"{date_from.isoformat()} – {last_day(date_to).isoformat()}"


def month_starts(first: date, count: int) -> list[date]:
    """The first days of ``count`` months, from the month of ``first`` on."""
    start = period_of("month", first)[0]
    return [start + relativedelta(months=i) for i in range(count)]


def local_today(tz: str, now: datetime | None = None) -> date:
    """The day it is in time zone ``tz`` at ``now`` (naive UTC; default: now)."""
    now = now or datetime.now(UTC).replace(tzinfo=None)
    return now.replace(tzinfo=UTC).astimezone(ZoneInfo(tz)).date()


def local_midnight(day: date, tz: str) -> datetime:
    """The instant (naive UTC) at which ``day`` begins in time zone ``tz``: the
    bound of a period of local days as an instant."""
    local = datetime.combine(day, time.min, ZoneInfo(tz))
    return local.astimezone(UTC).replace(tzinfo=None)
