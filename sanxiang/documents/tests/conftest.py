from __future__ import annotations

import datetime
from typing import Any

import pytest

from sanxiang.cases import workflow
from sanxiang.cases.tests.factories import World, make_world
from sanxiang.deadlines import holiday_data, services

TODAY = datetime.date(2026, 3, 2)  # a Monday, a working day


@pytest.fixture
def holidays(db: None) -> None:
    for path in holiday_data.shipped_files():
        services.holiday_year_load(data=holiday_data.read_file(path))


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Pin the cases' (and so the documents') today to TODAY; ``today.set(date)`` moves it."""

    class Clock:
        value = TODAY

        def set(self, day: datetime.date) -> None:
            self.value = day

    clock = Clock()
    monkeypatch.setattr(workflow, "today", lambda: clock.value)
    return clock


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    """Stored PDFs and signature images go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(personas: Any, holidays: None, today: Any) -> World:
    return make_world(personas)


@pytest.fixture(autouse=True)
def _documents_gate(monkeypatch: pytest.MonkeyPatch) -> None:
    """The gate as the running system has it (registered by the app), on a copy the test may not leak."""
    from collections import defaultdict

    from sanxiang.documents import gate

    # The review app's guards (the round a review step carries, the Art.58 gate) are tested in that app: here
    # the review steps are walked through the table, as the cases tests do.
    registered = defaultdict(
        list,
        {
            k: [g for g in v if not g.__module__.startswith("sanxiang.review")]
            for k, v in workflow._REGISTERED.items()
        },
    )
    monkeypatch.setattr(workflow, "_REGISTERED", registered)
    gate.register()
