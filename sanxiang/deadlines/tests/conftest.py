from __future__ import annotations

from collections.abc import Iterator

import pytest

from sanxiang.deadlines import calendar, holiday_data, services


@pytest.fixture(autouse=True)
def fresh_calendar_cache() -> Iterator[None]:
    # Each test's transaction is rolled back, which no service sees: drop the process cache around every test.
    calendar.invalidate()
    yield
    calendar.invalidate()


@pytest.fixture
def holidays(db: None) -> None:
    """The shipped 2025 and 2026 arrangements, loaded through the service."""
    for path in holiday_data.shipped_files():
        services.holiday_year_load(data=holiday_data.read_file(path))
