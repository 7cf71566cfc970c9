"""Acts where 国办发〔2018〕118号 recommends an AV record warn when the case has none covering them."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.test import Client
from django.urls import reverse

from sanxiang.cases import av_rules
from sanxiang.cases.av_rules import Need
from sanxiang.cases.models import Case
from sanxiang.cases.tests.av_factories import record_av
from sanxiang.cases.tests.factories import HEARING_ON, World, do, reach
from sanxiang.cases.workflow import Action, Stage
from sanxiang.evidence.models import RecordedAct

SHANGHAI = ZoneInfo("Asia/Shanghai")
WARNING = "国办发〔2018〕118号"


def at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), SHANGHAI)


def hearing_case(world: World) -> Case:
    return reach(world, Stage.HEARING_NOTIFIED)


def hearing_video(world: World, case: Case, day: datetime.date = HEARING_ON, hour: int = 9) -> None:
    record_av(
        case,
        RecordedAct.HEARING,
        actor=world.alice,
        collectors=[world.alice_officer],
        started_at=at(day, hour),
    )


def test_the_table_requires_a_record_of_sealing_and_recommends_one_of_hearings_deliveries_and_preservation():
    assert av_rules.need(RecordedAct.SEAL_SEIZE) is Need.REQUIRED
    for act in (RecordedAct.HEARING, RecordedAct.DELIVERY, RecordedAct.PRESERVATION):
        assert av_rules.need(act) is Need.RECOMMENDED
        assert "118号" in av_rules.RULES[act].source
    assert av_rules.need(RecordedAct.STATEMENT) is None


def test_a_hearing_without_a_record_gets_a_warning_naming_the_source_and_what_to_do(world: World) -> None:
    case = hearing_case(world)
    warning = av_rules.av_warning(case, RecordedAct.HEARING, HEARING_ON)
    assert warning is not None
    assert WARNING in warning
    assert "上传" in warning
    assert "听证" in warning


def test_a_record_of_the_hearing_on_its_day_removes_the_warning(world: World) -> None:
    case = hearing_case(world)
    hearing_video(world, case)
    assert av_rules.av_warning(case, RecordedAct.HEARING, HEARING_ON) is None
    assert av_rules.av_warning(case, RecordedAct.HEARING, at(HEARING_ON, 9)) is None


def test_a_record_of_another_day_or_another_act_does_not_cover_the_hearing(world: World) -> None:
    case = hearing_case(world)
    hearing_video(world, case, day=HEARING_ON - datetime.timedelta(days=1))
    record_av(
        case,
        RecordedAct.INQUIRY,
        actor=world.alice,
        collectors=[world.alice_officer],
        started_at=at(HEARING_ON, 9),
    )
    assert av_rules.av_warning(case, RecordedAct.HEARING, HEARING_ON) is not None
    # An instant outside the capture is not covered either.
    hearing_video(world, case)
    assert av_rules.av_warning(case, RecordedAct.HEARING, at(HEARING_ON, 15)) is not None


def test_a_required_act_is_enforced_where_it_is_done_not_warned_of(world: World) -> None:
    case = hearing_case(world)
    assert av_rules.av_warning(case, RecordedAct.SEAL_SEIZE, HEARING_ON) is None
    assert av_rules.av_warning(case, RecordedAct.STATEMENT, HEARING_ON) is None
    assert av_rules.av_warning(None, RecordedAct.HEARING, HEARING_ON) is None


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_hearing_record_form_warns_and_links_the_case_evidence(client: Client, world: World) -> None:
    case = hearing_case(world)
    client.force_login(world.alice)
    page = _page(client, reverse("cases:act", args=[case.pk, Action.RECORD_HEARING]))
    assert WARNING in page
    assert f'href="{reverse("evidence:case", args=[case.pk])}"' in page


def test_the_hearing_record_form_does_not_warn_with_a_record_of_the_hearing_day(
    client: Client, world: World
) -> None:
    case = hearing_case(world)
    hearing_video(world, case)
    client.force_login(world.alice)
    page = _page(client, reverse("cases:act", args=[case.pk, Action.RECORD_HEARING]))
    assert "av-warning" not in page


def test_other_action_forms_do_not_warn_of_the_hearing(client: Client, world: World) -> None:
    case = reach(world, Stage.HEARING_SCHEDULED)
    client.force_login(world.alice)
    page = _page(client, reverse("cases:act", args=[case.pk, Action.NOTIFY_HEARING]))
    assert "av-warning" not in page


def _held(world: World, today: Any) -> Case:
    case = hearing_case(world)
    today.set(HEARING_ON)
    do(case, Action.RECORD_HEARING, world.alice, held_on=HEARING_ON, record="听证笔录", report="听证报告")
    case.refresh_from_db()
    assert case.hearing_held_on == HEARING_ON
    return case


def test_the_case_page_warns_of_a_hearing_held_without_a_record(
    client: Client, world: World, today: Any
) -> None:
    case = _held(world, today)
    client.force_login(world.alice)
    page = _page(client, reverse("cases:detail", args=[case.pk]))
    assert WARNING in page
    assert "av-warning" in page


def test_the_case_page_does_not_warn_once_the_hearing_has_its_record(
    client: Client, world: World, today: Any
) -> None:
    case = _held(world, today)
    hearing_video(world, case)
    client.force_login(world.alice)
    assert "av-warning" not in _page(client, reverse("cases:detail", args=[case.pk]))


def test_the_case_page_does_not_warn_before_any_hearing(client: Client, world: World) -> None:
    case = hearing_case(world)
    client.force_login(world.alice)
    assert "av-warning" not in _page(client, reverse("cases:detail", args=[case.pk]))
