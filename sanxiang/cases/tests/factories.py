"""A small agency A for case tests: handlers Alice and Dave, a section head, a leader, an archivist, Bob the
legal reviewer, Erin an officer who may chair hearings, and a company and a person as parties."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from sanxiang.accounts.models import User
from sanxiang.agencies.models import Officer
from sanxiang.cases.models import Case, CaseSource
from sanxiang.cases.services import case_open, case_transition
from sanxiang.cases.workflow import Action, Stage
from sanxiang.core.personas import make_officer, make_user
from sanxiang.parties.models import Party
from sanxiang.parties.tests.factories import make_company, make_person


@dataclass
class World:
    p: Any
    alice: User
    dave: User
    alice_officer: Officer
    dave_officer: Officer
    erin: User
    erin_officer: Officer
    head: User
    leader: User
    leader2: User
    archivist: User
    bob: User
    charlie: User
    company: Party
    person: Party


def make_world(p: Any) -> World:
    a = p.agency_a
    dave = make_user("dave", agency=a, roles=["officer"], name="戴夫")
    dave_officer = make_officer(dave, agency=a, name="戴夫", number="34152301003", category=p.category)
    erin = make_user("erin", agency=a, roles=["officer"], name="艾琳")
    erin_officer = make_officer(erin, agency=a, name="艾琳", number="34152301004", category=p.category)
    head = make_user("head", agency=a, roles=["section_head"], name="何股长")
    leader = make_user("leader", agency=a, roles=["leader"], name="李局长")
    leader2 = make_user("leader2", agency=a, roles=["leader"], name="刘副局长")
    archivist = make_user("archivist", agency=a, roles=["archivist"], name="安档案")
    company = make_company(actor=p.alice, agency=a)
    person = make_person(actor=p.alice, agency=a)
    return World(
        p,
        p.alice,
        dave,
        p.alice_officer,
        dave_officer,
        erin,
        erin_officer,
        head,
        leader,
        leader2,
        archivist,
        p.bob,
        p.charlie,
        company,
        person,
    )


def open_case(w: World, *, party: Party | None = None, **extra: Any) -> Case:
    fields: dict[str, Any] = {
        "act_date": datetime.date(2026, 1, 10),
        "discovered_on": datetime.date(2026, 2, 20),
    }
    fields.update(extra)
    return case_open(
        actor=w.alice,
        agency=w.p.agency_a,
        title="未按规定对安全设备进行经常性维护、保养",
        category=w.p.category,
        source=CaseSource.INSPECTION,
        parties=[party or w.company],
        officers=[w.alice_officer, w.dave_officer],
        facts="检查发现……",
        **fields,
    )


FINE = {"kind": "fine", "amount_fen": 1_000_000, "violation": "安全生产法第九十九条第二项"}
WARNING = {"kind": "warning", "amount_fen": 0, "violation": "安全生产法第九十九条第二项"}
BIG_FINE = {"kind": "fine", "amount_fen": 6_000_000, "violation": "安全生产法第九十九条第二项"}


def do(case: Case, action: str, actor: User, note: str = "", **data: Any) -> Any:
    return case_transition(case=case, action=action, actor=actor, note=note, **data)


def file_case(w: World, case: Case) -> Case:
    do(case, Action.SUBMIT_FILING, w.alice)
    do(case, Action.REVIEW_FILING, w.head)
    do(case, Action.APPROVE_FILING, w.leader)
    return case


def to_case_review(
    w: World, case: Case, *, penalties: list[dict[str, Any]] | None = None, **flags: Any
) -> Case:
    file_case(w, case)
    do(case, Action.REPORT_INVESTIGATION, w.alice, report="调查终结，事实清楚")
    do(
        case,
        Action.SUBMIT_CASE_REVIEW,
        w.alice,
        proposed_outcome="penalty",
        penalties=penalties or [FINE],
        **flags,
    )
    return case


def to_notified(w: World, case: Case, *, penalties: list[dict[str, Any]] | None = None, **flags: Any) -> Case:
    to_case_review(w, case, penalties=penalties, **flags)
    do(case, Action.APPROVE_PENALTY_PROPOSAL, w.leader)
    do(case, Action.NOTIFY_PENALTY, w.alice)
    return case


# ----------------------------------------------------------------------------------------------------
# Reaching any stage through the table itself: (previous stage, action, actor, data) per stage.

NOTICE_PAST = datetime.date(2026, 2, 2)  # its 5 working days ended before TODAY (2026-03-02)
HEARING_ON = datetime.date(2026, 3, 20)


def _case_review_data(variant: str) -> dict[str, Any]:
    if variant == "no_penalty" or variant == "not_established":
        return {"proposed_outcome": variant}
    return {"proposed_outcome": "penalty", "penalties": [BIG_FINE if variant == "hearing" else FINE]}


def _path(w: World, stage: str, variant: str) -> list[tuple[Any, User, dict[str, Any], str]]:
    """The steps from LEAD to ``stage``: (action, actor, data, note)."""
    s = Stage
    filed: list[tuple[Any, User, dict[str, Any], str]] = [
        (Action.SUBMIT_FILING, w.alice, {}, ""),
        (Action.REVIEW_FILING, w.head, {}, ""),
        (Action.APPROVE_FILING, w.leader, {}, ""),
    ]
    review = [
        *filed,
        (Action.REPORT_INVESTIGATION, w.alice, {"report": "调查终结"}, ""),
        (Action.SUBMIT_CASE_REVIEW, w.alice, _case_review_data(variant), ""),
    ]
    notify_data = {"notified_on": NOTICE_PAST} if variant == "lapsed" else {}
    notified = [
        *review,
        (Action.APPROVE_PENALTY_PROPOSAL, w.leader, {}, ""),
        (Action.NOTIFY_PENALTY, w.alice, notify_data, ""),
    ]
    heard = [*notified, (Action.RECORD_STATEMENT, w.alice, {"statement": "请求从轻处罚"}, "")]
    hearing = [
        *notified,
        (Action.REQUEST_HEARING, w.alice, {}, ""),
        (Action.SCHEDULE_HEARING, w.alice, {"hearing_on": HEARING_ON, "chair": w.erin_officer.pk}, ""),
        (Action.NOTIFY_HEARING, w.alice, {}, ""),
    ]
    decided = (
        [*review, (Action.DECIDE_NO_PENALTY, w.leader, {"reason": "first_offence"}, "")]
        if variant == "no_penalty"
        else [*heard, (Action.DECIDE, w.leader, {"penalties": [FINE]}, "")]
    )
    delivered = [*decided, (Action.DELIVER, w.alice, {"method": "直接送达"}, "")]
    executed = [*delivered, (Action.COMPLETE_EXECUTION, w.alice, {}, "")]
    closing = [*executed, (Action.SUBMIT_CLOSING, w.alice, {}, "")]
    closed = [*closing, (Action.APPROVE_CLOSING, w.leader, {}, "")]
    paths: dict[str, list[tuple[Any, User, dict[str, Any], str]]] = {
        s.LEAD: [],
        s.FILING_SUBMITTED: filed[:1],
        s.FILING_REVIEWED: filed[:2],
        s.INVESTIGATION: filed,
        s.INVESTIGATION_REPORTED: review[:-1],
        s.CASE_REVIEW: review,
        s.PENALTY_PROPOSED: notified[:-1],
        s.NOTIFIED: notified,
        s.HEARING_REQUESTED: hearing[:-2],
        s.HEARING_SCHEDULED: hearing[:-1],
        s.HEARING_NOTIFIED: hearing,
        s.DEFENCE_CONCLUDED: heard,
        s.LEGAL_REVIEW: [*heard, (Action.SUBMIT_LEGAL_REVIEW, w.alice, {}, "")],
        s.LEGAL_REVIEWED: [
            *heard,
            (Action.SUBMIT_LEGAL_REVIEW, w.alice, {}, ""),
            (Action.PASS_LEGAL_REVIEW, w.bob, {"opinion": "同意"}, ""),
        ],
        s.DISCUSSED: [*heard, (Action.RECORD_COLLECTIVE_DISCUSSION, w.leader, discussion_data(w), "")],
        s.DECIDED: decided,
        s.DELIVERED: delivered,
        s.COURT_ENFORCEMENT: [*delivered, (Action.APPLY_COURT_ENFORCEMENT, w.leader, {}, "")],
        s.EXECUTED: executed,
        s.CONCLUDED: [*review, (Action.FIND_NOT_ESTABLISHED, w.leader, {}, "证据不足")],
        s.CLOSING_SUBMITTED: closing,
        s.CLOSED: closed,
        s.ARCHIVED: [*closed, (Action.ARCHIVE, w.archivist, {}, "")],
        s.ON_SPOT_DECIDED: [(Action.DECIDE_ON_SPOT, w.alice, on_spot_data(), "")],
    }
    return paths[stage]


def discussion_data(w: World) -> dict[str, Any]:
    return {"participants": [w.leader.pk, w.leader2.pk, w.head.pk], "conclusion": "同意给予行政处罚"}


def on_spot_data(**extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "penalties": [{"kind": "fine", "amount_fen": 20_000, "violation": "安全生产法第九十九条第二项"}],
        "form_number": "皖应急简0001",
    }
    data.update(extra)
    return data


HEARING_STAGES = {Stage.HEARING_REQUESTED, Stage.HEARING_SCHEDULED, Stage.HEARING_NOTIFIED}


def reach(w: World, stage: str, variant: str = "", **case_fields: Any) -> Case:
    """A case of agency A brought to ``stage`` by performing the table's rows."""
    if stage == Stage.ON_SPOT_DECIDED or variant == "simple":
        # 简易程序 (Art.51): a lead registered for the on-the-spot decision, against a natural person.
        case_fields.setdefault("party", w.person)
        case_fields.setdefault("procedure", "simple")
    if stage in HEARING_STAGES and not variant:
        variant = "hearing"
    case = open_case(w, **case_fields)
    for action, actor, data, note in _path(w, stage, variant):
        case_transition(case=case, action=action, actor=actor, note=note, **data)
    assert case.stage == stage, (case.stage, stage)
    return case
