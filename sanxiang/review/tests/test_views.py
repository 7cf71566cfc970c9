"""The pages: queue, submission, review, objection, meeting, catalog; the case page's review rounds."""

from __future__ import annotations

import datetime
from typing import Any

from django.test import Client

from sanxiang.cases.tests.factories import World
from sanxiang.cases.workflow import Stage
from sanxiang.review import services
from sanxiang.review.models import CatalogVersion, CheckItem, Objection, Opinion
from sanxiang.review.tests.factories import WAN, admin_of, at_review_point, correct, fine, publish


def _opinion_post(kind: str, **extra: str) -> dict[str, str]:
    data = {f"finding_{item.value}": "sound" for item in CheckItem}
    data.update(kind=kind, text="事实清楚，证据充分。", **extra)
    return data


def test_the_queue_lists_overdue_reviews_first_for_the_reviewer_and_the_supervisor(
    client: Client, world: World, today: Any
) -> None:
    publish(world)
    early = at_review_point(world, penalties=[fine(6 * WAN)])
    services.review_submit(actor=world.alice, case=early)
    today.set(datetime.date(2026, 3, 10))
    late = at_review_point(world, penalties=[fine(7 * WAN)])
    services.review_submit(actor=world.alice, case=late)
    for user in (world.bob, world.p.supervisor):
        client.force_login(user)
        page = client.get("/review/").content.decode()
        assert page.index(early.number) < page.index(late.number)
        assert "逾期 1 日" in page and "剩 7 日" in page
    client.force_login(world.charlie)
    assert client.get("/review/").status_code == 403


def test_the_submission_page_shows_the_rules_and_the_package_and_submits(
    client: Client, world: World
) -> None:
    publish(world)
    case = at_review_point(world, penalties=[fine(6 * WAN)])
    client.force_login(world.alice)
    page = client.get(f"/review/cases/{case.pk}/submit/").content.decode()
    assert "对法人或其他组织罚款50,000.00元以上（含本数）" in page
    assert "拟罚款60,000.00元，达到50,000.00元" in page
    assert "行政处罚决定书（代拟稿）" in page and "缺少" not in page
    response = client.post(
        f"/review/cases/{case.pk}/submit/", {"catch_alls": ["beyond_benchmark"], "reason": ""}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.LEGAL_REVIEW
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "第 1 轮" in page and "拟超出裁量基准减轻或者加重处罚的" in page


def test_a_missing_draft_decision_is_named_and_nothing_is_submitted(client: Client, world: World) -> None:
    publish(world)
    case = at_review_point(world, penalties=[fine(6 * WAN)], draft=False)
    client.force_login(world.alice)
    response = client.post(f"/review/cases/{case.pk}/submit/", {})
    page = response.content.decode()
    assert response.status_code == 200 and "送审材料不全，请先补齐：行政处罚决定书（代拟稿）" in page
    case.refresh_from_db()
    assert case.stage == Stage.DEFENCE_CONCLUDED


def test_the_reviewer_gives_the_opinion_beside_the_materials(client: Client, world: World) -> None:
    publish(world)
    case = at_review_point(world, penalties=[fine(6 * WAN)])
    round_ = services.review_submit(actor=world.alice, case=case)
    client.force_login(world.bob)
    page = client.get(f"/review/rounds/{round_.pk}/").content.decode()
    assert "调查终结报告" in page and "是否超越法定权限" in page and 'id="opinion-form"' in page
    response = client.post(f"/review/rounds/{round_.pk}/", _opinion_post("approve"))
    assert response.status_code == 302
    opinion = Opinion.objects.get(round=round_)
    page = client.get(f"/review/rounds/{round_.pk}/").content.decode()
    assert opinion.document.number in page and 'id="opinion-form"' not in page


def test_a_handler_sees_the_review_page_without_the_opinion_form(client: Client, world: World) -> None:
    publish(world)
    case = at_review_point(world, penalties=[fine(6 * WAN)])
    round_ = services.review_submit(actor=world.alice, case=case)
    client.force_login(world.alice)
    page = client.get(f"/review/rounds/{round_.pk}/").content.decode()
    assert "法制审核意见须由本机关法制审核人员出具" in page and 'id="opinion-form"' not in page
    response = client.post(f"/review/rounds/{round_.pk}/", _opinion_post("approve"))
    assert "法制审核意见须由本机关法制审核人员出具" in response.content.decode()
    assert not Opinion.objects.exists()
    client.force_login(world.charlie)
    assert client.get(f"/review/rounds/{round_.pk}/").status_code == 404


def test_the_objection_and_the_meeting_pages(client: Client, world: World) -> None:
    publish(world)
    case = at_review_point(world, penalties=[fine(6 * WAN)])
    opinion = correct(world, services.review_submit(actor=world.alice, case=case))
    client.force_login(world.alice)
    response = client.post(f"/review/opinions/{opinion.pk}/object/", {"reasons": "裁量符合基准"})
    assert response.status_code == 302
    objection = Objection.objects.get(opinion=opinion)
    client.force_login(world.leader)
    assert "待局长办公会决定的分歧" in client.get("/review/").content.decode()
    response = client.post(
        f"/review/objections/{objection.pk}/meeting/",
        {
            "held_on": "2026-03-02",
            "participants": [world.leader.pk, world.leader2.pk, world.head.pk],
            "minutes": "采纳承办机构意见。",
            "outcome": "uphold_handler",
        },
    )
    assert response.status_code == 302
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "局长办公会决定：采纳承办机构意见" in page


def test_the_administrator_publishes_a_new_catalog_version_from_the_page(
    client: Client, world: World
) -> None:
    publish(world)
    client.force_login(admin_of(world))
    page = client.get("/review/catalog/publish/").content.decode()
    assert "rules-TOTAL_FORMS" in page
    response = client.post(
        "/review/catalog/publish/",
        {
            "title": "修订后的目录清单",
            "basis": "",
            "catch_alls": ["after_hearing"],
            "note": "单位罚款标准调整为10万元",
            "rules-TOTAL_FORMS": "1",
            "rules-INITIAL_FORMS": "0",
            "rules-MIN_NUM_FORMS": "0",
            "rules-MAX_NUM_FORMS": "1000",
            "rules-0-act_kind": "fine",
            "rules-0-subject_type": "organisation",
            "rules-0-threshold_yuan": "100000",
            "rules-0-inclusive": "",
            "rules-0-text": "",
        },
    )
    assert response.status_code == 302
    version = CatalogVersion.objects.get(number=2)
    [rule] = version.rules.all()
    assert (rule.threshold_fen, rule.inclusive) == (10_000_000, False)
    assert version.catch_alls() == ["after_hearing"]
    page = client.get("/review/catalog/").content.decode()
    assert "对法人或其他组织罚款100,000.00元以上（不含本数）" in page
    client.force_login(world.leader)
    assert client.get("/review/catalog/publish/").status_code == 403
