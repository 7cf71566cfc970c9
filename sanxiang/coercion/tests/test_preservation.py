import datetime
import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from sanxiang.audit.events import EventType
from sanxiang.audit.models import Event
from sanxiang.coercion import selectors, services
from sanxiang.coercion.models import PreservationAction, PreservationOutcome, PreservationStage
from sanxiang.coercion.tests.factories import preservation_requested, preserved
from sanxiang.coercion.workflow import GuardFailed, TransitionNotAllowed

pytestmark = pytest.mark.django_db


def handle(w, preservation, **overrides):
    values: dict[str, Any] = {
        "outcome": PreservationOutcome.RETURN,
        "decision_reference": "先行登记保存证据处理决定书",
        "decided_on": datetime.date(2026, 9, 30),
    }
    values.update(overrides)
    return services.preservation_transition(
        preservation=preservation, action=PreservationAction.HANDLE, actor=w.p.alice, **values
    )


def test_preservation_is_approved_and_handled_with_an_event_for_each_step(world):
    preservation = preserved(world, datetime.date(2026, 9, 24))
    handle(world, preservation)
    preservation.refresh_from_db()
    assert preservation.stage == PreservationStage.HANDLED
    assert preservation.outcome == PreservationOutcome.RETURN
    assert [(t.source, t.action, t.target) for t in preservation.transitions.all()] == [
        ("", "request", "requested"),
        ("requested", "approve", "preserved"),
        ("preserved", "handle", "handled"),
    ]
    events = Event.objects.filter(subject_type="coercion.preservation", subject_id=str(preservation.pk))
    assert list(events.order_by("seq").values_list("event_type", flat=True)) == [
        EventType.PRESERVATION_CREATED,
        EventType.PRESERVATION_ITEM_ADDED,
        EventType.PRESERVATION_TRANSITIONED,
        EventType.PRESERVATION_TRANSITIONED,
    ]
    assert json.loads(events.order_by("seq").reverse()[0].data)["outcome"] == "return"


def test_a_leader_may_approve_too(world):
    preservation = preservation_requested(world)
    services.preservation_transition(
        preservation=preservation,
        action=PreservationAction.APPROVE,
        actor=world.leader,
        preserved_on=datetime.date(2026, 9, 24),
    )
    preservation.refresh_from_db()
    assert preservation.approved_by == world.leader


def test_an_officer_cannot_approve_a_preservation(world):
    preservation = preservation_requested(world)
    with pytest.raises(PermissionDenied):
        services.preservation_transition(
            preservation=preservation, action=PreservationAction.APPROVE, actor=world.p.alice
        )


def test_approval_without_items_is_refused(world):
    preservation = preservation_requested(world, items=0)
    with pytest.raises(GuardFailed, match="至少须列明一项物品"):
        services.preservation_transition(
            preservation=preservation, action=PreservationAction.APPROVE, actor=world.section_head
        )
    preservation.refresh_from_db()
    assert preservation.stage == PreservationStage.REQUESTED


def test_refusal_needs_a_reason(world):
    preservation = preservation_requested(world)
    with pytest.raises(GuardFailed, match="须说明理由"):
        services.preservation_transition(
            preservation=preservation, action=PreservationAction.REFUSE, actor=world.section_head
        )
    services.preservation_transition(
        preservation=preservation, action=PreservationAction.REFUSE, actor=world.section_head, note="无必要"
    )
    preservation.refresh_from_db()
    assert preservation.stage == PreservationStage.REFUSED


@pytest.mark.parametrize("outcome", PreservationOutcome.values)
def test_each_handling_decision_is_recorded(world, outcome):
    preservation = preserved(world, datetime.date(2026, 9, 24))
    handle(world, preservation, outcome=outcome)
    preservation.refresh_from_db()
    assert preservation.outcome == outcome


def test_handling_needs_a_known_outcome_and_a_document(world):
    preservation = preserved(world, datetime.date(2026, 9, 24))
    with pytest.raises(GuardFailed, match="请选择处理决定"):
        handle(world, preservation, outcome="sell")
    with pytest.raises(GuardFailed, match="处理决定书"):
        handle(world, preservation, decision_reference="")
    with pytest.raises(GuardFailed, match="不能早于登记保存日期"):
        handle(world, preservation, decided_on=datetime.date(2026, 9, 23))


def test_handling_before_approval_is_refused(world):
    preservation = preservation_requested(world)
    with pytest.raises(TransitionNotAllowed):
        handle(world, preservation)


def test_items_cannot_be_added_after_approval(world):
    preservation = preserved(world, datetime.date(2026, 9, 24))
    with pytest.raises(GuardFailed, match="清单不能再添加物品"):
        services.preservation_add_item(
            actor=world.p.alice, preservation=preservation, name="x", quantity=1, unit="本"
        )


@pytest.mark.parametrize(
    ("preserved_on", "due"),
    [
        ("2026-03-02", "2026-03-11"),  # Monday + 7 working days
        ("2026-09-24", "2026-10-12"),  # 中秋、国庆 skipped, the 调休 Saturday 10-10 counted
        ("2026-04-30", "2026-05-13"),  # 劳动节 skipped, the 调休 Saturday 05-09 counted
    ],
)
def test_handling_is_due_within_7_working_days(world, preserved_on, due):
    preservation = preserved(world, datetime.date.fromisoformat(preserved_on))
    assert selectors.preservation_due(preservation) == datetime.date.fromisoformat(due)


def test_preservation_without_a_decision_after_7_working_days_shows_overdue(world):
    preservation = preserved(world, datetime.date(2026, 9, 24))
    assert not selectors.preservation_overdue(preservation, today=datetime.date(2026, 10, 12))
    assert selectors.preservation_overdue(preservation, today=datetime.date(2026, 10, 13))
    handle(world, preservation, decided_on=datetime.date(2026, 10, 13))
    preservation.refresh_from_db()
    assert not selectors.preservation_overdue(preservation, today=datetime.date(2026, 10, 13))


def test_charlie_cannot_request_a_preservation_in_agency_as_case(world):
    with pytest.raises(PermissionDenied):
        services.preservation_request(actor=world.p.charlie, case=world.case, reason="r")
