# Copyright 2026 Tech Service Quality contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The State Council's public holidays and make-up working days, as published by the
``chinese-calendar`` package (module ``chinese_calendar``).

Plain Python, no Odoo import.  The package ships the schedules inside itself (no
network) and is released each year when the notice appears; the add-on syncs what
the installed release holds into its working calendar (``tsq.calendar.exception``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

__all__ = ["OfficialDay", "OfficialSchedule", "load"]

# The names the notices use where the package abbreviates them.
CHINESE_NAMES = {
    "tomb_sweeping_day": "清明节",
    "dragon_boat_festival": "端午节",
    "mid_autumn_festival": "中秋节",
}


@dataclass(frozen=True)
class OfficialDay:
    """One day of the official schedule."""

    day: date
    kind: str
    """``holiday`` (a public holiday) or ``workday`` (a make-up working day, 调休上班)."""
    english: str
    chinese: str


@dataclass(frozen=True)
class OfficialSchedule:
    version: str
    """The release of the package, e.g. ``1.11.0``."""
    days: dict[date, OfficialDay]
    years: tuple[int, ...]
    """The years the release covers in full, in order."""


def _names(constants, key: str) -> tuple[str, str]:
    """(English, Chinese) name of a holiday of the package (its key is the English
    name of a ``Holiday`` member)."""
    try:
        holiday = constants.Holiday(key)
    except ValueError:
        return key, key
    return holiday.value, CHINESE_NAMES.get(holiday.name, holiday.chinese)


def load(package=None) -> OfficialSchedule:
    """The schedule held by the installed package (or by ``package``, a module with
    the same ``__version__`` and ``constants``).  A day listed both as a holiday and
    as a make-up day is a holiday."""
    if package is None:
        import chinese_calendar as package  # noqa: PLC0415 (imported where it is needed)
    constants = package.constants
    days: dict[date, OfficialDay] = {}
    for day, key in constants.holidays.items():
        english, chinese = _names(constants, key)
        days[day] = OfficialDay(day, "holiday", english, chinese)
    for day, key in constants.workdays.items():
        if day in days:
            continue
        english, chinese = _names(constants, key)
        days[day] = OfficialDay(
            day, "workday", f"{english} (make-up working day)", f"{chinese}调休上班"
        )
    years = tuple(sorted({day.year for day in constants.holidays}))
    return OfficialSchedule(version=package.__version__, days=days, years=years)
