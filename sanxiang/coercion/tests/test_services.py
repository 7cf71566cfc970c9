import datetime
import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sanxiang.audit.events import EventType
from sanxiang.audit.models import Event
from sanxiang.coercion import services
from sanxiang.coercion.models import (
    CoerciveMeasure,
    HandlingKind,
    MeasureAction,
    MeasureExtension,
    MeasureItem,
    MeasureStage,
    MeasureTransition,
)
from sanxiang.coercion.tests.factories import (
    add_items,
    approved,
    at,
    decision,
    emergency,
    in_force,
    record_av,
    reported,
    requested,
    uncertified_officer,
)
from sanxiang.coercion.workflow import GuardFailed, TransitionNotAllowed
from sanxiang.core.personas import make_officer, make_user
from sanxiang.evidence.models import RecordedAct

pytestmark = pytest.mark.django_db


def events_of(measure: CoerciveMeasure) -> list[int]:
    return list(
        Event.objects.filter(subject_type="coercion.coercivemeasure", subject_id=str(measure.pk))
        .order_by("seq")
        .values_list("event_type", flat=True)
    )


def transitions_of(measure: CoerciveMeasure) -> list[tuple[str, str, str]]:
    return [(t.source, t.action, t.target) for t in MeasureTransition.objects.filter(measure=measure)]


def implement(w, measure, acted_at=None, **overrides):
    return services.measure_transition(
        measure=measure,
        action=MeasureAction.IMPLEMENT,
        actor=w.p.alice,
        acted_at=acted_at or at("2026-03-02"),
        **decision(w, **overrides),
    )


# ------------------------------------------------------------------------------------------ the happy paths


def test_approved_measure_is_decided_extended_and_released_with_an_event_for_each_step(world):
    w = world
    measure = in_force(w)
    services.measure_transition(
        measure=measure,
        action=MeasureAction.EXTEND,
        actor=w.leader,
        days=30,
        reason="案情复杂，需进一步调查",
        notice_reference="（甲县）应急查扣延〔2026〕1号",
        decided_on=datetime.date(2026, 3, 20),
    )
    services.measure_transition(
        measure=measure,
        action=MeasureAction.EXCLUDE_DAYS,
        actor=w.p.alice,
        days=5,
        reason="液氨纯度检测",
        notice_reference="检测期间告知书",
    )
    services.measure_transition(
        measure=measure, action=MeasureAction.RELEASE, actor=w.p.alice, reference="解除决定书及退还清单"
    )
    measure.refresh_from_db()
    assert measure.stage == MeasureStage.RELEASED
    assert transitions_of(measure) == [
        ("", "request", "requested"),
        ("requested", "approve", "approved"),
        ("approved", "implement", "in_force"),
        ("in_force", "extend", "in_force"),
        ("in_force", "exclude_days", "in_force"),
        ("in_force", "release", "released"),
    ]
    assert events_of(measure) == [
        EventType.COERCIVE_MEASURE_CREATED,
        EventType.COERCIVE_MEASURE_TRANSITIONED,
        EventType.COERCIVE_MEASURE_ITEM_ADDED,
        EventType.COERCIVE_MEASURE_TRANSITIONED,
        EventType.COERCIVE_MEASURE_EXTENDED,
        EventType.COERCIVE_MEASURE_DAYS_EXCLUDED,
        EventType.COERCIVE_MEASURE_TRANSITIONED,
    ]


def test_implementing_numbers_the_decision_and_records_who_was_present(world):
    measure = in_force(world)
    assert measure.number == "（甲县）应急查扣〔2026〕1号"
    assert measure.decided_on == datetime.date(2026, 3, 2)
    assert set(measure.officers.all()) == set(world.officers)
    assert measure.list_in_two_copies


def test_leader_refuses_a_request_with_a_reason(world):
    measure = requested(world)
    services.measure_transition(
        measure=measure, action=MeasureAction.REFUSE, actor=world.leader, note="证据不足"
    )
    measure.refresh_from_db()
    assert measure.stage == MeasureStage.REFUSED


def test_refusal_without_a_reason_is_refused(world):
    measure = requested(world)
    with pytest.raises(GuardFailed, match="不予批准须说明理由"):
        services.measure_transition(measure=measure, action=MeasureAction.REFUSE, actor=world.leader)


