"""Working-day arithmetic over the holiday table (民事诉讼法 Art.85, 行政处罚法 Art.85, 行政强制法 Art.69).

The table is read from the database once per process and kept as a dict of the days that depart from the week,
so a list page can compute thousands of due dates without a query each. The services drop the cache when they
change the table; other processes notice the change through ``HolidayYear.changed_at`` within
``RECHECK_SECONDS``. A date in a year with no loaded table raises :class:`CalendarMissing`: never a guess.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import datetime
import threading
import time
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max
from django.utils.translation import gettext as _

from sanxiang.deadlines.models import DayKind, HolidayYear, SpecialDay

__all__ = [
    "CalendarMissing",
    "add_calendar_days",
    "add_calendar_days_provisional",
    "add_months",
    "add_working_days",
    "expire",
    "invalidate",
    "is_working_day",
    "loaded_years",
    "next_working_day",
    "subtract_working_days",
    "working_days_between",
]

ONE_DAY = datetime.timedelta(days=1)
# How long a process trusts its copy before it asks the database whether the table changed.
RECHECK_SECONDS = 30.0


class CalendarMissing(LookupError):  # noqa: N818 (the name the other apps import)
    """The holiday arrangement of ``year`` has not been loaded, so no period touching it can be computed."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            _(
                "%(year)s年的节假日安排尚未导入，无法计算涉及该年度的期限。"
                "请先导入国务院办公厅关于%(year)s年部分节假日安排的通知。"
            )
            % {"year": year}
        )


@dataclass(frozen=True)
class _Snapshot:
    years: frozenset[int]
    # date -> True for a 调休 working day on a weekend, False for any listed day off.
    overrides: dict[datetime.date, bool]
    stamp: tuple[Any, int]
    checked_at: float

    def is_working(self, day: datetime.date) -> bool:
        if day.year not in self.years:
            raise CalendarMissing(day.year)
        listed = self.overrides.get(day)
        if listed is None:
            return day.weekday() < 5
        return listed


_snapshot: _Snapshot | None = None
_lock = threading.Lock()


def invalidate() -> None:
    """Forget this process's copy of the table; the next lookup reloads it."""
    global _snapshot
    _snapshot = None


def expire(**_: Any) -> None:
    """Make the next lookup ask the database whether the table changed (one small query), then trust the copy.

    Connected to ``request_started``, so a page never computes with a table another process has since changed.
    """
    global _snapshot
    snap = _snapshot
    if snap is not None:
        _snapshot = _Snapshot(snap.years, snap.overrides, snap.stamp, float("-inf"))


def _stamp() -> tuple[Any, int]:
    agg = HolidayYear.objects.aggregate(changed=Max("changed_at"), count=Count("id"))
    return (agg["changed"], agg["count"])


def _load(now: float) -> _Snapshot:
    # The stamp is read before the rows: a write landing in between makes the stamp stale, never the rows.
    stamp = _stamp()
    years = frozenset(HolidayYear.objects.values_list("year", flat=True))
    overrides = {
        day: kind == DayKind.ADJUSTED_WORKDAY
        for day, kind in SpecialDay.objects.values_list("date", "kind").iterator()
    }
    return _Snapshot(years=years, overrides=overrides, stamp=stamp, checked_at=now)


def _current() -> _Snapshot:
    global _snapshot
    snap = _snapshot
    now = time.monotonic()
    if snap is not None and now - snap.checked_at < RECHECK_SECONDS:
        return snap
    with _lock:
        snap = _snapshot
        if snap is None:
            snap = _load(now)
        elif now - snap.checked_at >= RECHECK_SECONDS:
            if _stamp() == snap.stamp:
                snap = _Snapshot(snap.years, snap.overrides, snap.stamp, now)
            else:
                snap = _load(now)
        _snapshot = snap
        return snap


