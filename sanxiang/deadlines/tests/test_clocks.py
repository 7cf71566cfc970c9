from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest

from sanxiang.deadlines import clocks
from sanxiang.deadlines.calendar import CalendarMissing

pytestmark = pytest.mark.usefixtures("holidays")

D = datetime.date

CLOCK_VECTORS: list[tuple[Callable[[D], D], D, D]] = [
    # 行政处罚法 Art.48 + 安全生产法 Art.78: 7 working days
    (clocks.publication_due_penalty, D(2026, 2, 12), D(2026, 2, 28)),
    (clocks.publication_due_penalty, D(2026, 9, 30), D(2026, 10, 15)),
    # 20 working days
    (clocks.publication_due_other, D(2026, 9, 18), D(2026, 10, 22)),
    (clocks.publication_due_other, D(2026, 1, 30), D(2026, 3, 5)),
    # Art.48 + Art.85: 3 working days
    (clocks.withdrawal_due, D(2026, 2, 13), D(2026, 2, 25)),
    (clocks.withdrawal_due, D(2025, 12, 31), D(2026, 1, 6)),
    # Art.64: 5 working days
    (clocks.hearing_request_due, D(2026, 4, 30), D(2026, 5, 11)),
    # Art.64: notify by the 7th working day before the hearing
    (clocks.hearing_notice_latest, D(2026, 10, 15), D(2026, 9, 30)),
    (clocks.hearing_notice_latest, D(2026, 2, 28), D(2026, 2, 12)),
    # Art.56 / Art.61: 7 working days
    (clocks.preservation_decision_due, D(2026, 9, 30), D(2026, 10, 15)),
    (clocks.delivery_due, D(2026, 2, 12), D(2026, 2, 28)),
    # Art.71: 2 working days
    (clocks.cash_handover_due, D(2026, 9, 30), D(2026, 10, 9)),
    (clocks.cash_handover_due, D(2026, 2, 13), D(2026, 2, 24)),
    # Art.67: 15 calendar days, rolled over
    (clocks.payment_due, D(2026, 9, 16), D(2026, 10, 8)),
    (clocks.payment_due, D(2026, 2, 6), D(2026, 2, 24)),
    (clocks.payment_due, D(2026, 3, 2), D(2026, 3, 17)),
    # Art.60: 90 calendar days
    (clocks.decision_due, D(2026, 3, 1), D(2026, 6, 1)),
    # 行政强制法 Art.25: 30 days, extendable once by 30
    (clocks.coercion_period_end, D(2026, 9, 1), D(2026, 10, 8)),
    (clocks.coercion_extension_end, D(2026, 10, 8), D(2026, 11, 9)),
    # 行政强制法 Art.69: ten days are working days
    (clocks.coercion_ten_days, D(2026, 9, 24), D(2026, 10, 15)),
    # 行政复议法 Art.20: 60 days
    (clocks.reconsideration_due, D(2026, 8, 2), D(2026, 10, 8)),
    (clocks.reconsideration_due, D(2026, 3, 2), D(2026, 5, 6)),
    # 行政诉讼法 Art.46: 6 months
    (clocks.litigation_due, D(2026, 4, 4), D(2026, 10, 8)),
    (clocks.litigation_due, D(2025, 8, 31), D(2026, 2, 28)),
    # 法制审核: 5 working days by default
    (clocks.legal_review_due, D(2026, 2, 12), D(2026, 2, 26)),
]


@pytest.mark.parametrize(
    ("clock", "start", "due"), CLOCK_VECTORS, ids=[f"{c.__name__}-{s}" for c, s, _ in CLOCK_VECTORS]
)
def test_each_statutory_clock_gives_its_due_date(clock: Callable[[D], D], start: D, due: D) -> None:
    assert clock(start) == due


@pytest.mark.parametrize("clock", list(dict.fromkeys(c for c, _, _ in CLOCK_VECTORS)))
def test_each_clock_names_the_article_it_implements(clock: Callable[[D], D]) -> None:
    assert clock.__doc__ is not None
    assert "Art." in clock.__doc__ or "国发" in clock.__doc__ or "118号" in clock.__doc__


def test_the_ten_day_coercion_clock_accepts_shorter_periods_but_not_longer_ones() -> None:
    assert clocks.coercion_ten_days(D(2026, 9, 24), 3) == D(2026, 9, 30)
    with pytest.raises(ValueError, match="十日以内"):
        clocks.coercion_ten_days(D(2026, 9, 24), 15)


def test_the_legal_review_period_can_be_set_locally() -> None:
    assert clocks.legal_review_due(D(2026, 2, 12), days=3) == D(2026, 2, 24)


def test_a_clock_running_into_an_unloaded_year_raises() -> None:
    with pytest.raises(CalendarMissing, match="2027年"):
        clocks.legal_review_due(D(2026, 12, 25))


@pytest.mark.parametrize(
    ("fine_fen", "overdue_days", "fee_fen"),
    [
        (100_000, 0, 0),
        (100_000, 1, 3_000),
        (100_000, 33, 99_000),
        (100_000, 34, 100_000),  # capped at the fine
        (100_000, 400, 100_000),
        (333, 1, 9),  # 9.99 fen, rounded down
        (1, 1, 0),
        (0, 10, 0),
    ],
)
def test_the_late_fee_is_three_percent_a_day_capped_at_the_fine(
    fine_fen: int, overdue_days: int, fee_fen: int
) -> None:
    assert clocks.late_fee(fine_fen, overdue_days) == fee_fen


def test_the_late_fee_refuses_negative_or_fractional_inputs() -> None:
    with pytest.raises(ValueError):
        clocks.late_fee(-1, 1)
    with pytest.raises(ValueError):
        clocks.late_fee(100, -1)
    with pytest.raises(ValueError):
        clocks.late_fee(100.5, 1)  # type: ignore[arg-type]
