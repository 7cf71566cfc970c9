"""The gate: every row of the case table that names documents refuses without them and passes with them."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from sanxiang.cases.models import Case
from sanxiang.cases.selectors import available_actions
from sanxiang.cases.services import case_transition
from sanxiang.cases.tests.factories import BIG_FINE, FINE, HEARING_ON, discussion_data, open_case
from sanxiang.cases.workflow import TABLE, Action, GuardFailed, Stage, Step
from sanxiang.documents import gate, services
from sanxiang.documents.models import DeliveryMethod
from sanxiang.documents.testing import deliver, issue, prepare
from sanxiang.documents.tests.factories import walk

ROWS = [s for s in TABLE if s.documents]
LEADER_ACTIONS = {
    Action.APPROVE_FILING,
    Action.DECIDE_NO_PENALTY,
    Action.REFER,
    Action.RECORD_COLLECTIVE_DISCUSSION,
    Action.DECIDE,
    Action.APPLY_COURT_ENFORCEMENT,
    Action.APPROVE_CLOSING,
    Action.APPROVE_EXTENSION,
}
EXTENSION: dict[str, Any] = {"until": datetime.date(2026, 7, 31), "reason": "案情复杂，需委托技术鉴定"}


def _data(w: Any, action: str) -> dict[str, Any]:
    data: dict[str, dict[str, Any]] = {
        Action.REPORT_INVESTIGATION: {"report": "调查终结"},
        Action.SUBMIT_CASE_REVIEW: {"proposed_outcome": "penalty", "penalties": [FINE]},
        Action.DECIDE_NO_PENALTY: {"reason": "first_offence"},
        Action.REFER: {"organ": "甲县公安局"},
        Action.RECORD_STATEMENT: {"statement": "请求从轻处罚"},
        Action.RECORD_HEARING: {"record": "听证笔录", "report": "听证报告"},
        Action.PASS_LEGAL_REVIEW: {"opinion": "同意"},
        Action.RECORD_COLLECTIVE_DISCUSSION: discussion_data(w),
        Action.DECIDE: {"penalties": [FINE]},
        Action.DELIVER: {"method": "直接送达"},
    }
    return data.get(action, {})


def _actor(w: Any, action: str) -> Any:
    if action == Action.PASS_LEGAL_REVIEW:
        return w.bob
    return w.leader if action in LEADER_ACTIONS else w.alice


def _at_source(w: Any, step: Step) -> Case:
    case = walk(w, step.source)
    if step.action == Action.APPROVE_EXTENSION:
        prepare(case, Action.REQUEST_EXTENSION)
        case_transition(case=case, action=Action.REQUEST_EXTENSION, actor=w.alice, **EXTENSION)
    return case


def _titles(case: Case, step: Step) -> list[str]:
    return [r.label for r in gate.requirements(case, step.documents) if r.applies]


@pytest.mark.parametrize("step", ROWS, ids=[f"{s.source}-{s.action}" for s in ROWS])
def test_each_step_that_names_documents_refuses_without_them_and_passes_with_them(
    world: Any, today: Any, step: Step
) -> None:
    case = _at_source(world, step)
    if step.action == Action.RECORD_HEARING:
        today.set(HEARING_ON)  # a hearing is recorded on its scheduled day, not before
    data = _data(world, step.action)
    actor = _actor(world, step.action)
    with pytest.raises(GuardFailed) as refused:
        case_transition(case=case, action=step.action, actor=actor, **data)
    message = refused.value.messages[0]
    assert message.startswith(f"“{step.action.label}”须先签发以下文书：")
    for title in _titles(case, step):
        assert title in message
    case.refresh_from_db()
    assert case.stage == step.source
    prepare(case, step.action, data=data)
    case_transition(case=case, action=step.action, actor=actor, **data)
    assert case.stage == step.target


def test_the_table_names_the_documents_of_a_general_procedure(db: None) -> None:
    named = {key for step in TABLE for need in step.documents for key in need.keys}
    assert {
        "filing_approval",
        "investigation_report",
        "case_review_form",
        "penalty_notice",
        "hearing_notice",
        "statement_record",
        "hearing_meeting_notice",
        "hearing_record",
        "hearing_report",
        "legal_review_opinion",
        "collective_discussion_record",
        "penalty_decision",
        "no_penalty_decision",
        "closing_approval",
    } <= named


def test_a_notice_with_a_hearing_right_also_needs_the_hearing_notice(world: Any) -> None:
    case = walk(world, Stage.PENALTY_PROPOSED, "hearing")  # a 6万元 fine for an organisation: Art.63
    issue(case, "penalty_notice")
    with pytest.raises(GuardFailed) as refused:
        case_transition(case=case, action=Action.NOTIFY_PENALTY, actor=world.alice)
    assert "《行政处罚听证告知书》" in refused.value.messages[0]
    assert "《行政处罚告知书》" not in refused.value.messages[0]
    issue(case, "hearing_notice")
    case_transition(case=case, action=Action.NOTIFY_PENALTY, actor=world.alice)
    assert case.stage == Stage.NOTIFIED and case.hearing_right


def test_a_notice_without_a_hearing_right_needs_only_the_penalty_notice(world: Any) -> None:
    case = walk(world, Stage.PENALTY_PROPOSED)
    issue(case, "penalty_notice")
    case_transition(case=case, action=Action.NOTIFY_PENALTY, actor=world.alice)
    assert case.stage == Stage.NOTIFIED and not case.hearing_right


def test_a_voided_document_does_not_count_and_its_replacement_does(world: Any) -> None:
    case = walk(world, Stage.FILING_REVIEWED)
    first = issue(case, "filing_approval")
    replacement = services.document_void_and_replace(
        actor=world.alice, document=first, reason="当事人地址有误"
    )
    with pytest.raises(GuardFailed, match="《立案审批表》"):
        case_transition(case=case, action=Action.APPROVE_FILING, actor=world.leader)
    services.document_issue(actor=world.alice, document=replacement)
    case_transition(case=case, action=Action.APPROVE_FILING, actor=world.leader)
    replacement.refresh_from_db()
    assert case.number == replacement.number == "（甲县）应急立〔2026〕2号"


def test_the_case_carries_the_numbers_of_its_filing_form_and_its_decision(world: Any) -> None:
    open_case(world)  # numbers are per agency: another case's documents do not disturb this one
    case = walk(world, Stage.DECIDED)
    filing = case.documents.get(type__key="filing_approval")
    decision = case.documents.get(type__key="penalty_decision")
    assert case.number == filing.number
    assert case.decision_number == decision.number == "（甲县）应急罚〔2026〕1号"


def test_the_decision_must_state_the_penalties_decided(world: Any) -> None:
    case = walk(world, Stage.DEFENCE_CONCLUDED)
    issue(case, "penalty_decision", penalties=[FINE])
    lighter = {**FINE, "amount_fen": 500_000}
    with pytest.raises(GuardFailed, match=r"决定的处罚与行政处罚决定书.*载明的处罚不一致"):
        case_transition(case=case, action=Action.DECIDE, actor=world.leader, penalties=[lighter])
    case_transition(case=case, action=Action.DECIDE, actor=world.leader, penalties=[FINE])
    assert case.stage == Stage.DECIDED


def test_delivery_needs_a_delivery_record_of_the_decision_not_only_the_decision(world: Any) -> None:
    case = walk(world, Stage.DECIDED)
    with pytest.raises(GuardFailed, match="《行政处罚决定书》（并已送达）"):
        case_transition(case=case, action=Action.DELIVER, actor=world.alice, method="直接送达")
    decision = case.documents.get(type__key="penalty_decision")
    deliver(case, decision, method=DeliveryMethod.MAIL)
    case_transition(case=case, action=Action.DELIVER, actor=world.alice, method="邮寄送达")
    assert case.stage == Stage.DELIVERED


def test_a_no_penalty_decision_is_delivered_before_the_case_moves_on(world: Any) -> None:
    case = walk(world, Stage.DECIDED, "no_penalty")
    assert case.decision_number == case.documents.get(type__key="no_penalty_decision").number
    with pytest.raises(GuardFailed, match="《不予行政处罚决定书》（并已送达）"):
        case_transition(case=case, action=Action.DELIVER, actor=world.alice, method="直接送达")
    prepare(case, Action.DELIVER, data={"method": "直接送达"})
    case_transition(case=case, action=Action.DELIVER, actor=world.alice, method="直接送达")
    assert case.stage == Stage.DELIVERED


def test_the_case_page_offers_an_action_only_once_its_documents_are_issued(world: Any) -> None:
    case = walk(world, Stage.FILING_REVIEWED)
    assert Action.APPROVE_FILING not in {s.action for s in available_actions(world.leader, case)}
    issue(case, "filing_approval")
    assert Action.APPROVE_FILING in {s.action for s in available_actions(world.leader, case)}


def test_a_bigger_fine_still_meets_the_hearing_guard_of_the_cases_app(world: Any) -> None:
    """The documents gate adds to the table's guards; it does not replace them."""
    case = walk(world, Stage.DEFENCE_CONCLUDED)
    issue(case, "penalty_decision", penalties=[BIG_FINE])
    with pytest.raises(GuardFailed, match="决定的处罚不得重于告知的处罚"):
        case_transition(case=case, action=Action.DECIDE, actor=world.leader, penalties=[BIG_FINE])
