"""Whole cases through the services: the audit trail they leave, numbers, opening a case."""

from __future__ import annotations

import datetime
import json
import threading
from typing import Any

import pytest
from django.db import connection, transaction

from sanxiang.audit.events import EventType
from sanxiang.audit.models import Event
from sanxiang.cases.models import Case, CaseSource, CollectiveDiscussion, Penalty, Procedure
from sanxiang.cases.services import case_open, case_transition
from sanxiang.cases.tests.factories import (
    BIG_FINE,
    World,
    discussion_data,
    do,
    on_spot_data,
    open_case,
    reach,
)
from sanxiang.cases.workflow import Action, GuardFailed, Stage
from sanxiang.documents import numbering


def _trail(case: Case) -> list[tuple[int, str | None]]:
    events = Event.objects.filter(subject_type="cases.case", subject_id=str(case.pk)).order_by("seq")
    return [(e.event_type, json.loads(e.data).get("action")) for e in events]


def test_a_general_case_with_hearing_review_and_discussion_leaves_this_exact_trail(
    world: World, today: Any
) -> None:
    w = world
    case = open_case(w)
    do(case, Action.SUBMIT_FILING, w.alice)
    do(case, Action.REVIEW_FILING, w.head)
    do(case, Action.APPROVE_FILING, w.leader)
    do(case, Action.REPORT_INVESTIGATION, w.alice, report="调查终结")
    do(
        case,
        Action.SUBMIT_CASE_REVIEW,
        w.alice,
        proposed_outcome="penalty",
        penalties=[BIG_FINE],
        is_major=True,
    )
    do(case, Action.APPROVE_PENALTY_PROPOSAL, w.leader)
    do(case, Action.NOTIFY_PENALTY, w.alice)
    assert case.hearing_right
    do(case, Action.REQUEST_HEARING, w.alice)
    do(case, Action.SCHEDULE_HEARING, w.alice, hearing_on=datetime.date(2026, 3, 20), chair=w.erin_officer.pk)
    do(case, Action.NOTIFY_HEARING, w.alice)
    today.set(datetime.date(2026, 3, 20))
    do(case, Action.RECORD_HEARING, w.alice, record="听证笔录", report="听证报告")
    do(case, Action.SUBMIT_LEGAL_REVIEW, w.alice)
    do(case, Action.PASS_LEGAL_REVIEW, w.bob, opinion="同意")
    do(case, Action.RECORD_COLLECTIVE_DISCUSSION, w.leader, **discussion_data(w))
    do(case, Action.DECIDE, w.leader, penalties=[{**BIG_FINE, "amount_fen": 5_500_000}])
    do(case, Action.DELIVER, w.alice, method="直接送达")
    today.set(datetime.date(2026, 4, 1))
    do(case, Action.COMPLETE_EXECUTION, w.alice)
    do(case, Action.SUBMIT_CLOSING, w.alice)
    do(case, Action.APPROVE_CLOSING, w.leader)
    do(case, Action.ARCHIVE, w.archivist)

    changed = EventType.CASE_STAGE_CHANGED
    assert _trail(case) == [
        (EventType.CASE_OPENED, None),
        (changed, "submit_filing"),
        (changed, "review_filing"),
        (changed, "approve_filing"),
        (changed, "report_investigation"),
        (changed, "submit_case_review"),
        (changed, "approve_penalty_proposal"),
        (changed, "notify_penalty"),
        (changed, "request_hearing"),
        (changed, "schedule_hearing"),
        (changed, "notify_hearing"),
        (changed, "record_hearing"),
        (changed, "submit_legal_review"),
        (changed, "pass_legal_review"),
        (changed, "record_collective_discussion"),
        (changed, "decide"),
        (changed, "deliver"),
        (changed, "complete_execution"),
        (changed, "submit_closing"),
        (changed, "approve_closing"),
        (changed, "archive"),
    ]
    assert case.stage == Stage.ARCHIVED
    assert case.number == "（甲县）应急立〔2026〕1号"
    assert case.decision_number == "（甲县）应急罚〔2026〕1号"
    assert (case.filed_on, case.decided_on, case.delivered_on) == (
        datetime.date(2026, 3, 2),
        datetime.date(2026, 3, 20),
        datetime.date(2026, 3, 20),
    )
    assert case.fine_fen == 5_500_000
    assert [p.stage for p in Penalty.objects.filter(case=case)] == ["proposed", "notified", "final"]
    discussion = CollectiveDiscussion.objects.get(case=case)
    assert set(discussion.participants.all()) == {w.leader, w.leader2, w.head}
    assert list(case.transitions.values_list("action", flat=True))[-1] == "archive"


