from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

import pytest

from sanxiang.cases import workflow
from sanxiang.cases.tests.factories import World, make_world
from sanxiang.deadlines import holiday_data, services

TODAY = datetime.date(2026, 3, 2)  # a Monday, a working day


@pytest.fixture
def holidays(db: None) -> None:
    """The shipped 2025 and 2026 arrangements, loaded through the service."""
    for path in holiday_data.shipped_files():
        services.holiday_year_load(data=holiday_data.read_file(path))


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Pin the app's today to TODAY; ``today.set(date)`` moves it."""

    class Clock:
        value = TODAY

        def set(self, day: datetime.date) -> None:
            self.value = day

    clock = Clock()
    monkeypatch.setattr(workflow, "today", lambda: clock.value)
    return clock


@pytest.fixture(autouse=True)
def _own_guards_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Guards registered by other apps (payments, …) are theirs to test; these tests see only the table's."""
    monkeypatch.setattr(workflow, "_REGISTERED", defaultdict(list))


@pytest.fixture
def world(personas: Any, holidays: None, today: Any) -> World:
    return make_world(personas)