def test_emergency_act_is_reported_and_approved_afterwards(world):
    measure = reported(world, timezone.now() - datetime.timedelta(hours=2))
    assert measure.stage == MeasureStage.REPORTED
    assert measure.reported_at is not None
    assert measure.number.endswith("1号")
    services.measure_transition(measure=measure, action=MeasureAction.APPROVE, actor=world.leader)
    measure.refresh_from_db()
    assert measure.stage == MeasureStage.IN_FORCE
    assert measure.approved_by == world.leader
    assert transitions_of(measure) == [
        ("", "act_emergency", "emergency"),
        ("emergency", "report", "reported"),
        ("reported", "approve", "in_force"),
    ]


def test_refused_emergency_act_is_released_at_once(world):
    measure = reported(world, timezone.now() - datetime.timedelta(hours=2))
    services.measure_transition(
        measure=measure, action=MeasureAction.REFUSE, actor=world.leader, note="不属于情况紧急"
    )
    measure.refresh_from_db()
    assert measure.stage == MeasureStage.RELEASED
    assert measure.ended_on == timezone.localdate()


def test_report_after_24_hours_is_recorded_as_late(world):
    measure = reported(world, timezone.now() - datetime.timedelta(hours=30))
    event = Event.objects.filter(
        subject_id=str(measure.pk), event_type=EventType.COERCIVE_MEASURE_TRANSITIONED
    )
    assert json.loads(event.get().data)["late"] is True


def test_emergency_act_in_the_future_is_refused(world):
    with pytest.raises(ValidationError, match="实施时间不能晚于当前时间"):
        emergency(world, timezone.now() + datetime.timedelta(hours=1))


def test_confiscation_rests_on_the_cases_penalty_decision(world):
    measure = in_force(world)
    with pytest.raises(GuardFailed, match="尚未作出行政处罚决定"):
        services.measure_transition(
            measure=measure,
            action=MeasureAction.HANDLE,
            actor=world.p.alice,
            handling=HandlingKind.CONFISCATE,
        )
    type(world.case).objects.filter(pk=world.case.pk).update(decision_number="（甲县）应急罚〔2026〕7号")
    services.measure_transition(
        measure=measure, action=MeasureAction.HANDLE, actor=world.p.alice, handling=HandlingKind.CONFISCATE
    )
    measure.refresh_from_db()
    assert measure.stage == MeasureStage.HANDLED
    assert measure.end_reference == "（甲县）应急罚〔2026〕7号"


def test_transfer_is_handled_with_its_own_document(world):
    measure = in_force(world)
    services.measure_transition(
        measure=measure,
        action=MeasureAction.HANDLE,
        actor=world.p.alice,
        handling=HandlingKind.TRANSFER,
        reference="涉嫌犯罪案件移送书",
    )
    measure.refresh_from_db()
    assert (measure.stage, measure.handling) == (MeasureStage.HANDLED, HandlingKind.TRANSFER)


# ------------------------------------------------------------------------------------------ forbidden jumps


@pytest.mark.parametrize(
    ("make", "action"),
    [
        ("requested", MeasureAction.IMPLEMENT),
        ("requested", MeasureAction.RELEASE),
        ("requested", MeasureAction.EXTEND),
        ("approved", MeasureAction.APPROVE),
        ("approved", MeasureAction.HANDLE),
        ("approved", MeasureAction.REPORT),
    ],
)
def test_forbidden_jumps_are_refused_and_change_nothing(world, make, action):
    measure = requested(world) if make == "requested" else approved(world)
    before = (measure.stage, MeasureTransition.objects.count(), Event.objects.count())
    with pytest.raises(TransitionNotAllowed, match="不能执行"):
        services.measure_transition(measure=measure, action=action, actor=world.leader)
    measure.refresh_from_db()
    assert (measure.stage, MeasureTransition.objects.count(), Event.objects.count()) == before


@pytest.mark.parametrize("action", [MeasureAction.RELEASE, MeasureAction.EXTEND, MeasureAction.APPROVE])
def test_nothing_moves_a_released_measure(world, action):
    measure = in_force(world)
    services.measure_transition(
        measure=measure, action=MeasureAction.RELEASE, actor=world.p.alice, reference="x"
    )
    with pytest.raises(TransitionNotAllowed):
        services.measure_transition(measure=measure, action=action, actor=world.leader)


def test_an_officer_cannot_approve(world):
    measure = requested(world)
    with pytest.raises(PermissionDenied):
        services.measure_transition(measure=measure, action=MeasureAction.APPROVE, actor=world.p.alice)


