import datetime

import pytest

from sanxiang.payments.balance import Pause, compute_balance, overdue_days, yuan

D = datetime.date
DELIVERED = D(2026, 3, 2)  # a Monday; the 15 days of Art.67 end on Tuesday 17 March
FINE = 10000  # 100 元


@pytest.mark.parametrize(
    ("paid_on", "days", "fee"),
    [
        (D(2026, 3, 17), 0, 0),  # the last day of the 15 is still on time
        (D(2026, 3, 18), 1, 300),  # 3% of the fine per day
        (D(2026, 4, 19), 33, 9900),
        (D(2026, 4, 20), 34, 10000),  # capped at the fine from day 34
        (D(2026, 5, 30), 74, 10000),
    ],
)
def test_late_fee_runs_from_the_day_after_the_payment_period(holidays, paid_on, days, fee):
    balance = compute_balance(
        fine_fen=FINE, delivered_on=DELIVERED, payments=[(paid_on, 20000)], as_of=paid_on
    )
    assert balance.due_on == D(2026, 3, 17)
    assert (balance.overdue_days, balance.late_fee_fen) == (days, fee)


@pytest.mark.parametrize(
    ("pauses", "days"),
    [
        ([], 20),
        ([Pause(D(2026, 3, 20), D(2026, 3, 29))], 10),  # ten days of litigation do not count (Art.73)
        ([Pause(D(2026, 3, 1), D(2026, 3, 19))], 18),  # only the part after the due day matters
        ([Pause(D(2026, 3, 20), D(2026, 3, 29)), Pause(D(2026, 3, 25), D(2026, 4, 2))], 6),  # overlap once
        ([Pause(D(2026, 3, 20))], 2),  # still pending on the day of the computation
    ],
)
def test_late_fee_is_paused_during_reconsideration_and_litigation(holidays, pauses, days):
    today = D(2026, 4, 6)
    balance = compute_balance(fine_fen=FINE, delivered_on=DELIVERED, payments=[], as_of=today, pauses=pauses)
    assert balance.overdue_days == days
    assert balance.late_fee_fen == 300 * days
    assert balance.due_fen == FINE + 300 * days


@pytest.mark.parametrize(
    ("paid_on", "fee"),
    [(D(2026, 4, 30), 0), (D(2026, 5, 4), 1200)],
)
def test_late_fee_does_not_accrue_within_an_approved_deferral(holidays, paid_on, fee):
    balance = compute_balance(
        fine_fen=FINE,
        delivered_on=DELIVERED,
        payments=[(paid_on, FINE)],
        as_of=paid_on,
        deferred_until=D(2026, 4, 30),
    )
    assert balance.due_on == D(2026, 4, 30)
    assert balance.late_fee_fen == fee


def test_late_fee_stops_on_the_day_the_payments_reach_the_fine(holidays):
    payments = [(D(2026, 3, 10), 5000), (D(2026, 3, 20), 5000)]
    balance = compute_balance(fine_fen=FINE, delivered_on=DELIVERED, payments=payments, as_of=D(2026, 5, 1))
    assert balance.fine_paid_on == D(2026, 3, 20)
    assert (balance.late_fee_fen, balance.paid_fen, balance.due_fen) == (900, 10000, 900)
    assert not balance.is_settled


def test_a_balance_is_settled_when_fine_and_late_fee_are_paid(holidays):
    payments = [(D(2026, 3, 18), FINE), (D(2026, 3, 25), 300)]
    balance = compute_balance(fine_fen=FINE, delivered_on=DELIVERED, payments=payments, as_of=D(2026, 3, 25))
    assert balance.is_settled
    assert balance.due_fen == 0


def test_payments_after_the_day_of_the_computation_are_not_counted(holidays):
    balance = compute_balance(
        fine_fen=FINE, delivered_on=DELIVERED, payments=[(D(2026, 3, 20), FINE)], as_of=D(2026, 3, 10)
    )
    assert balance.paid_fen == 0


def test_no_late_fee_before_the_decision_is_delivered():
    balance = compute_balance(fine_fen=FINE, delivered_on=None, payments=[], as_of=D(2026, 6, 1))
    assert (balance.due_on, balance.late_fee_fen, balance.due_fen) == (None, 0, FINE)


def test_a_case_without_a_fine_owes_nothing():
    balance = compute_balance(fine_fen=0, delivered_on=D(2026, 3, 2), payments=[], as_of=D(2026, 6, 1))
    assert balance.due_fen == 0
    assert not balance.is_settled


def test_overdue_days_count_nothing_on_or_before_the_due_day():
    assert overdue_days(due_on=D(2026, 3, 17), until=D(2026, 3, 17), as_of=D(2026, 3, 17)) == 0
    assert overdue_days(due_on=D(2026, 3, 17), until=D(2026, 3, 1), as_of=D(2026, 3, 17)) == 0


@pytest.mark.parametrize(("fen", "text"), [(0, "0.00"), (5, "0.05"), (123456, "1,234.56"), (-300, "-3.00")])
def test_yuan_prints_fen_as_yuan(fen, text):
    assert yuan(fen) == text
