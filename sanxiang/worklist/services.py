"""Writes of the worklist: the stored clocks, notifications created from them, and marked read.

Clocks (``Clock``, ``ClockAudience``) are derived from the matters by the apps' providers
(``sanxiang.core.due``): ``clocks_refresh`` recomputes the clocks of the matters a write changed, inside that
write's transaction; ``clocks_rebuild`` recomputes them all and repairs what differs. Notifications are
audited; a rebuild that repaired something is audited once.
"""

from __future__ import annotations

import datetime
import zlib
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from sanxiang import audit
from sanxiang.accounts.models import User, UserRole
from sanxiang.agencies.selectors import visible_agency_ids
from sanxiang.audit.services import NewEvent, record_many
from sanxiang.core import due
from sanxiang.core.due import EVERY_ROLE, DueItem
from sanxiang.worklist.models import Clock, ClockAudience, Notification

CHUNK = 2_000  # ids per IN list: well inside SQLite's limit on query parameters
# The namespace of the clock store's advisory locks on PostgreSQL, and how many locks its matters share.
LOCK_SPACE = 95_001
STRIPES = 256
# A repair of up to this many matters recomputes just them; more, and one pass over everything is cheaper.
RECOMPUTE_FEW = 500


def _chunks(values: Iterable[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for value in values:
        batch.append(value)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


# ----------------------------------------------------------------------------------------------------
# Stored clocks

# What a clock is, for comparing the stored row with a fresh computation: every column and the audience.
Content = tuple[Any, ...]


def _members(item: DueItem) -> list[due.Audience]:
    # A role is of the clock's agency: a clock of no agency reaches only the users it names.
    return [m for m in due.audience_of(item) if m.user_id is not None or item.agency_id is not None]


def _content(item: DueItem) -> Content:
    members = frozenset((m.user_id, m.role, m.told) for m in _members(item))
    return (
        item.matter,
        item.agency_id,
        item.due,
        item.title,
        dict(item.title_args),
        item.subject[:400],
        item.url,
        item.basis,
        item.provisional,
        item.missing_year,
        members,
    )


def _stored_content(clock: Clock, members: frozenset[tuple[int | None, str, bool]]) -> Content:
    return (
        clock.matter,
        clock.agency_id,
        clock.due,
        clock.title,
        clock.title_args,
        clock.subject,
        clock.url,
        clock.basis,
        clock.provisional,
        clock.missing_year,
        members,
    )


def _computed(matters: Collection[str] | None) -> dict[str, DueItem]:
    """Every provider's clocks of ``matters`` (None: all), by key; the first provider to name a key wins."""
    found: dict[str, DueItem] = {}
    for provider in due.providers():
        for item in provider(matters):
            # A provider answers only for what it was asked: a clock of another matter would be written
            # without that matter's other clocks, so it is left to that matter's own refresh.
            if matters is None or item.matter in matters:
                found.setdefault(item.key, item)
    return found


def _stored(matters: Collection[str] | None, keys: Collection[str] = ()) -> dict[str, tuple[int, Content]]:
    """The stored clocks of ``matters`` (None: all) and of ``keys``: by key, the row's id and its content."""
    if matters is None:
        rows = list(Clock.objects.all())
    else:
        # In chunks: a repair may name tens of thousands of matters, more than a query takes parameters.
        found: dict[int, Clock] = {}
        for batch in _chunks(sorted(matters)):
            found.update((clock.pk, clock) for clock in Clock.objects.filter(matter__in=batch))
        for batch in _chunks(sorted(keys)):
            found.update((clock.pk, clock) for clock in Clock.objects.filter(key__in=batch))
        rows = list(found.values())
    members: dict[int, set[tuple[int | None, str, bool]]] = defaultdict(set)
    audience = ClockAudience.objects.values_list("clock_id", "user_id", "role", "told")
    if matters is None:
        for clock_id, user_id, role, told in audience.iterator(chunk_size=CHUNK):
            members[clock_id].add((user_id, role, told))
    else:
        for ids in _chunks(row.pk for row in rows):
            for clock_id, user_id, role, told in audience.filter(clock_id__in=ids):
                members[clock_id].add((user_id, role, told))
    return {row.key: (row.pk, _stored_content(row, frozenset(members[row.pk]))) for row in rows}


def _stripe(matter: str) -> int:
    """The advisory lock that guards ``matter``: one of STRIPES, the same in every process."""
    return zlib.crc32(matter.encode()) % STRIPES


def _lock(matters: Collection[str], *, wait: bool) -> set[str]:
    """Serialise the refreshes of each matter on PostgreSQL; the matters now held by this transaction.

    Two transactions refreshing one matter would otherwise both write it, the later one perhaps from data read
    before the earlier committed. A writer waits for the lock (briefly: refreshes are short); a rebuild only
    tries, and leaves a matter another transaction holds to that transaction, which is refreshing it anyway.
    Matters share STRIPES locks, so that a rebuild of every matter holds a bounded number of them (one lock
    per matter would overflow the server's lock table); locks are taken in stripe order, so writers never
    wait on each other in a circle. On SQLite the database lets one writer in at a time.
    """
    if connection.vendor != "postgresql" or not matters:
        return set(matters)
    stripes = sorted({_stripe(matter) for matter in matters})
    with connection.cursor() as cursor:
        if wait:
            for stripe in stripes:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_SPACE, stripe])
            return set(matters)
        cursor.execute(
            "SELECT s FROM unnest(%s::int[]) AS s WHERE pg_try_advisory_xact_lock(%s, s)",
            [stripes, LOCK_SPACE],
        )
        held = {row[0] for row in cursor.fetchall()}
    return {matter for matter in matters if _stripe(matter) in held}