def test_an_officer_of_another_agency_cannot_act_on_the_measure(world):
    measure = approved(world)
    with pytest.raises(PermissionDenied):
        services.measure_add_item(actor=world.p.charlie, measure=measure, name="x", quantity=1, unit="个")
    with pytest.raises(PermissionDenied):
        services.measure_request(actor=world.p.charlie, case=world.case, kind="seal", reasons="r", basis="b")


# --------------------------------------------------------------------------------------- guards, both sides


def test_completing_the_act_without_av_record_is_refused(world):
    measure = approved(world)
    add_items(world, measure)
    with pytest.raises(GuardFailed, match="查封扣押须全程音像记录"):
        implement(world, measure)
    measure.refresh_from_db()
    assert (measure.stage, measure.number) == (MeasureStage.APPROVED, "")
    record_av(world, measure, at("2026-03-02"))
    implement(world, measure)
    measure.refresh_from_db()
    assert measure.stage == MeasureStage.IN_FORCE


def test_av_record_that_does_not_cover_the_act_is_refused(world):
    measure = approved(world)
    add_items(world, measure)
    record_av(world, measure, at("2026-03-02", 10))
    with pytest.raises(GuardFailed, match="音像记录须覆盖实施全过程"):
        implement(world, measure, acted_at=at("2026-03-02", 15))


def test_an_av_record_of_another_act_or_tied_to_another_measure_does_not_count(world):
    measure = approved(world)
    add_items(world, measure)
    record_av(world, measure, at("2026-03-02"), act=RecordedAct.SITE_INSPECTION, tied=False)
    other = services.measure_request(
        actor=world.p.alice, case=world.case, kind="seize", reasons="另一处存放点", basis="b"
    )
    record_av(world, other, at("2026-03-02"))
    with pytest.raises(GuardFailed, match="查封扣押须全程音像记录"):
        implement(world, measure)


def test_an_av_record_of_the_act_not_yet_tied_to_a_measure_counts(world):
    measure = approved(world)
    add_items(world, measure)
    record_av(world, measure, at("2026-03-02"), tied=False)
    implement(world, measure)
    measure.refresh_from_db()
    assert measure.stage == MeasureStage.IN_FORCE


def test_one_officer_is_not_enough(world):
    measure = approved(world)
    add_items(world, measure)
    record_av(world, measure, at("2026-03-02"))
    with pytest.raises(GuardFailed, match="两名以上持有效执法证件"):
        implement(world, measure, officers=[world.officers[0]])
    implement(world, measure, officers=world.officers)


@pytest.mark.parametrize("problem", ["expired", "other_category"])
def test_an_officer_without_a_valid_certificate_for_the_category_does_not_count(world, problem):
    measure = approved(world)
    add_items(world, measure)
    record_av(world, measure, at("2026-03-02"))
    stranger = uncertified_officer(world, **{problem: True})
    with pytest.raises(GuardFailed, match="两名以上持有效执法证件"):
        implement(world, measure, officers=[world.officers[0], stranger])


def test_an_officer_of_another_agency_does_not_count(world):
    measure = approved(world)
    add_items(world, measure)
    record_av(world, measure, at("2026-03-02"))
    with pytest.raises(GuardFailed, match="两名以上持有效执法证件"):
        implement(world, measure, officers=[world.officers[0], world.p.charlie_officer])


def test_an_absent_party_needs_a_witness(world):
    measure = approved(world)
    add_items(world, measure)
    record_av(world, measure, at("2026-03-02"))
    with pytest.raises(GuardFailed, match="须邀请见证人"):
        implement(world, measure, party_present=False, witness_name="")
    implement(world, measure, party_present=False, witness_name="王五（村委会主任）")
    measure.refresh_from_db()
    assert measure.witness_name == "王五（村委会主任）"


def test_the_decision_needs_items_and_the_list_in_two_copies(world):
    measure = approved(world)
    record_av(world, measure, at("2026-03-02"))
    with pytest.raises(GuardFailed) as refused:
        implement(world, measure, list_in_two_copies=False)
    assert any("至少须列明一项" in m for m in refused.value.messages)
    assert any("一式二份" in m for m in refused.value.messages)


@pytest.mark.parametrize(("days", "allowed"), [(30, True), (31, False), (0, False)])
def test_the_period_is_at_most_30_days(world, days, allowed):
    measure = approved(world)
    add_items(world, measure)
    record_av(world, measure, at("2026-03-02"))
    if allowed:
        implement(world, measure, period_days=days)
    else:
        with pytest.raises(GuardFailed, match="1至30日"):
            implement(world, measure, period_days=days)


