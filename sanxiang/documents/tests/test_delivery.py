"""Delivery (送达): each method's requirements, receipt and consent, the case's 送达 step, the clock."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sanxiang.audit.events import EventType
from sanxiang.audit.models import Event
from sanxiang.cases.models import Case
from sanxiang.cases.tests.factories import do
from sanxiang.cases.workflow import Action, GuardFailed, Stage
from sanxiang.documents import delivery, signing
from sanxiang.documents.models import Delivery, DeliveryMethod, Document
from sanxiang.documents.tests.signing_factories import TODAY, Setting, data_url, pad_png, setting

M = DeliveryMethod


@pytest.fixture
def s(personas: Any, monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path) -> Setting:
    settings.MEDIA_ROOT = tmp_path / "media"
    return setting(personas, monkeypatch)


@pytest.fixture
def decided(s: Setting) -> tuple[Case, Document]:
    return s.decided()


def prepare(s: Setting, document: Document, method: str, **extra: Any) -> Document:
    values: dict[str, Any] = {"recipient": "李四", "place": "舒城县杭埠经济开发区 当事人办公室"}
    values.update(extra)
    return delivery.delivery_receipt_prepare(actor=s.w.alice, document=document, method=method, **values)


def sign_by_pad(s: Setting, receipt: Document, name: str = "李四") -> None:
    signing.signature_hand_sign(
        actor=s.w.alice, document=receipt, role="party", signer_name=name, data_url=data_url(pad_png())
    )


def record(s: Setting, document: Document, method: str, **extra: Any) -> Delivery:
    values: dict[str, Any] = {"recipient": "李四", "delivered_on": TODAY}
    values.update(extra)
    return delivery.delivery_record(actor=s.w.alice, document=document, method=method, **values)


def messages(refused: pytest.ExceptionInfo[ValidationError]) -> str:
    return "；".join(refused.value.messages)


def left_receipt(s: Setting, document: Document) -> Document:
    return prepare(s, document, M.LEFT_AT_ADDRESS, witness_name="王五（村委会主任）", reason="当事人拒绝接收")


# --------------------------------------------------------------------------------------------- methods


def test_a_receipt_is_issued_for_the_document_with_its_own_number(
    s: Setting, decided: tuple[Case, Document]
) -> None:
    _case, decision = decided
    receipt = prepare(s, decision, M.DIRECT)
    assert receipt.type.key == "delivery_receipt" and receipt.is_in_force
    assert receipt.number == "（甲县）应急回〔2026〕1号"
    assert receipt.fields["documents"] == [{"title": "行政处罚决定书", "number": decision.number}]
    assert (receipt.fields["method"], receipt.fields["recipient"]) == ("direct", "李四")
    assert delivery.receipts_for(decision) == [receipt]


def test_direct_delivery_needs_the_recipient_to_sign_the_receipt(
    s: Setting, decided: tuple[Case, Document]
) -> None:
    _case, decision = decided
    receipt = prepare(s, decision, M.DIRECT)
    with pytest.raises(ValidationError) as refused:
        record(s, decision, M.DIRECT, receipt=receipt)
    assert "直接送达须由受送达人在送达回执上签收（民事诉讼法第八十七条）。" in refused.value.messages
    sign_by_pad(s, receipt)
    row = record(s, decision, M.DIRECT, receipt=receipt)
    assert (row.method, row.delivered_on, row.receipt, row.place) == (
        "direct",
        TODAY,
        receipt,
        "舒城县杭埠经济开发区 当事人办公室",
    )
    event = json.loads(Event.objects.filter(event_type=EventType.DOCUMENT_DELIVERED).latest("seq").data)
    assert (event["delivery"], event["receipt"], event["method"]) == (row.pk, receipt.pk, "direct")


def test_direct_delivery_is_dated_the_day_the_receipt_was_signed(
    s: Setting, decided: tuple[Case, Document]
) -> None:
    _case, decision = decided
    receipt = prepare(s, decision, M.DIRECT)
    sign_by_pad(s, receipt)
    s.today.set(TODAY + datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="签收的日期（2026-03-02）为送达日期"):
        record(s, decision, M.DIRECT, receipt=receipt, delivered_on=TODAY + datetime.timedelta(days=1))


def test_left_at_address_notes_the_refusal_on_the_receipt_before_a_witness(
    s: Setting, decided: tuple[Case, Document]
) -> None:
    _case, decision = decided
    receipt = left_receipt(s, decision)
    refusal = receipt.signatures.get()
    assert (refusal.refused, refusal.witness_name, refusal.refusal_note) == (
        True,
        "王五（村委会主任）",
        "当事人拒绝接收",
    )
    assert (receipt.fields["witness"], receipt.fields["left_note"]) == (
        "王五（村委会主任）",
        "当事人拒绝接收",
    )
    row = record(s, decision, M.LEFT_AT_ADDRESS, receipt=receipt)
    assert (row.witness_name, row.reason) == ("王五（村委会主任）", "当事人拒绝接收")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"reason": "当事人拒绝接收"}, "留置送达须有见证人（民事诉讼法第八十九条）。"),
        ({"witness_name": "王五"}, "留置送达须写明拒收事由（民事诉讼法第八十九条）。"),
    ],
    ids=["no-witness", "no-reason"],
)
def test_left_at_address_needs_a_witness_and_the_reason(
    s: Setting, decided: tuple[Case, Document], extra: dict[str, str], message: str
) -> None:
    _case, decision = decided
    with pytest.raises(ValidationError) as refused:
        prepare(s, decision, M.LEFT_AT_ADDRESS, **extra)
    assert message in refused.value.messages
    assert not Document.objects.filter(type__key="delivery_receipt").exists()


def test_left_at_address_is_refused_on_a_receipt_without_the_refusal(
    s: Setting, decided: tuple[Case, Document]
) -> None:
    _case, decision = decided
    receipt = prepare(s, decision, M.DIRECT)
    with pytest.raises(ValidationError) as refused:
        record(s, decision, M.LEFT_AT_ADDRESS, receipt=receipt, witness_name="王五", reason="拒收")
    assert "送达回执载明的送达方式与本次送达方式不一致。" in refused.value.messages
    assert "留置送达须在送达回执上记明拒收事由和见证人（民事诉讼法第八十九条）。" in refused.value.messages


def test_mail_needs_the_tracking_number(s: Setting, decided: tuple[Case, Document]) -> None:
    _case, decision = decided
    receipt = prepare(s, decision, M.MAIL, place="舒城县杭埠经济开发区（邮寄地址）")
    with pytest.raises(ValidationError) as refused:
        record(s, decision, M.MAIL, receipt=receipt)
    assert refused.value.messages == ["邮寄送达须填写邮件单号。"]
    row = record(s, decision, M.MAIL, receipt=receipt, tracking_number="EMS1234567890CN")
    assert row.tracking_number == "EMS1234567890CN"


def test_entrusted_delivery_names_the_body_entrusted(s: Setting, decided: tuple[Case, Document]) -> None:
    _case, decision = decided
    receipt = prepare(s, decision, M.ENTRUSTED)
    with pytest.raises(ValidationError) as refused:
        record(s, decision, M.ENTRUSTED, receipt=receipt)
    assert refused.value.messages == ["委托送达须写明受委托送达的单位。"]
    assert record(s, decision, M.ENTRUSTED, receipt=receipt, entrusted_to="杭埠镇人民政府").entrusted_to


def test_every_method_but_electronic_needs_a_receipt(s: Setting, decided: tuple[Case, Document]) -> None:
    _case, decision = decided
    for method in (M.DIRECT, M.LEFT_AT_ADDRESS, M.MAIL, M.ENTRUSTED):
        with pytest.raises(ValidationError, match="请选择已签发的文书送达回执"):
            record(s, decision, method, tracking_number="x", entrusted_to="x", witness_name="x", reason="x")
    assert not Delivery.objects.exists()


def test_public_notice_counts_as_delivered_thirty_days_after_the_announcement(
    s: Setting, decided: tuple[Case, Document]
) -> None:
    _case, decision = decided
    receipt = prepare(s, decision, M.PUBLIC_NOTICE, place="本局门户网站、当事人住所地公告栏")
    reason = "当事人下落不明，直接送达、邮寄送达均未成功"
    with pytest.raises(ValidationError, match="公告期尚未届满：2026-04-01起视为送达"):
        record(
            s,
            decision,
            M.PUBLIC_NOTICE,
            receipt=receipt,
            announced_on=TODAY,
            reason=reason,
            delivered_on=None,
        )
    s.today.set(datetime.date(2026, 4, 1))
    with pytest.raises(ValidationError, match="送达日期应为2026-04-01（民事诉讼法第九十五条）"):
        record(s, decision, M.PUBLIC_NOTICE, receipt=receipt, announced_on=TODAY, reason=reason)
    row = record(
        s, decision, M.PUBLIC_NOTICE, receipt=receipt, announced_on=TODAY, reason=reason, delivered_on=None
    )
    assert (row.announced_on, row.delivered_on, row.reason) == (TODAY, datetime.date(2026, 4, 1), reason)


def test_public_notice_ending_on_a_rest_day_rolls_to_the_next_working_day(s: Setting) -> None:
    # 2026-03-07 + 30 days = 2026-04-06, 清明节 holiday (domain.md §9.2) → 2026-04-07.
    assert delivery.notice_delivered_on(datetime.date(2026, 3, 7)) == datetime.date(2026, 4, 7)


def test_public_notice_needs_the_announcement_date_and_why(
    s: Setting, decided: tuple[Case, Document]
) -> None:
    _case, decision = decided
    receipt = prepare(s, decision, M.PUBLIC_NOTICE)
    with pytest.raises(ValidationError) as refused:
        record(s, decision, M.PUBLIC_NOTICE, receipt=receipt, delivered_on=None)
    assert refused.value.messages == [
        "公告送达须写明公告的原因和经过（民事诉讼法第九十五条）。",
        "公告送达须填写公告日期。",
    ]


# ----------------------------------------------------------------------------------------- electronic


def test_electronic_delivery_is_refused_without_a_signed_consent(
    s: Setting, decided: tuple[Case, Document]
) -> None:
    case, decision = decided
    no_consent = "电子送达须有当事人同意并签名的电子送达地址确认书（行政处罚法第六十一条）。"
    with pytest.raises(ValidationError) as refused:
        record(s, decision, M.ELECTRONIC, place="anquan@example.cn")
    assert no_consent in refused.value.messages
    consent = s.consent(case)  # issued, but the party has not signed it
    with pytest.raises(ValidationError) as refused:
        record(s, decision, M.ELECTRONIC, consent=consent, place="anquan@example.cn")
    assert no_consent in refused.value.messages
    assert delivery.consents_for(decision) == []
    assert not Delivery.objects.exists()


def test_electronic_delivery_on_the_signed_consent_replaces_the_receipt(
    s: Setting, decided: tuple[Case, Document]
) -> None:
    case, decision = decided
    consent = s.consent(case)
    sign_by_pad(s, consent)
    assert delivery.consents_for(decision) == [consent]
    with pytest.raises(
        ValidationError, match=re.escape("电子送达地址须为确认书载明的地址：anquan@example.cn、13905641234")
    ):
        record(s, decision, M.ELECTRONIC, consent=consent, place="other@example.cn")
    with pytest.raises(ValidationError, match="无需制作回执"):
        prepare(s, decision, M.ELECTRONIC)
    row = record(s, decision, M.ELECTRONIC, consent=consent, place="anquan@example.cn")
    assert (row.consent, row.receipt, row.place) == (consent, None, "anquan@example.cn")


def test_a_consent_refused_by_the_party_does_not_allow_electronic_delivery(
    s: Setting, decided: tuple[Case, Document]
) -> None:
    case, decision = decided
    consent = s.consent(case)
    signing.signature_refusal_record(
        actor=s.w.alice,
        document=consent,
        role="party",
        signer_name="李四",
        note="不同意",
        witness_name="王五",
    )
    with pytest.raises(ValidationError, match="同意并签名的电子送达地址确认书"):
        record(s, decision, M.ELECTRONIC, consent=consent, place="anquan@example.cn")


# ------------------------------------------------------------------------------------- dates and scope


def test_a_delivery_date_before_the_issue_or_after_today_is_refused(
    s: Setting, decided: tuple[Case, Document]
) -> None:
    _case, decision = decided
    receipt = prepare(s, decision, M.MAIL)
    with pytest.raises(ValidationError, match="送达日期不能早于文书签发日期（2026-03-02）"):
        record(
            s,
            decision,
            M.MAIL,
            receipt=receipt,
            tracking_number="EMS1",
            delivered_on=datetime.date(2026, 3, 1),
        )
    with pytest.raises(ValidationError, match="送达日期不能晚于今天"):
        record(
            s,
            decision,
            M.MAIL,
            receipt=receipt,
            tracking_number="EMS1",
            delivered_on=datetime.date(2026, 3, 3),
        )
    with pytest.raises(ValidationError, match="请填写送达日期"):
        record(s, decision, M.MAIL, receipt=receipt, tracking_number="EMS1", delivered_on=None)
    with pytest.raises(ValidationError, match="送达时间不能早于文书签发日期"):
        prepare(s, decision, M.MAIL, delivered_at=datetime.datetime(2026, 3, 1, 10, 0, tzinfo=datetime.UTC))
    assert not Delivery.objects.exists()


def test_a_receipt_of_another_document_cannot_be_used(s: Setting, decided: tuple[Case, Document]) -> None:
    case, decision = decided
    consent = s.consent(case)
    other = s.issue(case, "penalty_notice", evidence=["现场检查记录"], basis="安全生产法第九十九条第二项")
    receipt = prepare(s, other, M.MAIL)
    with pytest.raises(ValidationError, match="载明该文书的文书送达回执"):
        record(s, decision, M.MAIL, receipt=receipt, tracking_number="EMS1")
    with pytest.raises(ValidationError, match="不需要送达当事人"):
        record(s, consent, M.MAIL, receipt=receipt, tracking_number="EMS1")


def test_a_receipt_is_used_once_for_a_document(s: Setting, decided: tuple[Case, Document]) -> None:
    _case, decision = decided
    receipt = prepare(s, decision, M.MAIL)
    record(s, decision, M.MAIL, receipt=receipt, tracking_number="EMS1")
    with pytest.raises(ValidationError, match="已用于登记本文书的送达"):
        record(s, decision, M.MAIL, receipt=receipt, tracking_number="EMS1")


def test_an_officer_of_agency_b_cannot_deliver(s: Setting, decided: tuple[Case, Document]) -> None:
    _case, decision = decided
    receipt = prepare(s, decision, M.MAIL)
    assert not delivery.can_deliver(s.w.charlie, decision)
    with pytest.raises(PermissionDenied):
        delivery.delivery_receipt_prepare(
            actor=s.w.charlie, document=decision, method=M.MAIL, recipient="李四", place="某地"
        )
    with pytest.raises(PermissionDenied):
        delivery.delivery_record(
            actor=s.w.charlie,
            document=decision,
            method=M.MAIL,
            delivered_on=TODAY,
            recipient="李四",
            receipt=receipt,
            tracking_number="EMS1",
        )
    assert not Delivery.objects.exists()


# ------------------------------------------------------------------------------ the case's 送达 step


def deliver_by(s: Setting, case: Case, decision: Document, method: str) -> datetime.date:
    """Deliver the decision by ``method`` as an officer would; return the delivery date."""
    if method == M.ELECTRONIC:
        consent = s.consent(case)
        sign_by_pad(s, consent)
        return record(s, decision, method, consent=consent, place="13905641234").delivered_on
    if method == M.LEFT_AT_ADDRESS:
        return record(s, decision, method, receipt=left_receipt(s, decision)).delivered_on
    receipt = prepare(s, decision, method)
    if method == M.DIRECT:
        sign_by_pad(s, receipt)
        return record(s, decision, method, receipt=receipt).delivered_on
    if method == M.PUBLIC_NOTICE:
        s.today.set(datetime.date(2026, 4, 1))
        row = record(
            s, decision, method, receipt=receipt, announced_on=TODAY, reason="下落不明", delivered_on=None
        )
        return row.delivered_on
    extra = {"tracking_number": "EMS1234567890CN"} if method == M.MAIL else {"entrusted_to": "杭埠镇人民政府"}
    return record(s, decision, method, receipt=receipt, **extra).delivered_on


@pytest.mark.parametrize("method", list(DeliveryMethod))
def test_decide_then_deliver_by_each_method_lets_the_case_take_its_delivery_step(
    s: Setting, method: DeliveryMethod
) -> None:
    case, decision = s.decided()
    assert case.stage == Stage.DECIDED and case.decision_number == decision.number
    with pytest.raises(GuardFailed, match="行政处罚决定书》（并已送达）"):
        do(case, Action.DELIVER, s.w.alice, method=str(method.label), delivered_on=TODAY)
    delivered_on = deliver_by(s, case, decision, method)
    do(case, Action.DELIVER, s.w.alice, method=str(method.label), delivered_on=delivered_on)
    case.refresh_from_db()
    assert (case.stage, case.delivered_on, case.delivery_method) == (
        Stage.DELIVERED,
        delivered_on,
        method.label,
    )


# ------------------------------------------------------------------------------------------- the clock


def test_the_art61_clock_counts_working_days_left_until_the_decision_is_delivered(
    s: Setting, decided: tuple[Case, Document]
) -> None:
    case, decision = decided
    [clock] = delivery.delivery_clocks_for(case)
    # Decided Monday 2026-03-02: seven working days end Wednesday 2026-03-11 (行政处罚法 Art.61, 85).
    assert (clock.document, clock.due, clock.working_days_left, clock.overdue) == (
        decision,
        datetime.date(2026, 3, 11),
        7,
        False,
    )
    assert case.delivery_due_on == clock.due
    [late] = delivery.delivery_clocks_for(case, today=datetime.date(2026, 3, 13))
    assert (late.working_days_left, late.days_overdue, late.overdue) == (None, 2, True)
    receipt = prepare(s, decision, M.DIRECT)
    sign_by_pad(s, receipt)
    record(s, decision, M.DIRECT, receipt=receipt)
    assert delivery.delivery_clocks_for(case) == []
