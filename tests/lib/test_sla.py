"""Tests of lib/sla.py: the clock replayed from its facts (no Odoo needed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

SHANGHAI = ZoneInfo("Asia/Shanghai")


def utc(*args: int) -> datetime:
    """Naive UTC instant of a Shanghai wall time."""
    return datetime(*args, tzinfo=SHANGHAI).astimezone(UTC).replace(tzinfo=None)


RECEIVED = utc(2026, 2, 13, 16, 0)  # Fri before the 2026 Spring Festival


def test_response_24_clock_hours_across_make_up_day(sla, china):
    result = sla.evaluate(china, "clock_hours", 24, RECEIVED, [], None, RECEIVED)
    assert result.deadline == utc(2026, 2, 14, 16, 0)
    assert result.state == "running"
    assert result.level_at == {
        50: utc(2026, 2, 14, 4, 0),
        75: utc(2026, 2, 14, 10, 0),
        100: utc(2026, 2, 14, 16, 0),
    }


def test_resolution_7_working_days_across_spring_festival(sla, china):
    result = sla.evaluate(china, "working_days", 7, RECEIVED, [], None, RECEIVED)
    # 14 Feb (make-up), 24, 25, 26, 27, 28 Feb (make-up), Mon 2 Mar -> 2 Mar 24:00
    assert result.deadline == utc(2026, 3, 3, 0, 0)


def test_breaches_at_the_deadline_minute_not_before(sla, china):
    deadline = utc(2026, 2, 14, 16, 0)
    before = sla.evaluate(
        china, "clock_hours", 24, RECEIVED, [], None, deadline - timedelta(minutes=1)
    )
    at = sla.evaluate(china, "clock_hours", 24, RECEIVED, [], None, deadline)
    assert before.state == "running"
    assert (at.state, at.breached_at) == ("breached", deadline)


def test_met_or_breached_by_the_reached_instant(sla, china):
    deadline = utc(2026, 2, 14, 16, 0)
    met = sla.evaluate(china, "clock_hours", 24, RECEIVED, [], deadline, deadline)
    late = sla.evaluate(
        china, "clock_hours", 24, RECEIVED, [], deadline + timedelta(minutes=1), deadline
    )
    assert (met.state, met.level_at) == ("met", {})
    assert (late.state, late.breached_at) == ("breached", deadline)


def test_pause_moves_working_deadline_by_paused_working_time(sla, china):
    # Paused Tue 24 Feb 10:00 -> Wed 25 Feb 11:00: 9 working hours (10-12, 13-18, 9-11)
    pause = (utc(2026, 2, 24, 10, 0), utc(2026, 2, 25, 11, 0))
    result = sla.evaluate(china, "working_days", 7, RECEIVED, [pause], None, utc(2026, 2, 26, 9, 0))
    assert result.paused_hours == pytest.approx(9.0)
    # 2 Mar 24:00 + 9 working hours -> Tue 3 Mar 9-12, 13-18, Wed 4 Mar 9-10
    assert result.deadline == utc(2026, 3, 4, 10, 0)
    assert result.state == "running"


def test_pause_over_holiday_moves_nothing(sla, china):
    pause = (utc(2026, 2, 15, 9, 0), utc(2026, 2, 23, 18, 0))  # all Spring Festival
    result = sla.evaluate(china, "working_days", 7, RECEIVED, [pause], None, utc(2026, 2, 24, 9, 0))
    assert result.paused_hours == 0
    assert result.deadline == utc(2026, 3, 3, 0, 0)


def test_open_pause_is_paused_and_has_no_warning(sla, china):
    pause = (utc(2026, 2, 24, 10, 0), None)
    result = sla.evaluate(
        china, "working_days", 7, RECEIVED, [pause], None, utc(2026, 2, 24, 15, 0)
    )
    assert result.state == "paused"
    assert result.paused_since == utc(2026, 2, 24, 10, 0)
    assert result.level_at == {}
    assert result.paused_hours == pytest.approx(4.0)


def test_pause_after_breach_does_not_undo_it(sla, china):
    deadline = utc(2026, 2, 14, 16, 0)
    pause = (deadline + timedelta(hours=1), None)
    result = sla.evaluate(
        china, "clock_hours", 24, RECEIVED, [pause], None, deadline + timedelta(hours=5)
    )
    assert (result.state, result.deadline) == ("breached", deadline)


def test_clock_hours_pause_moves_by_elapsed_time(sla, china):
    pause = (utc(2026, 2, 13, 18, 0), utc(2026, 2, 13, 20, 30))
    result = sla.evaluate(
        china, "clock_hours", 24, RECEIVED, [pause], None, utc(2026, 2, 13, 21, 0)
    )
    assert result.deadline == utc(2026, 2, 14, 18, 30)
    assert result.used_hours == pytest.approx(2.5)  # 16:00-18:00 and 20:30-21:00


def test_unknown_unit(sla, china):
    with pytest.raises(sla.UnknownUnitError):
        sla.evaluate(china, "fortnights", 1, RECEIVED, [], None, RECEIVED)


def test_unknown_unit_raises_in_every_entry_point(sla, china):
    """One rule for a limit: an unknown unit is an error, never read as another unit."""
    for call in (
        lambda: sla.base_deadline(china, RECEIVED, 3, "days"),
        lambda: sla.uncovered_years(china, "days", RECEIVED, RECEIVED),
        lambda: sla.check_unit("days"),
        lambda: sla.base_deadline(china, RECEIVED, 3, None),
    ):
        with pytest.raises(sla.UnknownUnitError) as info:
            call()
        assert type(info.value) is sla.UnknownUnitError
        assert isinstance(info.value, ValueError)
    for unit in sla.UNITS:
        assert sla.check_unit(unit) == unit