def _check_date(value: datetime.date) -> None:
    # A datetime is a date subclass but never equals a date key, so it would silently miss every holiday.
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise TypeError(_("需要日期（date），收到 %(type)s") % {"type": type(value).__name__})


def _check_count(n: int) -> None:
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(_("期限天数必须是非负整数，收到 %(n)s") % {"n": repr(n)})


def loaded_years() -> frozenset[int]:
    """The calendar years whose holiday arrangement is loaded."""
    return _current().years


def is_working_day(day: datetime.date) -> bool:
    """Whether ``day`` is a working day: a weekday not listed as a holiday, or a weekend 调休 working day."""
    _check_date(day)
    return _current().is_working(day)


def next_working_day(day: datetime.date) -> datetime.date:
    """``day`` itself if it is a working day, else the first working day after it (民事诉讼法 Art.85)."""
    _check_date(day)
    snap = _current()
    while not snap.is_working(day):
        day += ONE_DAY
    return day


def add_working_days(start: datetime.date, n: int) -> datetime.date:
    """The n-th working day after ``start``; the start day is not counted (民事诉讼法 Art.85).

    Used for the periods 行政处罚法 Art.85 reads as working days (二日、三日、五日、七日) and for the
    行政强制法 periods of ten days or fewer (Art.69). A 调休 weekend working day counts.
    """
    _check_date(start)
    _check_count(n)
    snap = _current()
    day = start
    remaining = n
    while remaining:
        day += ONE_DAY
        if snap.is_working(day):
            remaining -= 1
    return day


def subtract_working_days(end: datetime.date, n: int) -> datetime.date:
    """The n-th working day before ``end`` (``end`` not counted): the mirror of :func:`add_working_days`.

    For a working day ``end``, ``add_working_days(subtract_working_days(end, n), n) == end``.
    """
    _check_date(end)
    _check_count(n)
    snap = _current()
    day = end
    remaining = n
    while remaining:
        day -= ONE_DAY
        if snap.is_working(day):
            remaining -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 if ``end`` is not after ``start``)."""
    _check_date(start)
    _check_date(end)
    snap = _current()
    count = 0
    day = start
    while day < end:
        day += ONE_DAY
        if snap.is_working(day):
            count += 1
    return count


def add_calendar_days(start: datetime.date, n: int) -> datetime.date:
    """``start`` + n calendar days, rolled to the next working day if that is a rest day (民事诉讼法 Art.85).

    The start day is not counted. The roll-over needs the table of the end date's year even when no day in
    between is a holiday, so a period ending in a year without a table raises :class:`CalendarMissing`.
    """
    _check_date(start)
    _check_count(n)
    return next_working_day(start + datetime.timedelta(days=n))


def add_calendar_days_provisional(start: datetime.date, n: int) -> tuple[datetime.date, bool]:
    """Like :func:`add_calendar_days`, but usable before the end date's year has a table.

    Returns ``(end, False)`` when the table is there, else ``(start + n days, True)``: the provisional,
    nominal end. It is the earliest the period can end, since a roll-over only moves the end later
    (民事诉讼法 Art.85), so an act done on or before it is on time whatever the table will say; after it, the
    caller must ask :func:`add_calendar_days` again and let :class:`CalendarMissing` speak.
    """
    try:
        return add_calendar_days(start, n), False
    except CalendarMissing as missing:
        if missing.year != (start + datetime.timedelta(days=n)).year:
            raise
        return start + datetime.timedelta(days=n), True


def add_months(start: datetime.date, months: int) -> datetime.date:
    """A period of whole months, rolled to the next working day if it ends on a rest day.

    The period ends on the day of the final month that corresponds to ``start``, or on the last day of that
    month when it has no such day (民法典 Art.202; unverified here), then 民事诉讼法 Art.85 applies.
    """
    _check_date(start)
    _check_count(months)
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = _stdlib_calendar.monthrange(year, month)[1]
    return next_working_day(datetime.date(year, month, min(start.day, last)))
