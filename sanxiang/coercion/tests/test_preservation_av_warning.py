"""A 先行登记保存 carried out with no audio/video record of it that day is warned of (国办发〔2018〕118号)."""

from __future__ import annotations

import datetime

from django.test import Client
from django.urls import reverse

from sanxiang.cases.tests.av_factories import record_av
from sanxiang.coercion.tests.factories import World, at, preservation_requested, preserved
from sanxiang.evidence.models import RecordedAct

DAY = datetime.date(2026, 3, 2)


def _page(client: Client, world: World, pk: int) -> str:
    client.force_login(world.p.alice)
    response = client.get(reverse("coercion:preservation_detail", args=[pk]))
    assert response.status_code == 200
    return response.content.decode()


def _video(world: World, day: str, act: str = RecordedAct.PRESERVATION) -> None:
    record_av(world.case, act, actor=world.p.alice, collectors=world.officers, started_at=at(day, 9))


def test_a_preservation_without_a_record_of_its_day_shows_the_warning_and_the_evidence_link(
    client: Client, world: World
) -> None:
    preservation = preserved(world, DAY)
    page = _page(client, world, preservation.pk)
    assert "av-warning" in page
    assert "国办发〔2018〕118号" in page
    assert "先行登记保存" in page
    assert f'href="{reverse("evidence:case", args=[world.case.pk])}"' in page


def test_a_record_of_the_preservation_that_day_removes_the_warning(client: Client, world: World) -> None:
    preservation = preserved(world, DAY)
    _video(world, "2026-03-02")
    assert "av-warning" not in _page(client, world, preservation.pk)


def test_a_record_of_another_act_or_day_does_not_cover_the_preservation(client: Client, world: World) -> None:
    preservation = preserved(world, DAY)
    _video(world, "2026-03-02", act=RecordedAct.INQUIRY)
    _video(world, "2026-03-03")
    assert "av-warning" in _page(client, world, preservation.pk)


def test_a_preservation_not_yet_carried_out_is_not_warned_of(client: Client, world: World) -> None:
    preservation = preservation_requested(world)
    assert "av-warning" not in _page(client, world, preservation.pk)
