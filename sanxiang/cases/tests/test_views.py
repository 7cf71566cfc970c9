"""The staff pages of cases: list, opening a case, the case page, its actions, the approval queue."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sanxiang.accounts.models import UserRole
from sanxiang.agencies.models import EnforcementCategory
from sanxiang.audit.events import EventType
from sanxiang.audit.models import Event
from sanxiang.cases.models import Case, CaseTransition
from sanxiang.cases.services import case_open
from sanxiang.cases.tests.factories import (
    FINE,
    World,
    do,
    open_case,
    reach,
)
from sanxiang.cases.workflow import Action, Stage
from sanxiang.core.personas import make_officer, make_user
from sanxiang.parties.models import Party
from sanxiang.parties.tests.factories import COMPANY_CODE

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def _page(client: Client, url: str, **params: Any) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _act(case: Case, action: str) -> str:
    return reverse("cases:act", args=[case.pk, action])


def _detail(case: Case) -> str:
    return reverse("cases:detail", args=[case.pk])


def _lead(w: World, title: str, *, officers: list[Any] | None = None) -> Case:
    return case_open(
        actor=w.alice,
        agency=w.p.agency_a,
        title=title,
        category=w.p.category,
        source="inspection",
        parties=[w.company],
        officers=officers or [w.alice_officer, w.dave_officer],
        act_date=datetime.date(2026, 1, 10),
        discovered_on=datetime.date(2026, 2, 20),
    )


# ------------------------------------------------------------------------------------------------ list


def test_pages_need_a_login(client: Client, world: World) -> None:
    case = open_case(world)
    for url in (reverse("cases:list"), reverse("cases:queue"), _detail(case), reverse("cases:create")):
        response = client.get(url)
        assert response.status_code == 302
        assert "next=" in response["Location"]


def test_list_shows_the_cases_of_the_agency_and_nothing_of_another(client: Client, world: World) -> None:
    case = open_case(world)
    client.force_login(world.alice)
    page = _page(client, reverse("cases:list"))
    assert case.title in page
    assert "舒城县某某化工有限公司" in page
    assert "艾丽" in page and "戴夫" in page
    client.force_login(world.charlie)
    page = _page(client, reverse("cases:list"))
    assert case.title not in page
    assert "没有符合条件的案件" in page


def test_list_filters_by_stage(client: Client, world: World) -> None:
    lead = _lead(world, "甲案源")
    filed = reach(world, Stage.INVESTIGATION)
    client.force_login(world.alice)
    page = _page(client, reverse("cases:list"), stage=Stage.INVESTIGATION)
    assert filed.number in page
    assert lead.title not in page


def test_list_filters_by_category(client: Client, world: World) -> None:
    other = EnforcementCategory.objects.create(code="WXHX", name="危险化学品")
    for officer in (world.alice_officer, world.dave_officer):
        officer.categories.add(other)
    mine = _lead(world, "危化品案")
    Case.objects.filter(pk=mine.pk).update(category=other)
    _lead(world, "安全生产案")
    client.force_login(world.alice)
    page = _page(client, reverse("cases:list"), category=other.pk)
    assert "危化品案" in page
    assert "安全生产案" not in page


def test_list_filters_by_handling_officer(client: Client, world: World) -> None:
    frank = make_officer(
        None, agency=world.p.agency_a, name="范克", number="34152301009", category=world.p.category
    )
    _lead(world, "艾丽承办的案件")
    _lead(world, "范克承办的案件", officers=[world.erin_officer, frank])
    client.force_login(world.alice)
    page = _page(client, reverse("cases:list"), officer=frank.pk)
    assert "范克承办的案件" in page
    assert "艾丽承办的案件" not in page


def test_list_filters_overdue_cases_and_marks_them_red(client: Client, world: World, today: Any) -> None:
    late = reach(world, Stage.INVESTIGATION)
    on_time = _lead(world, "未超期的案源")
    assert late.decision_due_on is not None
    today.set(late.decision_due_on + datetime.timedelta(days=1))
    client.force_login(world.alice)
    page = _page(client, reverse("cases:list"), overdue="on")
    assert late.number in page
    assert on_time.title not in page
    assert 'class="overdue-row"' in page
    assert "已超期" in page


def test_list_pages_without_a_query_per_case(client: Client, world: World) -> None:
    open_case(world)
    client.force_login(world.alice)
    client.get(reverse("cases:list"))  # warm the session and the calendar cache
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("cases:list"))
    for _ in range(30):
        open_case(world)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("cases:list")).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
    assert "下一页" in page
    assert "共 31 条" in page
    second = _page(client, reverse("cases:list"), page=2)
    assert "第 2 页" in second


# ------------------------------------------------------------------------------------------------ open


def _open_form(w: World, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "procedure": "general",
        "title": "未按规定佩戴劳动防护用品",
        "category": w.p.category.pk,
        "source": "inspection",
        "source_reference": "JC-2026-001",
        "parties": [w.company.pk],
        "officers": [w.alice_officer.pk, w.dave_officer.pk],
        "facts": "现场检查发现……",
        "act_date": "2026-02-01",
        "discovered_on": "2026-02-20",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_lead_form_shows_the_categories_each_officer_may_enforce(client: Client, world: World) -> None:
    client.force_login(world.alice)
    page = client.get(reverse("cases:create")).content.decode()
    officer = world.alice_officer
    categories = "、".join(c.name for c in officer.categories.all())
    assert categories
    assert f"{officer.name}（{officer.certificate_number}）· {categories}" in page


def test_an_officer_opens_a_lead_through_the_page(client: Client, world: World) -> None:
    client.force_login(world.alice)
    response = client.post(reverse("cases:create"), _open_form(world))
    case = Case.objects.get(title="未按规定佩戴劳动防护用品")
    assert response.status_code == 302
    assert response["Location"] == _detail(case)
    assert case.stage == Stage.LEAD
    assert case.source_reference == "JC-2026-001"
    assert case.act_date == datetime.date(2026, 2, 1)
    assert {link.officer_id for link in case.case_officers.all()} == {
        world.alice_officer.pk,
        world.dave_officer.pk,
    }
    assert Event.objects.filter(event_type=EventType.CASE_OPENED, subject_id=str(case.pk)).exists()


def test_opening_with_one_officer_and_no_party_shows_chinese_errors_and_creates_nothing(
    client: Client, world: World
) -> None:
    client.force_login(world.alice)
    before = Case.objects.count()
    response = client.post(
        reverse("cases:create"), _open_form(world, parties=[], officers=[world.alice_officer.pk], title="")
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "执法人员不得少于两人（行政处罚法第四十二条）" in page
    assert "请至少选择一名当事人" in page
    assert "这个字段是必填项" in page
    assert Case.objects.count() == before


def test_opening_refuses_an_officer_without_a_valid_certificate(client: Client, world: World) -> None:
    expired = make_officer(
        None,
        agency=world.p.agency_a,
        name="过期",
        number="34152301099",
        category=world.p.category,
        valid_to=datetime.date(2025, 12, 31),
    )
    client.force_login(world.alice)
    response = client.post(
        reverse("cases:create"), _open_form(world, officers=[world.alice_officer.pk, expired.pk])
    )
    assert response.status_code == 422
    assert "以下人员没有有效的“安全生产”执法证件" in response.content.decode()
    assert not Case.objects.exists()


def test_opening_a_date_in_the_future_is_refused_by_the_service_in_chinese(
    client: Client, world: World
) -> None:
    client.force_login(world.alice)
    response = client.post(reverse("cases:create"), _open_form(world, discovered_on="2026-12-01"))
    assert response.status_code == 422
    assert "发现日期不能晚于今天" in response.content.decode()
    assert not Case.objects.exists()


def test_opening_with_a_new_party_registers_both(client: Client, world: World) -> None:
    client.force_login(world.alice)
    form = _open_form(
        world,
        parties=[],
        new_party="on",
        **{"party-kind": "person", "party-name": "王五", "party-resident_id": "34152320000229002X"},
    )
    response = client.post(reverse("cases:create"), form)
    assert response.status_code == 302
    case = Case.objects.get()
    assert [link.party.name for link in case.case_parties.select_related("party")] == ["王五"]


def test_a_refused_new_party_leaves_neither_party_nor_case(client: Client, world: World) -> None:
    client.force_login(world.alice)
    parties = Party.objects.count()
    form = _open_form(
        world,
        parties=[],
        new_party="on",
        **{
            "party-kind": "organisation",
            "party-name": "某公司",
            "party-credit_code": COMPANY_CODE[:-1] + "0",
        },
    )
    response = client.post(reverse("cases:create"), form)
    assert response.status_code == 422
    assert Party.objects.count() == parties
    assert not Case.objects.exists()


def test_simple_procedure_entry_opens_the_lead_with_the_on_the_spot_form(
    client: Client, world: World
) -> None:
    client.force_login(world.alice)
    response = client.post(reverse("cases:create"), _open_form(world, procedure="simple"), follow=True)
    page = response.content.decode()
    assert "当场作出处罚决定" in page
    assert 'name="decide_on_spot-form_number"' in page
    case = Case.objects.get()
    assert case.procedure == "simple"
    assert "<dt>程序</dt><dd>简易程序</dd>" in page
    assert f'data-action="{Action.DECIDE_ON_SPOT}"' in page
    assert f'data-action="{Action.SUBMIT_FILING}"' not in page


def test_the_open_page_preselects_the_general_procedure_or_the_one_asked_for(
    client: Client, world: World
) -> None:
    client.force_login(world.alice)
    page = _page(client, reverse("cases:create"))
    assert 'value="general" required id="id_procedure_0" checked' in page
    page = _page(client, reverse("cases:create"), procedure="simple")
    assert 'value="simple" required id="id_procedure_1" checked' in page


def test_charlie_cannot_pick_parties_or_officers_of_agency_a(client: Client, world: World) -> None:
    client.force_login(world.charlie)
    page = _page(client, reverse("cases:create"))
    assert "舒城县某某化工有限公司" not in page
    assert "戴夫" not in page
    response = client.post(reverse("cases:create"), _open_form(world))
    assert response.status_code == 422
    assert not Case.objects.exists()


# ---------------------------------------------------------------------------------------------- detail


def test_charlie_gets_404_for_the_case_pages_of_agency_a_and_cannot_act(client: Client, world: World) -> None:
    case = open_case(world)
    client.force_login(world.charlie)
    assert client.get(_detail(case)).status_code == 404
    assert client.get(_act(case, Action.SUBMIT_FILING)).status_code == 404
    assert client.post(_act(case, Action.SUBMIT_FILING)).status_code == 404
    case.refresh_from_db()
    assert case.stage == Stage.LEAD
    assert not CaseTransition.objects.exists()


def test_the_supervisor_reads_the_case_but_gets_no_button(client: Client, world: World) -> None:
    case = open_case(world)
    client.force_login(world.p.supervisor)
    page = _page(client, _detail(case))
    assert case.title in page
    assert "您当前没有可办理的操作" in page
    assert client.post(_act(case, Action.SUBMIT_FILING)).status_code == 403


def test_at_a_general_lead_the_handling_officer_sees_filing_and_the_leader_nothing(
    client: Client, world: World
) -> None:
    case = open_case(world)
    client.force_login(world.alice)
    page = _page(client, _detail(case))
    assert f'data-action="{Action.SUBMIT_FILING}"' in page
    assert f'data-action="{Action.DECIDE_ON_SPOT}"' not in page
    assert f'data-action="{Action.APPROVE_FILING}"' not in page
    client.force_login(world.leader)
    page = _page(client, _detail(case))
    assert "data-action=" not in page
    assert "您当前没有可办理的操作" in page


def test_after_review_the_leader_sees_approve_and_return_and_the_officer_nothing(
    client: Client, world: World
) -> None:
    case = reach(world, Stage.FILING_REVIEWED)
    client.force_login(world.leader)
    page = _page(client, _detail(case))
    assert page.count("data-action=") == 2
    assert f'data-action="{Action.APPROVE_FILING}"' in page
    assert f'data-action="{Action.RETURN_FILING}"' in page
    client.force_login(world.alice)
    assert "data-action=" not in _page(client, _detail(case))


def test_an_officer_posting_a_leaders_action_gets_403_and_nothing_changes(
    client: Client, world: World
) -> None:
    case = reach(world, Stage.FILING_REVIEWED)
    client.force_login(world.alice)
    assert client.get(_act(case, Action.APPROVE_FILING), headers=HTMX).status_code == 403
    assert client.post(_act(case, Action.APPROVE_FILING)).status_code == 403
    case.refresh_from_db()
    assert case.stage == Stage.FILING_REVIEWED
    assert case.number == ""


def test_filing_is_submitted_reviewed_and_approved_through_the_pages_and_the_number_appears(
    client: Client, world: World
) -> None:
    case = open_case(world)
    client.force_login(world.alice)
    form = client.get(_act(case, Action.SUBMIT_FILING), headers=HTMX).content.decode()
    assert "<html" not in form
    assert "确认提请立案" in form
    response = client.post(_act(case, Action.SUBMIT_FILING), {"submit_filing-note": "请予立案"}, headers=HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == _detail(case)
    client.force_login(world.head)
    response = client.post(_act(case, Action.REVIEW_FILING), {"review_filing-note": ""})
    assert response.status_code == 302
    client.force_login(world.leader)
    response = client.post(_act(case, Action.APPROVE_FILING), {}, follow=True)
    page = response.content.decode()
    case.refresh_from_db()
    assert case.stage == Stage.INVESTIGATION
    assert case.number == "（甲县）应急立〔2026〕1号"
    assert case.number in page
    assert "已完成“批准立案”" in page
    assert [t.action for t in case.transitions.order_by("pk")] == [
        Action.SUBMIT_FILING,
        Action.REVIEW_FILING,
        Action.APPROVE_FILING,
    ]
    assert case.transitions.first().note == "请予立案"  # type: ignore[union-attr]


def test_a_guard_failure_is_shown_in_chinese_above_the_form_with_422_and_nothing_changes(
    client: Client, world: World
) -> None:
    case = open_case(world, party=world.person, procedure="simple")
    client.force_login(world.alice)
    response = client.post(
        _act(case, Action.DECIDE_ON_SPOT),
        {
            "decide_on_spot-p0_kind": "fine",
            "decide_on_spot-p0_amount": "500.00",
            "decide_on_spot-p0_violation": "安全生产法第九十九条第二项",
            "decide_on_spot-form_number": "皖应急简0009",
        },
        headers=HTMX,
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "当场处罚的罚款不得超过200元（行政处罚法第五十一条），本次为500.00元" in page
    assert page.index('class="msg error"') < page.index("<form")
    assert "<html" not in page
    case.refresh_from_db()
    assert case.stage == Stage.LEAD
    assert case.decision_number == ""
    assert not case.transitions.exists()
    assert not case.penalties.exists()


def test_missing_data_is_refused_by_the_service_in_chinese(client: Client, world: World) -> None:
    case = reach(world, Stage.INVESTIGATION)
    client.force_login(world.alice)
    response = client.post(_act(case, Action.REPORT_INVESTIGATION), {"report_investigation-report": "  "})
    assert response.status_code == 422
    assert "请填写调查终结报告" in response.content.decode()
    case.refresh_from_db()
    assert case.stage == Stage.INVESTIGATION


def test_an_action_of_another_stage_is_refused_in_chinese(client: Client, world: World) -> None:
    case = open_case(world)
    client.force_login(world.leader)
    response = client.post(_act(case, Action.APPROVE_FILING), headers=HTMX)
    assert response.status_code == 422
    assert "当前阶段“案源登记”不能执行“批准立案”" in response.content.decode()


def test_an_on_the_spot_decision_through_the_page_converts_yuan_to_fen(client: Client, world: World) -> None:
    case = open_case(world, party=world.person, procedure="simple")
    client.force_login(world.alice)
    response = client.post(
        _act(case, Action.DECIDE_ON_SPOT),
        {
            "decide_on_spot-p0_kind": "fine",
            "decide_on_spot-p0_amount": "150.50",
            "decide_on_spot-p0_violation": "安全生产法第九十九条第二项",
            "decide_on_spot-form_number": "皖应急简0010",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.ON_SPOT_DECIDED
    assert case.fine_fen == 15_050
    page = _page(client, _detail(case))
    assert "150.50" in page
    assert "简易程序" in page


def test_the_decision_form_starts_from_the_notified_penalties(client: Client, world: World) -> None:
    case = reach(world, Stage.DEFENCE_CONCLUDED)
    client.force_login(world.leader)
    form = client.get(_act(case, Action.DECIDE), headers=HTMX).content.decode()
    assert 'value="10000.00"' in form
    assert str(FINE["violation"]) in form


def test_the_collective_discussion_form_posts_participants(client: Client, world: World) -> None:
    case = reach(world, Stage.DEFENCE_CONCLUDED)
    client.force_login(world.leader)
    response = client.post(
        _act(case, Action.RECORD_COLLECTIVE_DISCUSSION),
        {
            "record_collective_discussion-participants": [world.leader.pk, world.leader2.pk, world.head.pk],
            "record_collective_discussion-conclusion": "同意给予行政处罚",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.DISCUSSED


def test_the_case_page_shows_penalties_in_yuan_and_the_running_clock(client: Client, world: World) -> None:
    case = reach(world, Stage.NOTIFIED, "hearing")
    client.force_login(world.alice)
    page = _page(client, _detail(case))
    assert "拟处罚" in page and "已告知" in page
    assert "60,000.00" in page
    assert "听证申请期限届满" in page
    assert "剩 " in page
    assert "行政处罚法第六十四条" in page
    assert "badge state-valid" in page


def test_a_provisional_decision_due_date_is_named_as_such(client: Client, world: World) -> None:
    case = reach(world, Stage.INVESTIGATION)
    Case.objects.filter(pk=case.pk).update(decision_due_provisional=True)
    client.force_login(world.alice)
    page = _page(client, _detail(case))
    assert "作出处罚决定（节假日安排未导入，期限待定，遇休息日顺延）" in page


def test_an_overdue_clock_is_shown_in_red(client: Client, world: World, today: Any) -> None:
    case = reach(world, Stage.DECIDED)
    assert case.delivery_due_on is not None
    today.set(case.delivery_due_on + datetime.timedelta(days=2))
    client.force_login(world.alice)
    page = _page(client, _detail(case))
    assert "送达处罚决定书" in page
    assert '<strong class="overdue">已超期 2 天</strong>' in page


def test_the_timeline_lists_every_transition_with_who_and_the_stages(client: Client, world: World) -> None:
    case = reach(world, Stage.INVESTIGATION_REPORTED)
    do(case, Action.REQUEST_EXTENSION, world.alice, until=datetime.date(2026, 8, 1), reason="需要鉴定")
    client.force_login(world.alice)
    page = _page(client, _detail(case))
    timeline = page[page.index('id="case-timeline"') :]
    for label in ("提请立案", "审核立案", "批准立案", "调查终结报告", "申请延长办案期限"):
        assert label in timeline
    assert "案源登记 → 立案待审核" in timeline
    assert "何股长" in timeline and "李局长" in timeline
    assert "延长至：2026-08-01" in timeline
    assert timeline.index("提请立案") < timeline.index("批准立案") < timeline.index("调查终结报告")


def test_the_timeline_summarises_the_proposal_in_words_and_yuan(client: Client, world: World) -> None:
    case = reach(world, Stage.CASE_REVIEW)
    client.force_login(world.alice)
    page = _page(client, _detail(case))
    timeline = page[page.index('id="case-timeline"') :]
    assert "拟处理意见：给予行政处罚；处罚：罚款 10,000.00元" in timeline


def test_audit_events_of_the_case_are_shown_to_those_who_read_the_audit_log(
    client: Client, world: World
) -> None:
    case = reach(world, Stage.FILING_SUBMITTED)
    client.force_login(world.archivist)
    page = _page(client, _detail(case))
    assert "案源已登记" in page
    assert "案件办理阶段已变更" in page
    client.force_login(world.alice)
    assert "案件办理阶段已变更" not in _page(client, _detail(case))


def test_the_payments_and_coercion_panels_are_on_the_case_page(client: Client, world: World) -> None:
    case = reach(world, Stage.DELIVERED)
    client.force_login(world.alice)
    page = _page(client, _detail(case))
    assert 'id="case-payments"' in page
    assert 'id="case-measures"' in page


# ----------------------------------------------------------------------------------------------- queue


def test_the_section_head_queue_lists_filings_to_review(client: Client, world: World) -> None:
    waiting = reach(world, Stage.FILING_SUBMITTED)
    lead = _lead(world, "尚未提请的案源")
    client.force_login(world.head)
    page = _page(client, reverse("cases:queue"))
    assert waiting.title in page and "审核立案" in page
    assert lead.title not in page


def test_the_leader_queue_lists_filings_to_approve_and_extensions(client: Client, world: World) -> None:
    reach(world, Stage.FILING_REVIEWED)
    case = reach(world, Stage.INVESTIGATION)
    do(case, Action.REQUEST_EXTENSION, world.alice, until=datetime.date(2026, 8, 1), reason="需要鉴定")
    client.force_login(world.leader)
    page = _page(client, reverse("cases:queue"))
    assert "批准立案" in page
    assert "批准延长办案期限" in page
    assert case.number in page


def test_the_legal_reviewer_queue_lists_cases_under_review(client: Client, world: World) -> None:
    case = reach(world, Stage.LEGAL_REVIEW)
    client.force_login(world.bob)
    page = _page(client, reverse("cases:queue"))
    assert case.number in page
    assert "法制审核通过" in page


def test_the_archivist_queue_lists_closed_cases(client: Client, world: World) -> None:
    case = reach(world, Stage.CLOSED)
    client.force_login(world.archivist)
    page = _page(client, reverse("cases:queue"))
    assert case.number in page
    assert "归档" in page


def test_the_queue_is_forbidden_without_an_approving_role_and_empty_for_another_agency(
    client: Client, world: World
) -> None:
    reach(world, Stage.FILING_SUBMITTED)
    client.force_login(world.alice)
    assert client.get(reverse("cases:queue")).status_code == 403
    other_head = make_user("bhead", agency=world.p.agency_b, roles=["section_head"], name="乙股长")
    client.force_login(other_head)
    assert "没有等待您审批的案件" in _page(client, reverse("cases:queue"))


def test_the_navigation_links_cases_and_the_queue_by_role(client: Client, world: World) -> None:
    client.force_login(world.alice)
    page = _page(client, reverse("cases:list"))
    assert f'href="{reverse("cases:list")}"' in page
    assert f'href="{reverse("cases:queue")}"' not in page
    UserRole.objects.create(user=world.alice, role="section_head")
    client.force_login(world.alice)
    assert f'href="{reverse("cases:queue")}"' in _page(client, reverse("cases:list"))


# ----------------------------------------------------------------------------------------------- forms


def test_every_action_form_asks_for_the_data_its_workflow_row_requires(world: World) -> None:
    from sanxiang.cases.forms import PENALTY_ROWS, ActionForm
    from sanxiang.cases.workflow import TABLE

    case = open_case(world)
    for step in TABLE:
        form = ActionForm(case=case, action=step.action)
        for name in step.requires:
            if name == "penalties":
                assert form.has_penalties, step.action
                assert {f"p{i}_kind" for i in range(PENALTY_ROWS)} <= set(form.fields), step.action
            else:
                assert name in form.fields, (step.action, name)
        assert "note" in form.fields


def test_a_supervisor_reading_a_case_is_logged_as_an_access(client: Client, world: World) -> None:
    case = open_case(world)
    client.force_login(world.p.supervisor)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    access = Event.objects.filter(event_type=EventType.CASE_ACCESSED, subject_id=str(case.pk)).get()
    assert access.actor_id == world.p.supervisor.pk


def test_the_agency_own_staff_reading_a_case_is_not_an_access_event(client: Client, world: World) -> None:
    case = open_case(world)
    client.force_login(world.alice)
    client.get(reverse("cases:detail", args=[case.pk]))
    assert not Event.objects.filter(event_type=EventType.CASE_ACCESSED).exists()


def test_the_hearing_chair_list_offers_only_certified_officers_who_do_not_handle_the_case(
    client: Client, world: World
) -> None:
    from sanxiang.agencies.models import CertificateStatus, Officer

    a = world.p.agency_a
    for name, number, change in (
        ("注销者", "34152301091", {"status": CertificateStatus.REVOKED}),
        ("暂扣者", "34152301092", {"status": CertificateStatus.SUSPENDED}),
        ("过期者", "34152301093", {"valid_to": datetime.date(2026, 3, 1)}),
    ):
        officer = make_officer(None, agency=a, name=name, number=number, category=world.p.category)
        Officer.objects.filter(pk=officer.pk).update(**change)
    case = reach(world, Stage.HEARING_REQUESTED)
    client.force_login(world.alice)
    form = client.get(_act(case, Action.SCHEDULE_HEARING), headers=HTMX).content.decode()
    assert "艾琳（34152301004）" in form
    for name in ("注销者", "暂扣者", "过期者", "艾丽", "戴夫"):
        assert name not in form


def test_the_hearing_record_form_starts_from_the_scheduled_day(client: Client, world: World) -> None:
    from sanxiang.cases.tests.factories import HEARING_ON

    case = reach(world, Stage.HEARING_NOTIFIED)
    client.force_login(world.alice)
    form = client.get(_act(case, Action.RECORD_HEARING), headers=HTMX).content.decode()
    assert f'value="{HEARING_ON.isoformat()}"' in form


def test_the_case_page_says_why_a_step_the_user_could_do_is_blocked(client: Client, world: World) -> None:
    case = open_case(world, act_date=None)
    client.force_login(world.alice)
    page = _page(client, _detail(case))
    assert "您当前没有可办理的操作" not in page
    assert "暂不能办理" in page
    reason = "立案前须填写违法行为发生日期和发现日期（行政处罚法第三十六条）。"
    assert f"<strong>提请立案</strong>：{reason}" in page
    client.force_login(world.leader)
    assert "暂不能办理" not in _page(client, _detail(case))


def test_the_timeline_names_the_hearing_chair_and_the_discussion_participants(
    client: Client, world: World
) -> None:
    from sanxiang.cases.tests.factories import discussion_data

    case = reach(world, Stage.HEARING_SCHEDULED)
    client.force_login(world.alice)
    page = _page(client, _detail(case))
    assert "听证主持人：艾琳（执法证号34152301004）" in page
    discussed = reach(world, Stage.DEFENCE_CONCLUDED)
    do(discussed, Action.RECORD_COLLECTIVE_DISCUSSION, world.leader, **discussion_data(world))
    page = _page(client, _detail(discussed))
    ordered = sorted((world.leader, world.leader2, world.head), key=lambda u: u.pk)  # stored by id
    assert "参加人员：" + "、".join(str(u) for u in ordered) in page
    assert "参加人员：" + "、".join(str(u.pk) for u in ordered) not in page
