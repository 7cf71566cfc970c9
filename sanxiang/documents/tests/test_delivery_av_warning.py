"""The delivery page warns of a 留置送达 or 公告送达 with no AV record of the case's 送达 that day."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from sanxiang.cases.models import Case
from sanxiang.cases.tests.av_factories import record_av
from sanxiang.documents import delivery, signing
from sanxiang.documents.models import DeliveryMethod, Document
from sanxiang.documents.tests.signing_factories import TODAY, Setting, data_url, pad_png, setting
from sanxiang.evidence.models import RecordedAct

M = DeliveryMethod
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def s(personas: Any, monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path) -> Setting:
    settings.MEDIA_ROOT = tmp_path / "media"
    return setting(personas, monkeypatch)


@pytest.fixture
def decided(s: Setting) -> tuple[Case, Document]:
    return s.decided()


def _left(s: Setting, document: Document) -> None:
    receipt = delivery.delivery_receipt_prepare(
        actor=s.w.alice,
        document=document,
        method=M.LEFT_AT_ADDRESS,
        recipient="李四",
        place="当事人办公室",
        witness_name="王五（村委会主任）",
        reason="当事人拒绝接收",
    )
    delivery.delivery_record(
        actor=s.w.alice,
        document=document,
        method=M.LEFT_AT_ADDRESS,
        recipient="李四",
        delivered_on=TODAY,
        receipt=receipt,
    )


def _video(s: Setting, case: Case, day: datetime.date, act: str = RecordedAct.DELIVERY) -> None:
    record_av(
        case,
        act,
        actor=s.w.alice,
        collectors=[s.w.alice_officer],
        started_at=datetime.datetime.combine(day, datetime.time(10), SHANGHAI),
    )


def _page(client: Client, s: Setting, document: Document) -> str:
    client.force_login(s.w.alice)
    response = client.get(reverse("documents:delivery", args=[document.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_delivery_left_at_the_address_without_a_record_is_warned_of(
    client: Client, s: Setting, decided: tuple[Case, Document]
) -> None:
    case, decision = decided
    _left(s, decision)
    page = _page(client, s, decision)
    assert "av-warning" in page
    assert "国办发〔2018〕118号" in page
    assert f'href="{reverse("evidence:case", args=[case.pk])}"' in page


def test_a_record_of_the_delivery_that_day_removes_the_warning(
    client: Client, s: Setting, decided: tuple[Case, Document]
) -> None:
    case, decision = decided
    _left(s, decision)
    _video(s, case, TODAY)
    assert "av-warning" not in _page(client, s, decision)


def test_a_record_of_another_act_or_day_does_not_remove_it(
    client: Client, s: Setting, decided: tuple[Case, Document]
) -> None:
    case, decision = decided
    _left(s, decision)
    _video(s, case, TODAY, act=RecordedAct.INQUIRY)
    _video(s, case, TODAY - datetime.timedelta(days=3))
    assert "av-warning" in _page(client, s, decision)


def test_a_public_notice_is_checked_on_the_day_it_was_posted(
    client: Client, s: Setting, decided: tuple[Case, Document]
) -> None:
    case, decision = decided
    receipt = delivery.delivery_receipt_prepare(
        actor=s.w.alice, document=decision, method=M.PUBLIC_NOTICE, recipient="李四", place="本局门户网站"
    )
    s.today.set(datetime.date(2026, 4, 1))
    delivery.delivery_record(
        actor=s.w.alice,
        document=decision,
        method=M.PUBLIC_NOTICE,
        recipient="李四",
        receipt=receipt,
        announced_on=TODAY,
        reason="当事人下落不明，直接送达、邮寄送达均未成功",
        delivered_on=None,
    )
    assert "av-warning" in _page(client, s, decision)
    _video(s, case, TODAY)
    assert "av-warning" not in _page(client, s, decision)


def test_a_delivery_by_hand_is_not_warned_of(
    client: Client, s: Setting, decided: tuple[Case, Document]
) -> None:
    _case, decision = decided
    receipt = delivery.delivery_receipt_prepare(
        actor=s.w.alice, document=decision, method=M.DIRECT, recipient="李四", place="当事人办公室"
    )
    signing.signature_hand_sign(
        actor=s.w.alice, document=receipt, role="party", signer_name="李四", data_url=data_url(pad_png())
    )
    delivery.delivery_record(
        actor=s.w.alice,
        document=decision,
        method=M.DIRECT,
        recipient="李四",
        delivered_on=TODAY,
        receipt=receipt,
    )
    page = _page(client, s, decision)
    assert "直接送达" in page
    assert "av-warning" not in page
