"""Writes of the worklist: notifications created from running clocks, and marked read. Each is audited."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from sanxiang import audit
from sanxiang.accounts.models import User, UserRole
from sanxiang.agencies.selectors import visible_agency_ids
from sanxiang.audit.services import NewEvent, record_many
from sanxiang.core import due
from sanxiang.core.due import DueItem
from sanxiang.deadlines.calendar import CalendarMissing
from sanxiang.worklist.models import Notification
from sanxiang.worklist.selectors import visible_only


@dataclass(frozen=True)
class CheckResult:
    """One run of ``check_deadlines``: distinct clocks checked, notifications made, clocks overdue."""

    checked: int
    created: int
    overdue: int
    missing_years: tuple[int, ...] = ()


def staff_users() -> list[User]:
    """Active users who belong to an agency, with their roles loaded in one query for the providers."""
    users = list(User.objects.filter(is_active=True, agency__isnull=False).select_related("agency"))
    roles: dict[int, set[str]] = {user.pk: set() for user in users}
    for user_id, role in UserRole.objects.filter(user_id__in=roles).values_list("user_id", "role"):
        roles[user_id].add(role)
    for user in users:
        user._role_cache = frozenset(roles[user.pk])
    return users


def _concerns(item: DueItem, user: User) -> bool:
    # A provider names who should be told (``user_ids``); if it names nobody, all it showed the clock to.
    return not item.user_ids or user.pk in item.user_ids


def _body(item: DueItem) -> str:
    return gettext("%(subject)s：%(title)s，期限届满日 %(due)s（%(basis)s）") % {
        "subject": item.subject,
        "title": item.title,
        "due": item.due.isoformat(),
        "basis": item.basis,
    }


def notifications_create_due(
    *, today: datetime.date, days_before: int, users: Iterable[User] | None = None
) -> CheckResult:
    """Tell each user, once per clock, of every clock of theirs that is overdue or due within ``days_before``.

    Each provider is asked per user, so a user is told only of what that user may see. Safe to run again and
    concurrently: the (user, key) constraint keeps a notification from being made twice.
    """
    if days_before < 0:
        raise ValidationError(gettext("提前提醒天数不能为负数。"))
    wanted: dict[tuple[int, str], tuple[User, DueItem]] = {}
    checked: set[str] = set()
    overdue: set[str] = set()
    missing: set[int] = set()
    providers = due.providers()
    for user in staff_users() if users is None else users:
        agency_ids = visible_agency_ids(user)
        for provider in providers:
            try:
                items = list(provider(user, today=today))
            except CalendarMissing as error:
                missing.add(error.year)
                continue
            for item in visible_only(items, agency_ids):
                checked.add(item.key)
                if item.is_overdue(today):
                    overdue.add(item.key)
                if item.days_left(today) <= days_before and _concerns(item, user):
                    wanted.setdefault((user.pk, item.key), (user, item))
    created = 0
    for attempt in range(2):
        try:
            created = _create(wanted)
            break
        except IntegrityError:
            # Another run made some of them between our read and our insert; the second pass skips those.
            if attempt:
                raise
    return CheckResult(len(checked), created, len(overdue), tuple(sorted(missing)))


@transaction.atomic
def _create(wanted: dict[tuple[int, str], tuple[User, DueItem]]) -> int:
    if not wanted:
        return 0
    keys = {key for _, key in wanted}
    existing = set(
        Notification.objects.filter(user_id__in={pk for pk, _ in wanted}, key__in=keys).values_list(
            "user_id", "key"
        )
    )
    now = timezone.now()
    new = [
        Notification(
            user=user,
            key=item.key,
            title=item.title,
            body=_body(item),
            url=item.url,
            due=item.due,
            created_at=now,
        )
        for pair, (user, item) in wanted.items()
        if pair not in existing
    ]
    if not new:
        return 0
    created = Notification.objects.bulk_create(new)
    agency_of = {(user.pk, item.key): item.agency_id or user.agency_id for user, item in wanted.values()}
    record_many(
        NewEvent(
            audit.EventType.NOTIFICATION_CREATED,
            actor=None,
            subject=notification,
            agency=agency_of[(notification.user_id, notification.key)],
            data={"key": notification.key, "user": notification.user_id, "due": notification.due.isoformat()},
        )
        for notification in created
    )
    return len(created)


@transaction.atomic
def notification_mark_read(*, actor: User, notification: Notification) -> Notification:
    """Mark the actor's own notification read; marking it again changes nothing."""
    notification = Notification.objects.select_for_update().get(pk=notification.pk)
    if notification.user_id != actor.pk:
        raise ValidationError(gettext("只能标记本人的提醒。"))
    if notification.read_at is not None:
        return notification
    notification.read_at = timezone.now()
    notification.save(update_fields=["read_at"])
    audit.record(
        audit.EventType.NOTIFICATION_READ,
        actor=actor,
        subject=notification,
        agency=actor.agency_id,
        data={"key": notification.key},
    )
    return notification
