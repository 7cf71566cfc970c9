"""Each write of a payment, deferral or appeal period recomputes its case's clocks, in its transaction."""

import datetime

import pytest

from sanxiang.payments import services
from sanxiang.payments.models import AppealKind, DeferralKind, OnTheSpotReason
from sanxiang.payments.tests.factories import FINE, give_role, make_case
from sanxiang.worklist.models import Clock

D = datetime.date
HEADER = "交易日期,交易流水号,贷方金额,对方户名,附言\n"


def stored(case):
    return dict(Clock.objects.filter(matter=f"case:{case.pk}").values_list("key", "due"))


@pytest.fixture
def case(personas, holidays):
    return make_case(personas)


def pay(personas, case, amount, number):
    return services.payment_record(
        actor=personas.alice,
        case=case,
        amount_fen=amount,
        paid_on=D(2026, 3, 10),
        bank_transaction_number=number,
    )


def test_a_part_payment_keeps_the_clock_and_the_rest_ends_it(personas, case):
    pay(personas, case, FINE // 2, "TXN-1")
    assert stored(case) == {f"case:{case.pk}:payment_due": D(2026, 3, 17)}
    pay(personas, case, FINE - FINE // 2, "TXN-2")
    assert stored(case) == {}


def test_a_statement_import_ends_the_clock_of_the_case_it_pays(personas, case):
    head = give_role(personas.bob, "section_head")
    pay(personas, case, 1, "TXN-0")  # stores the clock
    content = (HEADER + "2026-03-10,B1,999.99,某公司,（甲县）应急罚〔2026〕12号\n").encode("gbk")
    services.statement_import(actor=head, agency=personas.agency_a, file_name="s.csv", content=content)
    assert stored(case) == {}


def test_cash_collected_on_the_spot_runs_its_handover_clock_until_handed_over(personas, holidays):
    case = make_case(personas, fine_fen=5000)
    payment = services.payment_collect_on_the_spot(
        actor=personas.alice,
        case=case,
        amount_fen=5000,
        collected_on=D(2026, 3, 3),
        receipt_number="0012345",
        reason=OnTheSpotReason.SMALL_FINE,
    )
    assert stored(case) == {f"payment:{payment.pk}:cash_handover_due": D(2026, 3, 5)}
    clock = Clock.objects.get(key=f"payment:{payment.pk}:cash_handover_due")
    assert set(clock.audience.filter(user=None).values_list("role", flat=True)) == {"leader", "section_head"}
    services.cash_handover_record(actor=personas.alice, payment=payment, handed_over_on=D(2026, 3, 5))
    assert stored(case) == {}


def test_an_approved_instalment_plan_puts_the_next_instalment_on_the_clock(personas, case):
    leader = give_role(personas.bob, "leader")
    application = services.deferral_apply(
        actor=personas.alice,
        case=case,
        kind=DeferralKind.INSTALMENT,
        applied_on=D(2026, 3, 10),
        reason="分期",
    )
    services.deferral_decide(
        actor=leader,
        application=application,
        approved=True,
        decided_on=D(2026, 3, 12),
        instalments=[(D(2026, 4, 10), 50000), (D(2026, 5, 11), 50000)],
    )
    assert stored(case) == {f"case:{case.pk}:instalment:1": D(2026, 4, 10)}
    pay(personas, case, 50000, "TXN-1")
    assert stored(case) == {f"case:{case.pk}:instalment:2": D(2026, 5, 11)}


def test_recording_an_appeal_period_refreshes_the_clock(personas, case):
    Clock.objects.all().delete()  # as if a refresh had been missed
    period = services.appeal_period_record(
        actor=personas.alice, case=case, kind=AppealKind.LITIGATION, started_on=D(2026, 3, 20)
    )
    assert stored(case) == {f"case:{case.pk}:payment_due": D(2026, 3, 17)}
    Clock.objects.all().delete()
    services.appeal_period_end(actor=personas.alice, period=period, ended_on=D(2026, 3, 29))
    assert stored(case) == {f"case:{case.pk}:payment_due": D(2026, 3, 17)}


def test_a_fine_due_in_a_year_without_a_holiday_table_shows_its_nominal_day(personas, holidays):
    from sanxiang.core.due import clocks_changed

    # Delivered on 20 December 2026: the 15 days end on 4 January 2027, whose table is not loaded.
    case = make_case(personas, delivered_on=D(2026, 12, 20))
    clocks_changed(f"case:{case.pk}")
    clock = Clock.objects.get(matter=f"case:{case.pk}")
    assert (clock.key, clock.due, clock.provisional, clock.missing_year) == (
        f"case:{case.pk}:payment_due",
        D(2027, 1, 4),
        True,
        2027,
    )
    assert "期限待定" in clock.title
