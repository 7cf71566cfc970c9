"""Reads for the "my work" page and the notification bell, always scoped to the user asking.

"My work" reads the stored clocks (``Clock``, ``ClockAudience``, kept by ``services.clocks_refresh``): those
that name the user, those of a role the user holds in the user's own agency, and those for every role of
an agency the user sees — the rule ``sanxiang.core.due.reaches`` states, here as one query over two indexes.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, overload

from django.db import connection
from django.db.models import QuerySet

from sanxiang.agencies.selectors import visible_agency_ids
from sanxiang.core import due
from sanxiang.core.due import EVERY_ROLE
from sanxiang.worklist.models import Clock, ClockAudience, Notification

SOON_DAYS = 3  # the page marks a clock yellow when this many days or fewer are left
WEEK_DAYS = 7


class Show(enum.StrEnum):
    """The filters of the "my work" page."""

    OVERDUE = "overdue"
    WEEK = "week"
    ALL = "all"


@dataclass(frozen=True)
class WorkItem:
    """One stored clock as "my work" shows it, its texts in the active language."""

    key: str
    title: str
    subject: str
    due: datetime.date
    url: str
    basis: str
    provisional: bool = False

    @classmethod
    def of(cls, clock: Clock) -> WorkItem:
        return cls(
            key=clock.key,
            title=due.translated(clock.title, clock.title_args),
            subject=clock.subject,
            due=clock.due,
            url=clock.url,
            basis=due.translated(clock.basis),
            provisional=clock.provisional,
        )

    def days_left(self, today: datetime.date) -> int:
        return (self.due - today).days

    def is_overdue(self, today: datetime.date) -> bool:
        return today > self.due


@dataclass
class Work:
    """Clocks of one user, overdue first; ``missing_years`` names holiday tables some clocks still lack."""

    items: list[WorkItem]
    missing_years: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Counts:
    """How many of the user's clocks each filter shows."""

    overdue: int = 0
    week: int = 0
    all: int = 0

    def of(self, show: Show) -> int:
        return {Show.OVERDUE: self.overdue, Show.WEEK: self.week, Show.ALL: self.all}[show]


def _upto(show: Show, today: datetime.date) -> datetime.date | None:
    """The last due date the filter shows: overdue is due before today; the week, within seven days."""
    if show is Show.OVERDUE:
        return today - datetime.timedelta(days=1)
    if show is Show.WEEK:
        return today + datetime.timedelta(days=WEEK_DAYS)
    return None


def _staff(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.agency_id is not None)


def _mine(user: Any, *, upto: datetime.date | None, limit: int | None) -> tuple[str, list[Any]]:
    """SQL selecting ``(clock_id, due)`` of the user's clocks, each once, and its parameters.

    One branch per way a clock reaches a user (named; a role of the user's agency; every role of an agency
    the user sees), each an index range in due order that stops after ``limit`` rows; UNION drops the
    repeats of a clock that reaches the user twice. Built as SQL because the ORM does not put a LIMIT inside
    a UNION on SQLite; every value is a parameter.
    """
    table = connection.ops.quote_name(ClockAudience._meta.db_table)
    agencies = sorted(visible_agency_ids(user))
    branches: list[str] = []
    params: list[Any] = []

    def branch(where: str, values: list[Any]) -> None:
        sql = f"SELECT clock_id, due FROM {table} WHERE {where}"  # noqa: S608 (names from the model)
        if upto is not None:
            sql += " AND due <= %s"
            values.append(upto)
        if limit is not None:
            sql += " ORDER BY due, clock_id LIMIT %s"
            values.append(limit)
        branches.append(f"SELECT clock_id, due FROM ({sql}) b{len(branches)}")  # noqa: S608
        params.extend(values)

    listed = ", ".join(["%s"] * len(agencies))
    branch(f"user_id = %s AND (agency_id IS NULL OR agency_id IN ({listed}))", [user.pk, *agencies])
    roles = sorted(user.role_set)
    for role in roles:
        branch("user_id IS NULL AND agency_id = %s AND role = %s", [user.agency_id, role])
    if roles:
        for agency_id in agencies:
            branch("user_id IS NULL AND agency_id = %s AND role = %s", [agency_id, EVERY_ROLE])
    return " UNION ".join(branches), params


