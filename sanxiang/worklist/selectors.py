"""Reads for the "my work" page and the notification bell, always scoped to the user asking."""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from sanxiang.agencies.selectors import visible_agency_ids
from sanxiang.core import due
from sanxiang.core.due import DueItem
from sanxiang.deadlines.calendar import CalendarMissing
from sanxiang.worklist.models import Notification

SOON_DAYS = 3  # the page marks a clock yellow when this many days or fewer are left
WEEK_DAYS = 7


class Show(enum.StrEnum):
    """The filters of the "my work" page."""

    OVERDUE = "overdue"
    WEEK = "week"
    ALL = "all"


@dataclass
class Work:
    """The clocks of one user, sorted; ``missing_years`` names holiday tables a provider needed and lacked."""

    items: list[DueItem]
    missing_years: list[int] = field(default_factory=list)


def sort_key(item: DueItem, today: datetime.date) -> tuple[bool, datetime.date, str]:
    """Overdue first, then the nearest due date; the key keeps the order stable."""
    return (not item.is_overdue(today), item.due, item.key)


def visible_only(items: Iterable[DueItem], agency_ids: set[int]) -> Iterable[DueItem]:
    # The providers scope by user already; an item of an agency the user cannot see is dropped all the same,
    # so a provider's mistake does not leak another agency's matter onto this page.
    return (item for item in items if item.agency_id is None or item.agency_id in agency_ids)


def due_items_for(user: Any, *, today: datetime.date, show: Show | str = Show.ALL) -> Work:
    """Every running clock of the matters ``user`` works on, from every app that offers clocks."""
    if not getattr(user, "is_authenticated", False):
        return Work(items=[])
    show = Show(show)
    agency_ids = visible_agency_ids(user)
    found: dict[str, DueItem] = {}
    missing: set[int] = set()
    for provider in due.providers():
        try:
            provided = list(provider(user, today=today))
        except CalendarMissing as error:
            missing.add(error.year)
            continue
        for item in visible_only(provided, agency_ids):
            found.setdefault(item.key, item)
    items = [item for item in found.values() if _shown(item, today, show)]
    items.sort(key=lambda item: sort_key(item, today))
    return Work(items=items, missing_years=sorted(missing))


def _shown(item: DueItem, today: datetime.date, show: Show) -> bool:
    if show is Show.OVERDUE:
        return item.is_overdue(today)
    if show is Show.WEEK:
        return item.days_left(today) <= WEEK_DAYS
    return True


def urgency(item: DueItem, today: datetime.date) -> str:
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
