from __future__ import annotations

import datetime
from collections.abc import Iterable

import pytest

from sanxiang.accounts.models import Role
from sanxiang.core import due
from sanxiang.core.due import DueItem
from sanxiang.deadlines import holiday_data, services
from sanxiang.worklist import services as worklist_services

TODAY = datetime.date(2026, 3, 10)
# The roles of agency A's and B's staff among the personas: Alice and Charlie officers, Bob a legal reviewer.
STAFF = (str(Role.OFFICER), str(Role.LEGAL_REVIEWER))


@pytest.fixture
def holidays(db: None) -> None:
    """The shipped 2025 and 2026 arrangements, loaded through the service."""
    for path in holiday_data.shipped_files():
        services.holiday_year_load(data=holiday_data.read_file(path))


def clock(
    key: str,
    days_left: int,
    *,
    agency_id: int | None,
    user_ids: tuple[int, ...] = (),
    roles: tuple[str, ...] = STAFF,
    tell_roles: bool = True,
    **extra: object,
) -> DueItem:
    """A clock of the staff of ``agency_id`` (all of them told, unless it says otherwise)."""
    return DueItem(
        key=key,
        title=f"事项 {key}",
        subject=f"案件 {key}",
        due=TODAY + datetime.timedelta(days=days_left),
        url=f"/cases/{key}/",
        basis="行政处罚法第六十条",
        agency_id=agency_id,
        user_ids=user_ids,
        roles=roles,
        tell_roles=tell_roles,
        **extra,  # type: ignore[arg-type]
    )


@pytest.fixture
def clocks(personas, monkeypatch) -> list[DueItem]:
    """Agency A's clocks and one of agency B, stored."""
    a, b = personas.agency_a.pk, personas.agency_b.pk
    items = [
        clock("case:1:decision_due", 20, agency_id=a),
        clock("case:2:delivery_due", 2, agency_id=a),
        clock("case:3:payment_due", -4, agency_id=a),
        clock("case:4:hearing_request_due", 6, agency_id=a),
        clock("case:5:decision_due", 0, agency_id=a),
        clock("case:9:decision_due", 1, agency_id=b),
    ]
    install(monkeypatch, items)
    return items


def install(monkeypatch: pytest.MonkeyPatch, *offered: Iterable[DueItem]) -> None:
    """Offer each list of ``offered`` through a provider of its own in place of the apps', and store them."""

    def provider_of(items: Iterable[DueItem]) -> due.Provider:
        items = list(items)
        return lambda matters: [i for i in items if matters is None or i.matter in matters]

    providers = [provider_of(items) for items in offered]
    monkeypatch.setattr(due, "providers", lambda: providers)
    worklist_services.clocks_rebuild()
