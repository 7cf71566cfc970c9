import datetime
import json
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sanxiang.agencies.selectors import visible_agency_ids
from sanxiang.audit.events import EventType
from sanxiang.audit.models import Event
from sanxiang.core import due
from sanxiang.payments import selectors, services
from sanxiang.payments.models import AppealKind, DeferralKind, OnTheSpotReason, Payment
from sanxiang.payments.tests.factories import FINE, execution_stage, give_role, make_case

D = datetime.date


def due_items_for(user):
    """The payment clocks ``user`` finds on "my work"."""
    agencies = visible_agency_ids(user)
    return [i for i in selectors.clocks_of(None) if due.shown_to(i, user, agency_ids=agencies)]


@pytest.fixture
def case(personas, holidays):
    return make_case(personas)


def events() -> list[int]:
    """The payment events (180–199) recorded so far, in order."""
    found = Event.objects.filter(event_type__gte=180, event_type__lt=200).order_by("seq")
    return list(found.values_list("event_type", flat=True))


PAID_ON = D(2026, 3, 10)


def pay(actor, case, amount, number, paid_on=PAID_ON):
    return services.payment_record(
        actor=actor, case=case, amount_fen=amount, paid_on=paid_on, bank_transaction_number=number
    )


def test_a_payment_from_the_bank_receipt_is_recorded_with_its_event(personas, case):
    payment = pay(personas.alice, case, 40000, "TXN-1")
    assert (payment.amount_fen, payment.bank_transaction_number, payment.agency_id) == (
        40000,
        "TXN-1",
        personas.agency_a.pk,
    )
    assert events() == [EventType.PAYMENT_RECORDED]
    assert json.loads(Event.objects.get(event_type=EventType.PAYMENT_RECORDED).data)["amount_fen"] == 40000


def test_the_same_bank_transaction_is_never_applied_twice(personas, case):
    pay(personas.alice, case, 40000, "TXN-1")
    with pytest.raises(ValidationError, match="已入账"):
        pay(personas.alice, case, 40000, "TXN-1")
    assert Payment.objects.count() == 1


def test_partial_then_full_payment_completes_execution(personas, case):
    pay(personas.alice, case, 40000, "TXN-1")
    case.refresh_from_db()
    assert case.stage == execution_stage()
    pay(personas.alice, case, 60000, "TXN-2", paid_on=D(2026, 3, 17))
    case.refresh_from_db()
    assert case.stage != execution_stage()
    assert case.transitions.get().action == "complete_execution"


def test_a_fine_paid_late_owes_the_late_fee_before_execution_completes(personas, case):
    pay(personas.alice, case, FINE, "TXN-1", paid_on=D(2026, 3, 19))  # two days late: 6% of the fine
    case.refresh_from_db()
    assert case.stage == execution_stage()
    balance = selectors.balance_for(case, today=D(2026, 11, 1))
    assert (balance.late_fee_fen, balance.due_fen) == (6000, 6000)
    pay(personas.alice, case, 6000, "TXN-2", paid_on=D(2026, 3, 25))
    case.refresh_from_db()
    assert case.stage != execution_stage()


@pytest.mark.parametrize(
    ("field", "kwargs", "message"),
    [
        ("amount_fen", {"amount_fen": 0}, "大于零"),
        ("paid_on", {"paid_on": D(2099, 1, 1)}, "不能晚于今天"),
        ("paid_on", {"paid_on": D(2026, 1, 5)}, "不能早于处罚决定日期"),
        ("bank_transaction_number", {"bank_transaction_number": "  "}, "银行交易流水号"),
    ],
)
def test_bad_payments_are_refused_in_chinese_and_change_nothing(personas, case, field, kwargs, message):
    values = {"amount_fen": 100, "paid_on": D(2026, 3, 10), "bank_transaction_number": "TXN-1", **kwargs}
    with pytest.raises(ValidationError, match=message) as error:
        services.payment_record(actor=personas.alice, case=case, **values)
    assert field in error.value.message_dict
    assert Payment.objects.count() == 0
    assert events() == []


def test_a_case_without_a_fine_takes_no_payment(personas, holidays):
    case = make_case(personas, fine_fen=0)
    with pytest.raises(ValidationError, match="没有罚款"):
        pay(personas.alice, case, 100, "TXN-1")


def test_charlie_cannot_pay_agency_as_case(personas, case):
    with pytest.raises(PermissionDenied):
        pay(personas.charlie, case, 100, "TXN-1")
    assert Payment.objects.count() == 0


