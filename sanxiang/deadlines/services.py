"""Writes to the holiday table: each runs in one transaction, records its audit event and drops the cache.

Each also recomputes every stored clock: a changed table moves the days periods roll over to (Art.85).
"""

from __future__ import annotations

import enum
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang import audit
from sanxiang.core.due import all_clocks_changed
from sanxiang.deadlines import calendar
from sanxiang.deadlines.holiday_data import HolidayDataError, YearData, check_special_day, validate
from sanxiang.deadlines.models import DayKind, HolidayYear, SpecialDay


class LoadOutcome(enum.Enum):
    CREATED = "created"
    UNCHANGED = "unchanged"
    REPLACED = "replaced"


def _drop_cache() -> None:
    # Now, so the rest of this transaction sees the change; again on commit, so no other thread keeps a copy
    # read in between. Other processes notice ``changed_at`` moving.
    calendar.invalidate()
    transaction.on_commit(calendar.invalidate)
    # Every running clock may now end on another day, or have a date where it had only a provisional one.
    all_clocks_changed()


def _day_tuples(holiday_year: HolidayYear) -> set[tuple[str, str, str]]:
    return {
        (d.isoformat(), kind, name) for d, kind, name in holiday_year.days.values_list("date", "kind", "name")
    }


def _data_tuples(data: YearData) -> set[tuple[str, str, str]]:
    return {(d.date.isoformat(), str(d.kind), d.name) for d in data.days}


def _notice_of(data: YearData) -> dict[str, Any]:
    return {
        "notice_title": data.notice_title,
        "notice_number": data.notice_number,
        "notice_url": data.notice_url,
        "issued_on": data.issued_on,
    }


def _check_no_clash(data: YearData, *, holiday_year: HolidayYear | None) -> None:
    dates = [d.date for d in data.days]
    clash = SpecialDay.objects.filter(date__in=dates)
    if holiday_year is not None:
        clash = clash.exclude(holiday_year=holiday_year)
    first = clash.order_by("date").first()
    if first is not None:
        raise HolidayDataError(
            _("日期 %(date)s 已登记在 %(year)s 年的安排中")
            % {"date": first.date.isoformat(), "year": first.holiday_year.year}
        )


@transaction.atomic
def holiday_year_load(
    *, data: YearData, actor: Any = None, replace: bool = False
) -> tuple[HolidayYear, LoadOutcome]:
    """Load one year's arrangement from a parsed file.

    A year not yet loaded is created. A year already loaded with the same content is left alone (so loading
    twice changes nothing). A year loaded with different content, perhaps corrected by the admin, is replaced
    only when ``replace`` is given; otherwise :class:`HolidayDataError` is raised and nothing changes.
    """
    validate(data)
    existing = HolidayYear.objects.select_for_update().filter(year=data.year).first()
    notice = _notice_of(data)
    if existing is not None:
        same_days = _day_tuples(existing) == _data_tuples(data)
        same_notice = all(getattr(existing, k) == v for k, v in notice.items())
        if same_days and same_notice:
            return existing, LoadOutcome.UNCHANGED
        if not replace:
            raise HolidayDataError(
                _(
                    "%(year)s年的节假日安排已导入，且与文件内容不同（可能已由管理员修改）；"
                    "如需以文件内容替换，请使用 --replace"
                )
                % {"year": data.year}
            )
    _check_no_clash(data, holiday_year=existing)
    now = timezone.now()
    if existing is None:
        holiday_year = HolidayYear.objects.create(year=data.year, loaded_at=now, changed_at=now, **notice)
        outcome = LoadOutcome.CREATED
    else:
        holiday_year = existing
        for key, value in notice.items():
            setattr(holiday_year, key, value)
        holiday_year.loaded_at = now
        holiday_year.changed_at = now
        holiday_year.save()
        holiday_year.days.all().delete()
        outcome = LoadOutcome.REPLACED
    SpecialDay.objects.bulk_create(
        SpecialDay(holiday_year=holiday_year, date=d.date, kind=d.kind, name=d.name) for d in data.days
    )
    audit.record(
        audit.EventType.HOLIDAY_CALENDAR_LOADED,
        actor=actor,
        subject=holiday_year,
        data={
            "year": data.year,
            "outcome": outcome.value,
            "source": data.source,
            "notice_number": data.notice_number,
            "notice_url": data.notice_url,
            "holidays": data.holiday_count,
            "adjusted_workdays": data.adjusted_workday_count,
        },
    )
    _drop_cache()
    return holiday_year, outcome


_YEAR_FIELDS = ("year", "notice_title", "notice_number", "notice_url", "issued_on")


