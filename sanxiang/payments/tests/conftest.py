from __future__ import annotations

import pytest

from sanxiang.deadlines import holiday_data, services


@pytest.fixture
def holidays(db: None) -> None:
    """The shipped 2025 and 2026 arrangements, loaded through the service."""
    for path in holiday_data.shipped_files():
        services.holiday_year_load(data=holiday_data.read_file(path))
