"""Publication clocks across the 2026 holidays (domain.md §9.5 vectors; start day not counted)."""

from __future__ import annotations

import datetime

import pytest

from sanxiang.deadlines import holiday_data
from sanxiang.deadlines import services as deadline_services
from sanxiang.deadlines.calendar import CalendarMissing
from sanxiang.deadlines.clocks import withdrawal_due
from sanxiang.disclosure.models import PublicationKind
from sanxiang.disclosure.services import publication_due

D = datetime.date


@pytest.fixture(autouse=True)
def holidays(db: None) -> None:
    for path in holiday_data.shipped_files():
        deadline_services.holiday_year_load(data=holiday_data.read_file(path))


@pytest.mark.parametrize(
    ("kind", "decided_on", "due"),
    [
        # 7 working days: penalties and permits (行政处罚法第四十八条, 安全生产法第七十八条)
        (PublicationKind.PENALTY, D(2026, 2, 12), D(2026, 2, 28)),  # across 春节, ends on a 调休 Saturday
        (PublicationKind.PENALTY, D(2026, 9, 30), D(2026, 10, 15)),  # across 国庆
        (PublicationKind.PERMIT, D(2026, 4, 30), D(2026, 5, 13)),  # across 劳动节, 9 May worked
        (PublicationKind.PENALTY, D(2025, 12, 31), D(2026, 1, 12)),  # across 元旦, 4 January worked
        # 20 working days: other decisions and inspection results (国办发〔2018〕118号)
        (PublicationKind.INSPECTION, D(2026, 9, 18), D(2026, 10, 22)),
        (PublicationKind.NO_PENALTY, D(2026, 1, 30), D(2026, 3, 5)),
        (PublicationKind.COERCION, D(2026, 6, 12), D(2026, 7, 13)),  # across 端午
    ],
)
def test_a_decision_is_published_within_its_working_days(kind, decided_on, due):
    assert publication_due(kind, decided_on) == due


@pytest.mark.parametrize(
    ("revoked_on", "due"),
    [
        (D(2026, 2, 13), D(2026, 2, 25)),  # 14 February (Saturday) is worked, then 春节
        (D(2025, 12, 31), D(2026, 1, 6)),  # 1–3 January off, 4 January worked
        (D(2026, 4, 3), D(2026, 4, 9)),  # 清明 4–6 April
        (D(2026, 9, 30), D(2026, 10, 10)),  # 国庆 1–7 October, 10 October (Saturday) worked
    ],
)
def test_a_revoked_decision_is_withdrawn_within_3_working_days(revoked_on, due):
    assert withdrawal_due(revoked_on) == due


def test_a_clock_in_a_year_without_a_holiday_table_is_an_error_not_a_guess():
    with pytest.raises(CalendarMissing):
        publication_due(PublicationKind.PENALTY, D(2026, 12, 28))
