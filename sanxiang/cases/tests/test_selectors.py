"""Scoping, filters, approval queues and the actions a user may perform now."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from sanxiang.agencies.models import EnforcementCategory
from sanxiang.cases.models import Case, CaseTransition
from sanxiang.cases.permissions import NotPermitted, can_view_case
from sanxiang.cases.selectors import (
    actions_for,
    approval_queue_for,
    available_actions,
    case_get_for,
    case_list_for,
)
from sanxiang.cases.services import case_transition
from sanxiang.cases.tests.factories import World, do, open_case, reach
from sanxiang.cases.workflow import Action, Stage


def test_charlie_of_agency_b_can_neither_see_nor_act_on_a_case_of_agency_a(world: World) -> None:
    case = reach(world, Stage.FILING_SUBMITTED)
    assert not case_list_for(world.charlie).exists()
    with pytest.raises(Case.DoesNotExist):
        case_get_for(world.charlie, case.pk)
    assert not can_view_case(world.charlie, case)
    assert available_actions(world.charlie, case) == []
    before = CaseTransition.objects.count()
    with pytest.raises(Case.DoesNotExist):
        case_transition(case=case, action=Action.REVIEW_FILING, actor=world.charlie)
    case.refresh_from_db()
    assert case.stage == Stage.FILING_SUBMITTED
    assert CaseTransition.objects.count() == before
    assert list(approval_queue_for(world.charlie)) == []


def test_the_city_supervisor_reads_a_case_of_agency_a_but_does_not_act(world: World) -> None:
    from sanxiang.accounts.models import UserRole

    UserRole.objects.create(user=world.p.supervisor, role="leader")
    world.p.supervisor.forget_roles()
    case = reach(world, Stage.FILING_REVIEWED)
    assert case_get_for(world.p.supervisor, case.pk) == case
    assert available_actions(world.p.supervisor, case) == []
    with pytest.raises(NotPermitted):
        case_transition(case=case, action=Action.APPROVE_FILING, actor=world.p.supervisor)


def test_a_step_for_another_role_is_refused_in_chinese(world: World) -> None:
    case = reach(world, Stage.FILING_SUBMITTED)
    with pytest.raises(NotPermitted, match="“审核立案”须由承办股室负责人办理"):
        case_transition(case=case, action=Action.REVIEW_FILING, actor=world.alice)


def test_an_officer_who_does_not_handle_the_case_may_not_act_on_it(world: World) -> None:
    case = open_case(world)
    with pytest.raises(NotPermitted, match="承办人员"):
        case_transition(case=case, action=Action.SUBMIT_FILING, actor=world.erin)


def test_case_list_filters_by_stage_category_officer_and_overdue(world: World, today: Any) -> None:
    lead = open_case(world)
    investigating = reach(world, Stage.INVESTIGATION)
    decided = reach(world, Stage.DECIDED)
    other = EnforcementCategory.objects.create(code="ZYWS", name="职业卫生")
    Case.objects.filter(pk=lead.pk).update(category=other)
    alice = world.alice
    assert set(case_list_for(alice)) == {lead, investigating, decided}
    assert list(case_list_for(alice, stage=Stage.INVESTIGATION)) == [investigating]
    assert list(case_list_for(alice, category=other)) == [lead]
    assert set(case_list_for(alice, officer=world.dave_officer)) == {lead, investigating, decided}
    assert list(case_list_for(alice, officer=world.erin_officer)) == []
    assert list(case_list_for(alice, overdue=True)) == []
    # Delivery of the decision of 2 March is due 11 March; the decision of a case filed 2 March, 1 June.
    assert list(case_list_for(alice, overdue=True, today=datetime.date(2026, 3, 12))) == [decided]
    assert set(case_list_for(alice, overdue=True, today=datetime.date(2026, 6, 2))) == {
        investigating,
        decided,
    }


def test_approval_queues_show_each_role_what_waits_for_it(world: World) -> None:
    from sanxiang.cases.tests.factories import on_spot_data

    submitted = reach(world, Stage.FILING_SUBMITTED)
    reviewed = reach(world, Stage.FILING_REVIEWED)
    review = reach(world, Stage.CASE_REVIEW)
    legal = reach(world, Stage.LEGAL_REVIEW)
    closed = reach(world, Stage.CLOSED)
    investigating = reach(world, Stage.INVESTIGATION)
    do(investigating, Action.REQUEST_EXTENSION, world.alice, until=datetime.date(2026, 7, 1), reason="鉴定")
    spot = open_case(world, party=world.person, procedure="simple")
    do(spot, Action.DECIDE_ON_SPOT, world.alice, **on_spot_data())

    assert set(approval_queue_for(world.head)) == {submitted, spot}
    assert set(approval_queue_for(world.leader)) == {reviewed, review, investigating}
    assert set(approval_queue_for(world.bob)) == {legal}
    assert set(approval_queue_for(world.archivist)) == {closed}
    assert list(approval_queue_for(world.alice)) == []


def test_a_legal_reviewer_does_not_queue_a_case_they_handle(world: World) -> None:
    from sanxiang.accounts.models import UserRole

    UserRole.objects.create(user=world.alice, role="legal_reviewer")
    world.alice.forget_roles()
    reach(world, Stage.LEGAL_REVIEW)
    assert list(approval_queue_for(world.alice)) == []


def _actions(user: Any, case: Case) -> set[str]:
    return {s.action for s in available_actions(user, case)}


def test_available_actions_are_exactly_what_the_user_may_do_now(world: World, today: Any) -> None:
    lead = open_case(world)
    assert _actions(world.alice, lead) == {Action.SUBMIT_FILING}
    assert _actions(world.head, lead) == set()
    simple = open_case(world, party=world.person, procedure="simple")
    assert _actions(world.alice, simple) == {Action.DECIDE_ON_SPOT}

    reviewed = reach(world, Stage.FILING_REVIEWED)
    assert _actions(world.leader, reviewed) == {Action.APPROVE_FILING, Action.RETURN_FILING}
    assert _actions(world.alice, reviewed) == set()

    notified = reach(world, Stage.NOTIFIED)  # no hearing right, the period still running
    assert _actions(world.alice, notified) == {
        Action.RECORD_STATEMENT,
        Action.WAIVE_RIGHTS,
        Action.REQUEST_EXTENSION,
    }
    today.set(datetime.date(2026, 3, 10))
    assert Action.LAPSE_DEFENCE_PERIOD in _actions(world.alice, notified)

    hearing = reach(world, Stage.NOTIFIED, "hearing")
    assert Action.REQUEST_HEARING in _actions(world.alice, hearing)

    legal = reach(world, Stage.LEGAL_REVIEW)
    assert _actions(world.bob, legal) == {Action.PASS_LEGAL_REVIEW, Action.RETURN_LEGAL_REVIEW}
    assert _actions(world.leader, legal) == set()


def test_available_actions_hide_a_step_whose_guard_fails(world: World) -> None:
    world.dave_officer.valid_to = datetime.date(2026, 1, 1)
    world.dave_officer.save()
    assert _actions(world.alice, open_case(world)) == set()


def test_a_step_whose_clock_needs_a_missing_holiday_table_is_not_offered(world: World) -> None:
    case = reach(world, Stage.NOTIFIED)
    # Its 5 working days run into 2027, whose holidays are not loaded.
    Case.objects.filter(pk=case.pk).update(notified_on=datetime.date(2026, 12, 28))
    case.refresh_from_db()
    assert _actions(world.alice, case) == {
        Action.RECORD_STATEMENT,
        Action.WAIVE_RIGHTS,
        Action.REQUEST_EXTENSION,
    }


def _blocked(user: Any, case: Case) -> dict[str, str]:
    return {str(step.action): reason for step, reason in actions_for(user, case)[1]}


def test_a_step_a_guard_refuses_is_listed_with_its_reason(world: World) -> None:
    lead = open_case(world, act_date=None)
    assert _actions(world.alice, lead) == set()
    assert _blocked(world.alice, lead) == {
        Action.SUBMIT_FILING: "立案前须填写违法行为发生日期和发现日期（行政处罚法第三十六条）。"
    }
    assert _blocked(world.head, lead) == {}  # not the section head's step: nothing to explain


def test_a_step_of_the_other_procedure_is_neither_offered_nor_listed_as_blocked(world: World) -> None:
    lead = open_case(world)
    assert Action.DECIDE_ON_SPOT not in _blocked(world.alice, lead)
    simple = open_case(world, party=world.person, procedure="simple")
    assert _blocked(world.alice, simple) == {}


def test_a_registered_guard_that_refuses_is_listed_too(world: World, monkeypatch: Any) -> None:
    from sanxiang.cases import workflow

    case = reach(world, Stage.DELIVERED)

    def seizure_in_force(case: Any, actor: Any, data: dict[str, Any]) -> None:
        raise workflow.GuardFailed("查封扣押措施尚未解除。")

    workflow.register_guard(Action.COMPLETE_EXECUTION, seizure_in_force)
    assert _actions(world.alice, case) == set()
    assert _blocked(world.alice, case) == {
        Action.COMPLETE_EXECUTION: "查封扣押措施尚未解除。",
        Action.SUBMIT_CLOSING: "处罚决定尚未执行完毕，不能提请结案。",
    }
