"""Coverage of the working calendar: which years it knows, and which deadlines are
provisional because their counting went through a year it does not know.

All instants are naive UTC; ``utc()`` builds them from Beijing wall-clock times.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

SHANGHAI = ZoneInfo("Asia/Shanghai")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI).astimezone(UTC).replace(tzinfo=None)


@pytest.fixture(scope="module")
def cal(worktime, china_exceptions):
    """Official 2025-2026, those two years covered."""
    return worktime.WorkCalendar(
        holidays=china_exceptions["holiday"],
        workdays=china_exceptions["workday"],
        covered_years={2025, 2026},
    )


def test_every_year_is_covered_by_default(worktime):
    cal = worktime.WorkCalendar()
    assert cal.covered_years is None
    assert cal.is_covered(1950) and cal.is_covered(2099)
    assert cal.uncovered_years(date(2026, 1, 1), date(2030, 1, 1)) == ()
    start = utc(2026, 12, 31, 16)
    assert cal.limit_uncovered_years(start, cal.add_working_days(start, 7), days=True) == ()


def test_uncovered_years_of_a_range(cal):
    assert cal.is_covered(2026) and not cal.is_covered(2027)
    assert cal.uncovered_years(date(2026, 3, 1), date(2026, 12, 31)) == ()
    assert cal.uncovered_years(date(2024, 12, 1), date(2028, 1, 2)) == (2024, 2027, 2028)
    assert cal.uncovered_years(date(2027, 1, 2), date(2027, 1, 1)) == ()


def test_days_limit_received_late_on_the_last_covered_day(cal):
    # Thu 31 Dec 2026 22:00: the day of receipt does not count, so all seven days
    # fall in 2027, whose holidays are not known: provisional.
    start = utc(2026, 12, 31, 22)
    deadline = cal.add_working_days(start, 7)
    # Weekly pattern only: Fri 1, Mon 4 .. Fri 8, Mon 11 Jan 2027 -> 24:00 of Mon 11 Jan
    assert deadline == utc(2027, 1, 12)
    assert cal.limit_uncovered_years(start, deadline, days=True) == (2027,)


def test_days_limit_ending_at_midnight_of_the_last_covered_day_is_final(cal):
    # Mon 28 Dec 2026: 29, 30, 31 Dec -> ends at 24:00 of 31 Dec = 00:00 of 1 Jan 2027
    start = utc(2026, 12, 28, 10)
    deadline = cal.add_working_days(start, 3)
    assert deadline == utc(2027, 1, 1)
    assert cal.limit_uncovered_years(start, deadline, days=True) == ()
    # one more day reaches into 2027
    deadline = cal.add_working_days(start, 4)
    assert cal.limit_uncovered_years(start, deadline, days=True) == (2027,)


def test_day_of_receipt_in_an_uncovered_year_does_not_count(worktime):
    cal = worktime.WorkCalendar(covered_years={2025})
    start = utc(2024, 12, 31, 15)
    deadline = cal.add_working_days(start, 2)  # Thu 2, Fri 3 Jan 2025 (1 Jan not known here)
    assert cal.limit_uncovered_years(start, deadline, days=True) == ()
    # a limit in working hours consumes the afternoon of the day of receipt
    deadline = cal.add_working_hours(start, 8)
    assert cal.limit_uncovered_years(start, deadline, days=False) == (2024,)


def test_hours_limit_across_the_year_end(cal):
    # Thu 31 Dec 2026 17:00: one working hour left that day, the second on 1 Jan 2027
    start = utc(2026, 12, 31, 17)
    deadline = cal.add_working_hours(start, 2)
    assert deadline == utc(2027, 1, 1, 10)
    assert cal.limit_uncovered_years(start, deadline, days=False) == (2027,)
    # within the day: final
    start = utc(2026, 12, 31, 9)
    deadline = cal.add_working_hours(start, 2)
    assert deadline == utc(2026, 12, 31, 11)
    assert cal.limit_uncovered_years(start, deadline, days=False) == ()
    # ending exactly at the end of the last interval of 31 Dec: final
    deadline = cal.add_working_hours(start, 8)
    assert deadline == utc(2026, 12, 31, 18)
    assert cal.limit_uncovered_years(start, deadline, days=False) == ()


def test_long_limit_through_several_uncovered_years(cal):
    start = utc(2026, 6, 1, 10)
    deadline = cal.add_working_days(start, 600)
    assert deadline.year == 2028
    assert cal.limit_uncovered_years(start, deadline, days=True) == (2027, 2028)


def test_limit_inside_covered_years_is_final(cal):
    # the worked example of the standard: Fri 13 Feb 2026 16:00 + 7 working days
    start = utc(2026, 2, 13, 16)
    deadline = cal.add_working_days(start, 7)
    assert deadline == utc(2026, 3, 3)
    assert cal.limit_uncovered_years(start, deadline, days=True) == ()


def test_coverage_changes_no_deadline(worktime, china_exceptions):
    kwargs = {"holidays": china_exceptions["holiday"], "workdays": china_exceptions["workday"]}
    covered = worktime.WorkCalendar(covered_years={2026}, **kwargs)
    everything = worktime.WorkCalendar(**kwargs)
    for start in (utc(2026, 12, 30, 16), utc(2027, 3, 1, 9), utc(2025, 9, 30, 10)):
        assert covered.add_working_days(start, 7) == everything.add_working_days(start, 7)
        assert covered.add_working_hours(start, 30) == everything.add_working_hours(start, 30)


def test_repr_names_the_covered_years(worktime):
    assert "covered_years=2004-2026" in repr(worktime.WorkCalendar(covered_years=range(2004, 2027)))
    assert "covered_years=2025,2027" in repr(worktime.WorkCalendar(covered_years=[2027, 2025]))
    assert "covered_years=all" in repr(worktime.WorkCalendar())
    assert "covered_years=none" in repr(worktime.WorkCalendar(covered_years=()))


def test_local_date(cal):
    assert cal.local_date(utc(2027, 1, 1, 0, 30)) == date(2027, 1, 1)
    assert cal.local_date(utc(2026, 12, 31, 23, 59)) == date(2026, 12, 31)


# ------------------------------------------------------------------- lib/sla


def test_sla_provisional_by_unit(sla, cal):
    start = utc(2026, 12, 31, 16)
    for unit, amount, expected in (
        ("clock_hours", 24, ()),  # elapsed time consults no calendar
        ("working_hours", 8, (2027,)),
        ("working_days", 7, (2027,)),
    ):
        deadline = sla.base_deadline(cal, start, amount, unit)
        assert sla.uncovered_years(cal, unit, start, deadline) == expected, unit
    with pytest.raises(ValueError, match="unknown unit"):
        sla.uncovered_years(cal, "fortnights", start, start)
    with pytest.raises(ValueError, match="unknown unit"):
        sla.base_deadline(cal, start, 1, "fortnights")


def test_sla_clock_result_says_provisional(sla, cal):
    start = utc(2026, 12, 31, 16)
    now = start + timedelta(hours=1)
    result = sla.evaluate(cal, "working_days", 7, start, [], None, now)
    assert result.uncovered_years == (2027,)
    result = sla.evaluate(cal, "clock_hours", 24, start, [], None, now)
    assert result.uncovered_years == ()
    # a pause that moves the deadline past the year end makes it provisional
    start = utc(2026, 12, 21, 9)
    pauses = [(utc(2026, 12, 22, 9), utc(2026, 12, 30, 17))]  # 55 working hours
    plain = sla.evaluate(cal, "working_days", 3, start, [], None, start)
    paused = sla.evaluate(cal, "working_days", 3, start, pauses, None, utc(2026, 12, 30, 18))
    assert plain.uncovered_years == ()
    assert plain.deadline == utc(2026, 12, 25)
    assert paused.deadline == utc(2027, 1, 4, 17)  # 24:00 of 24 Dec + 55 working hours
    assert paused.uncovered_years == (2027,)


# ---------------------------------------------------------- official package


def test_official_schedule_of_the_installed_package(official_calendar):
    schedule = official_calendar.load()
    assert schedule.version
    assert schedule.years[0] == 2004
    assert list(schedule.years) == list(range(2004, schedule.years[-1] + 1)), "no gap"
    assert schedule.years[-1] >= 2026
    for day, entry in schedule.days.items():
        assert entry.day == day and day.year in schedule.years
        assert entry.kind in ("holiday", "workday")
        if entry.kind == "workday":
            assert day.weekday() >= 5, f"{day}: a make-up day is a weekend day"
            assert entry.chinese.endswith("调休上班")
    spring = schedule.days[date(2026, 2, 17)]
    assert (spring.kind, spring.english, spring.chinese) == ("holiday", "Spring Festival", "春节")
    assert schedule.days[date(2026, 2, 14)].chinese == "春节调休上班"
    assert schedule.days[date(2025, 4, 4)].chinese == "清明节"


def test_official_schedule_of_a_stand_in_package(official_calendar):
    from enum import Enum

    class Holiday(Enum):
        def __new__(cls, english, chinese, days):
            obj = object.__new__(cls)
            obj._value_ = english
            obj.chinese = chinese
            return obj

        spring_festival = "Spring Festival", "春节", 3
        dragon_boat_festival = "Dragon Boat Festival", "端午", 1

    constants = SimpleNamespace(
        Holiday=Holiday,
        holidays={
            date(2031, 1, 23): "Spring Festival",
            date(2031, 6, 2): "Dragon Boat Festival",
            date(2031, 6, 7): "Something New",
        },
        workdays={date(2031, 1, 18): "Spring Festival", date(2031, 6, 7): "Spring Festival"},
    )
    schedule = official_calendar.load(SimpleNamespace(__version__="9.9.9", constants=constants))
    assert schedule.version == "9.9.9" and schedule.years == (2031,)
    assert schedule.days[date(2031, 6, 2)].chinese == "端午节"  # the notice's name
    assert schedule.days[date(2031, 6, 7)].kind == "holiday"  # a holiday wins
    assert schedule.days[date(2031, 6, 7)].chinese == "Something New"  # unknown: kept
    makeup = schedule.days[date(2031, 1, 18)]
    assert (makeup.kind, makeup.english) == ("workday", "Spring Festival (make-up working day)")
