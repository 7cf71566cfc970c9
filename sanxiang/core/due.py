"""What a clock looks like to the "my work" page: every app that runs legal clocks reports them as DueItems.

An app offers its clocks by naming a selector on its AppConfig::

    class CasesConfig(AppConfig):
        due_items_provider = "sanxiang.cases.selectors.due_items_for"

The selector takes ``(user, *, today)`` and returns the DueItems of the matters that user works on. The
worklist app collects them from every installed app for the page, and ``check_deadlines`` turns them into
notifications, once per ``key``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class DueItem:
    """One running clock of one matter, e.g. the 90 days from filing to decision of one case."""

    key: str  # stable and unique per clock and matter, e.g. "case:12:decision_due"
    title: str  # in Chinese: what must be done, e.g. "作出处罚决定"
    subject: str  # in Chinese: the matter, e.g. "（舒）应急立〔2026〕3号 某某公司未按规定…案"
    due: datetime.date
    url: str
    basis: str  # the article that sets the clock, e.g. "行政处罚法第六十条"
    agency_id: int | None = None
    user_ids: tuple[int, ...] = ()  # who should be told when it comes due

    def days_left(self, today: datetime.date) -> int:
        return (self.due - today).days

    def is_overdue(self, today: datetime.date) -> bool:
        return today > self.due


Provider = Callable[..., Iterable[DueItem]]


def providers() -> list[Provider]:
    """The due-item selectors of every installed app that declares one."""
    found: list[Provider] = []
    for config in apps.get_app_configs():
        path: Any = getattr(config, "due_items_provider", None)
        if path:
            found.append(import_string(path))
    return found