def test_a_simple_procedure_case_is_decided_on_the_spot_reported_executed_and_closed(world: World) -> None:
    w = world
    case = open_case(w, party=w.person, procedure="simple")
    do(case, Action.DECIDE_ON_SPOT, w.alice, **on_spot_data())
    assert (case.procedure, case.stage, case.delivered_on) == (
        Procedure.SIMPLE,
        Stage.ON_SPOT_DECIDED,
        datetime.date(2026, 3, 2),
    )
    assert case.decision_number == "皖应急简0001"
    assert case.number == ""  # no filing in the simple procedure
    do(case, Action.REPORT_ON_SPOT, w.head)
    do(case, Action.COMPLETE_EXECUTION, w.alice)
    do(case, Action.SUBMIT_CLOSING, w.alice)
    do(case, Action.APPROVE_CLOSING, w.leader)
    assert case.stage == Stage.CLOSED
    assert [a for _, a in _trail(case)] == [
        None,
        "decide_on_spot",
        "report_on_spot",
        "complete_execution",
        "submit_closing",
        "approve_closing",
    ]


def test_a_pre_printed_form_number_is_used_once(world: World) -> None:
    first = open_case(world, party=world.person, procedure="simple")
    do(first, Action.DECIDE_ON_SPOT, world.alice, **on_spot_data())
    case = open_case(world, party=world.person, procedure="simple")
    with pytest.raises(GuardFailed, match="编号已被使用"):
        do(case, Action.DECIDE_ON_SPOT, world.alice, **on_spot_data())


def test_a_no_penalty_decision_gets_its_own_number_and_is_delivered(world: World) -> None:
    case = reach(world, Stage.DELIVERED, "no_penalty")
    assert case.decision_number == "（甲县）应急不罚〔2026〕1号"
    assert case.outcome == "no_penalty" and case.fine_fen == 0


def test_filing_numbers_are_gapless_per_agency_and_year(world: World, today: Any) -> None:
    numbers = [reach(world, Stage.INVESTIGATION).number for _ in range(3)]
    returned = reach(world, Stage.FILING_REVIEWED)
    do(returned, Action.RETURN_FILING, world.leader, note="补充材料")
    assert returned.number == ""  # a returned filing takes no number
    today.set(datetime.date(2026, 9, 30))
    numbers.append(reach(world, Stage.INVESTIGATION).number)
    assert numbers == [
        "（甲县）应急立〔2026〕1号",
        "（甲县）应急立〔2026〕2号",
        "（甲县）应急立〔2026〕3号",
        "（甲县）应急立〔2026〕4号",
    ]


def test_serials_restart_each_year_and_for_each_agency_and_code(world: World) -> None:
    a, b = world.p.agency_a, world.p.agency_b
    with transaction.atomic():
        assert [numbering.allocate(agency=a, code="应急立", year=2026) for _ in range(2)] == [1, 2]
        assert numbering.allocate(agency=a, code="应急立", year=2027) == 1
        assert numbering.allocate(agency=b, code="应急立", year=2026) == 1
        assert numbering.allocate(agency=a, code="应急罚", year=2026) == 1


def test_a_refused_decision_gives_its_number_back(world: World) -> None:
    case = reach(world, Stage.DEFENCE_CONCLUDED)
    with pytest.raises(GuardFailed):
        do(case, Action.DECIDE, world.leader, penalties=[BIG_FINE])  # heavier than notified
    do(case, Action.DECIDE, world.leader, penalties=[{**BIG_FINE, "amount_fen": 1_000_000}])
    assert case.decision_number == "（甲县）应急罚〔2026〕1号"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_allocations_on_postgresql_are_unique_and_gapless(personas: Any) -> None:
    agency = personas.agency_a
    got: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker() -> None:
        try:
            for _ in range(25):
                with transaction.atomic():
                    serial = numbering.allocate(agency=agency, code="应急罚", year=2026)
                with lock:
                    got.append(serial)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(got) == list(range(1, 201))


