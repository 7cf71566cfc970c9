"""A lead is corrected by its handlers before filing, and every change is kept in the audit log."""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sanxiang.audit.events import EventType
from sanxiang.audit.models import Event
from sanxiang.cases import leads
from sanxiang.cases.models import Case
from sanxiang.cases.permissions import NotPermitted
from sanxiang.cases.tests.factories import World, do, open_case
from sanxiang.cases.workflow import Action, GuardFailed, Stage

HTMX = {"HX-Request": "true"}


def _changes(case: Case) -> list[dict[str, Any]]:
    events = Event.objects.filter(
        event_type=EventType.CASE_LEAD_CHANGED, subject_type="cases.case", subject_id=str(case.pk)
    ).order_by("seq")
    return [json.loads(e.data) for e in events]


def test_a_handler_adds_the_offence_date_and_the_lead_can_then_be_filed(world: World) -> None:
    case = open_case(world, act_date=None)
    with pytest.raises(GuardFailed, match="违法行为发生日期"):
        do(case, Action.SUBMIT_FILING, world.alice)
    leads.case_lead_update(
        case=case, actor=world.alice, reason="查明隐患自1月10日起存在", act_date=datetime.date(2026, 1, 10)
    )
    assert case.act_date == datetime.date(2026, 1, 10)
    do(case, Action.SUBMIT_FILING, world.alice)
    assert case.stage == Stage.FILING_SUBMITTED


def test_each_change_is_logged_with_its_old_and_new_value_and_the_reason(world: World) -> None:
    case = open_case(world)
    leads.case_lead_update(
        case=case,
        actor=world.dave,
        reason="核实",
        act_date=datetime.date(2026, 1, 5),
        title="未按规定维护安全设备",
        facts="新的事实",
        discovered_on=case.discovered_on,
    )
    [entry] = _changes(case)
    old_facts = "sha256:" + hashlib.sha256("检查发现……".encode()).hexdigest()
    new_facts = "sha256:" + hashlib.sha256("新的事实".encode()).hexdigest()
    assert entry == {
        "changes": {
            "act_date": {"from": "2026-01-10", "to": "2026-01-05"},
            "title": {"from": "未按规定对安全设备进行经常性维护、保养", "to": "未按规定维护安全设备"},
            "facts": {"from": old_facts, "to": new_facts},
        },
        "reason": "核实",
    }
    event = Event.objects.filter(event_type=EventType.CASE_LEAD_CHANGED).get()
    assert event.actor_id == world.dave.pk


def test_the_procedure_of_a_lead_can_be_changed_and_decides_the_first_step(world: World) -> None:
    case = open_case(world, procedure="simple", party=world.person)
    leads.case_lead_update(case=case, actor=world.alice, procedure="general")
    assert case.procedure == "general"
    assert _changes(case)[0]["changes"] == {"procedure": {"from": "simple", "to": "general"}}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"act_date": datetime.date(2026, 3, 3)}, "违法行为发生日期不能晚于今天"),
        ({"act_date": datetime.date(2026, 2, 21)}, "发现日期不能早于违法行为发生日期"),
        ({"act_ended_on": datetime.date(2026, 1, 9)}, "终了日期不能早于发生日期"),
        ({"title": "  "}, "请填写案由"),
        ({"procedure": "fast"}, "程序无效"),
        ({"number": "X"}, "不能修改的案源信息：number"),
        ({"act_date": datetime.date(2026, 1, 10)}, "没有修改任何案源登记信息"),
    ],
)
def test_bad_values_are_refused_in_chinese_and_change_nothing(
    world: World, changes: dict[str, Any], message: str
) -> None:
    case = open_case(world)
    before = Case.objects.values().get(pk=case.pk)
    with pytest.raises(GuardFailed, match=message):
        leads.case_lead_update(case=case, actor=world.alice, **changes)
    assert Case.objects.values().get(pk=case.pk) == before
    assert _changes(case) == []


def test_a_lead_submitted_for_filing_is_no_longer_corrected_here(world: World) -> None:
    case = open_case(world)
    do(case, Action.SUBMIT_FILING, world.alice)
    with pytest.raises(GuardFailed, match="只有尚未提请立案的案源"):
        leads.case_lead_update(case=case, actor=world.alice, act_date=datetime.date(2026, 1, 1))


def test_only_its_handlers_correct_a_lead(world: World) -> None:
    case = open_case(world)
    for outsider in (world.erin, world.leader, world.head):
        with pytest.raises(NotPermitted):
            leads.case_lead_update(case=case, actor=outsider, act_date=datetime.date(2026, 1, 1))
    with pytest.raises(Case.DoesNotExist):
        leads.case_lead_update(case=case, actor=world.charlie, act_date=datetime.date(2026, 1, 1))
    assert _changes(case) == []


def test_the_handler_corrects_the_lead_through_the_page(client: Client, world: World) -> None:
    case = open_case(world, act_date=None)
    client.force_login(world.alice)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:lead", args=[case.pk]) in page
    url = reverse("cases:lead", args=[case.pk])
    form = client.get(url, headers=HTMX).content.decode()
    assert 'name="lead-act_date"' in form
    post = {
        "lead-title": case.title,
        "lead-procedure": "general",
        "lead-facts": case.facts,
        "lead-act_date": "2026-01-10",
        "lead-discovered_on": "2026-02-20",
        "lead-reason": "补充发生日期",
    }
    assert client.post(url, post).status_code == 302
    case.refresh_from_db()
    assert case.act_date == datetime.date(2026, 1, 10)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "违法行为发生日期：（空） → 2026-01-10" in page
    assert "艾丽" in page.split('id="lead-changes"')[1]
    refused = client.post(url, {**post, "lead-act_date": "2026-12-01"})
    assert refused.status_code == 422
    assert "违法行为发生日期不能晚于今天" in refused.content.decode()


def test_others_get_no_lead_form(client: Client, world: World) -> None:
    case = open_case(world)
    client.force_login(world.leader)
    assert (
        reverse("cases:lead", args=[case.pk])
        not in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    )
    assert client.get(reverse("cases:lead", args=[case.pk])).status_code == 403
    client.force_login(world.charlie)
    assert client.get(reverse("cases:lead", args=[case.pk])).status_code == 404