@dataclass(frozen=True)
class Changes:
    """What one write of the clock store did, in clocks."""

    created: int = 0
    deleted: int = 0
    matters: int = 0

    def __bool__(self) -> bool:
        return bool(self.created or self.deleted)


def _write(matters: Collection[str] | None, items: dict[str, DueItem]) -> Changes:
    """Make the stored clocks of ``matters`` (None: all) what ``items`` says; unchanged rows stay as they are.

    A clock that changed is replaced (its row and audience rows deleted and written again): it is derived
    data, never a record anybody signed.
    """
    stored = _stored(matters, items.keys())
    fresh = {key: _content(item) for key, item in items.items()}
    stale = [pk for key, (pk, content) in stored.items() if fresh.get(key) != content]
    new = [items[key] for key, content in fresh.items() if key not in stored or stored[key][1] != content]
    for ids in _chunks(stale):
        ClockAudience.objects.filter(clock_id__in=ids).delete()
        Clock.objects.filter(pk__in=ids).delete()
    now = timezone.now()
    for batch in _chunks(new):
        clocks = Clock.objects.bulk_create(
            [
                Clock(
                    key=item.key,
                    matter=item.matter,
                    agency_id=item.agency_id,
                    due=item.due,
                    title=item.title,
                    title_args=dict(item.title_args),
                    subject=item.subject[:400],
                    url=item.url,
                    basis=item.basis,
                    provisional=item.provisional,
                    missing_year=item.missing_year,
                    refreshed_at=now,
                )
                for item in batch
            ]
        )
        ClockAudience.objects.bulk_create(
            [
                ClockAudience(
                    clock=clock,
                    user_id=member.user_id,
                    role=member.role,
                    told=member.told,
                    agency_id=item.agency_id,
                    due=item.due,
                )
                for clock, item in zip(clocks, batch, strict=True)
                for member in _members(item)
            ],
            batch_size=CHUNK,
        )
    touched = {items[key].matter for key in fresh if key not in stored or stored[key][1] != fresh[key]}
    touched |= {content[0] for key, (_, content) in stored.items() if key not in fresh}
    return Changes(created=len(new), deleted=len(stale), matters=len(touched))


def clocks_refresh(matters: Collection[str] | None) -> Changes:
    """Recompute the clocks of ``matters`` (e.g. ``{"case:12"}``) in the caller's transaction.

    The writes that change a matter call this through ``sanxiang.core.due.clocks_changed``, as their last
    step. ``None`` means every matter: the holiday table changed (``clocks_rebuild``).
    """
    if matters is None:
        return clocks_rebuild()
    matters = frozenset(matters)
    if not matters:
        return Changes()
    with transaction.atomic(savepoint=False):
        _lock(matters, wait=True)
        return _write(matters, _computed(matters))


def clocks_rebuild() -> Changes:
    """Recompute every clock and repair the matters whose stored clocks differ; audited when it repaired any.

    The safety net under ``clocks_refresh``: a write that forgot to refresh its matter, or data changed
    outside the services, heals at the next rebuild. Matters another transaction is refreshing at this moment
    are left to it.
    """
    with transaction.atomic(savepoint=False):
        wanted = _computed(None)
        stored = _stored(None)
        differing = {
            item.matter
            for key, item in wanted.items()
            if key not in stored or stored[key][1] != _content(item)
        }
        differing |= {content[0] for key, (_, content) in stored.items() if key not in wanted}
        if not differing:
            return Changes()
        held = _lock(differing, wait=False)
        # Read again now that the matters are held: a write may have committed since the first reading.
        fresh = _computed(held if len(held) <= RECOMPUTE_FEW else None)
        changes = _write(held, {key: item for key, item in fresh.items() if item.matter in held})
        if changes:
            audit.record(
                audit.EventType.CLOCKS_REPAIRED,
                data={"matters": changes.matters, "created": changes.created, "deleted": changes.deleted},
            )
        return changes


# ----------------------------------------------------------------------------------------------------
# Notifications


@dataclass(frozen=True)
class CheckResult:
    """One run of ``check_deadlines``: clocks checked, notifications made, clocks overdue."""

    checked: int
    created: int
    overdue: int
    missing_years: tuple[int, ...] = ()


