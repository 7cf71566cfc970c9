import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from sanxiang.coercion import services
from sanxiang.coercion.models import (
    CoerciveMeasure,
    MeasureAction,
    MeasureStage,
    Preservation,
    PreservationStage,
)
from sanxiang.coercion.tests.factories import (
    add_items,
    approved,
    emergency,
    in_force,
    preservation_requested,
    preserved,
    record_av,
    requested,
)
from sanxiang.deadlines import calendar
from sanxiang.deadlines.models import HolidayYear

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_pages_need_a_login(client, world):
    response = client.get(reverse("coercion:case_measures", args=[world.case.pk]))
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_case_panel_lists_the_measures_and_preservations_of_the_case(client, world):
    in_force(world)
    preserved(world, datetime.date(2026, 9, 24))
    client.force_login(world.p.alice)
    page = client.get(reverse("coercion:case_measures", args=[world.case.pk])).content.decode()
    assert "（甲县）应急查扣〔2026〕1号" in page
    assert "2026-04-01" in page  # the period end
    assert "2026-10-12" in page  # the preservation's handling due
    assert reverse("coercion:measure_create", args=[world.case.pk]) in page
    assert "<html" not in page


def test_case_panel_warns_of_an_emergency_act_past_24_hours(client, world):
    emergency(world, timezone.now() - datetime.timedelta(hours=25))
    client.force_login(world.p.alice)
    page = client.get(reverse("coercion:case_measures", args=[world.case.pk])).content.decode()
    assert "已超过24小时未补办批准" in page


def test_officer_requests_a_measure(client, world):
    client.force_login(world.p.alice)
    response = client.post(
        reverse("coercion:measure_create", args=[world.case.pk]),
        {"kind": "seal", "reasons": "重大事故隐患", "basis": "安全生产法第六十五条", "place": "仓库"},
    )
    measure = CoerciveMeasure.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("coercion:measure_detail", args=[measure.pk])
    assert measure.stage == MeasureStage.REQUESTED


def test_an_emergency_act_needs_its_time(client, world):
    client.force_login(world.p.alice)
    response = client.post(
        reverse("coercion:measure_create", args=[world.case.pk]),
        {"kind": "seize", "emergency": "on", "reasons": "r", "basis": "b"},
    )
    assert response.status_code == 200
    assert "当场实施的，请填写实施时间" in response.content.decode()
    assert not CoerciveMeasure.objects.exists()


