"""Clocks as "my work" and the reminders see them: every app that runs legal clocks reports them as DueItems.

An app offers its clocks by naming a provider on its AppConfig::

    class CasesConfig(AppConfig):
        due_items_provider = "sanxiang.cases.selectors.clocks_of"

A provider takes ``matters`` — keys such as ``"case:12"`` or ``"inspection:7"``, or ``None`` for every
matter — and returns the DueItems of those it knows of, whoever works on them: each item names its audience
(who sees it, who is told). Several providers may answer for one matter (cases and payments both for
``"case:12"``).

The clocks are stored by the app that declares ``due_store`` (the worklist), so that "my work" is one indexed
query instead of every provider's work on every request. Every write that can change a matter's clocks says so
inside its own transaction, and the store recomputes that matter's clocks there and then::

    due.clocks_changed(f"case:{case.pk}")

A change of the holiday table moves dates everywhere: ``due.all_clocks_changed()`` recomputes them all.

Texts are stored untranslated: ``title`` and ``basis`` are msgids (marked with ``gettext_noop``) and are
translated when shown, so a reader of the English interface never gets a stored Chinese sentence.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.utils.module_loading import import_string
from django.utils.translation import gettext

# In ``DueItem.roles``: every staff member who can see the item's agency — any role of that agency, and the
# supervisors of the agencies above it (who see the agencies below, ``visible_agency_ids``).
EVERY_ROLE = "*"


@dataclass(frozen=True)
class DueItem:
    """One running clock of one matter, e.g. the 90 days from filing to decision of one case."""

    key: str  # stable and unique per clock and matter, e.g. "case:12:decision_due"
    title: str  # msgid: what must be done, e.g. "作出处罚决定"; may hold %(name)s filled from ``title_args``
    subject: str  # the matter as its records name it (number, title, party): data, shown as it is
    due: datetime.date
    url: str
    basis: str  # msgid: the article that sets the clock, e.g. "行政处罚法第六十条"
    agency_id: int | None = None
    # Named people (the handling officers, the one who acted): they see the clock and are told when it is due.
    user_ids: tuple[int, ...] = ()
    # Roles of the item's agency who see it too (an approver's queue), or EVERY_ROLE.
    roles: tuple[str, ...] = ()
    tell_roles: bool = True  # whether the holders of ``roles`` are told as well, or only see it on their list
    title_args: Mapping[str, str | int] = field(default_factory=dict, hash=False)
    # The holiday table of ``missing_year`` is not loaded: ``due`` is the nominal day, not yet final (Art.85).
    provisional: bool = False
    missing_year: int | None = None
    # Whose change changes this clock, e.g. "case:12"; by default the key's first two parts.
    matter: str = ""

    def __post_init__(self) -> None:
        if not self.matter:
            object.__setattr__(self, "matter", ":".join(self.key.split(":")[:2]))

    def days_left(self, today: datetime.date) -> int:
        return (self.due - today).days

    def is_overdue(self, today: datetime.date) -> bool:
        return today > self.due

    def title_text(self) -> str:
        """The title in the active language."""
        return translated(self.title, self.title_args)

    def basis_text(self) -> str:
        return gettext(self.basis) if self.basis else ""


def translated(msgid: str, args: Mapping[str, Any] | None = None) -> str:
    """``msgid`` in the active language, its %(name)s filled from ``args``."""
    if not msgid:
        return ""
    text = gettext(msgid)
    return text % dict(args) if args else text


@dataclass(frozen=True)
class Audience:
    """One entry of a clock's audience: a named user, or a role of the clock's agency (or EVERY_ROLE)."""

    user_id: int | None = None
    role: str = ""
    told: bool = True


def audience_of(item: DueItem) -> tuple[Audience, ...]:
    """Who sees ``item``, one entry per named user and per role, without repeats."""
    named = [Audience(user_id=pk) for pk in dict.fromkeys(item.user_ids)]
    roles = [Audience(role=role, told=item.tell_roles) for role in dict.fromkeys(item.roles)]
    return (*named, *roles)


def reaches(member: Audience, user: Any, *, clock_agency_id: int | None, agency_ids: Collection[int]) -> bool:
    """Whether ``member`` takes in ``user``, who sees the agencies ``agency_ids`` (``visible_agency_ids``).

    The rule the worklist's query applies to stored clocks: nothing of an agency the user cannot see; a named
    user; a role the user holds in the clock's own agency; or, for EVERY_ROLE, any role at all.
    """
    if clock_agency_id is not None and clock_agency_id not in agency_ids:
        return False
    if member.user_id is not None:
        return bool(member.user_id == user.pk)
    roles = user.role_set
    if member.role == EVERY_ROLE:
        return bool(roles)
    return clock_agency_id == user.agency_id and member.role in roles


def shown_to(item: DueItem, user: Any, *, agency_ids: Collection[int]) -> bool:
    """Whether ``user`` finds ``item`` on "my work"."""
    return any(
        reaches(r, user, clock_agency_id=item.agency_id, agency_ids=agency_ids) for r in audience_of(item)
    )


def told(item: DueItem, user: Any, *, agency_ids: Collection[int]) -> bool:
    """Whether ``user`` is told of ``item`` when it comes due (a notification)."""
    return any(
        r.told and reaches(r, user, clock_agency_id=item.agency_id, agency_ids=agency_ids)
        for r in audience_of(item)
    )


def matter_ids(matters: Iterable[str] | None, kind: str) -> set[int] | None:
    """The ids of the ``kind`` matters among ``matters`` ("case:12" → 12); None when ``matters`` is None."""
    if matters is None:
        return None
    ids: set[int] = set()
    for matter in matters:
        prefix, _, rest = matter.partition(":")
        if prefix == kind and rest.isdigit():
            ids.add(int(rest))
    return ids


Provider = Callable[[Iterable[str] | None], Iterable[DueItem]]
Store = Callable[[Collection[str] | None], Any]


def providers() -> list[Provider]:
    """The clock providers of every installed app that declares one."""
    found: list[Provider] = []
    for config in apps.get_app_configs():
        path: Any = getattr(config, "due_items_provider", None)
        if path:
            found.append(import_string(path))
    return found


def _store() -> Store | None:
    for config in apps.get_app_configs():
        path: Any = getattr(config, "due_store", None)
        if path:
            store: Store = import_string(path)
            return store
    return None


def clocks_changed(*matters: str) -> None:
    """The clocks of ``matters`` may have changed: the store recomputes them, in the caller's transaction."""
    store = _store()
    if store is not None and matters:
        store(frozenset(matters))


def all_clocks_changed() -> None:
    """Every clock may have changed (the holiday table did): have the store recompute them all."""
    store = _store()
    if store is not None:
        store(None)