def test_items_cannot_be_added_after_the_decision(world):
    measure = in_force(world)
    with pytest.raises(GuardFailed, match="清单不能再添加物品"):
        add_items(world, measure)
    assert MeasureItem.objects.filter(measure=measure).count() == 1


def test_an_item_needs_a_positive_quantity(world):
    measure = approved(world)
    with pytest.raises(ValidationError, match="数量须大于零"):
        services.measure_add_item(actor=world.p.alice, measure=measure, name="钢瓶", quantity="0", unit="个")


def extend(w, measure, **overrides):
    values: dict[str, Any] = {
        "days": 30,
        "reason": "需进一步调查",
        "notice_reference": "延长查封扣押期限决定书",
        "decided_on": datetime.date(2026, 3, 20),
    }
    values.update(overrides)
    return services.measure_transition(measure=measure, action=MeasureAction.EXTEND, actor=w.leader, **values)


def test_a_second_extension_is_refused(world):
    measure = in_force(world)
    extend(world, measure, days=10)
    with pytest.raises(GuardFailed, match="只能延长一次"):
        extend(world, measure, days=10)
    assert MeasureExtension.objects.filter(measure=measure).count() == 1


def test_an_extension_over_30_days_is_refused(world):
    measure = in_force(world)
    with pytest.raises(GuardFailed, match="延长期限不得超过三十日"):
        extend(world, measure, days=31)
    extend(world, measure, days=30)


def test_an_extension_needs_written_notice(world):
    measure = in_force(world)
    with pytest.raises(GuardFailed, match="书面告知当事人"):
        extend(world, measure, notice_reference=" ")


def test_an_extension_after_the_period_has_ended_is_refused(world):
    measure = in_force(world)  # 30 days from 2026-03-02: ends 2026-04-01
    with pytest.raises(GuardFailed, match="2026-04-01届满"):
        extend(world, measure, decided_on=datetime.date(2026, 4, 2))
    extend(world, measure, decided_on=datetime.date(2026, 4, 1))


def test_only_the_leader_extends(world):
    measure = in_force(world)
    with pytest.raises(PermissionDenied):
        services.measure_transition(
            measure=measure,
            action=MeasureAction.EXTEND,
            actor=world.p.alice,
            days=10,
            reason="r",
            notice_reference="n",
        )


# ------------------------------------------------------------------------------------------ numbers


def test_numbers_are_gapless_per_agency_and_year_and_a_refused_decision_takes_none(world):
    first = in_force(world)
    refused = approved(world)
    add_items(world, refused)
    with pytest.raises(GuardFailed):
        implement(world, refused)  # no AV record
    second = in_force(world, acted_at=at("2026-03-05"))
    third = reported(world, timezone.now() - datetime.timedelta(hours=1))
    next_year = timezone.localdate().year
    assert [first.number, second.number] == ["（甲县）应急查扣〔2026〕1号", "（甲县）应急查扣〔2026〕2号"]
    assert third.number == f"（甲县）应急查扣〔{next_year}〕{3 if next_year == 2026 else 1}号"


def test_another_agency_numbers_from_one(world):
    in_force(world)
    w = world
    leader_b = make_user("lb", agency=w.p.agency_b, roles=["leader"])
    second_b = make_officer(
        None, agency=w.p.agency_b, name="乙二", number="34152401002", category=w.p.category
    )
    measure = services.measure_request(actor=w.p.charlie, case=w.case_b, kind="seize", reasons="r", basis="b")
    services.measure_transition(measure=measure, action=MeasureAction.APPROVE, actor=leader_b)
    services.measure_add_item(actor=w.p.charlie, measure=measure, name="钢瓶", quantity=1, unit="个")
    record_av(w, measure, at("2026-03-02"), actor=w.p.charlie, collectors=[w.p.charlie_officer, second_b])
    services.measure_transition(
        measure=measure,
        action=MeasureAction.IMPLEMENT,
        actor=w.p.charlie,
        acted_at=at("2026-03-02"),
        **decision(w, officers=[w.p.charlie_officer, second_b]),
    )
    measure.refresh_from_db()
    assert measure.number == "（乙县）应急查扣〔2026〕1号"


def test_no_measure_is_started_on_a_closed_case(world):
    type(world.case).objects.filter(pk=world.case.pk).update(stage="closed")
    world.case.refresh_from_db()
    with pytest.raises(GuardFailed, match="案件已结案"):
        requested(world)
    with pytest.raises(GuardFailed, match="案件已结案"):
        services.preservation_request(actor=world.p.alice, case=world.case, reason="r")
    assert not CoerciveMeasure.objects.exists()
