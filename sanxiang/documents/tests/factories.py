"""Cases of agency A brought to a stage through the table, with the documents each step needs issued."""

from __future__ import annotations

from typing import Any

from sanxiang.cases.models import Case
from sanxiang.cases.services import case_transition
from sanxiang.cases.tests.factories import HEARING_STAGES, World, _path, open_case
from sanxiang.cases.workflow import Action, Stage
from sanxiang.documents.testing import prepare
from sanxiang.payments import services as payment_services
from sanxiang.payments.selectors import balance_for


def walk(w: World, stage: str, variant: str = "", **case_fields: Any) -> Case:
    """Like the cases' ``reach``, but every step first gets its documents issued."""
    if stage == Stage.ON_SPOT_DECIDED:
        case_fields.setdefault("party", w.person)
        case_fields.setdefault("procedure", "simple")
    if stage in HEARING_STAGES and not variant:
        variant = "hearing"
    case = open_case(w, **case_fields)
    for action, actor, data, note in _path(w, stage, variant):
        prepare(case, action, data=data)
        if action == Action.COMPLETE_EXECUTION and _pay(w, case):
            continue  # paying the fine in full completes the execution (payments app)
        case_transition(case=case, action=action, actor=actor, note=note, **data)
    assert case.stage == stage, (case.stage, stage)
    return case


def _pay(w: World, case: Case) -> bool:
    """The fine is paid at the bank before 执行完毕 (罚缴分离, 行政处罚法 Art.67)."""
    case.refresh_from_db()
    if case.fine_fen <= 0:
        return False
    from sanxiang.cases import workflow

    due = balance_for(case, today=workflow.today()).due_fen
    payment_services.payment_record(
        actor=w.alice,
        case=case,
        amount_fen=due,
        paid_on=workflow.today(),
        bank_transaction_number=f"340210602026{case.pk:04d}",
        payer_name="缴款人",
    )
    case.refresh_from_db()
    return case.stage == Stage.EXECUTED