def test_a_legal_reviewer_or_an_officer_not_handling_the_case_cannot_record_a_payment(personas, case):
    with pytest.raises(PermissionDenied):
        pay(personas.bob, case, 100, "TXN-1")


def test_a_section_head_records_payments_of_any_case_of_the_agency(personas, case):
    give_role(personas.bob, "section_head")
    assert pay(personas.bob, case, 100, "TXN-1").pk


# --- the guard on 执行完毕 ------------------------------------------------------------------------------


def complete(case, actor):
    from sanxiang.cases.services import case_transition
    from sanxiang.cases.workflow import Action

    return case_transition(case=case, action=Action.COMPLETE_EXECUTION, actor=actor)


def test_completing_execution_is_refused_while_the_fine_is_not_paid_in_full(personas, case):
    from sanxiang.cases.workflow import GuardFailed

    pay(personas.alice, case, 40000, "TXN-1")
    with pytest.raises(
        GuardFailed,
        match=re.escape("还应缴纳 1,600.00 元（罚款 1,000.00 元，加处罚款 1,000.00 元，已缴 400.00 元）"),
    ):
        complete(case, personas.alice)
    case.refresh_from_db()
    assert case.stage == execution_stage()


def test_completing_execution_passes_for_a_penalty_without_a_fine(personas, holidays):
    case = make_case(personas, fine_fen=0)
    complete(case, personas.alice)
    case.refresh_from_db()
    assert case.stage != execution_stage()


# --- on the spot (Art.68–71) ----------------------------------------------------------------------------


def collect(actor, case, reason=OnTheSpotReason.SMALL_FINE, receipt="0012345", amount=5000):
    return services.payment_collect_on_the_spot(
        actor=actor,
        case=case,
        amount_fen=amount,
        collected_on=D(2026, 3, 3),
        receipt_number=receipt,
        reason=reason,
    )


def test_a_small_fine_collected_on_the_spot_runs_the_two_working_day_handover_clock(personas, holidays):
    case = make_case(personas, fine_fen=5000)
    payment = collect(personas.alice, case)
    items = [i for i in due_items_for(personas.alice) if "cash" in i.key]
    assert [(i.key, i.due, i.basis) for i in items] == [
        (f"payment:{payment.pk}:cash_handover_due", D(2026, 3, 5), "行政处罚法第七十一条")
    ]
    services.cash_handover_record(actor=personas.alice, payment=payment, handed_over_on=D(2026, 3, 5))
    assert [i for i in due_items_for(personas.alice) if "cash" in i.key] == []
    assert events()[-1] == EventType.CASH_HANDED_OVER
    with pytest.raises(ValidationError, match="已登记交纳"):
        services.cash_handover_record(actor=personas.alice, payment=payment, handed_over_on=D(2026, 3, 5))


def test_a_fine_over_100_yuan_is_not_collected_on_the_spot_as_a_small_fine(personas, case):
    with pytest.raises(ValidationError, match="第六十八条"):
        collect(personas.alice, case)
    assert collect(personas.alice, case, reason=OnTheSpotReason.HARD_TO_ENFORCE).pk


def test_collection_on_the_spot_needs_the_finance_receipt_number(personas, holidays):
    case = make_case(personas, fine_fen=5000)
    with pytest.raises(ValidationError, match="专用票据"):
        collect(personas.alice, case, receipt=" ")


# --- deferral and instalments (Art.66) ------------------------------------------------------------------


def test_only_the_leader_approves_a_deferral_and_no_late_fee_accrues_within_it(personas, case):
    application = services.deferral_apply(
        actor=personas.alice,
        case=case,
        kind=DeferralKind.DEFERRAL,
        applied_on=D(2026, 3, 10),
        reason="资金困难",
    )
    with pytest.raises(PermissionDenied, match="机关负责人"):
        services.deferral_decide(
            actor=personas.alice,
            application=application,
            approved=True,
            decided_on=D(2026, 3, 12),
            new_due_on=D(2026, 5, 29),
        )
    leader = give_role(personas.bob, "leader")
    services.deferral_decide(
        actor=leader,
        application=application,
        approved=True,
        decided_on=D(2026, 3, 12),
        new_due_on=D(2026, 5, 29),
    )
    assert selectors.balance_for(case, today=D(2026, 5, 29)).late_fee_fen == 0
    assert selectors.balance_for(case, today=D(2026, 6, 1)).late_fee_fen == 9000
    assert events() == [EventType.DEFERRAL_APPLIED, EventType.DEFERRAL_DECIDED]


