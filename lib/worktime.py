"""Working-time arithmetic: the single helper behind every time limit of the product.

Plain Python 3.11, standard library only (no Odoo import), so that it can be unit
tested and benchmarked on its own.

Conventions
-----------
* Every ``datetime`` argument and result is a **naive datetime in UTC**, which is how
  Odoo stores ``fields.Datetime``.  (A timezone-aware argument is accepted and
  converted to UTC; results are always naive UTC.)
* Working intervals are given in local wall-clock hours of the calendar's time zone
  (``tz``) and are converted to real instants with :mod:`zoneinfo`, so everything is
  DST-safe: an interval that crosses a DST change is worth its real elapsed time
  (00:00-24:00 on the spring-forward day is 23 h).  A wall time that does not
  exist (inside a DST gap) is moved to the instant the gap ends; an ambiguous wall
  time (repeated hour in autumn) means its first occurrence (PEP 495 ``fold=0``).

Counting rules (Civil Code 《民法典》 arts. 200-204, as the product states them)
-------------------------------------------------------------------------------
* A limit in **clock hours** runs from the exact instant of receipt: 24 h = 24
  elapsed hours (:meth:`WorkCalendar.add_clock_hours`).
* A limit in **days** (:meth:`WorkCalendar.add_working_days`): the day of receipt
  does not count; N working days end on the N-th working day strictly after the local
  date of receipt, at 24:00 of that day (``day_end="midnight"``, i.e. 00:00 local of
  the next calendar day) or at the end of its last working interval
  (``day_end="business"``).
* A limit in **working hours** (:meth:`WorkCalendar.add_working_hours`) consumes time
  only inside the working intervals of working days.

Which days work
---------------
A public holiday is never a working day.  Otherwise a make-up working day (调休上班)
works with the hours of weekday ``workday_schedule`` (Monday by default).  Otherwise
the weekly pattern ``week`` decides.  A holiday listed as a make-up day too stays a
holiday.

Which years are known
---------------------
Holidays are published year by year.  A calendar may be told which years it
*covers* (``covered_years``: the years whose holidays and make-up days it was given
in full).  Outside them it still counts, on the weekly pattern only, and
:meth:`WorkCalendar.limit_uncovered_years` tells, for a computed limit, which
uncovered years its counting went through: such a deadline is *provisional*.

Implementation
--------------
Instants are handled as integer microseconds since the Unix epoch, so that sums of
working time are exact.  For a contiguous range of local days the calendar keeps an
immutable :class:`_Timeline`: the UTC start of every local day, the UTC working
intervals in order with the cumulative working time before/after each one, and the
ordinals of the working days.  Every query is then a couple of ``bisect`` look-ups
(O(log n), independent of the size of the limit); the range grows (doubling) when a
query needs days outside it.  The timeline is swapped in as one object, so concurrent
readers (Odoo threads) never see a half-built state.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

__all__ = [
    "DAY_END_BUSINESS",
    "DAY_END_MIDNIGHT",
    "DEFAULT_TZ",
    "DEFAULT_WEEK",
    "Interval",
    "WorkCalendar",
]

Interval = tuple[float, float]
"""A local working interval ``(start_hour, end_hour)``, ``0 <= start < end <= 24``."""

DEFAULT_TZ = "Asia/Shanghai"
DEFAULT_WEEK: dict[int, tuple[Interval, ...]] = dict.fromkeys(range(5), ((9.0, 12.0), (13.0, 18.0)))
"""Monday to Friday, 09:00-12:00 and 13:00-18:00."""

DAY_END_MIDNIGHT = "midnight"
DAY_END_BUSINESS = "business"
_DAY_ENDS = (DAY_END_MIDNIGHT, DAY_END_BUSINESS)

_EPOCH = datetime(1970, 1, 1)
_EPOCH_UTC = _EPOCH.replace(tzinfo=UTC)
_US = timedelta(microseconds=1)
_US_PER_HOUR = 3_600_000_000

# Index of the pattern used by a make-up working day / a holiday in WorkCalendar._patterns.
_MAKEUP = 7
_HOLIDAY = 8

# The timeline grows by at least this many days (and otherwise doubles).
_MIN_MARGIN_DAYS = 400
# Stay clear of the limits of ``datetime`` when converting local days.
_MIN_ORDINAL = date(1, 1, 3).toordinal()
_MAX_ORDINAL = date(9999, 12, 29).toordinal()


# --------------------------------------------------------------------------- helpers


def _to_us(instant: datetime) -> int:
    """Microseconds since the Unix epoch of a naive-UTC (or aware) datetime."""
    if instant.tzinfo is not None:
        return (instant - _EPOCH_UTC) // _US
    return (instant - _EPOCH) // _US


def _from_us(us: int) -> datetime:
    """Naive UTC datetime of a number of microseconds since the Unix epoch."""
    return _EPOCH + timedelta(microseconds=us)


def _naive_utc(instant: datetime) -> datetime:
    """``instant`` as a naive UTC datetime (unchanged when it already is one)."""
    if instant.tzinfo is None:
        return instant
    return instant.astimezone(UTC).replace(tzinfo=None)


def _check_date(d: date) -> date:
    """Reject datetimes where a local calendar date is expected (a classic mix-up)."""
    if isinstance(d, datetime) or not isinstance(d, date):
        raise TypeError(f"expected a datetime.date, got {d!r}")
    return d


def _whole_days(days: float) -> int:
    """``days`` as an int; a fractional number of days is an error."""
    count = int(days)
    if count != days:
        raise ValueError(f"a number of days must be whole, got {days!r}")
    return count


def _normalize_intervals(raw: Iterable[Sequence[float]], where: str) -> tuple[Interval, ...]:
    """Validate, sort and merge overlapping or touching local working intervals."""
    merged: list[list[float]] = []
    for pair in sorted((float(a), float(b)) for a, b in raw):
        low, high = pair
        if not 0.0 <= low < high <= 24.0:
            raise ValueError(
                f"{where}: invalid working interval {pair}; need 0 <= start < end <= 24"
            )
        if merged and low <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], high)
        else:
            merged.append([low, high])
    return tuple((low, high) for low, high in merged)


# -------------------------------------------------------------------------- timeline


class _Timeline:
    """Precomputed working time of the local days with ordinals ``[first, last)``.

    All instants are integer microseconds since the Unix epoch (UTC).

    * ``day_start[k]``: instant of local 00:00 of day ``first + k``, for
      ``k = 0 .. last - first`` (one more entry than days: the end of the last day).
    * ``starts``/``ends``: the non-empty working intervals, in order, never overlapping.
    * ``cum_before[i]``/``cum_end[i]``: working time from the start of the timeline to
      the start/end of interval ``i``; ``total`` is the whole working time.
    * ``work_ords``: ordinals of the working days; ``work_last_end[k]`` is the end of
      the last working interval of day ``work_ords[k]``.
    """

    __slots__ = (
        "cum_before",
        "cum_end",
        "day_start",
        "ends",
        "first",
        "last",
        "starts",
        "total",
        "work_last_end",
        "work_ords",
    )

    def __init__(self, calendar: WorkCalendar, first: int, last: int) -> None:
        wall_to_us = calendar._wall_to_us
        patterns = calendar._pattern_deltas
        pattern_index = calendar._pattern_index
        day_start: list[int] = []
        starts: list[int] = []
        ends: list[int] = []
        cum_before: list[int] = []
        cum_end: list[int] = []
        work_ords: list[int] = []
        work_last_end: list[int] = []
        total = 0
        for ordinal in range(first, last + 1):
            day = date.fromordinal(ordinal)
            midnight = datetime(day.year, day.month, day.day)
            day_start.append(wall_to_us(midnight))
            if ordinal == last:
                break
            pattern = patterns[pattern_index(day)]
            if not pattern:
                continue
            end = 0
            for low, high in pattern:
                begin = wall_to_us(midnight + low)
                end = wall_to_us(midnight + high)
                if end > begin:  # an interval lying wholly in a DST gap is empty
                    starts.append(begin)
                    ends.append(end)
                    cum_before.append(total)
                    total += end - begin
                    cum_end.append(total)
            work_ords.append(ordinal)
            work_last_end.append(end)
        self.first = first
        self.last = last
        self.day_start = day_start
        self.starts = starts
        self.ends = ends
        self.cum_before = cum_before
        self.cum_end = cum_end
        self.total = total
        self.work_ords = work_ords
        self.work_last_end = work_last_end

    def covers(self, low: int, high: int) -> bool:
        """Whether the instants ``low <= high`` both lie inside the covered days."""
        return self.day_start[0] <= low and high < self.day_start[-1]

    def local_ordinal(self, t: int) -> int:
        """Ordinal of the local date of the (covered) instant ``t``."""
        return self.first + bisect_right(self.day_start, t) - 1

    def worked_until(self, t: int) -> int:
        """Working time from the start of the timeline to the (covered) instant ``t``."""
        i = bisect_right(self.starts, t) - 1
        if i < 0:
            return 0
        return min(self.cum_before[i] + t - self.starts[i], self.cum_end[i])


# -------------------------------------------------------------------------- calendar


class WorkCalendar:
    """A company's working time: weekly hours, public holidays and make-up working days.

    :param tz: IANA name of the company's time zone (or a ``ZoneInfo``); empty means
        ``Asia/Shanghai``.
    :param week: weekday (0 = Monday .. 6 = Sunday) -> list of local working intervals
        ``(start_hour, end_hour)`` as floats, e.g. ``{0: [(8.5, 12.0), (13.0, 17.5)]}``.
        A weekday that is absent or maps to ``[]`` is not a working day.  Default:
        Monday to Friday 9-12 and 13-18.  At least one weekday must have working hours.
    :param holidays: public holidays (never working days, even on a weekday).
    :param workdays: make-up working days (调休上班), working even on a weekend, with the
        hours of weekday ``workday_schedule`` (if that weekday has no hours: of the
        next weekday that has some).
    :param workday_schedule: weekday whose hours make-up days use (default Monday).
    :param day_end: ``"midnight"``: a limit counted in days ends at 24:00 of its last
        day; ``"business"``: at the end of the last working interval of that day.
    :param covered_years: the years whose public holidays and make-up days were given
        in full; ``None`` (the default) means every year.  It changes no result, only
        what :meth:`uncovered_years` and :meth:`limit_uncovered_years` report.

    Instances are cheap to query and safe to share between threads; build one per
    company calendar and reuse it.
    """

    def __init__(
        self,
        tz: str | ZoneInfo = DEFAULT_TZ,
        week: Mapping[int, Iterable[Sequence[float]]] | None = None,
        holidays: Iterable[date] = (),
        workdays: Iterable[date] = (),
        workday_schedule: int = 0,
        day_end: str = DAY_END_MIDNIGHT,
        covered_years: Iterable[int] | None = None,
    ) -> None:
        self.tz: ZoneInfo = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz or DEFAULT_TZ)

        week = DEFAULT_WEEK if week is None else week
        unknown = set(week) - set(range(7))
        if unknown:
            raise ValueError(f"week: weekdays must be 0 (Monday) .. 6 (Sunday), got {unknown}")
        self.week: tuple[tuple[Interval, ...], ...] = tuple(
            _normalize_intervals(week.get(wd) or (), f"week[{wd}]") for wd in range(7)
        )
        if not any(self.week):
            raise ValueError("week: the calendar defines no working time at all")

        if workday_schedule not in range(7):
            raise ValueError(f"workday_schedule must be a weekday 0..6, got {workday_schedule!r}")
        self.workday_schedule = workday_schedule
        makeup_hours = next(
            self.week[(workday_schedule + k) % 7]
            for k in range(7)
            if self.week[(workday_schedule + k) % 7]
        )

        if day_end not in _DAY_ENDS:
            raise ValueError(f"day_end must be one of {_DAY_ENDS}, got {day_end!r}")
        self.day_end = day_end

        self.covered_years: frozenset[int] | None = (
            None if covered_years is None else frozenset(int(y) for y in covered_years)
        )
        self.holidays: frozenset[date] = frozenset(_check_date(d) for d in holidays)
        self.workdays: frozenset[date] = frozenset(_check_date(d) for d in workdays)

        # Patterns indexed by weekday 0..6, then _MAKEUP, then _HOLIDAY.
        self._patterns: tuple[tuple[Interval, ...], ...] = (
            *self.week,
            makeup_hours,
            (),
        )
        self._pattern_deltas: tuple[tuple[tuple[timedelta, timedelta], ...], ...] = tuple(
            tuple((timedelta(hours=low), timedelta(hours=high)) for low, high in pattern)
            for pattern in self._patterns
        )
        self._timeline: _Timeline | None = None

    def __repr__(self) -> str:
        return (
            f"WorkCalendar(tz={self.tz.key!r}, holidays={len(self.holidays)}, "
            f"workdays={len(self.workdays)}, day_end={self.day_end!r}, "
            f"covered_years={self._covered_repr()})"
        )

    def _covered_repr(self) -> str:
        years = self.covered_years
        if years is None:
            return "all"
        if not years:
            return "none"
        low, high = min(years), max(years)
        if len(years) == high - low + 1:
            return f"{low}-{high}"
        return ",".join(str(y) for y in sorted(years))

    # ------------------------------------------------------------------ local days

    def _pattern_index(self, d: date) -> int:
        if d in self.holidays:
            return _HOLIDAY
        if d in self.workdays:
            return _MAKEUP
        return d.weekday()

    def is_working_day(self, d: date) -> bool:
        """Whether the local date ``d`` has working hours."""
        return bool(self._patterns[self._pattern_index(_check_date(d))])

    def intervals(self, d: date) -> list[Interval]:
        """Local working intervals ``(start_hour, end_hour)`` of date ``d`` ([] if none)."""
        return list(self._patterns[self._pattern_index(_check_date(d))])

    def next_working_day(self, d: date) -> date:
        """First working day strictly after the local date ``d``."""
        d = _check_date(d)
        while True:  # ends: some weekday works and holidays are finite
            d += timedelta(days=1)
            if self._patterns[self._pattern_index(d)]:
                return d

    # ------------------------------------------------------------------- coverage

    def is_covered(self, year: int) -> bool:
        """Whether the holidays and make-up days of ``year`` are known in full."""
        return self.covered_years is None or year in self.covered_years

    def uncovered_years(self, first: date, last: date) -> tuple[int, ...]:
        """The years of the local dates ``first .. last`` (inclusive) that are not
        covered, in order; ``()`` when ``last < first``."""
        first, last = _check_date(first), _check_date(last)
        if self.covered_years is None or last < first:
            return ()
        return tuple(y for y in range(first.year, last.year + 1) if y not in self.covered_years)

    def local_date(self, instant: datetime) -> date:
        """The local date (calendar time zone) of the instant ``instant``."""
        return date.fromordinal(self._local_ordinal_slow(_to_us(instant)))

    def limit_uncovered_years(
        self, start: datetime, end: datetime, *, days: bool
    ) -> tuple[int, ...]:
        """The uncovered years whose days a limit running from ``start`` to its
        deadline ``end`` was counted on: the local days from that of ``start`` (the
        next one for a limit in days, ``days=True``, as the day of receipt does not
        count) to that of the last instant before ``end``.  ``()`` means the deadline
        is final; anything else, that it is provisional (counted on the weekly pattern
        for those years).  A limit in clock hours consults no calendar: do not ask."""
        if self.covered_years is None:
            return ()
        low, high = _to_us(start), _to_us(end)
        first = self._local_ordinal_slow(low) + (1 if days else 0)
        last = self._local_ordinal_slow(max(high - 1, low))
        if last < first:
            return ()
        return self.uncovered_years(date.fromordinal(first), date.fromordinal(last))

    # ------------------------------------------------------- local <-> UTC instants

    def _wall_to_us(self, wall: datetime) -> int:
        """Instant (µs since epoch) of the naive local wall time ``wall``.

        Ambiguous wall times give their first occurrence; wall times inside a DST gap
        give the instant at which the gap ends (the first existing wall time after).
        """
        aware = wall.replace(tzinfo=self.tz)
        offset = aware.utcoffset()
        offset_after = aware.replace(fold=1).utcoffset()
        assert offset is not None and offset_after is not None
        if offset >= offset_after:  # existing (possibly ambiguous) wall time
            return (wall - offset - _EPOCH) // _US
        # In a gap: the transition lies in (wall - offset_after, wall - offset].
        before = (wall - offset_after - _EPOCH) // _US  # still on ``offset``
        after = (wall - offset - _EPOCH) // _US  # already past the transition
        while after - before > 1:
            middle = (before + after) // 2
            if self._offset_at(middle) == offset:
                before = middle
            else:
                after = middle
        return after

    def _offset_at(self, t: int) -> timedelta | None:
        return (_EPOCH_UTC + timedelta(microseconds=t)).astimezone(self.tz).utcoffset()

    def _local_ordinal_slow(self, t: int) -> int:
        return (_EPOCH_UTC + timedelta(microseconds=t)).astimezone(self.tz).toordinal()

    # -------------------------------------------------------------------- timeline

    def _covering(self, low: int, high: int) -> _Timeline:
        """A timeline whose days contain the instants ``low <= high``."""
        timeline = self._timeline
        if timeline is not None and timeline.covers(low, high):
            return timeline
        timeline = self._grow(self._local_ordinal_slow(low) - 1, self._local_ordinal_slow(high) + 2)
        if not timeline.covers(low, high):
            raise OverflowError("instant outside the supported range of dates")
        return timeline

    def _grow(self, need_first: int, need_last: int) -> _Timeline:
        """Rebuild the timeline so that it spans at least the days ``[need_first, need_last)``."""
        timeline = self._timeline
        if timeline is None:
            first = need_first - _MIN_MARGIN_DAYS
            last = need_last + _MIN_MARGIN_DAYS
        else:
            margin = max(_MIN_MARGIN_DAYS, timeline.last - timeline.first)
            first = timeline.first if need_first >= timeline.first else need_first - margin
            last = timeline.last if need_last <= timeline.last else need_last + margin
        first = max(first, _MIN_ORDINAL)
        last = min(last, _MAX_ORDINAL)
        if timeline is not None and (first, last) == (timeline.first, timeline.last):
            if need_first < first or need_last > last:
                raise OverflowError("working time outside the supported range of dates")
            return timeline
        timeline = _Timeline(self, first, last)
        self._timeline = timeline
        return timeline

    # --------------------------------------------------------------------- limits

    def add_clock_hours(self, start: datetime, hours: float) -> datetime:
        """``start`` plus ``hours`` of elapsed time (24 h = 24 clock hours)."""
        return _naive_utc(start) + timedelta(hours=hours)

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """Deadline of a limit of ``days`` working days received at ``start``.

        The local day of ``start`` does not count; the limit ends on the ``days``-th
        working day strictly after it, at 24:00 local (``day_end="midnight"``) or at
        the end of that day's last working interval (``day_end="business"``).
        ``days <= 0`` returns ``start``.
        """
        count = _whole_days(days)
        if count <= 0:
            return _naive_utc(start)
        t = _to_us(start)
        timeline = self._covering(t, t)
        while True:
            k = bisect_right(timeline.work_ords, timeline.local_ordinal(t)) + count - 1
            if k < len(timeline.work_ords):
                break
            timeline = self._grow(timeline.first, timeline.last + 1)
        if self.day_end == DAY_END_MIDNIGHT:
            return _from_us(timeline.day_start[timeline.work_ords[k] + 1 - timeline.first])
        return _from_us(timeline.work_last_end[k])

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        """Instant at which ``hours`` of working time have elapsed since ``start``.

        Time is consumed only inside working intervals, from ``start`` or, when
        ``start`` is outside working time, from the next interval start.  A limit that
        is used up exactly at the end of an interval ends there (not at the start of
        the next one).  ``hours <= 0`` returns ``start``.
        """
        amount = round(hours * _US_PER_HOUR)
        if amount <= 0:
            return _naive_utc(start)
        t = _to_us(start)
        timeline = self._covering(t, t)
        while True:
            target = timeline.worked_until(t) + amount
            if target <= timeline.total:
                break
            timeline = self._grow(timeline.first, timeline.last + 1)
        i = bisect_left(timeline.cum_end, target)
        return _from_us(timeline.starts[i] + target - timeline.cum_before[i])

    def working_hours_between(self, start: datetime, end: datetime) -> float:
        """Working time, in hours, of the instants in ``[start, end)`` (0 if end <= start)."""
        low, high = _to_us(start), _to_us(end)
        if high <= low:
            return 0.0
        timeline = self._covering(low, high)
        return (timeline.worked_until(high) - timeline.worked_until(low)) / _US_PER_HOUR

    def working_days_between(self, start: datetime, end: datetime) -> int:
        """Number of whole working days of a limit elapsed from ``start`` to ``end``.

        That is the largest ``n`` with ``add_working_days(start, n) <= end``: working
        days strictly after the local date of ``start`` whose end (24:00 or end of the
        last interval, per ``day_end``) is at or before ``end``.  0 if end <= start.
        """
        low, high = _to_us(start), _to_us(end)
        if high <= low:
            return 0
        timeline = self._covering(low, high)
        first_day = timeline.local_ordinal(low)
        last_day = timeline.local_ordinal(high)
        if last_day <= first_day:
            return 0
        work_ords = timeline.work_ords
        i = bisect_right(work_ords, first_day)
        j = bisect_left(work_ords, last_day)  # working days in (first_day, last_day)
        count = j - i
        if (
            self.day_end == DAY_END_BUSINESS
            and j < len(work_ords)
            and work_ords[j] == last_day
            and timeline.work_last_end[j] <= high
        ):
            count += 1
        return count