def work_counts(user: Any, *, today: datetime.date) -> Counts:
    """The user's clocks overdue, due within seven days and in all: one query."""
    if not _staff(user):
        return Counts()
    mine, params = _mine(user, upto=None, limit=None)
    sql = (
        "SELECT COUNT(*), SUM(CASE WHEN due < %s THEN 1 ELSE 0 END), "  # noqa: S608 (values are parameters)
        f"SUM(CASE WHEN due <= %s THEN 1 ELSE 0 END) FROM ({mine}) mine"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [today, _upto(Show.WEEK, today), *params])
        total, overdue, week = cursor.fetchone()
    return Counts(overdue=overdue or 0, week=week or 0, all=total or 0)


def _read(user: Any, *, today: datetime.date, show: Show, offset: int, limit: int | None) -> list[WorkItem]:
    if not _staff(user):
        return []
    upto = _upto(show, today)
    mine, params = _mine(user, upto=upto, limit=None if limit is None else offset + limit)
    clock = connection.ops.quote_name(Clock._meta.db_table)
    sql = (
        f"SELECT c.* FROM {clock} c INNER JOIN ({mine}) mine ON mine.clock_id = c.id "  # noqa: S608
        "ORDER BY mine.due, c.id"
    )
    if limit is not None:
        sql += " LIMIT %s OFFSET %s"
        params += [limit, offset]
    return [WorkItem.of(clock) for clock in Clock.objects.raw(sql, params)]


class WorkList:
    """The user's clocks under one filter, overdue first then by due date, read a page at a time.

    Shaped for Django's Paginator: ``count()`` comes from :func:`work_counts`, a slice is one query.
    """

    def __init__(self, user: Any, *, today: datetime.date, show: Show, count: int) -> None:
        self.user = user
        self.today = today
        self.show = show
        self._count = count

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[WorkItem]:
        return iter(self[0 : self._count])

    @overload
    def __getitem__(self, index: int) -> WorkItem: ...

    @overload
    def __getitem__(self, index: slice) -> list[WorkItem]: ...

    def __getitem__(self, index: int | slice) -> WorkItem | list[WorkItem]:
        if isinstance(index, int):
            found = self[index : index + 1]
            if not found:
                raise IndexError(index)
            return found[0]
        if index.step not in (None, 1) or (index.start or 0) < 0 or (index.stop or 0) < 0:
            raise ValueError("WorkList reads forward slices only")
        start = index.start or 0
        stop = self._count if index.stop is None else min(index.stop, self._count)
        if stop <= start:
            return []
        return _read(self.user, today=self.today, show=self.show, offset=start, limit=stop - start)


def missing_years_for(user: Any) -> list[int]:
    """Years whose holiday table a clock of an agency the user sees lacks (its date is provisional)."""
    if not _staff(user):
        return []
    years = Clock.objects.filter(missing_year__isnull=False, agency_id__in=visible_agency_ids(user))
    return sorted({year for year in years.values_list("missing_year", flat=True) if year is not None})


def due_items_for(user: Any, *, today: datetime.date, show: Show | str = Show.ALL) -> Work:
    """Every stored clock the user works on under the filter ``show``, overdue first, then by due date."""
    if not _staff(user):
        return Work(items=[])
    items = _read(user, today=today, show=Show(show), offset=0, limit=None)
    return Work(items=items, missing_years=missing_years_for(user))


def urgency(item: WorkItem | due.DueItem, today: datetime.date) -> str:
    """``overdue`` (red), ``soon`` (yellow, three days or fewer) or ``""``."""
    if item.is_overdue(today):
        return "overdue"
    if item.days_left(today) <= SOON_DAYS:
        return "soon"
    return ""


def notification_list_for(user: Any) -> QuerySet[Notification]:
    """The user's own notifications, unread first. Nobody reads another user's notifications."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(user=user).order_by("read_at", "due", "-created_at")


def notification_get_for(user: Any, pk: int) -> Notification:
    return notification_list_for(user).get(pk=pk)


def unread_notification_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