def test_an_instalment_plan_must_add_up_to_the_fine(personas, case):
    leader = give_role(personas.bob, "leader")
    application = services.deferral_apply(
        actor=personas.alice,
        case=case,
        kind=DeferralKind.INSTALMENT,
        applied_on=D(2026, 3, 10),
        reason="分期",
    )
    with pytest.raises(ValidationError, match=re.escape("与罚款 1,000.00 元不符")):
        services.deferral_decide(
            actor=leader,
            application=application,
            approved=True,
            decided_on=D(2026, 3, 12),
            instalments=[(D(2026, 4, 10), 50000), (D(2026, 5, 10), 40000)],
        )
    decision = services.deferral_decide(
        actor=leader,
        application=application,
        approved=True,
        decided_on=D(2026, 3, 12),
        instalments=[(D(2026, 4, 10), 50000), (D(2026, 5, 11), 50000)],
    )
    assert decision.new_due_on == D(2026, 5, 11)
    assert list(decision.instalments.values_list("sequence", "amount_fen")) == [(1, 50000), (2, 50000)]
    items = due_items_for(personas.alice)
    assert [(i.key, i.due) for i in items] == [(f"case:{case.pk}:instalment:1", D(2026, 4, 10))]


def test_an_application_is_decided_once(personas, case):
    leader = give_role(personas.bob, "leader")
    application = services.deferral_apply(
        actor=personas.alice, case=case, kind=DeferralKind.DEFERRAL, applied_on=D(2026, 3, 10), reason="x"
    )
    services.deferral_decide(actor=leader, application=application, approved=False, decided_on=D(2026, 3, 12))
    with pytest.raises(ValidationError, match="已审批"):
        services.deferral_decide(
            actor=leader, application=application, approved=False, decided_on=D(2026, 3, 13)
        )


# --- 复议 / 诉讼 (Art.73) ---------------------------------------------------------------------------------


def test_late_fee_pauses_while_litigation_is_recorded_and_resumes_when_it_ends(personas, case):
    period = services.appeal_period_record(
        actor=personas.alice, case=case, kind=AppealKind.LITIGATION, started_on=D(2026, 3, 20)
    )
    assert selectors.balance_for(case, today=D(2026, 4, 6)).overdue_days == 2
    services.appeal_period_end(actor=personas.alice, period=period, ended_on=D(2026, 3, 29))
    assert selectors.balance_for(case, today=D(2026, 4, 6)).overdue_days == 10
    with pytest.raises(ValidationError, match="不能修改"):
        services.appeal_period_end(actor=personas.alice, period=period, ended_on=D(2026, 3, 30))
    assert events() == [EventType.APPEAL_PERIOD_RECORDED, EventType.APPEAL_PERIOD_ENDED]


# --- clocks ---------------------------------------------------------------------------------------------


def test_the_payment_due_day_is_a_due_item_of_the_officer_handling_the_case(personas, case):
    items = due_items_for(personas.alice)
    assert [(i.key, i.due, i.basis) for i in items] == [
        (f"case:{case.pk}:payment_due", D(2026, 3, 17), "行政处罚法第六十七条")
    ]
    assert due_items_for(personas.charlie) == []
    pay(personas.alice, case, FINE, "TXN-1")
    assert due_items_for(personas.alice) == []


@pytest.mark.parametrize(
    ("delivered_on", "due"),
    [
        (D(2026, 3, 2), D(2026, 3, 17)),
        (D(2026, 9, 16), D(2026, 10, 8)),  # 15 days end on 1 October
        (D(2026, 2, 1), D(2026, 2, 24)),  # 15 days end on 16 February, inside the Spring Festival
    ],
)
def test_the_fine_is_due_15_days_after_delivery(personas, holidays, delivered_on, due):
    case = make_case(personas, delivered_on=delivered_on)
    items = due_items_for(personas.alice)
    assert [(i.key, i.due) for i in items] == [(f"case:{case.pk}:payment_due", due)]


def test_the_payment_clocks_of_many_cases_cost_no_query_per_case(personas, holidays):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            due_items_for(personas.alice)
        return len(captured)

    make_case(personas, number="（甲县）应急罚〔2026〕11号")
    queries()  # the first call also reads the holiday table into the process cache
    few = queries()
    for n in range(12, 16):
        make_case(personas, number=f"（甲县）应急罚〔2026〕{n}号")
    assert queries() == few
    assert len(due_items_for(personas.alice)) == 5


def test_a_fine_is_chased_on_its_handlers_list_not_on_every_leaders(personas, holidays):
    case = make_case(personas)
    leader = give_role(personas.bob, "leader")
    assert [i.key for i in due_items_for(personas.alice)] == [f"case:{case.pk}:payment_due"]
    assert due_items_for(leader) == []
