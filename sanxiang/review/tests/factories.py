"""Cases of agency A brought to the review point with their documents, the work-safety catalog, reviewers."""

from __future__ import annotations

import datetime
from typing import Any

from sanxiang.accounts.models import User
from sanxiang.agencies.models import Officer
from sanxiang.cases.models import Case
from sanxiang.cases.services import case_transition
from sanxiang.cases.tests.factories import World, open_case
from sanxiang.cases.workflow import Action, Stage
from sanxiang.core.personas import make_user
from sanxiang.documents import services as document_services
from sanxiang.documents.testing import prepare
from sanxiang.review import catalog, services
from sanxiang.review.catalog import CatalogSpec
from sanxiang.review.models import CatalogVersion, CheckItem, Finding, Opinion, ReviewRound

WAN = 1_000_000  # 1万元 in fen
ART99 = "安全生产法第九十九条第二项"


def qualify(
    user: User, *, appointed: datetime.date = datetime.date(2022, 3, 1), number: str = "A20211234"
) -> None:
    """Record the reviewer's first appointment to legal review and the 法律职业资格 (行政处罚法第五十八条)."""
    Officer.objects.filter(user=user).update(
        legal_review_appointed_on=appointed, legal_qualification_number=number
    )
    user.refresh_from_db()


def admin_of(w: World) -> User:
    found = User.objects.filter(username="admin_a").first()
    return found or make_user("admin_a", agency=w.p.agency_a, roles=["admin"], name="管理员")


def publish(w: World, spec: CatalogSpec = catalog.WORK_SAFETY, **kwargs: Any) -> CatalogVersion:
    return services.catalog_publish(actor=admin_of(w), agency=w.p.agency_a, spec=spec, **kwargs)


def fine(fen: int) -> dict[str, Any]:
    return {"kind": "fine", "amount_fen": fen, "violation": ART99}


def step(case: Case, action: str, actor: User, note: str = "", **data: Any) -> None:
    prepare(case, action, data=data)
    case_transition(case=case, action=action, actor=actor, note=note, **data)


def at_review_point(
    w: World, *, penalties: list[dict[str, Any]] | None = None, draft: bool = True, **case_fields: Any
) -> Case:
    """A case in 待作出决定 after a statement, every document issued, and (``draft``) a draft decision."""
    case = open_case(w, **case_fields)
    step(case, Action.SUBMIT_FILING, w.alice)
    step(case, Action.REVIEW_FILING, w.head)
    step(case, Action.APPROVE_FILING, w.leader)
    step(case, Action.REPORT_INVESTIGATION, w.alice, report="调查终结，事实清楚")
    step(
        case,
        Action.SUBMIT_CASE_REVIEW,
        w.alice,
        proposed_outcome="penalty",
        penalties=penalties or [fine(WAN)],
    )
    step(case, Action.APPROVE_PENALTY_PROPOSAL, w.leader)
    step(case, Action.NOTIFY_PENALTY, w.alice)
    step(case, Action.RECORD_STATEMENT, w.alice, statement="请求从轻处罚")
    if draft:
        document_services.document_draft(actor=w.alice, type_key="penalty_decision", case=case)
    assert case.stage == Stage.DEFENCE_CONCLUDED
    return case


SOUND = {item.value: (Finding.SOUND, "") for item in CheckItem}


def with_problem(
    item: str = CheckItem.LAW_DISCRETION, note: str = "裁量基准适用不当"
) -> dict[str, tuple[str, str]]:
    return {**SOUND, item: (Finding.PROBLEM, note)}


def approve(w: World, round_: ReviewRound) -> Opinion:
    return services.review_opinion_give(
        actor=w.bob, round=round_, kind="approve", findings=SOUND, text="事实清楚，证据充分，同意。"
    )


def correct(w: World, round_: ReviewRound) -> Opinion:
    return services.review_opinion_give(
        actor=w.bob,
        round=round_,
        kind="correct",
        findings=with_problem(),
        text="罚款数额与裁量基准不符，请纠正。",
    )
