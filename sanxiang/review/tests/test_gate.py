"""No path makes a decision on a case that needs review without a 同意: the service, the case page and
the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sanxiang.api.services import api_token_create
from sanxiang.cases.models import Case
from sanxiang.cases.services import case_transition
from sanxiang.cases.tests.factories import HEARING_ON, World
from sanxiang.cases.workflow import Action, GuardFailed, Stage
from sanxiang.documents.testing import prepare
from sanxiang.review import services
from sanxiang.review.tests.factories import WAN, approve, at_review_point, correct, fine, publish, step

DECISION = [fine(6 * WAN)]
RULE = "对法人或其他组织罚款50,000.00元以上（含本数）"


def _ready(world: World) -> Case:
    """A case the catalog sends to review, its decision document issued: only the review is missing."""
    publish(world)
    case = at_review_point(world, penalties=DECISION)
    prepare(case, Action.DECIDE, data={"penalties": DECISION})
    return case


def test_the_service_refuses_the_decision_naming_the_rule(world: World) -> None:
    case = _ready(world)
    with pytest.raises(GuardFailed) as refused:
        case_transition(case=case, action=Action.DECIDE, actor=world.leader, penalties=DECISION)
    message = refused.value.messages[0]
    assert RULE in message and "行政处罚法第五十八条" in message and "尚未提交法制审核" in message
    case.refresh_from_db()
    assert case.stage == Stage.DEFENCE_CONCLUDED and not case.decision_number


def test_the_collective_discussion_waits_for_the_review_too(world: World) -> None:
    case = _ready(world)
    with pytest.raises(GuardFailed, match="第五十八条"):
        step(
            case,
            Action.RECORD_COLLECTIVE_DISCUSSION,
            world.leader,
            participants=[world.leader.pk, world.leader2.pk, world.head.pk],
            conclusion="同意",
        )


def test_the_case_page_refuses_the_decision_and_says_why(client: Client, world: World) -> None:
    case = _ready(world)
    client.force_login(world.leader)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert RULE in page and "提交法制审核" in page  # the blocked step and its reason, the review panel
    response = client.post(
        f"/cases/{case.pk}/act/decide/",
        {
            "decide-p0_kind": "fine",
            "decide-p0_amount": "60000.00",
            "decide-p0_violation": DECISION[0]["violation"],
        },
    )
    assert response.status_code == 422
    assert "未经法制审核或者审核未通过的，不得作出决定" in response.content.decode()
    case.refresh_from_db()
    assert case.stage == Stage.DEFENCE_CONCLUDED


def test_the_api_refuses_the_decision_with_409(client: Client, world: World) -> None:
    case = _ready(world)
    token = api_token_create(actor=world.leader, name="移动终端")[1]
    response = client.post(
        f"/api/v1/cases/{case.pk}/actions/decide",
        {"data": {"penalties": DECISION}, "note": ""},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 409
    assert RULE in response.json()["detail"]
    case.refresh_from_db()
    assert case.stage == Stage.DEFENCE_CONCLUDED


def test_the_review_steps_cannot_be_taken_from_the_case_page_or_the_api(client: Client, world: World) -> None:
    case = _ready(world)
    with pytest.raises(GuardFailed, match="在“法制审核”页面办理"):
        case_transition(case=case, action=Action.SUBMIT_LEGAL_REVIEW, actor=world.alice)
    round_ = services.review_submit(actor=world.alice, case=case)
    prepare(case, Action.PASS_LEGAL_REVIEW, data={"opinion": "同意"})  # a paper opinion is not the review
    with pytest.raises(GuardFailed, match="在“法制审核”页面办理"):
        case_transition(case=case, action=Action.PASS_LEGAL_REVIEW, actor=world.bob, opinion="同意")
    with pytest.raises(GuardFailed, match="尚未出具审核意见"):
        case_transition(
            case=case, action=Action.PASS_LEGAL_REVIEW, actor=world.bob, opinion="同意", review_round=round_
        )


def test_after_a_correction_only_a_new_approval_opens_the_decision(world: World) -> None:
    case = _ready(world)
    correct(world, services.review_submit(actor=world.alice, case=case))
    with pytest.raises(GuardFailed, match="第1轮审核意见为“纠正”"):
        case_transition(case=case, action=Action.DECIDE, actor=world.leader, penalties=DECISION)
    approve(world, services.review_submit(actor=world.alice, case=case))
    step(
        case,
        Action.RECORD_COLLECTIVE_DISCUSSION,
        world.leader,
        participants=[world.leader.pk, world.leader2.pk, world.head.pk],
        conclusion="同意",
    )
    case_transition(case=case, action=Action.DECIDE, actor=world.leader, penalties=DECISION)
    assert case.stage == Stage.DECIDED


def test_a_case_outside_the_catalog_is_decided_without_review(world: World) -> None:
    publish(world)
    case = at_review_point(world, penalties=[fine(WAN)])
    step(case, Action.DECIDE, world.leader, penalties=[fine(WAN)])
    assert case.stage == Stage.DECIDED


def test_without_a_catalog_the_statute_still_requires_review_after_a_hearing(
    world: World, today: Any
) -> None:
    from sanxiang.documents.tests.factories import walk

    case = walk(world, Stage.HEARING_NOTIFIED)
    today.set(HEARING_ON)
    step(case, Action.RECORD_HEARING, world.alice, record="听证笔录", report="听证报告")
    with pytest.raises(GuardFailed, match="经过听证程序的（行政处罚法第五十八条第一款第二项）"):
        step(case, Action.DECIDE, world.leader, penalties=[fine(6 * WAN)])


def test_a_party_absent_from_the_hearing_leaves_no_statutory_review(world: World, today: Any) -> None:
    from sanxiang.documents.tests.factories import walk

    case = walk(world, Stage.HEARING_NOTIFIED)
    today.set(HEARING_ON)
    step(case, Action.RECORD_HEARING, world.alice, record="未到场", report="视为放弃", party_absent=True)
    step(case, Action.DECIDE, world.leader, penalties=[fine(6 * WAN)])
    assert case.stage == Stage.DECIDED


def test_a_major_case_is_reviewed_before_its_collective_discussion(world: World) -> None:
    case = at_review_point(world, is_major=True)
    with pytest.raises(GuardFailed, match="涉及重大公共利益的重大案件"):
        step(
            case,
            Action.RECORD_COLLECTIVE_DISCUSSION,
            world.leader,
            participants=[world.leader.pk, world.leader2.pk, world.head.pk],
            conclusion="同意",
        )


def test_a_rule_that_also_calls_for_collective_discussion_is_decided_after_one(world: World) -> None:
    case = _ready(world)
    approve(world, services.review_submit(actor=world.alice, case=case))
    with pytest.raises(GuardFailed, match="目录清单规定须集体讨论"):
        case_transition(case=case, action=Action.DECIDE, actor=world.leader, penalties=DECISION)
