"""Every row of the transition table is performed, and every (stage, action) pair outside it is refused."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest

from sanxiang.audit.events import EventType
from sanxiang.audit.models import Event
from sanxiang.cases.models import Case, CaseTransition
from sanxiang.cases.services import case_transition
from sanxiang.cases.tests.factories import HEARING_ON, World, discussion_data, reach
from sanxiang.cases.workflow import TABLE, Action, Stage, Step, TransitionNotAllowed, step

# How to perform each row: (variant of the path to the source stage, actor, data, note).
Recipe = tuple[str, str, dict[str, Any], str]
RECIPES: dict[tuple[str, str], Recipe] = {
    (Stage.LEAD, Action.SUBMIT_FILING): ("", "alice", {}, ""),
    (Stage.FILING_SUBMITTED, Action.REVIEW_FILING): ("", "head", {}, ""),
    (Stage.FILING_SUBMITTED, Action.RETURN_FILING): ("", "head", {}, "证据不足以立案"),
    (Stage.FILING_REVIEWED, Action.APPROVE_FILING): ("", "leader", {}, ""),
    (Stage.FILING_REVIEWED, Action.RETURN_FILING): ("", "leader", {}, "案由不准确"),
    (Stage.INVESTIGATION, Action.REPORT_INVESTIGATION): ("", "alice", {"report": "调查终结"}, ""),
    (Stage.INVESTIGATION_REPORTED, Action.SUBMIT_CASE_REVIEW): (
        "",
        "alice",
        {"proposed_outcome": "penalty", "penalties": [{"kind": "warning", "violation": "某违法行为"}]},
        "",
    ),
    (Stage.CASE_REVIEW, Action.APPROVE_PENALTY_PROPOSAL): ("", "leader", {}, ""),
    (Stage.CASE_REVIEW, Action.DECIDE_NO_PENALTY): ("no_penalty", "leader", {"reason": "minor"}, ""),
    (Stage.CASE_REVIEW, Action.FIND_NOT_ESTABLISHED): ("not_established", "leader", {}, "证据不足"),
    (Stage.CASE_REVIEW, Action.REFER): ("", "leader", {"organ": "舒城县公安局"}, ""),
    (Stage.CASE_REVIEW, Action.RETURN_CASE_REVIEW): ("", "leader", {}, "补充询问笔录"),
    (Stage.INVESTIGATION, Action.WITHDRAW_FILING): ("", "leader", {}, "不属于本机关管辖"),
    (Stage.INVESTIGATION_REPORTED, Action.WITHDRAW_FILING): ("", "leader", {}, "不属于本机关管辖"),
    (Stage.CASE_REVIEW, Action.WITHDRAW_FILING): ("", "leader", {}, "不属于本机关管辖"),
    (Stage.PENALTY_PROPOSED, Action.NOTIFY_PENALTY): ("", "alice", {}, ""),
    (Stage.NOTIFIED, Action.RECORD_STATEMENT): ("", "alice", {"statement": "请求从轻"}, ""),
    (Stage.NOTIFIED, Action.REQUEST_HEARING): ("hearing", "alice", {}, ""),
    (Stage.NOTIFIED, Action.WAIVE_RIGHTS): ("", "alice", {"waiver_reference": "放弃陈述申辩声明书"}, ""),
    (Stage.NOTIFIED, Action.LAPSE_DEFENCE_PERIOD): ("lapsed", "alice", {}, ""),
    (Stage.HEARING_REQUESTED, Action.SCHEDULE_HEARING): (
        "hearing",
        "alice",
        {"hearing_on": datetime.date(2026, 3, 20), "chair": "erin_officer"},
        "",
    ),
    (Stage.HEARING_SCHEDULED, Action.NOTIFY_HEARING): ("hearing", "alice", {}, ""),
    (Stage.HEARING_NOTIFIED, Action.RECORD_HEARING): (
        "hearing",
        "alice",
        {"record": "听证笔录", "report": "听证报告"},
        "",
    ),
    (Stage.DEFENCE_CONCLUDED, Action.SUBMIT_LEGAL_REVIEW): ("", "alice", {}, ""),
    (Stage.LEGAL_REVIEW, Action.PASS_LEGAL_REVIEW): ("", "bob", {"opinion": "同意"}, ""),
    (Stage.LEGAL_REVIEW, Action.RETURN_LEGAL_REVIEW): ("", "bob", {"opinion": "依据引用有误"}, "请纠正"),
    (Stage.DEFENCE_CONCLUDED, Action.REFER): ("", "leader", {"organ": "舒城县公安局"}, ""),
    (Stage.DEFENCE_CONCLUDED, Action.RECORD_COLLECTIVE_DISCUSSION): ("", "leader", {"discussion": True}, ""),
    (Stage.LEGAL_REVIEWED, Action.RECORD_COLLECTIVE_DISCUSSION): ("", "leader", {"discussion": True}, ""),
    (Stage.DEFENCE_CONCLUDED, Action.DECIDE): ("", "leader", {"penalties": "fine"}, ""),
    (Stage.LEGAL_REVIEWED, Action.DECIDE): ("", "leader", {"penalties": "fine"}, ""),
    (Stage.DISCUSSED, Action.DECIDE): ("", "leader", {"penalties": "fine"}, ""),
    (Stage.DECIDED, Action.DELIVER): ("", "alice", {"method": "直接送达"}, ""),
    (Stage.DELIVERED, Action.COMPLETE_EXECUTION): ("", "alice", {}, ""),
    (Stage.DELIVERED, Action.APPLY_COURT_ENFORCEMENT): ("", "leader", {}, ""),
    (Stage.COURT_ENFORCEMENT, Action.COMPLETE_EXECUTION): ("", "leader", {}, ""),
    (Stage.DELIVERED, Action.SUBMIT_CLOSING): ("no_penalty", "alice", {}, ""),
    (Stage.EXECUTED, Action.SUBMIT_CLOSING): ("", "alice", {}, ""),
    (Stage.CONCLUDED, Action.SUBMIT_CLOSING): ("", "dave", {}, ""),
    (Stage.CLOSING_SUBMITTED, Action.APPROVE_CLOSING): ("", "leader", {}, ""),
    (Stage.CLOSED, Action.ARCHIVE): ("", "archivist", {}, ""),
    (Stage.LEAD, Action.DECIDE_ON_SPOT): ("simple", "alice", {"on_spot": True}, ""),
    (Stage.ON_SPOT_DECIDED, Action.REPORT_ON_SPOT): ("", "head", {}, ""),
}
# The extension rows exist for every stage before the decision; one recipe serves them all.
GENERIC: dict[str, Recipe] = {
    Action.REQUEST_EXTENSION: ("", "alice", {"extend": True}, ""),
    Action.APPROVE_EXTENSION: ("requested", "leader", {}, ""),
}


def _recipe(row: Step) -> Recipe:
    found = RECIPES.get((row.source, row.action)) or GENERIC.get(row.action)
    assert found is not None, f"no recipe for the row {row.source}/{row.action}: add one to test it"
    return found


def _data(w: World, case: Case, raw: dict[str, Any]) -> dict[str, Any]:
    from sanxiang.cases.tests.factories import FINE, on_spot_data

    data = dict(raw)
    if data.pop("discussion", False):
        data.update(discussion_data(w))
    if data.get("penalties") == "fine":
        data["penalties"] = [FINE]
    if data.get("chair") == "erin_officer":
        data["chair"] = w.erin_officer.pk
    if data.pop("on_spot", False):
        data.update(on_spot_data())
    if data.pop("extend", False):
        base = case.decision_due_on or datetime.date(2026, 6, 1)
        data.update(until=base + datetime.timedelta(days=30), reason="需要委托鉴定")
    return data


@pytest.mark.parametrize("row", TABLE, ids=lambda r: f"{r.source}-{r.action}")
def test_every_row_of_the_table_is_performed(world: World, today: Any, row: Step) -> None:
    variant, actor_name, raw, note = _recipe(row)
    case = reach(world, row.source, "" if variant == "requested" else variant)
    if row.action == Action.RECORD_HEARING:
        today.set(HEARING_ON)  # a hearing is recorded on its day, not before (Art.64(二))
    if variant == "requested":
        case_transition(
            case=case,
            action=Action.REQUEST_EXTENSION,
            actor=world.alice,
            **_data(world, case, {"extend": True}),
        )
    before = CaseTransition.objects.filter(case=case).count()
    actor = getattr(world, actor_name)

    transition = case_transition(
        case=case, action=row.action, actor=actor, note=note, **_data(world, case, raw)
    )

    assert (transition.source, transition.action, transition.target) == (row.source, row.action, row.target)
    assert case.stage == row.target
    assert CaseTransition.objects.filter(case=case).count() == before + 1
    event = Event.objects.order_by("-seq").first()
    assert event is not None and event.event_type == EventType.CASE_STAGE_CHANGED
    assert json.loads(event.data)["action"] == row.action


FORBIDDEN = [
    (s, a)
    for s in Stage.values
    for a in Action.values
    if not any(r.source == s and r.action == a for r in TABLE)
]


@pytest.mark.parametrize(("stage", "action"), FORBIDDEN, ids=[f"{s}-{a}" for s, a in FORBIDDEN])
def test_a_jump_outside_the_table_is_refused_in_chinese(stage: str, action: str) -> None:
    with pytest.raises(TransitionNotAllowed) as refused:
        step(stage, action)
    assert refused.value.messages == [f"当前阶段“{Stage(stage).label}”不能执行“{Action(action).label}”"]


@pytest.mark.parametrize("stage", Stage.values)
def test_case_transition_refuses_every_forbidden_action_and_changes_nothing(world: World, stage: str) -> None:
    case = reach(world, stage)
    transitions = CaseTransition.objects.count()
    events = Event.objects.count()
    for action in (a for s, a in FORBIDDEN if s == stage):
        with pytest.raises(TransitionNotAllowed, match="当前阶段"):
            case_transition(case=case, action=action, actor=world.leader)
    case.refresh_from_db()
    assert case.stage == stage
    assert CaseTransition.objects.count() == transitions
    assert Event.objects.count() == events


def test_decide_from_investigation_names_both_in_chinese() -> None:
    with pytest.raises(TransitionNotAllowed) as refused:
        step(Stage.INVESTIGATION, Action.DECIDE)
    assert refused.value.messages == ["当前阶段“调查取证”不能执行“作出决定”"]


def test_every_stage_but_archived_has_a_way_out() -> None:
    sources = {r.source for r in TABLE}
    assert set(Stage.values) - sources == {Stage.ARCHIVED}


def test_every_stage_is_reachable_from_a_lead() -> None:
    reached = {Stage.LEAD.value}
    frontier = [Stage.LEAD.value]
    while frontier:
        here = frontier.pop()
        for r in TABLE:
            if r.source == here and r.target not in reached:
                reached.add(r.target)
                frontier.append(r.target)
    assert reached == set(Stage.values)
