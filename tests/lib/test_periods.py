"""Tests of lib/periods.py: months, quarters, half-years, years and local days."""

from __future__ import annotations

from datetime import date, datetime

import pytest


@pytest.mark.parametrize(
    ("kind", "year", "index", "expected"),
    [
        ("month", 2024, 2, (date(2024, 2, 1), date(2024, 3, 1))),
        ("month", 2024, 12, (date(2024, 12, 1), date(2025, 1, 1))),
        ("quarter", 2024, 1, (date(2024, 1, 1), date(2024, 4, 1))),
        ("quarter", 2024, 4, (date(2024, 10, 1), date(2025, 1, 1))),
        ("half", 2026, 2, (date(2026, 7, 1), date(2027, 1, 1))),
        ("year", 2025, 1, (date(2025, 1, 1), date(2026, 1, 1))),
    ],
)
def test_bounds(periods, kind, year, index, expected):
    assert periods.bounds(kind, year, index) == expected


def test_index_and_period_of(periods):
    day = date(2026, 8, 31)
    assert periods.index_of("month", day) == 8
    assert periods.index_of("quarter", day) == 3
    assert periods.index_of("half", day) == 2
    assert periods.index_of("year", day) == 1
    assert periods.period_of("month", day) == (date(2026, 8, 1), date(2026, 9, 1))
    assert periods.period_of("quarter", day) == (date(2026, 7, 1), date(2026, 10, 1))
    assert periods.period_of("year", day) == (date(2026, 1, 1), date(2027, 1, 1))


@pytest.mark.parametrize(
    ("kind", "today", "expected"),
    [
        ("quarter", date(2026, 11, 24), (2026, 3, date(2026, 7, 1), date(2026, 10, 1))),
        # on the first day of a period, the one before has just ended
        ("quarter", date(2026, 1, 1), (2025, 4, date(2025, 10, 1), date(2026, 1, 1))),
        ("half", date(2026, 7, 1), (2026, 1, date(2026, 1, 1), date(2026, 7, 1))),
        ("year", date(2026, 3, 5), (2025, 1, date(2025, 1, 1), date(2026, 1, 1))),
        ("month", date(2026, 3, 5), (2026, 2, date(2026, 2, 1), date(2026, 3, 1))),
    ],
)
def test_last_ended(periods, kind, today, expected):
    assert periods.last_ended(kind, today) == expected


@pytest.mark.parametrize(
    ("date_from", "date_to", "kind"),
    [
        (date(2024, 2, 1), date(2024, 3, 1), "month"),
        (date(2024, 4, 1), date(2024, 7, 1), "quarter"),
        (date(2024, 1, 1), date(2025, 1, 1), "year"),
        # three months that are not a calendar quarter
        (date(2024, 2, 1), date(2024, 5, 1), "custom"),
        (date(2024, 1, 2), date(2024, 2, 1), "custom"),
        (date(2024, 1, 1), date(2024, 7, 1), "custom"),
    ],
)
def test_kind_of(periods, date_from, date_to, kind):
    assert periods.kind_of(date_from, date_to) == kind


def test_kind_of_half_when_asked(periods):
    assert periods.kind_of(date(2024, 1, 1), date(2024, 7, 1), ("half",)) == "half"


def test_labels(periods):
    assert periods.label("month", date(2024, 3, 1), date(2024, 4, 1)) == "2024-03"
    assert periods.label("quarter", date(2024, 10, 1), date(2025, 1, 1)) == "2024 Q4"
    assert periods.label("year", date(2024, 1, 1), date(2025, 1, 1)) == "2024"
    assert periods.label("custom", date(2024, 1, 5), date(2024, 2, 5)) == "2024-01-05 – 2024-02-04"
    assert periods.last_day(date(2024, 3, 1)) == date(2024, 2, 29)


def test_month_starts(periods):
    assert periods.month_starts(date(2024, 11, 17), 3) == [
        date(2024, 11, 1),
        date(2024, 12, 1),
        date(2025, 1, 1),
    ]
    assert periods.month_starts(date(2024, 11, 17), 0) == []


def test_local_days(periods):
    # 16:30 UTC on 31 December is already New Year's Day in Beijing
    assert periods.local_today("Asia/Shanghai", datetime(2025, 12, 31, 16, 30)) == date(2026, 1, 1)
    assert periods.local_today("UTC", datetime(2025, 12, 31, 16, 30)) == date(2025, 12, 31)
    assert periods.local_midnight(date(2026, 1, 1), "Asia/Shanghai") == datetime(
        2025, 12, 31, 16, 0
    )
    assert periods.local_midnight(date(2026, 1, 1), "UTC") == datetime(2026, 1, 1)
    assert isinstance(periods.local_today("Asia/Shanghai"), date)
