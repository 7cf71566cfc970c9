from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

import pytest

from sanxiang.core import due
from sanxiang.core.due import DueItem
from sanxiang.deadlines import holiday_data, services

TODAY = datetime.date(2026, 3, 10)


@pytest.fixture
def holidays(db: None) -> None:
    """The shipped 2025 and 2026 arrangements, loaded through the service."""
    for path in holiday_data.shipped_files():
        services.holiday_year_load(data=holiday_data.read_file(path))


def clock(key: str, days_left: int, *, agency_id: int | None, user_ids: tuple[int, ...] = ()) -> DueItem:
    return DueItem(
        key=key,
        title=f"事项 {key}",
        subject=f"案件 {key}",
        due=TODAY + datetime.timedelta(days=days_left),
        url=f"/cases/{key}/",
        basis="行政处罚法第六十条",
        agency_id=agency_id,
        user_ids=user_ids,
    )


@pytest.fixture
def clocks(personas, monkeypatch) -> list[DueItem]:
    """Agency A's clocks and one of agency B, offered by a provider that scopes by the user's agency."""
    a, b = personas.agency_a.pk, personas.agency_b.pk
    items = [
        clock("case:1:decision_due", 20, agency_id=a),
        clock("case:2:delivery_due", 2, agency_id=a),
        clock("case:3:payment_due", -4, agency_id=a),
        clock("case:4:hearing_request_due", 6, agency_id=a),
        clock("case:5:decision_due", 0, agency_id=a),
        clock("case:9:decision_due", 1, agency_id=b),
    ]
    install(monkeypatch, lambda user, *, today: [i for i in items if i.agency_id == user.agency_id])
    return items


def install(monkeypatch: pytest.MonkeyPatch, *providers: Callable[..., Iterable[DueItem]]) -> None:
    monkeypatch.setattr(due, "providers", lambda: list(providers))
