"""Tests of lib/worktime.py (no Odoo needed: the module is loaded by conftest.py).

All instants given to and returned by WorkCalendar are naive UTC datetimes; the
helpers below build them from local wall-clock times.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

SHANGHAI = "Asia/Shanghai"
BERLIN = "Europe/Berlin"
ONE_DAY = timedelta(days=1)
ONE_US = timedelta(microseconds=1)


def utc(local_wall: datetime, tz: str = SHANGHAI) -> datetime:
    """Naive UTC instant of a naive local wall time (first occurrence if ambiguous)."""
    aware = local_wall.replace(tzinfo=ZoneInfo(tz))
    return aware.astimezone(UTC).replace(tzinfo=None)


def local(instant: datetime, tz: str = SHANGHAI) -> datetime:
    """Naive local wall time of a naive UTC instant."""
    aware = instant.replace(tzinfo=UTC).astimezone(ZoneInfo(tz))
    return aware.replace(tzinfo=None)


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=k) for k in range((last - first).days + 1)]


# --------------------------------------------------------------------------- data


def test_official_package_matches_state_council_schedules(china_exceptions):
    holidays = china_exceptions["holiday"]
    workdays = china_exceptions["workday"]
    expected_holidays = {
        # 2025
        date(2025, 1, 1),
        *days_between(date(2025, 1, 28), date(2025, 2, 4)),
        *days_between(date(2025, 4, 4), date(2025, 4, 6)),
        *days_between(date(2025, 5, 1), date(2025, 5, 5)),
        *days_between(date(2025, 5, 31), date(2025, 6, 2)),
        *days_between(date(2025, 10, 1), date(2025, 10, 8)),
        # 2026
        *days_between(date(2026, 1, 1), date(2026, 1, 3)),
        *days_between(date(2026, 2, 15), date(2026, 2, 23)),
        *days_between(date(2026, 4, 4), date(2026, 4, 6)),
        *days_between(date(2026, 5, 1), date(2026, 5, 5)),
        *days_between(date(2026, 6, 19), date(2026, 6, 21)),
        *days_between(date(2026, 9, 25), date(2026, 9, 27)),
        *days_between(date(2026, 10, 1), date(2026, 10, 7)),
    }
    expected_workdays = {
        date(2025, 1, 26), date(2025, 2, 8), date(2025, 4, 27),
        date(2025, 9, 28), date(2025, 10, 11),
        date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28), date(2026, 5, 9),
        date(2026, 9, 20), date(2026, 10, 10),
    }  # fmt: skip
    assert set(holidays) == expected_holidays
    assert set(workdays) == expected_workdays
    assert all(d.weekday() >= 5 for d in workdays), "make-up days are weekend days"
    assert all(name.endswith("调休上班") for name in workdays.values())
    assert holidays[date(2026, 2, 15)] == "春节"
    assert workdays[date(2026, 2, 14)] == "春节调休上班"
    assert holidays[date(2026, 10, 1)] == "国庆节"
    assert holidays[date(2026, 9, 25)] == "中秋节"


# ------------------------------------------------------------- worked example


RECEIVED = datetime(2026, 2, 13, 8, 0)  # Fri 13 Feb 2026 16:00 Asia/Shanghai


def test_worked_example_clock_hours(china):
    assert RECEIVED == utc(datetime(2026, 2, 13, 16, 0))
    deadline = china.add_clock_hours(RECEIVED, 24)
    assert deadline == datetime(2026, 2, 14, 8, 0)
    assert local(deadline) == datetime(2026, 2, 14, 16, 0)


def test_worked_example_working_days_midnight(china):
    counted = []
    day = date(2026, 2, 13)
    while len(counted) < 7:
        day = china.next_working_day(day)
        counted.append(day)
    assert counted == [
        date(2026, 2, 14), date(2026, 2, 24), date(2026, 2, 25), date(2026, 2, 26),
        date(2026, 2, 27), date(2026, 2, 28), date(2026, 3, 2),
    ]  # fmt: skip
    deadline = china.add_working_days(RECEIVED, 7)
    assert deadline == datetime(2026, 3, 2, 16, 0)
    assert local(deadline) == datetime(2026, 3, 3, 0, 0)  # 2 Mar 24:00


def test_worked_example_working_days_business(china_business):
    deadline = china_business.add_working_days(RECEIVED, 7)
    assert deadline == datetime(2026, 3, 2, 10, 0)
    assert local(deadline) == datetime(2026, 3, 2, 18, 0)


def test_each_working_day_of_the_example(china, china_business):
    ends = [date(2026, 2, 14), date(2026, 2, 24), date(2026, 2, 25), date(2026, 2, 26)]
    for n, last_day in enumerate(ends, start=1):
        assert local(china.add_working_days(RECEIVED, n)) == datetime.combine(
            last_day + ONE_DAY, time()
        )
        assert local(china_business.add_working_days(RECEIVED, n)) == datetime.combine(
            last_day, time(18)
        )


def test_day_of_receipt_never_counts(china):
    # Received at 00:00 or at 23:59 of a working day: counting starts the next day.
    for wall in (datetime(2026, 3, 2, 0, 0), datetime(2026, 3, 2, 23, 59)):
        assert local(china.add_working_days(utc(wall), 1)) == datetime(2026, 3, 4, 0, 0)


# --------------------------------------------------------- working days / holidays


def test_national_day_2026(china, china_business):
    # Off 1-7 Oct (Thu-Wed); Thu 8 and Fri 9 Oct are ordinary working days, Sat 10 Oct
    # is a make-up working day.  (Counting 10 Oct as the first working day, as an early
    # draft of the requirements did, would skip 8 and 9 Oct.)
    received = utc(datetime(2026, 9, 30, 10, 0))  # Wed 30 Sep 2026
    assert received == datetime(2026, 9, 30, 2, 0)
    expected_days = [
        date(2026, 10, 8), date(2026, 10, 9), date(2026, 10, 10), date(2026, 10, 12),
        date(2026, 10, 13), date(2026, 10, 14), date(2026, 10, 15),
    ]  # fmt: skip
    day, counted = date(2026, 9, 30), []
    for _ in range(7):
        day = china.next_working_day(day)
        counted.append(day)
    assert counted == expected_days
    deadline = china.add_working_days(received, 7)
    assert local(deadline) == datetime(2026, 10, 16, 0, 0)  # Thu 15 Oct 24:00
    assert deadline == datetime(2026, 10, 15, 16, 0)
    assert local(china_business.add_working_days(received, 7)) == datetime(2026, 10, 15, 18)
    # Received on a holiday: counting starts with the first working day after it.
    on_holiday = utc(datetime(2026, 10, 3, 10, 0))
    assert local(china.add_working_days(on_holiday, 3)) == datetime(2026, 10, 11, 0, 0)
    # Sun 20 Sep and Sat 10 Oct are make-up working days, 1-7 Oct are not.
    assert china.is_working_day(date(2026, 9, 20))
    assert china.is_working_day(date(2026, 10, 10))
    assert not any(
        china.is_working_day(d) for d in days_between(date(2026, 10, 1), date(2026, 10, 7))
    )
    assert china.is_working_day(date(2026, 10, 8))
    assert china.is_working_day(date(2026, 10, 9))
    assert not china.is_working_day(date(2026, 10, 11))  # an ordinary Sunday
    # Mid-Autumn Festival 25-27 Sep: received Thu 24 Sep + 3 working days -> Wed 30 Sep.
    mid_autumn = utc(datetime(2026, 9, 24, 11, 0))
    assert local(china.add_working_days(mid_autumn, 3)) == datetime(2026, 10, 1, 0, 0)


def test_is_working_day_and_intervals(china):
    assert china.is_working_day(date(2026, 3, 2))  # Monday
    assert not china.is_working_day(date(2026, 3, 1))  # Sunday
    assert not china.is_working_day(date(2026, 2, 16))  # Monday in the Spring Festival
    assert china.intervals(date(2026, 3, 2)) == [(9.0, 12.0), (13.0, 18.0)]
    assert china.intervals(date(2026, 2, 16)) == []
    assert china.intervals(date(2026, 3, 1)) == []
    assert china.intervals(date(2026, 2, 14)) == [(9.0, 12.0), (13.0, 18.0)]


def test_next_working_day(china):
    assert china.next_working_day(date(2026, 2, 13)) == date(2026, 2, 14)  # make-up Sat
    assert china.next_working_day(date(2026, 2, 14)) == date(2026, 2, 24)
    assert china.next_working_day(date(2026, 10, 7)) == date(2026, 10, 8)
    assert china.next_working_day(date(2026, 10, 8)) == date(2026, 10, 9)
    assert china.next_working_day(date(2026, 10, 9)) == date(2026, 10, 10)


def test_make_up_saturday_uses_monday_hours(worktime):
    monday = [(8.5, 12.0), (13.0, 17.5)]
    other = [(9.0, 12.0), (13.0, 18.0)]
    week = {0: monday, 1: other, 2: other, 3: other, 4: other}
    cal = worktime.WorkCalendar(
        week=week,
        holidays=days_between(date(2026, 2, 15), date(2026, 2, 23)),
        workdays=[date(2026, 2, 14), date(2026, 2, 28)],
    )
    assert cal.intervals(date(2026, 2, 14)) == monday
    assert cal.intervals(date(2026, 2, 13)) == other  # Friday
    # Fri 18:00 + 1 working hour -> make-up Saturday 09:30 (Monday starts at 08:30).
    end = cal.add_working_hours(utc(datetime(2026, 2, 13, 18, 0)), 1)
    assert local(end) == datetime(2026, 2, 14, 9, 30)
    # A whole make-up Saturday is worth Monday's 8 hours.
    assert cal.working_hours_between(
        utc(datetime(2026, 2, 14)), utc(datetime(2026, 2, 15))
    ) == pytest.approx(8.0)
    # Business day end of a make-up day is Monday's 17:30.
    business = worktime.WorkCalendar(week=week, workdays=[date(2026, 2, 14)], day_end="business")
    assert local(business.add_working_days(utc(datetime(2026, 2, 13, 10)), 1)) == datetime(
        2026, 2, 14, 17, 30
    )
    # Another schedule for make-up days.
    friday_cal = worktime.WorkCalendar(week=week, workdays=[date(2026, 2, 14)], workday_schedule=4)
    assert friday_cal.intervals(date(2026, 2, 14)) == other


def test_holiday_wins_over_make_up_day(worktime):
    cal = worktime.WorkCalendar(holidays=[date(2026, 2, 14)], workdays=[date(2026, 2, 14)])
    assert not cal.is_working_day(date(2026, 2, 14))


# ---------------------------------------------------------------- working hours


def test_holiday_in_the_middle_of_working_hours(china):
    # Fri 13 Feb 16:00: 2 h on Friday, 8 h on make-up Sat 14, Spring Festival 15-23,
    # 8 h on Tue 24, then 2 h on Wed 25 -> 11:00.
    end = china.add_working_hours(RECEIVED, 20)
    assert local(end) == datetime(2026, 2, 25, 11, 0)
    assert china.working_hours_between(RECEIVED, end) == pytest.approx(20)
    # Qingming 2026: Fri 3 Apr 17:00 + 2 h -> Sat 4-Mon 6 off -> Tue 7 Apr 10:00.
    end = china.add_working_hours(utc(datetime(2026, 4, 3, 17, 0)), 2)
    assert local(end) == datetime(2026, 4, 7, 10, 0)


def test_start_outside_working_hours(china):
    cases = [
        # (start local, hours, expected local)
        (datetime(2026, 3, 3, 7, 0), 1, datetime(2026, 3, 3, 10, 0)),  # before opening
        (datetime(2026, 3, 3, 12, 30), 1, datetime(2026, 3, 3, 14, 0)),  # lunch break
        (datetime(2026, 3, 3, 20, 0), 1, datetime(2026, 3, 4, 10, 0)),  # evening
        (datetime(2026, 3, 7, 10, 0), 1, datetime(2026, 3, 9, 10, 0)),  # Saturday
        (datetime(2026, 10, 3, 10, 0), 1, datetime(2026, 10, 8, 10, 0)),  # National Day
        (
            datetime(2026, 2, 16, 9, 0),
            8,
            datetime(2026, 2, 24, 18, 0),
        ),  # Spring Festival
    ]
    for start, hours, expected in cases:
        assert local(china.add_working_hours(utc(start), hours)) == expected, (
            start,
            hours,
        )


def test_limit_ending_exactly_at_an_interval_end(china):
    start = utc(datetime(2026, 3, 3, 9, 0))
    assert local(china.add_working_hours(start, 3)) == datetime(2026, 3, 3, 12, 0)
    assert local(china.add_working_hours(start, 8)) == datetime(2026, 3, 3, 18, 0)
    # Fri 16:00 + 2 h ends on Friday 18:00, not on Monday 09:00.
    start = utc(datetime(2026, 3, 6, 16, 0))
    assert local(china.add_working_hours(start, 2)) == datetime(2026, 3, 6, 18, 0)
    # Starting at an interval end behaves like starting at the next interval start.
    start = utc(datetime(2026, 3, 3, 12, 0))
    assert local(china.add_working_hours(start, 0.5)) == datetime(2026, 3, 3, 13, 30)


def test_fractional_hours(china):
    start = utc(datetime(2026, 3, 3, 11, 20))
    assert local(china.add_working_hours(start, 1.5)) == datetime(2026, 3, 3, 13, 50)
    assert local(china.add_working_hours(start, 1 / 3)) == datetime(2026, 3, 3, 11, 40)


def test_working_hours_between_weekend_and_holidays(china):
    # Fri 3 Apr 17:00 -> Tue 7 Apr 10:00: 1 h Friday, Qingming Sat-Mon, 1 h Tuesday.
    start, end = utc(datetime(2026, 4, 3, 17, 0)), utc(datetime(2026, 4, 7, 10, 0))
    assert china.working_hours_between(start, end) == pytest.approx(2.0)
    assert china.working_hours_between(end, start) == 0.0
    assert china.working_hours_between(start, start) == 0.0
    # An ordinary weekend: Fri 6 Mar 2026 12:30 -> Mon 9 Mar 12:30 = 5 + 3 h.
    start, end = utc(datetime(2026, 3, 6, 12, 30)), utc(datetime(2026, 3, 9, 12, 30))
    assert china.working_hours_between(start, end) == pytest.approx(8.0)
    # Spring Festival with its two make-up Saturdays: Fri 13 Feb 16:00 -> Tue 24 Feb 10:00.
    assert china.working_hours_between(RECEIVED, utc(datetime(2026, 2, 24, 10))) == pytest.approx(
        2 + 8 + 1
    )
    # A whole working week of 2026 around National Day: Mon 28 Sep - Sun 4 Oct.
    assert china.working_hours_between(
        utc(datetime(2026, 9, 28)), utc(datetime(2026, 10, 5))
    ) == pytest.approx(3 * 8)


def test_working_days_between(china, china_business):
    assert china.working_days_between(RECEIVED, china.add_working_days(RECEIVED, 7)) == 7
    assert china.working_days_between(RECEIVED, china.add_working_days(RECEIVED, 7) - ONE_US) == 6
    deadline = china_business.add_working_days(RECEIVED, 7)
    assert china_business.working_days_between(RECEIVED, deadline) == 7
    assert china_business.working_days_between(RECEIVED, deadline - ONE_US) == 6
    assert china.working_days_between(RECEIVED, RECEIVED) == 0
    assert china.working_days_between(RECEIVED, RECEIVED - ONE_DAY) == 0


# ------------------------------------------------------------------ edge cases


def test_non_positive_amounts_return_start(china):
    start = utc(datetime(2026, 3, 3, 20, 0))  # outside working hours on purpose
    assert china.add_working_days(start, 0) == start
    assert china.add_working_days(start, -3) == start
    assert china.add_working_hours(start, 0) == start
    assert china.add_working_hours(start, -1.5) == start
    assert china.add_clock_hours(start, 0) == start
    assert china.add_clock_hours(start, -2) == start - timedelta(hours=2)


def test_invalid_arguments(worktime, china):
    with pytest.raises(ValueError):
        china.add_working_days(RECEIVED, 1.5)
    assert china.add_working_days(RECEIVED, 7.0) == datetime(2026, 3, 2, 16, 0)
    with pytest.raises(TypeError):
        china.is_working_day(datetime(2026, 3, 2, 10))
    with pytest.raises(ValueError):
        worktime.WorkCalendar(week={0: [(13.0, 9.0)]})
    with pytest.raises(ValueError):
        worktime.WorkCalendar(week={0: [(9.0, 25.0)]})
    with pytest.raises(ValueError):
        worktime.WorkCalendar(week={7: [(9.0, 17.0)]})
    with pytest.raises(ValueError):
        worktime.WorkCalendar(week={})
    with pytest.raises(ValueError):
        worktime.WorkCalendar(day_end="noon")
    with pytest.raises(ValueError):
        worktime.WorkCalendar(workday_schedule=7)


def test_overlapping_intervals_are_merged(worktime):
    cal = worktime.WorkCalendar(week={0: [(13, 18), (9, 12), (11, 14)]})
    assert cal.intervals(date(2026, 3, 2)) == [(9.0, 18.0)]


def test_aware_datetimes_are_accepted(china):
    aware = datetime(2026, 2, 13, 16, 0, tzinfo=ZoneInfo(SHANGHAI))
    assert china.add_working_days(aware, 7) == datetime(2026, 3, 2, 16, 0)
    assert china.add_clock_hours(aware, 24) == datetime(2026, 2, 14, 8, 0)
    assert china.add_working_hours(aware, 0) == RECEIVED


def test_far_apart_dates_and_long_limits(china):
    # Queries that force the precomputed range to grow backwards and forwards.
    old = utc(datetime(2001, 6, 1, 10, 0))
    assert local(china.add_working_days(old, 1)) == datetime(2001, 6, 5, 0, 0)  # Fri -> Mon
    future = utc(datetime(2090, 1, 2, 10, 0))  # a Monday
    assert local(china.add_working_hours(future, 8)) == datetime(2090, 1, 3, 10, 0)
    start = utc(datetime(2027, 1, 4, 9, 0))  # Monday, no exceptions defined for 2027+
    end = china.add_working_hours(start, 40 * 52 * 3)  # three years of 40 h weeks
    assert local(end) == datetime(2029, 12, 28, 18, 0)  # Friday of the 156th week
    assert china.working_hours_between(start, end) == pytest.approx(40 * 52 * 3)
    assert china.working_days_between(start, china.add_working_days(start, 2000)) == 2000


# ------------------------------------------------------------------------- DST


def test_dst_round_the_clock_days_last_their_real_length(worktime):
    cal = worktime.WorkCalendar(BERLIN, week={wd: [(0.0, 24.0)] for wd in range(7)})
    spring = cal.working_hours_between(
        utc(datetime(2026, 3, 29), BERLIN), utc(datetime(2026, 3, 30), BERLIN)
    )
    autumn = cal.working_hours_between(
        utc(datetime(2026, 10, 25), BERLIN), utc(datetime(2026, 10, 26), BERLIN)
    )
    assert spring == pytest.approx(23.0)
    assert autumn == pytest.approx(25.0)
    # 24 working hours from Sat 28 Mar 12:00 on a 24/7 calendar = 24 elapsed hours,
    # which is 13:00 local on Sunday because of the switch.
    start = utc(datetime(2026, 3, 28, 12, 0), BERLIN)
    assert local(cal.add_working_hours(start, 24), BERLIN) == datetime(2026, 3, 29, 13, 0)
    assert cal.add_clock_hours(start, 24) == cal.add_working_hours(start, 24)


def test_dst_office_hours_across_the_switch(worktime):
    week = {wd: [(9.0, 17.0)] for wd in range(5)}
    cal = worktime.WorkCalendar(BERLIN, week=week)
    business = worktime.WorkCalendar(BERLIN, week=week, day_end="business")
    # March: Fri 27 (CET, UTC+1) 16:00 + 2 h -> Mon 30 (CEST, UTC+2) 10:00.
    start = utc(datetime(2026, 3, 27, 16, 0), BERLIN)
    assert start == datetime(2026, 3, 27, 15, 0)
    end = cal.add_working_hours(start, 2)
    assert end == datetime(2026, 3, 30, 8, 0)
    assert local(end, BERLIN) == datetime(2026, 3, 30, 10, 0)
    assert cal.working_hours_between(start, end) == pytest.approx(2.0)
    # Working days: Fri 27 Mar -> Mon 30 Mar 24:00 CEST = 22:00 UTC.
    assert cal.add_working_days(start, 1) == datetime(2026, 3, 30, 22, 0)
    assert business.add_working_days(start, 1) == datetime(2026, 3, 30, 15, 0)
    # October: Fri 23 (CEST) 16:00 + 2 h -> Mon 26 (CET) 10:00 = 09:00 UTC.
    start = utc(datetime(2026, 10, 23, 16, 0), BERLIN)
    end = cal.add_working_hours(start, 2)
    assert end == datetime(2026, 10, 26, 9, 0)
    assert cal.add_working_days(start, 1) == datetime(2026, 10, 26, 23, 0)
    # A working week spanning the switch is still 40 h.
    assert cal.working_hours_between(
        utc(datetime(2026, 3, 23), BERLIN), utc(datetime(2026, 4, 6), BERLIN)
    ) == pytest.approx(80.0)


def test_dst_interval_crossing_the_gap_and_the_repeated_hour(worktime):
    # Sunday 01:00-04:00 local: 2 real hours in March, 4 in October.
    cal = worktime.WorkCalendar(BERLIN, week={6: [(1.0, 4.0)]})
    march = (utc(datetime(2026, 3, 29), BERLIN), utc(datetime(2026, 3, 30), BERLIN))
    october = (utc(datetime(2026, 10, 25), BERLIN), utc(datetime(2026, 10, 26), BERLIN))
    assert cal.working_hours_between(*march) == pytest.approx(2.0)
    assert cal.working_hours_between(*october) == pytest.approx(4.0)
    # 1.5 h from 01:00 CET (00:00 UTC) in March ends at 01:30 UTC = 03:30 CEST.
    end = cal.add_working_hours(datetime(2026, 3, 28, 12, 0), 1.5)
    assert end == datetime(2026, 3, 29, 1, 30)
    assert local(end, BERLIN) == datetime(2026, 3, 29, 3, 30)
    # 2 h exactly ends at the interval end 04:00 CEST, not the next Sunday.
    assert cal.add_working_hours(datetime(2026, 3, 28, 12, 0), 2) == datetime(2026, 3, 29, 2, 0)
    # In October: 3 h from 01:00 CEST (23:00 UTC on Sat) ends at 02:00 UTC = 03:00 CET.
    assert cal.add_working_hours(datetime(2026, 10, 24, 12, 0), 3) == datetime(2026, 10, 25, 2, 0)


def test_dst_interval_starting_inside_the_gap(worktime):
    # 02:30 does not exist on 29 Mar 2026 in Berlin: the interval starts at 03:00 CEST.
    cal = worktime.WorkCalendar(BERLIN, week={6: [(2.5, 4.0)]})
    start = datetime(2026, 3, 28, 12, 0)
    assert cal.working_hours_between(start, datetime(2026, 3, 30)) == pytest.approx(1.0)
    assert local(cal.add_working_hours(start, 0.5), BERLIN) == datetime(2026, 3, 29, 3, 30)


# ----------------------------------------------------------- randomized checks


def _reference_intervals(cal, day: date) -> list[tuple[datetime, datetime]]:
    """Working intervals of a local day as naive UTC (no DST gap in these zones/hours)."""
    midnight = datetime.combine(day, time())
    tz = cal.tz
    return [
        (
            (midnight + timedelta(hours=a)).replace(tzinfo=tz).astimezone(UTC).replace(tzinfo=None),
            (midnight + timedelta(hours=b)).replace(tzinfo=tz).astimezone(UTC).replace(tzinfo=None),
        )
        for a, b in cal.intervals(day)
    ]


def _reference_add_working_hours(cal, start: datetime, hours: float) -> datetime:
    remaining = timedelta(hours=hours)
    day = local(start, cal.tz.key).date() - ONE_DAY
    while True:
        for begin, end in _reference_intervals(cal, day):
            begin = max(begin, start)
            if end <= begin:
                continue
            if end - begin >= remaining:
                return begin + remaining
            remaining -= end - begin
        day += ONE_DAY


def _reference_add_working_days(cal, start: datetime, days: int) -> datetime:
    day = local(start, cal.tz.key).date()
    for _ in range(days):
        day += ONE_DAY
        while not cal.is_working_day(day):
            day += ONE_DAY
    if cal.day_end == "midnight":
        return utc(datetime.combine(day + ONE_DAY, time()), cal.tz.key)
    return _reference_intervals(cal, day)[-1][1]


def _reference_between(cal, start: datetime, end: datetime) -> float:
    total = timedelta()
    day = local(start, cal.tz.key).date() - ONE_DAY
    last = local(end, cal.tz.key).date() + ONE_DAY
    while day <= last:
        for begin, finish in _reference_intervals(cal, day):
            overlap = min(finish, end) - max(begin, start)
            if overlap > timedelta():
                total += overlap
        day += ONE_DAY
    return total / timedelta(hours=1)


def _random_instant(rng: random.Random) -> datetime:
    return datetime(2025, 1, 1) + timedelta(seconds=rng.randrange(2 * 365 * 86400))


def test_random_add_working_hours_matches_working_hours_between(china, worktime):
    berlin = worktime.WorkCalendar(
        BERLIN,
        week={wd: [(8.0, 12.5), (13.25, 17.0)] for wd in range(5)} | {5: [(10.0, 14.0)]},
    )
    rng = random.Random(20260213)
    for cal in (china, berlin):
        for _ in range(2500):
            # A start inside working time: a random working day, interval and minute.
            day = date(2025, 1, 1) + timedelta(days=rng.randrange(730))
            while not cal.is_working_day(day):
                day += ONE_DAY
            low, high = rng.choice(cal.intervals(day))
            wall = datetime.combine(day, time()) + timedelta(hours=rng.uniform(low, high))
            start = utc(wall, cal.tz.key)
            hours = rng.choice(
                (
                    rng.uniform(0.001, 10.0),
                    rng.uniform(0.001, 400.0),
                    rng.randint(1, 60),
                )
            )
            end = cal.add_working_hours(start, hours)
            assert end > start
            assert abs(cal.working_hours_between(start, end) - hours) < 1e-6, (
                start,
                hours,
            )


def test_random_cases_match_a_brute_force_reference(china, china_business):
    rng = random.Random(7)
    for cal in (china, china_business):
        for _ in range(1500):
            start = _random_instant(rng)
            hours = rng.choice(
                (rng.uniform(0.01, 12.0), rng.uniform(0.0, 120.0), rng.randint(1, 24))
            )
            expected = _reference_add_working_hours(cal, start, hours)
            assert abs(cal.add_working_hours(start, hours) - expected) <= ONE_US, (
                start,
                hours,
            )

            days = rng.randint(1, 30)
            deadline = cal.add_working_days(start, days)
            assert deadline == _reference_add_working_days(cal, start, days), (
                start,
                days,
            )
            assert cal.working_days_between(start, deadline) == days
            assert cal.working_days_between(start, deadline - ONE_US) == days - 1

            end = start + timedelta(seconds=rng.randrange(40 * 86400))
            assert cal.working_hours_between(start, end) == pytest.approx(
                _reference_between(cal, start, end), abs=1e-9
            )