@transaction.atomic
def holiday_year_save(*, holiday_year: HolidayYear, actor: Any) -> HolidayYear:
    """Create a year by hand or change its notice reference (the admin's edit). The year number is fixed
    once days are listed under it."""
    now = timezone.now()
    if holiday_year.pk is None:
        if HolidayYear.objects.filter(year=holiday_year.year).exists():
            raise HolidayDataError(_("%(year)s年的节假日安排已存在") % {"year": holiday_year.year})
        holiday_year.loaded_at = now
        holiday_year.changed_at = now
        holiday_year.save()
        changes: dict[str, Any] = {"action": "year_created", "year": holiday_year.year}
    else:
        old = HolidayYear.objects.select_for_update().get(pk=holiday_year.pk)
        if old.year != holiday_year.year and old.days.exists():
            raise HolidayDataError(_("已登记特殊日期的年度不能修改年份"))
        diff = {
            key: {"old": getattr(old, key), "new": getattr(holiday_year, key)}
            for key in _YEAR_FIELDS
            if getattr(old, key) != getattr(holiday_year, key)
        }
        holiday_year.loaded_at = old.loaded_at
        holiday_year.changed_at = now
        holiday_year.save()
        changes = {"action": "year_changed", "year": holiday_year.year, "changes": diff}
    audit.record(audit.EventType.HOLIDAY_CALENDAR_CHANGED, actor=actor, subject=holiday_year, data=changes)
    _drop_cache()
    return holiday_year


@transaction.atomic
def holiday_year_delete(*, holiday_year: HolidayYear, actor: Any) -> None:
    """Remove a year and its days: dates in it then raise CalendarMissing again."""
    holiday_year = HolidayYear.objects.select_for_update().get(pk=holiday_year.pk)
    audit.record(
        audit.EventType.HOLIDAY_CALENDAR_CHANGED,
        actor=actor,
        subject=holiday_year,
        data={"action": "year_deleted", "year": holiday_year.year, "days": holiday_year.days.count()},
    )
    holiday_year.delete()
    _drop_cache()


def _day_state(day: SpecialDay) -> dict[str, str]:
    return {"date": day.date.isoformat(), "kind": str(day.kind), "name": day.name}


def _touch(holiday_year: HolidayYear) -> None:
    HolidayYear.objects.filter(pk=holiday_year.pk).update(changed_at=timezone.now())


def check_special_day_for(special_day: SpecialDay) -> None:
    """Refuse a special day outside its year, of an unknown kind, or on a date already listed."""
    check_special_day(
        year=special_day.holiday_year.year,
        date=special_day.date,
        kind=special_day.kind,
        name=special_day.name,
    )
    others = SpecialDay.objects.filter(date=special_day.date)
    if special_day.pk is not None:
        others = others.exclude(pk=special_day.pk)
    if others.exists():
        raise HolidayDataError(_("日期 %(date)s 已登记") % {"date": special_day.date.isoformat()})


@transaction.atomic
def special_day_save(*, special_day: SpecialDay, actor: Any) -> SpecialDay:
    """Add or change one special day (the admin's correction of the table)."""
    HolidayYear.objects.select_for_update().get(pk=special_day.holiday_year_id)
    check_special_day_for(special_day)
    old = SpecialDay.objects.filter(pk=special_day.pk).first() if special_day.pk is not None else None
    special_day.save()
    _touch(special_day.holiday_year)
    audit.record(
        audit.EventType.HOLIDAY_CALENDAR_CHANGED,
        actor=actor,
        subject=special_day.holiday_year,
        data={
            "action": "day_changed" if old is not None else "day_added",
            "old": _day_state(old) if old is not None else None,
            "new": _day_state(special_day),
        },
    )
    _drop_cache()
    return special_day


@transaction.atomic
def special_day_delete(*, special_day: SpecialDay, actor: Any) -> None:
    """Remove one special day: the date then follows the week again."""
    holiday_year = HolidayYear.objects.select_for_update().get(pk=special_day.holiday_year_id)
    audit.record(
        audit.EventType.HOLIDAY_CALENDAR_CHANGED,
        actor=actor,
        subject=holiday_year,
        data={"action": "day_deleted", "old": _day_state(special_day)},
    )
    special_day.delete()
    _touch(holiday_year)
    _drop_cache()


__all__ = [
    "DayKind",
    "HolidayDataError",
    "LoadOutcome",
    "check_special_day_for",
    "holiday_year_delete",
    "holiday_year_load",
    "holiday_year_save",
    "special_day_delete",
    "special_day_save",
]
