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
from sanxiang.cases.workflow import Action
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
