import datetime

import pytest
from django.urls import reverse

from sanxiang.core.personas import make_user
from sanxiang.inspections.models import Hazard, Inspection, Signature, Stage
from sanxiang.inspections.tests.factories import add_hazard, order, plan, recorded

pytestmark = pytest.mark.django_db


def url(name, inspection, *args):
    return reverse(f"inspections:{name}", args=[inspection.pk, *args])


def test_pages_need_a_login(client, team):
    assert client.get(reverse("inspections:list")).status_code == 302


def test_list_shows_the_agencys_inspections_and_the_plan_button(client, team):
    inspection = plan(team)
    client.force_login(team.personas.alice)
    page = client.get(reverse("inspections:list")).content.decode()
    assert inspection.number in page
    assert "制定检查方案" in page


def test_list_filters_by_stage_in_an_htmx_partial(client, team):
    planned = plan(team)
    done = recorded(team)
    client.force_login(team.personas.alice)
    response = client.get(reverse("inspections:list"), {"stage": "recorded"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert done.number in page
    assert planned.number not in page
    assert "<h1>" not in page


def test_list_filters_overdue_rectification(client, team):
    late = recorded(team)
    order(team, late, [add_hazard(team, late)])
    on_time = recorded(team)
    client.force_login(team.personas.alice)
    page = client.get(reverse("inspections:list"), {"overdue": "on"}).content.decode()
    assert late.number in page
    assert on_time.number not in page
    assert "整改逾期" in page


def test_charlie_sees_an_empty_list_and_gets_404_everywhere(client, team, personas):
    inspection = recorded(team)
    client.force_login(personas.charlie)
    assert inspection.number not in client.get(reverse("inspections:list")).content.decode()
    assert client.get(url("detail", inspection)).status_code == 404
    for name in ("record", "signature", "hazard", "order", "recheck", "to_case"):
        assert client.post(url(name, inspection), {}).status_code == 404
    assert client.post(url("transition", inspection, "close"), {}).status_code == 404
    assert not Hazard.objects.exists()


def test_create_page_plans_an_inspection(client, team, personas):
    client.force_login(personas.alice)
    assert "现场检查方案" in client.get(reverse("inspections:create")).content.decode()
    response = client.post(
        reverse("inspections:create"),
        {
            "party": team.party.pk,
            "category": personas.category.pk,
            "kind": "random",
            "planned_on": "2026-03-02",
            "officers": [o.pk for o in team.officers],
        },
    )
    inspection = Inspection.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("detail", inspection)
    assert inspection.kind == "random"


def test_create_page_shows_the_two_officer_rule(client, team, personas):
    client.force_login(personas.alice)
    response = client.post(
        reverse("inspections:create"),
        {
            "party": team.party.pk,
            "category": personas.category.pk,
            "kind": "key",
            "planned_on": "2026-03-02",
            "officers": [personas.alice_officer.pk],
        },
    )
    assert "不得少于两人" in response.content.decode()
    assert not Inspection.objects.exists()


def test_a_legal_reviewer_may_not_open_the_create_page(client, team, personas):
    client.force_login(personas.bob)
    assert client.get(reverse("inspections:create")).status_code == 403


def test_detail_of_a_plan_offers_the_record_form_to_its_officers_only(client, team, personas):
    inspection = plan(team)
    client.force_login(personas.alice)
    page = client.get(url("detail", inspection)).content.decode()
    assert "保存现场检查记录" in page
    assert "撤销检查方案" in page
    client.force_login(personas.bob)
    page = client.get(url("detail", inspection)).content.decode()
    assert inspection.number in page
    assert "保存现场检查记录" not in page
    assert client.post(url("record", inspection), {}).status_code == 403


def test_the_supervisor_reads_but_may_not_act(client, team, personas):
    inspection = plan(team)
    client.force_login(personas.supervisor)
    page = client.get(url("detail", inspection)).content.decode()
    assert inspection.number in page
    assert "保存现场检查记录" not in page


def test_record_form_moves_the_inspection_on(client, team, personas):
    inspection = plan(team)
    client.force_login(personas.alice)
    response = client.post(
        url("record", inspection),
        {
            "started_at": "2026-03-02T09:00",
            "ended_at": "2026-03-02T11:00",
            "place": "仓库",
            "content": "检查了仓库",
            "unit_contact": "李四",
        },
    )
    assert response.status_code == 302
    assert Inspection.objects.get(pk=inspection.pk).stage == Stage.RECORDED
    page = client.get(url("detail", inspection)).content.decode()
    assert "登记签名" in page
    assert "登记隐患" in page


def test_signature_partial_refuses_a_refusal_without_a_note(client, team, personas):
    inspection = recorded(team, signed=False)
    client.force_login(personas.alice)
    data = {"signer_kind": "unit_head", "signer_name": "李四", "refused": "on"}
    response = client.post(url("signature", inspection), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "记录在案" in response.content.decode()
    assert not Signature.objects.exists()
    data["note"] = "拒绝签名"
    response = client.post(url("signature", inspection), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'id="signatures"' in response.content.decode()
    assert "拒绝签名" in response.content.decode()


def test_hazard_partial_adds_a_hazard(client, team, personas):
    inspection = recorded(team)
    client.force_login(personas.alice)
    response = client.post(
        url("hazard", inspection),
        {"description": "安全出口堵塞", "location": "车间", "legal_basis": "安全生产法", "handling": "order"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "安全出口堵塞" in response.content.decode()
    assert Hazard.objects.get().handling == "order"


def test_order_recheck_and_close_through_the_pages(client, team, personas):
    inspection = recorded(team)
    hazard = add_hazard(team, inspection)
    client.force_login(personas.alice)
    assert "下达整改指令" in client.get(url("detail", inspection)).content.decode()
    response = client.post(
        url("order", inspection),
        {"issued_on": "2026-03-02", "due_on": "2026-03-16", f"requirement_{hazard.pk}": "分区存放"},
    )
    assert response.status_code == 302
    page = client.get(url("detail", inspection)).content.decode()
    assert "（甲县）应急责改〔2026〕1号" in page
    assert "保存复查意见" in page
    assert "办结" not in page
    response = client.post(
        url("recheck", inspection),
        {"rechecked_on": "2026-03-16", "opinion": "已整改", f"result_{hazard.pk}": "1"},
    )
    assert response.status_code == 302
    response = client.post(url("transition", inspection, "close"), {"note": ""})
    assert response.status_code == 302
    assert Inspection.objects.get(pk=inspection.pk).stage == Stage.CLOSED
    page = client.get(url("detail", inspection)).content.decode()
    assert "（甲县）应急复查〔2026〕1号" in page
    assert "保存复查意见" not in page


def test_close_refused_shows_the_reason(client, team, personas):
    inspection = recorded(team)
    add_hazard(team, inspection)
    client.force_login(personas.alice)
    response = client.post(url("transition", inspection, "close"), {"note": ""})
    assert response.status_code == 400
    assert "未整改完毕" in response.content.decode()


def test_an_unknown_action_is_not_found(client, team, personas):
    inspection = plan(team)
    client.force_login(personas.alice)
    assert client.post(url("transition", inspection, "issue_order"), {}).status_code == 404


def test_to_case_through_the_page(client, team, personas):
    inspection = recorded(team)
    hazard = add_hazard(team, inspection)
    client.force_login(personas.alice)
    assert "转为案件" in client.get(url("detail", inspection)).content.decode()
    assert 'name="act_date" value="2026-03-02"' in client.get(url("detail", inspection)).content.decode()
    response = client.post(
        url("to_case", inspection),
        {"title": "危险化学品混存案", "hazards": [hazard.pk], "act_date": "2026-02-20"},
    )
    assert response.status_code == 302
    inspection = Inspection.objects.get(pk=inspection.pk)
    assert inspection.case is not None
    assert inspection.case.act_date == datetime.date(2026, 2, 20)
    assert "危险化学品混存案" in client.get(url("detail", inspection)).content.decode()


def test_an_officer_not_on_the_inspection_gets_no_buttons(client, team, personas):
    inspection = recorded(team)
    eve = make_user("eve", agency=personas.agency_a, roles=["officer"])
    client.force_login(eve)
    page = client.get(url("detail", inspection)).content.decode()
    assert "登记签名" not in page
    assert "转为案件" not in page
    assert client.post(url("hazard", inspection), {}).status_code == 403


def test_close_is_not_offered_while_a_hazard_is_open_and_the_page_says_why(client, team, personas):
    inspection = recorded(team)
    add_hazard(team, inspection)
    client.force_login(personas.alice)
    page = client.get(url("detail", inspection)).content.decode()
    assert "暂不能办理" in page
    assert "未整改完毕" in page
    assert url("transition", inspection, "close") not in page


def test_no_action_is_offered_once_a_certificate_has_lapsed(client, team, personas):
    inspection = plan(team)
    team.dan_officer.status = "suspended"
    team.dan_officer.save()
    client.force_login(personas.alice)
    page = client.get(url("detail", inspection)).content.decode()
    assert "保存现场检查记录" not in page
    assert "丹的执法证件" in page
    assert "撤销检查方案" in page


def test_the_detail_page_lets_htmx_show_a_refused_form_in_place(client, team, personas):
    inspection = recorded(team)
    client.force_login(personas.alice)
    page = client.get(url("detail", inspection)).content.decode()
    assert 'name="htmx-config"' in page
    assert '{"code":"422","swap":true}' in page


def test_a_hazard_form_refused_by_htmx_answers_422_with_the_message(client, team, personas):
    inspection = recorded(team)
    client.force_login(personas.alice)
    response = client.post(
        url("hazard", inspection),
        # 当场整改 without saying how it was corrected
        {"description": "出口堵塞", "location": "车间", "legal_basis": "安全生产法", "handling": "on_spot"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert 'id="hazards"' in response.content.decode()
    assert not Hazard.objects.exists()


def test_the_last_signature_clears_the_blocked_reason_and_brings_the_close_form(client, team, personas):
    inspection = recorded(team, signed=False)
    client.force_login(personas.alice)
    page = client.get(url("detail", inspection)).content.decode()
    assert "尚未在现场检查记录上签名" in page
    signatures = [{"signer_kind": "officer", "officer": officer.pk} for officer in team.officers]
    signatures.append({"signer_kind": "unit_head", "signer_name": "李四"})
    for data in signatures:
        response = client.post(url("signature", inspection), data, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
    answer = response.content.decode()
    assert 'id="signatures"' in answer
    assert '<div id="inspection-blocked" hx-swap-oob="true">' in answer
    assert "尚未在现场检查记录上签名" not in answer
    assert '<div id="inspection-next" hx-swap-oob="true">' in answer
    assert url("transition", inspection, "close") in answer


def test_a_hazard_for_an_order_brings_the_order_form_without_a_reload(client, team, personas):
    inspection = recorded(team)
    client.force_login(personas.alice)
    assert "下达整改指令" not in client.get(url("detail", inspection)).content.decode()
    response = client.post(
        url("hazard", inspection),
        {"description": "安全出口堵塞", "location": "车间", "legal_basis": "安全生产法", "handling": "order"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    answer = response.content.decode()
    assert '<div id="inspection-next" hx-swap-oob="true">' in answer
    assert "下达整改指令" in answer
    assert "未整改完毕" in answer  # 办结 is now blocked, and the box says so


def test_a_transferred_inspection_links_to_its_case(client, team, personas):
    inspection = recorded(team)
    hazard = add_hazard(team, inspection)
    client.force_login(personas.alice)
    response = client.post(url("to_case", inspection), {"title": "危险化学品混存案", "hazards": [hazard.pk]})
    assert response.status_code == 302
    case_id = Inspection.objects.get(pk=inspection.pk).case_id
    page = client.get(url("detail", inspection)).content.decode()
    assert f'href="{reverse("cases:detail", args=[case_id])}"' in page


def test_the_plan_form_offers_only_officers_whose_certificate_is_in_force(client, team, personas):
    from sanxiang.agencies.models import CertificateStatus, Officer
    from sanxiang.core.personas import make_officer

    a = personas.agency_a
    revoked = make_officer(None, agency=a, name="注销者", number="34152301081", category=personas.category)
    Officer.objects.filter(pk=revoked.pk).update(status=CertificateStatus.REVOKED)
    expired = make_officer(None, agency=a, name="过期者", number="34152301082", category=personas.category)
    Officer.objects.filter(pk=expired.pk).update(valid_to="2024-06-30")
    client.force_login(personas.alice)
    page = client.get(reverse("inspections:create")).content.decode()
    assert f"丹（34152301003）· {personas.category.name}" in page
    assert "注销者" not in page and "过期者" not in page


def test_the_plan_form_names_an_officer_whose_certificate_lacks_the_category(client, team, personas):
    from sanxiang.agencies.models import EnforcementCategory

    other = EnforcementCategory.objects.create(code="ZYWS", name="职业卫生")
    client.force_login(personas.alice)
    response = client.post(
        reverse("inspections:create"),
        {
            "party": team.party.pk,
            "category": other.pk,
            "kind": "key",
            "planned_on": "2026-03-02",
            "officers": [o.pk for o in team.officers],
        },
    )
    assert "以下人员在2026-03-02没有有效的“职业卫生”执法证件" in response.content.decode()
    assert "艾丽" in response.content.decode().split("职业卫生”执法证件")[1]
    assert not Inspection.objects.exists()


def test_to_case_without_a_hazard_says_what_to_choose(client, team, personas):
    inspection = recorded(team)
    add_hazard(team, inspection)
    client.force_login(personas.alice)
    response = client.post(url("to_case", inspection), {"title": "危险化学品混存案"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "请至少勾选一项转入案件的事故隐患。" in body
    assert "这个字段是必填项" not in body