# case_open


def test_opening_a_case_records_a_lead_with_its_parties_and_officers(world: World) -> None:
    case = open_case(world)
    assert (case.stage, case.number, case.procedure) == (Stage.LEAD, "", Procedure.GENERAL)
    assert list(case.case_parties.values_list("party", flat=True)) == [world.company.pk]
    assert set(case.case_officers.values_list("officer", flat=True)) == {
        world.alice_officer.pk,
        world.dave_officer.pk,
    }
    event = Event.objects.order_by("-seq").first()
    assert event is not None and event.event_type == EventType.CASE_OPENED
    assert json.loads(event.data)["officers"] == sorted([world.alice_officer.pk, world.dave_officer.pk])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": "  "}, "请填写案由"),
        ({"parties": []}, "至少选择一名当事人"),
        ({"officers": []}, "至少指定一名承办人员"),
        ({"source": "rumour"}, "案件来源无效"),
        ({"discovered_on": datetime.date(2026, 3, 3)}, "发现日期不能晚于今天"),
        ({"act_date": datetime.date(2026, 2, 21)}, "发现日期不能早于违法行为发生日期"),
        ({"act_ended_on": datetime.date(2026, 1, 1)}, "终了日期不能早于发生日期"),
        ({"officers": "charlie"}, "本机关的执法人员"),
    ],
)
def test_opening_a_case_refuses_bad_input_and_writes_nothing(
    world: World, change: dict[str, Any], message: str
) -> None:
    fields: dict[str, Any] = {
        "actor": world.alice,
        "agency": world.p.agency_a,
        "title": "未按规定佩戴劳动防护用品",
        "category": world.p.category,
        "source": CaseSource.COMPLAINT,
        "parties": [world.company],
        "officers": [world.alice_officer, world.dave_officer],
        "act_date": datetime.date(2026, 1, 10),
        "discovered_on": datetime.date(2026, 2, 20),
    }
    if change.get("officers") == "charlie":
        change = {"officers": [world.alice_officer, world.p.charlie_officer]}
    fields.update(change)
    with pytest.raises(GuardFailed, match=message):
        case_open(**fields)
    assert Case.objects.count() == 0


def test_only_staff_of_the_agency_open_its_cases(world: World) -> None:
    from sanxiang.cases.permissions import NotPermitted

    with pytest.raises(NotPermitted):
        case_open(
            actor=world.charlie,
            agency=world.p.agency_a,
            title="案由",
            category=world.p.category,
            source=CaseSource.OTHER,
            parties=[world.company],
            officers=[world.alice_officer],
        )


def test_a_transition_keeps_its_data_and_note(world: World) -> None:
    case = reach(world, Stage.FILING_SUBMITTED)
    transition = case_transition(
        case=case, action=Action.RETURN_FILING, actor=world.head, note="补充现场照片"
    )
    assert (transition.note, transition.actor, transition.source, transition.target) == (
        "补充现场照片",
        world.head,
        Stage.FILING_SUBMITTED,
        Stage.LEAD,
    )


def test_a_filing_whose_clock_runs_into_a_year_without_holidays_keeps_a_provisional_day(
    world: World, today: Any
) -> None:
    case = reach(world, Stage.FILING_REVIEWED)
    today.set(datetime.date(2026, 12, 31))  # the 90 days end in 2027, whose holidays are not loaded
    do(case, Action.APPROVE_FILING, world.leader)
    case.refresh_from_db()
    assert case.stage == Stage.INVESTIGATION
    assert (case.decision_due_on, case.decision_due_provisional) == (datetime.date(2027, 3, 31), True)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_leaders_approving_one_filing_at_once_give_it_one_number(world: World) -> None:
    case = reach(world, Stage.FILING_REVIEWED)
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def approve(leader: Any) -> None:
        try:
            barrier.wait()
            case_transition(case=Case.objects.get(pk=case.pk), action=Action.APPROVE_FILING, actor=leader)
            outcomes.append("approved")
        except GuardFailed as exc:
            outcomes.append(exc.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(u,)) for u in (world.leader, world.leader2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["approved", "当前阶段“调查取证”不能执行“批准立案”"]
    case.refresh_from_db()
    assert case.number == "（甲县）应急立〔2026〕1号"
    assert case.transitions.filter(action=Action.APPROVE_FILING).count() == 1
