"""Submission, rounds, opinions, objections, the leaders' meeting, the reviewer's qualification and the
review period."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sanxiang.audit.events import EventType
from sanxiang.audit.models import Event
from sanxiang.cases.tests.factories import World
from sanxiang.cases.workflow import Action, GuardFailed, Stage
from sanxiang.documents.models import DocumentStatus, Signature
from sanxiang.review import catalog, selectors, services
from sanxiang.review.catalog import CatalogSpec
from sanxiang.review.models import CatchAll, MeetingOutcome, OpinionKind
from sanxiang.review.tests.factories import (
    SOUND,
    WAN,
    approve,
    at_review_point,
    correct,
    fine,
    publish,
    qualify,
    step,
)
from sanxiang.worklist.models import Clock


def _types(case: Any) -> list[int]:
    return list(
        Event.objects.filter(event_type__gte=300, event_type__lt=400)
        .order_by("seq")
        .values_list("event_type", flat=True)
    )


def test_only_the_agencys_administrator_publishes_a_catalog(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.catalog_publish(actor=world.leader, agency=world.p.agency_a, spec=catalog.WORK_SAFETY)
    first = publish(world)
    second = publish(world, note="调整金额标准")
    assert (first.number, second.number) == (1, 2)
    assert first.rules.count() == len(catalog.WORK_SAFETY.rules)
    assert selectors.catalog_in_force(world.p.agency_a.pk) == second
    assert Event.objects.filter(event_type=EventType.REVIEW_CATALOG_PUBLISHED).count() == 2


def test_a_submission_lists_the_rules_that_apply_and_why(world: World) -> None:
    publish(world)
    case = at_review_point(world, penalties=[fine(6 * WAN)])
    round_ = services.review_submit(actor=world.alice, case=case)
    assert case.stage == Stage.LEGAL_REVIEW
    [trigger] = round_.triggers
    assert trigger["label"] == "对法人或其他组织罚款50,000.00元以上（含本数）"
    assert trigger["why"] == "拟罚款60,000.00元，达到50,000.00元，当事人为法人或其他组织"
    assert round_.number == 1 and round_.submitted_by == world.alice
    assert round_.due_on == datetime.date(2026, 3, 9)  # 5 working days after Monday 2 March
    assert [m["key"] for m in round_.materials] == [
        "investigation_report",
        "statement",
        "draft_decision",
        "evidence",
    ]


def test_the_handler_adds_reasons_but_cannot_take_a_triggered_rule_away(world: World) -> None:
    publish(world)
    case = at_review_point(world, penalties=[fine(6 * WAN)])
    round_ = services.review_submit(
        actor=world.alice, case=case, catch_alls=[CatchAll.BEYOND_BENCHMARK], reason="当事人有从轻情节"
    )
    assert [t["code"] for t in round_.triggers] == ["rule:3"]
    assert [t["code"] for t in round_.added] == ["catch_all:beyond_benchmark", "added"]


def test_a_catch_all_the_catalog_does_not_list_is_refused(world: World) -> None:
    publish(world, spec=catalog.CHANGZHI)
    case = at_review_point(world)
    with pytest.raises(GuardFailed, match="不在本机关目录清单中"):
        services.review_submit(actor=world.alice, case=case, catch_alls=[CatchAll.SECTION_HEAD_REFERRAL])
    case.refresh_from_db()
    assert case.stage == Stage.DEFENCE_CONCLUDED


def test_a_submission_is_refused_while_an_item_of_the_package_is_missing(world: World) -> None:
    publish(world)
    case = at_review_point(world, penalties=[fine(6 * WAN)], draft=False)
    with pytest.raises(GuardFailed, match="送审材料不全，请先补齐：行政处罚决定书（代拟稿）"):
        services.review_submit(actor=world.alice, case=case)
    case.refresh_from_db()
    assert case.stage == Stage.DEFENCE_CONCLUDED
    assert not Event.objects.filter(event_type=EventType.REVIEW_SUBMITTED).exists()


def test_only_a_handler_submits(world: World) -> None:
    publish(world)
    case = at_review_point(world, penalties=[fine(6 * WAN)])
    with pytest.raises(PermissionDenied):
        services.review_submit(actor=world.erin, case=case)


def test_a_catalog_change_does_not_change_how_a_submitted_case_is_judged(world: World) -> None:
    publish(world)
    submitted = at_review_point(world, penalties=[fine(6 * WAN)])
    services.review_submit(actor=world.alice, case=submitted)
    raised = CatalogSpec(
        title="修订后的目录清单",
        rules=tuple(r for r in catalog.WORK_SAFETY.rules if r.subject_type != "organisation"),
    )
    publish(world, spec=raised, note="单位罚款不再列入")
    state = selectors.review_state(submitted)
    assert state.required and state.triggers[0]["code"] == "rule:3"
    # Corrected and resubmitted: still judged by the version of the first submission.
    correct(world, selectors.latest_round(submitted))  # type: ignore[arg-type]
    second = services.review_submit(actor=world.alice, case=submitted)
    assert second.number == 2 and [t["code"] for t in second.triggers] == ["rule:3"]
    assert second.review.catalog.number == 1  # type: ignore[union-attr]
    # A case submitted now is judged by the new version.
    later = at_review_point(world, penalties=[fine(6 * WAN)])
    assert not selectors.review_state(later).required
    assert services.review_submit(actor=world.alice, case=later).triggers == []


def test_corrected_resubmitted_approved_then_decided(world: World) -> None:
    publish(world)
    case = at_review_point(world, penalties=[fine(6 * WAN)])
    first = services.review_submit(actor=world.alice, case=case)
    opinion = correct(world, first)
    assert case.stage == Stage.LEGAL_REVIEW  # the caller's copy; the row moved on
    case.refresh_from_db()
    assert case.stage == Stage.DEFENCE_CONCLUDED
    assert opinion.kind == OpinionKind.CORRECT
    assert opinion.corrections == [{"item": "law_discretion", "note": "裁量基准适用不当"}]
    with pytest.raises(GuardFailed, match="第1轮审核意见为“纠正”"):
        step(case, Action.DECIDE, world.leader, penalties=[fine(6 * WAN)])
    second = services.review_submit(actor=world.alice, case=case)
    approve(world, second)
    case.refresh_from_db()
    assert case.stage == Stage.LEGAL_REVIEWED
    step(case, Action.RECORD_COLLECTIVE_DISCUSSION, world.leader, **_discussion(world))
    step(case, Action.DECIDE, world.leader, penalties=[fine(6 * WAN)])
    assert case.stage == Stage.DECIDED
    assert _types(case) == [301, 302, 303, 302, 303]


def test_the_opinion_is_a_numbered_document_signed_by_the_reviewer(world: World) -> None:
    publish(world)
    case = at_review_point(world, penalties=[fine(6 * WAN)])
    opinion = approve(world, services.review_submit(actor=world.alice, case=case))
    document = opinion.document
    assert document.status == DocumentStatus.ISSUED
    assert document.number == "（甲县）应急法审〔2026〕1号"
    assert document.fields["opinion_kind"] == "approve"
    assert document.fields["reviewer"] == "柏博"
    assert Signature.objects.filter(document=document, user=world.bob, role="reviewer").exists()


def test_the_opinion_document_is_rendered_after_commit(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    publish(world)
    case = at_review_point(world, penalties=[fine(6 * WAN)])
    round_ = services.review_submit(actor=world.alice, case=case)
    with django_capture_on_commit_callbacks(execute=True):
        opinion = approve(world, round_)
    opinion.document.refresh_from_db()
    assert opinion.document.pdf_sha256


def test_every_item_of_the_checklist_gets_a_finding(world: World) -> None:
    publish(world)
    case = at_review_point(world, penalties=[fine(6 * WAN)])
    round_ = services.review_submit(actor=world.alice, case=case)
    partial = {k: v for k, v in SOUND.items() if k != "authority"}
    with pytest.raises(GuardFailed, match="是否超越法定权限"):
        services.review_opinion_give(
            actor=world.bob, round=round_, kind="approve", findings=partial, text="同意"
        )
    with pytest.raises(GuardFailed, match="至少一项存在问题"):
        services.review_opinion_give(
            actor=world.bob, round=round_, kind="correct", findings=SOUND, text="纠正"
        )
    with pytest.raises(GuardFailed, match="有权机关"):
        services.review_opinion_give(
            actor=world.bob, round=round_, kind="transfer", findings=SOUND, text="移送"
        )


def test_a_transfer_opinion_returns_the_case_for_the_leader_to_refer(world: World) -> None:
    publish(world)
    case = at_review_point(world, penalties=[fine(6 * WAN)])
    round_ = services.review_submit(actor=world.alice, case=case)
    services.review_opinion_give(
        actor=world.bob,
        round=round_,
        kind="transfer",
        findings={**SOUND, "crime_referral": ("problem", "涉嫌重大责任事故罪")},
        text="涉嫌犯罪，建议移送公安机关。",
        organ="甲县公安局",
    )
    case.refresh_from_db()
    assert case.stage == Stage.DEFENCE_CONCLUDED
    step(case, Action.REFER, world.leader, organ="甲县公安局")
    assert case.stage == Stage.CONCLUDED and case.outcome == "referral"


def test_a_disagreement_decided_for_the_handler_by_the_leaders_meeting_opens_the_decision(
    world: World,
) -> None:
    publish(world)
    case = at_review_point(world, penalties=[fine(6 * WAN)])
    opinion = correct(world, services.review_submit(actor=world.alice, case=case))
    objection = services.review_object(actor=world.alice, opinion=opinion, reasons="裁量符合基准第三档")
    with pytest.raises(GuardFailed, match="异议待局长办公会决定"):
        step(case, Action.DECIDE, world.leader, penalties=[fine(6 * WAN)])
    services.review_meeting_record(
        actor=world.leader,
        objection=objection,
        held_on=datetime.date(2026, 3, 2),
        participants=[world.leader, world.leader2, world.head],
        minutes="经讨论，承办机构的裁量理由成立。",
        outcome=MeetingOutcome.UPHOLD_HANDLER,
    )
    step(case, Action.RECORD_COLLECTIVE_DISCUSSION, world.leader, **_discussion(world))
    step(case, Action.DECIDE, world.leader, penalties=[fine(6 * WAN)])
    assert case.stage == Stage.DECIDED
    assert _types(case) == [301, 302, 303, 304, 305]


def test_a_meeting_that_upholds_the_opinion_keeps_the_decision_closed(world: World) -> None:
    publish(world)
    case = at_review_point(world, penalties=[fine(6 * WAN)])
    opinion = correct(world, services.review_submit(actor=world.alice, case=case))
    objection = services.review_object(actor=world.alice, opinion=opinion, reasons="理由")
    with pytest.raises(PermissionDenied):
        services.review_meeting_record(
            actor=world.bob,
            objection=objection,
            held_on=datetime.date(2026, 3, 2),
            participants=[world.leader, world.leader2, world.head],
            minutes="纪要",
            outcome=MeetingOutcome.UPHOLD_OPINION,
        )
    services.review_meeting_record(
        actor=world.leader,
        objection=objection,
        held_on=datetime.date(2026, 3, 2),
        participants=[world.leader, world.leader2, world.head],
        minutes="维持审核意见，请承办机构纠正后重新送审。",
        outcome=MeetingOutcome.UPHOLD_OPINION,
    )
    with pytest.raises(GuardFailed, match="局长办公会决定维持审核意见"):
        step(case, Action.DECIDE, world.leader, penalties=[fine(6 * WAN)])


def test_an_approval_is_not_objected_to_and_an_objection_is_raised_once(world: World) -> None:
    publish(world)
    case = at_review_point(world, penalties=[fine(6 * WAN)])
    opinion = correct(world, services.review_submit(actor=world.alice, case=case))
    services.review_object(actor=world.alice, opinion=opinion, reasons="理由")
    with pytest.raises(GuardFailed, match="已对该审核意见提出异议"):
        services.review_object(actor=world.alice, opinion=opinion, reasons="再次")
    other = at_review_point(world, penalties=[fine(6 * WAN)])
    approved = approve(world, services.review_submit(actor=world.alice, case=other))
    with pytest.raises(GuardFailed, match="无须提出异议"):
        services.review_object(actor=world.alice, opinion=approved, reasons="理由")


@pytest.mark.parametrize(
    ("appointed", "number", "allowed"),
    [
        (datetime.date(2021, 7, 15), "", False),  # first appointed on the day Art.58 took effect
        (datetime.date(2021, 7, 14), "", True),  # appointed earlier: the qualification is not required
        (datetime.date(2021, 7, 15), "A20211234", True),
        (None, "A20211234", False),  # no appointment recorded
    ],
)
def test_a_reviewer_first_appointed_from_2021_07_15_must_hold_the_legal_qualification(
    world: World, appointed: datetime.date | None, number: str, allowed: bool
) -> None:
    from sanxiang.agencies.models import Officer

    publish(world)
    case = at_review_point(world, penalties=[fine(6 * WAN)])
    round_ = services.review_submit(actor=world.alice, case=case)
    Officer.objects.filter(user=world.bob).update(
        legal_review_appointed_on=appointed, legal_qualification_number=number
    )
    world.bob.refresh_from_db()
    if allowed:
        approve(world, round_)
    else:
        with pytest.raises(PermissionDenied, match="第五十八条第二款"):
            approve(world, round_)


def test_a_reviewer_cannot_review_a_case_they_handled(world: World) -> None:
    from sanxiang.accounts.models import UserRole

    publish(world)
    UserRole.objects.create(user=world.alice, role="legal_reviewer")
    world.alice.forget_roles()
    qualify(world.alice)
    case = at_review_point(world, penalties=[fine(6 * WAN)])
    round_ = services.review_submit(actor=world.alice, case=case)
    with pytest.raises(PermissionDenied, match="不得审核本人承办的案件"):
        services.review_opinion_give(
            actor=world.alice, round=round_, kind="approve", findings=SOUND, text="同意"
        )


def test_a_leader_extends_the_period_once_by_at_most_three_working_days(world: World) -> None:
    publish(world)
    case = at_review_point(world, penalties=[fine(6 * WAN)])
    round_ = services.review_submit(actor=world.alice, case=case)
    with pytest.raises(PermissionDenied):
        services.review_extend(actor=world.bob, round=round_, days=3, reason="案情复杂")
    with pytest.raises(ValidationError, match="1至3个工作日"):
        services.review_extend(actor=world.leader, round=round_, days=4, reason="案情复杂")
    extended = services.review_extend(actor=world.leader, round=round_, days=3, reason="案情复杂")
    assert extended.extended_until == datetime.date(2026, 3, 12)
    with pytest.raises(GuardFailed, match="只能延长一次"):
        services.review_extend(actor=world.leader, round=round_, days=1, reason="再延")
    clock = Clock.objects.get(key=f"case:{case.pk}:legal_review_due")
    assert clock.due == datetime.date(2026, 3, 12)


def test_the_review_period_is_a_stored_clock_for_the_reviewers_until_the_opinion(world: World) -> None:
    publish(world)
    case = at_review_point(world, penalties=[fine(6 * WAN)])
    round_ = services.review_submit(actor=world.alice, case=case)
    clock = Clock.objects.get(key=f"case:{case.pk}:legal_review_due")
    assert clock.due == round_.due_on
    approve(world, round_)
    assert not Clock.objects.filter(key=f"case:{case.pk}:legal_review_due").exists()


def _discussion(w: World) -> dict[str, Any]:
    return {"participants": [w.leader.pk, w.leader2.pk, w.head.pk], "conclusion": "同意给予行政处罚"}
