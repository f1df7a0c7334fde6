# Copyright 2026 Tech Service Quality contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The three calendars of scripts/bench_worktime.py, built identically on both
sides (lib/worktime.py and Odoo's resource.calendar): their weeks and public
holidays."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _spans(*spans: tuple[str, ...]) -> tuple[date, ...]:
    """The dates of ``("YYYY-MM-DD",)`` or ``("first", "last")`` spans (inclusive)."""
    days: list[date] = []
    for span in spans:
        first = date.fromisoformat(span[0])
        last = date.fromisoformat(span[-1])
        days.extend(first + timedelta(days=k) for k in range((last - first).days + 1))
    return tuple(sorted(set(days)))


# Public holidays of the State Council schedules for 2025 and 2026 (the make-up
# working days are left out, see the docstring), and New Year's Day 2027, which the
# law fixes, for the deadlines that run into January 2027.
CN_HOLIDAYS = _spans(
    ("2025-01-01",),
    ("2025-01-28", "2025-02-04"),  # Spring Festival
    ("2025-04-04", "2025-04-06"),  # Qingming
    ("2025-05-01", "2025-05-05"),  # Labour Day
    ("2025-05-31", "2025-06-02"),  # Dragon Boat
    ("2025-10-01", "2025-10-08"),  # National Day and Mid-Autumn
    ("2026-01-01", "2026-01-03"),
    ("2026-02-15", "2026-02-23"),  # Spring Festival
    ("2026-04-04", "2026-04-06"),  # Qingming
    ("2026-05-01", "2026-05-05"),  # Labour Day
    ("2026-06-19", "2026-06-21"),  # Dragon Boat
    ("2026-09-25", "2026-09-27"),  # Mid-Autumn
    ("2026-10-01", "2026-10-07"),  # National Day
    ("2027-01-01",),
)

# Public holidays of Berlin, 2025-2026 (with the one-off 8 May 2025).
DE_BE_HOLIDAYS = _spans(
    ("2025-01-01",),
    ("2025-03-08",),  # Women's Day (a Saturday)
    ("2025-04-18",),  # Good Friday
    ("2025-04-21",),  # Easter Monday
    ("2025-05-01",),
    ("2025-05-08",),  # 80th anniversary of the end of the war
    ("2025-05-29",),  # Ascension
    ("2025-06-09",),  # Whit Monday
    ("2025-10-03",),
    ("2025-12-25", "2025-12-26"),
    ("2026-01-01",),
    ("2026-03-08",),  # Women's Day (a Sunday: removes the night shift)
    ("2026-04-03",),  # Good Friday
    ("2026-04-06",),  # Easter Monday
    ("2026-05-01",),
    ("2026-05-14",),  # Ascension
    ("2026-05-25",),  # Whit Monday
    ("2026-10-03",),
    ("2026-12-25", "2026-12-26"),
    ("2027-01-01",),
)


@dataclass(frozen=True)
class CalendarSpec:
    """One calendar, built identically on both sides."""

    label: str
    tz: str
    week: dict[int, tuple[tuple[float, float], ...]]
    holidays: tuple[date, ...]

    def describe(self) -> str:
        groups: dict[tuple[tuple[float, float], ...], list[str]] = {}
        for wd in range(7):
            if self.week.get(wd):
                groups.setdefault(self.week[wd], []).append(WEEKDAYS[wd])
        hours = "; ".join(
            f"{'/'.join(days)} " + " + ".join(f"{hhmm(lo)}-{hhmm(hi)}" for lo, hi in pattern)
            for pattern, days in groups.items()
        )
        return f"{self.label} [{self.tz}]: {hours}; {len(self.holidays)} holidays"


def hhmm(hours: float) -> str:
    minutes = round(hours * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


CALENDARS = (
    CalendarSpec(
        "CN office",
        "Asia/Shanghai",
        dict.fromkeys(range(5), ((9.0, 12.0), (13.0, 18.0))),
        CN_HOLIDAYS,
    ),
    CalendarSpec(
        "CN six-day",
        "Asia/Shanghai",
        {**dict.fromkeys(range(5), ((8.5, 12.0), (13.5, 17.5))), 5: ((8.5, 12.0),)},
        CN_HOLIDAYS,
    ),
    # Europe/Berlin changes to and from summer time at 02:00 on a Sunday: the Sunday
    # night shift 00:00-06:00 then lasts 5 h (in March) or 7 h (in October).
    CalendarSpec(
        "Berlin",
        "Europe/Berlin",
        {
            **dict.fromkeys(range(4), ((8.0, 12.0), (12.5, 17.0))),
            4: ((8.0, 14.0),),
            6: ((0.0, 6.0),),
        },
        DE_BE_HOLIDAYS,
    ),
)


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    """Naive UTC instant of local 00:00 of ``day``."""
    wall = datetime(day.year, day.month, day.day, tzinfo=zone)
    return wall.astimezone(UTC).replace(tzinfo=None)