def staff_users() -> list[User]:
    """Active users who belong to an agency, with their roles loaded in one query."""
    users = list(User.objects.filter(is_active=True, agency__isnull=False).select_related("agency"))
    roles: dict[int, set[str]] = {user.pk: set() for user in users}
    for user_id, role in UserRole.objects.filter(user_id__in=roles).values_list("user_id", "role"):
        roles[user_id].add(role)
    for user in users:
        user._role_cache = frozenset(roles[user.pk])
    return users


class _Staff:
    """Who holds which role where, to turn a clock's audience rows into users (``due.reaches`` in bulk)."""

    def __init__(self, users: Iterable[User]) -> None:
        self.by_id: dict[int, User] = {}
        self.visible: dict[int, set[int]] = {}
        self.by_role: dict[tuple[int, str], list[User]] = defaultdict(list)
        self.seeing: dict[int, list[User]] = defaultdict(list)
        for user in users:
            if user.agency_id is None:
                continue
            self.by_id[user.pk] = user
            self.visible[user.pk] = agencies = visible_agency_ids(user)
            for role in user.role_set:
                self.by_role[(user.agency_id, role)].append(user)
            if user.role_set:
                for agency_id in agencies:
                    self.seeing[agency_id].append(user)

    def reached(self, user_id: int | None, role: str, agency_id: int | None) -> list[User]:
        if user_id is not None:
            user = self.by_id.get(user_id)
            if user is None or (agency_id is not None and agency_id not in self.visible[user.pk]):
                return []
            return [user]
        if agency_id is None:
            return []
        if role == EVERY_ROLE:
            return self.seeing.get(agency_id, [])
        return self.by_role.get((agency_id, role), [])


def _body(clock: Clock) -> str:
    return gettext("%(subject)s：%(title)s，期限届满日 %(due)s（%(basis)s）") % {
        "subject": clock.subject,
        "title": due.translated(clock.title, clock.title_args),
        "due": clock.due.isoformat(),
        "basis": due.translated(clock.basis),
    }


def notifications_create_due(
    *, today: datetime.date, days_before: int, users: Iterable[User] | None = None
) -> CheckResult:
    """Tell each user, once per clock, of every stored clock of theirs overdue or due within ``days_before``.

    Read from the stored clocks (``check_deadlines`` rebuilds them first): the named users, and the holders of
    a role the clock is told to, who can see its agency. Safe to run again and concurrently: the (user, key)
    constraint keeps a notification from being made twice.
    """
    if days_before < 0:
        raise ValidationError(gettext("提前提醒天数不能为负数。"))
    horizon = today + datetime.timedelta(days=days_before)
    staff = _Staff(staff_users() if users is None else users)
    wanted: dict[tuple[int, int], User] = {}  # (user, clock) -> user
    near = ClockAudience.objects.filter(told=True, due__lte=horizon).values_list(
        "clock_id", "user_id", "role", "agency_id"
    )
    for clock_id, user_id, role, agency_id in near.iterator(chunk_size=CHUNK):
        for user in staff.reached(user_id, role, agency_id):
            wanted.setdefault((user.pk, clock_id), user)
    created = 0
    for attempt in range(2):
        try:
            created = _create(wanted)
            break
        except IntegrityError:
            # Another run made some of them between our read and our insert; the second pass skips those.
            if attempt:
                raise
    missing = Clock.objects.filter(missing_year__isnull=False).values_list("missing_year", flat=True)
    return CheckResult(
        checked=Clock.objects.count(),
        created=created,
        overdue=Clock.objects.filter(due__lt=today).count(),
        missing_years=tuple(sorted({year for year in missing if year is not None})),
    )


@transaction.atomic
def _create(wanted: dict[tuple[int, int], User]) -> int:
    if not wanted:
        return 0
    clocks: dict[int, Clock] = {}
    for ids in _chunks({clock_id for _, clock_id in wanted}):
        clocks.update((clock.pk, clock) for clock in Clock.objects.filter(pk__in=ids))
    existing: set[tuple[int, str]] = set()
    for keys in _chunks({clock.key for clock in clocks.values()}):
        existing.update(
            Notification.objects.filter(key__in=keys, user_id__in={pk for pk, _ in wanted}).values_list(
                "user_id", "key"
            )
        )
    now = timezone.now()
    new: list[Notification] = []
    agency_of: dict[tuple[int, str], int | None] = {}
    for (user_id, clock_id), user in wanted.items():
        clock = clocks.get(clock_id)
        if clock is None or (user_id, clock.key) in existing:
            continue  # replaced since the audience was read, or told before
        existing.add((user_id, clock.key))
        agency_of[(user_id, clock.key)] = clock.agency_id or user.agency_id
        new.append(
            Notification(
                user=user,
                key=clock.key,
                title=due.translated(clock.title, clock.title_args)[:200],
                body=_body(clock),
                url=clock.url,
                due=clock.due,
                created_at=now,
            )
        )
    if not new:
        return 0
    created = Notification.objects.bulk_create(new, batch_size=CHUNK)
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