def test_items_are_added_by_htmx_and_the_list_comes_back(client, world):
    measure = approved(world)
    client.force_login(world.p.alice)
    response = client.post(
        reverse("coercion:measure_item_add", args=[measure.pk]),
        {"item-name": "液氨钢瓶", "item-quantity": "4", "item-unit": "个", "item-specification": "50L"},
        **HTMX,
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="measure-items"' in page
    assert "液氨钢瓶" in page
    assert "<html" not in page
    assert measure.items.count() == 1


def test_leader_approves_on_the_page_and_an_officer_may_not(client, world):
    measure = requested(world)
    url = reverse("coercion:measure_action", args=[measure.pk, "approve"])
    client.force_login(world.p.alice)
    assert client.post(url, {"approve-note": ""}).status_code == 403
    client.force_login(world.leader)
    assert client.post(url, {"approve-note": "同意"}).status_code == 302
    measure.refresh_from_db()
    assert measure.stage == MeasureStage.APPROVED


def test_implementing_without_av_record_shows_the_refusal(client, world):
    measure = approved(world)
    add_items(world, measure)
    client.force_login(world.p.alice)
    response = client.post(
        reverse("coercion:measure_action", args=[measure.pk, "implement"]),
        {
            "implement-officers": [o.pk for o in world.officers],
            "implement-period_days": "30",
            "implement-party_present": "on",
            "implement-list_in_two_copies": "on",
        },
    )
    assert response.status_code == 422
    assert "查封扣押须全程音像记录" in response.content.decode()
    measure.refresh_from_db()
    assert measure.stage == MeasureStage.APPROVED


def test_the_av_record_of_the_act_is_shown_then_the_implementation_goes_through(client, world):
    measure = approved(world)
    add_items(world, measure)
    client.force_login(world.p.alice)
    page = client.get(reverse("coercion:measure_detail", args=[measure.pk])).content.decode()
    assert "尚未登记音像记录" in page
    assert reverse("evidence:case", args=[world.case.pk]) in page
    now = timezone.localtime()
    record = record_av(world, measure, now)
    page = client.get(reverse("coercion:measure_detail", args=[measure.pk])).content.decode()
    assert record.number in page
    assert "尚未登记音像记录" not in page
    response = client.post(
        reverse("coercion:measure_action", args=[measure.pk, "implement"]),
        {
            "implement-officers": [o.pk for o in world.officers],
            "implement-period_days": "30",
            "implement-witness_name": "王五",
            "implement-list_in_two_copies": "on",
        },
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.stage == MeasureStage.IN_FORCE
    page = client.get(reverse("coercion:measure_detail", args=[measure.pk])).content.decode()
    assert measure.number in page
    assert "期限届满" in page


def test_a_second_extension_is_refused_on_the_page(client, world):
    measure = in_force(world)
    services.measure_transition(
        measure=measure,
        action=MeasureAction.EXTEND,
        actor=world.leader,
        days=10,
        reason="r",
        notice_reference="n",
        decided_on=datetime.date(2026, 3, 20),
    )
    client.force_login(world.leader)
    url = reverse("coercion:measure_action", args=[measure.pk, "extend"])
    data = {"extend-days": "10", "extend-reason": "r", "extend-notice_reference": "n"}
    response = client.post(url, data)
    assert response.status_code == 422
    assert "只能延长一次" in response.content.decode()


def test_a_period_in_a_year_without_holiday_table_is_named_not_guessed(client, world):
    measure = in_force(world)
    HolidayYear.objects.filter(year=2026).delete()
    calendar.invalidate()
    client.force_login(world.p.alice)
    for url in [
        reverse("coercion:measure_detail", args=[measure.pk]),
        reverse("coercion:case_measures", args=[world.case.pk]),
    ]:
        page = client.get(url).content.decode()
        assert "2026年的节假日安排尚未导入" in page


def test_unknown_action_is_not_found(client, world):
    measure = requested(world)
    client.force_login(world.leader)
    assert client.post(reverse("coercion:measure_action", args=[measure.pk, "destroy"])).status_code == 404


def test_preservation_is_requested_listed_and_approved_on_the_pages(client, world):
    client.force_login(world.p.alice)
    response = client.post(
        reverse("coercion:preservation_create", args=[world.case.pk]), {"reason": "账册可能被销毁"}
    )
    preservation = Preservation.objects.get()
    assert response.status_code == 302
    response = client.post(
        reverse("coercion:preservation_item_add", args=[preservation.pk]),
        {"item-name": "台账", "item-quantity": "2", "item-unit": "本"},
        **HTMX,
    )
    assert 'id="preservation-items"' in response.content.decode()
    client.force_login(world.section_head)
    response = client.post(
        reverse("coercion:preservation_action", args=[preservation.pk, "approve"]),
        {"approve-preserved_on": "2026-09-24"},
    )
    assert response.status_code == 302
    preservation.refresh_from_db()
    assert preservation.stage == PreservationStage.PRESERVED
    page = client.get(reverse("coercion:preservation_detail", args=[preservation.pk])).content.decode()
    assert "2026-10-12" in page
    assert ("已逾期" in page) == (timezone.localdate() > datetime.date(2026, 10, 12))


def test_preservation_approval_without_items_shows_the_refusal(client, world):
    preservation = preservation_requested(world, items=0)
    client.force_login(world.section_head)
    response = client.post(reverse("coercion:preservation_action", args=[preservation.pk, "approve"]), {})
    assert response.status_code == 422
    assert "至少须列明一项物品" in response.content.decode()


# ------------------------------------------------------------------------------------------ isolation


def test_charlie_gets_not_found_for_everything_of_agency_a(client, world):
    measure = approved(world)
    preservation = preservation_requested(world)
    client.force_login(world.p.charlie)
    pages: list[tuple[str, list[Any]]] = [
        ("coercion:case_measures", [world.case.pk]),
        ("coercion:measure_create", [world.case.pk]),
        ("coercion:preservation_create", [world.case.pk]),
        ("coercion:measure_detail", [measure.pk]),
        ("coercion:preservation_detail", [preservation.pk]),
    ]
    for name, args in pages:
        assert client.get(reverse(name, args=args)).status_code == 404, name
    writes: list[tuple[str, list[Any]]] = [
        ("coercion:measure_item_add", [measure.pk]),
        ("coercion:measure_action", [measure.pk, "implement"]),
        ("coercion:preservation_item_add", [preservation.pk]),
        ("coercion:preservation_action", [preservation.pk, "approve"]),
    ]
    for name, args in writes:
        assert client.post(reverse(name, args=args), {}).status_code == 404, name
    assert measure.items.count() == 0


def test_the_supervisor_may_look_but_not_act(client, world):
    measure = requested(world)
    client.force_login(world.p.supervisor)
    assert client.get(reverse("coercion:measure_detail", args=[measure.pk])).status_code == 200
    url = reverse("coercion:measure_action", args=[measure.pk, "approve"])
    assert client.post(url, {}).status_code == 403


@pytest.mark.parametrize(
    ("make", "offered"),
    [
        (lambda w: requested(w), "批准"),
        (lambda w: approved(w), "作出决定并实施"),
        (lambda w: emergency(w, timezone.now() - datetime.timedelta(hours=1)), "向负责人报告"),
        (lambda w: in_force(w), "解除查封扣押"),
    ],
)
def test_the_detail_page_offers_the_next_steps_of_each_stage(client, world, make, offered):
    measure = make(world)
    user = world.leader if offered == "批准" else world.p.alice
    client.force_login(user)
    page = client.get(reverse("coercion:measure_detail", args=[measure.pk])).content.decode()
    assert f"<h2>{offered}</h2>" in page


def test_an_ended_case_offers_no_new_measure(client, world):
    from sanxiang.cases.models import Case
    from sanxiang.cases.workflow import Stage

    Case.objects.filter(pk=world.case.pk).update(stage=Stage.CLOSED)
    client.force_login(world.p.alice)
    page = client.get(reverse("coercion:case_measures", args=[world.case.pk])).content.decode()
    assert reverse("coercion:measure_create", args=[world.case.pk]) not in page


def test_the_measure_page_links_back_to_its_case(client, world):
    measure = requested(world)
    client.force_login(world.p.alice)
    page = client.get(reverse("coercion:measure_detail", args=[measure.pk])).content.decode()
    assert f'href="{reverse("cases:detail", args=[world.case.pk])}"' in page


def test_an_extended_measure_shows_its_extension_and_offers_no_second_one(client, world):
    measure = in_force(world)
    client.force_login(world.leader)
    url = reverse("coercion:measure_detail", args=[measure.pk])
    extend_url = reverse("coercion:measure_action", args=[measure.pk, "extend"])
    assert extend_url in client.get(url).content.decode()
    services.measure_transition(
        measure=measure,
        action=MeasureAction.EXTEND,
        actor=world.leader,
        days=10,
        reason="r",
        notice_reference="延期告知书1号",
        decided_on=datetime.date(2026, 3, 20),
    )
    page = client.get(url).content.decode()
    assert extend_url not in page
    assert "延长 10 日" in page
    assert "延期告知书1号" in page


def test_without_the_holiday_table_the_page_shows_the_earliest_end_and_says_it_is_not_final(client, world):
    measure = in_force(world)  # acted on 2026-03-02 for 30 days
    HolidayYear.objects.filter(year=2026).delete()
    calendar.invalidate()
    client.force_login(world.p.alice)
    page = client.get(reverse("coercion:measure_detail", args=[measure.pk])).content.decode()
    assert "期限届满：2026-04-01（节假日安排未导入，期限待定，遇休息日顺延）" in page
    assert "2026年的节假日安排尚未导入" in page


def test_a_released_measure_shows_no_period_and_no_holiday_warning(client, world):
    measure = in_force(world)
    services.measure_transition(
        measure=measure, action=MeasureAction.RELEASE, actor=world.p.alice, reference="解除决定书及退还清单"
    )
    HolidayYear.objects.filter(year=2026).delete()
    calendar.invalidate()
    client.force_login(world.p.alice)
    for url in [
        reverse("coercion:measure_detail", args=[measure.pk]),
        reverse("coercion:case_measures", args=[world.case.pk]),
    ]:
        page = client.get(url).content.decode()
        assert "节假日安排尚未导入" not in page
    assert "已结束" in page
