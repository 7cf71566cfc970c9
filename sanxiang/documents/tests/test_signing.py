"""Signing documents: staff by their account, the party on the signature pad, refusals before a witness."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import random
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from PIL import Image

from sanxiang.audit.events import EventType
from sanxiang.audit.models import Event
from sanxiang.documents import delivery, services, signing
from sanxiang.documents.models import Document, Signature, SignerRole
from sanxiang.documents.tests.signing_factories import Setting, data_url, pad_png, setting


@pytest.fixture
def s(personas: Any, monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path) -> Setting:
    settings.MEDIA_ROOT = tmp_path / "media"
    return setting(personas, monkeypatch)


@pytest.fixture
def decision(s: Setting) -> Document:
    _case, document = s.decided()
    return document


def receipt_for(s: Setting, document: Document) -> Document:
    return delivery.delivery_receipt_prepare(
        actor=s.w.alice, document=document, method="direct", recipient="李四", place="当事人办公室"
    )


def events(event_type: int) -> list[dict[str, Any]]:
    return [json.loads(e.data) for e in Event.objects.filter(event_type=event_type).order_by("seq")]


# ----------------------------------------------------------------------------------------------- staff


def test_a_handling_officer_signs_the_receipt_by_account_with_the_officer_name(
    s: Setting, decision: Document
) -> None:
    receipt = receipt_for(s, decision)
    signature = signing.signature_staff_sign(actor=s.w.alice, document=receipt)
    assert (signature.role, signature.user, signature.signer_name) == (SignerRole.OFFICER, s.w.alice, "艾丽")
    assert signature.recorded_by == s.w.alice and not signature.image
    assert events(EventType.DOCUMENT_SIGNED_BY_STAFF)[-1] == {
        "document": receipt.pk,
        "type": "delivery_receipt",
        "number": receipt.number,
        "case": receipt.case_id,
        "inspection": None,
        "signature": signature.pk,
        "role": "officer",
    }


def test_the_leader_signs_the_decision_as_leader(s: Setting, decision: Document) -> None:
    signature = signing.signature_staff_sign(actor=s.w.leader, document=decision)
    assert signature.role == SignerRole.LEADER and signature.signer_name == "李局长"


def test_an_officer_who_does_not_handle_the_case_cannot_sign_it(s: Setting, decision: Document) -> None:
    receipt = receipt_for(s, decision)
    with pytest.raises(PermissionDenied):
        signing.signature_staff_sign(actor=s.w.erin, document=receipt)
    assert not Signature.objects.filter(document=receipt).exists()


def test_a_role_the_type_does_not_list_is_refused(s: Setting, decision: Document) -> None:
    # The decision is signed by the leader and the party, not by the handling officers.
    with pytest.raises(PermissionDenied):
        signing.signature_staff_sign(actor=s.w.alice, document=decision, role="officer")


def test_signing_twice_in_one_role_is_refused(s: Setting, decision: Document) -> None:
    signing.signature_staff_sign(actor=s.w.leader, document=decision)
    with pytest.raises(ValidationError, match="已签署"):
        signing.signature_staff_sign(actor=s.w.leader, document=decision, role="leader")
    assert Signature.objects.filter(document=decision).count() == 1


def test_a_draft_is_signed_only_once_issued(s: Setting) -> None:
    case = s.case_at()
    draft = services.document_draft(actor=s.w.alice, type_key="penalty_decision", case=case)
    with pytest.raises(ValidationError, match="签发后才能签名"):
        signing.signature_staff_sign(actor=s.w.leader, document=draft)


def test_a_voided_document_is_not_signed(s: Setting, decision: Document) -> None:
    services.document_void(actor=s.w.alice, document=decision, reason="当事人名称有误")
    with pytest.raises(ValidationError, match="已作废"):
        signing.signature_hand_sign(
            actor=s.w.alice,
            document=decision,
            role="party",
            signer_name="李四",
            data_url=data_url(pad_png()),
        )


def test_an_officer_of_agency_b_can_neither_sign_nor_take_a_signature(s: Setting, decision: Document) -> None:
    charlie = s.w.charlie
    assert signing.staff_roles_for(charlie, decision) == []
    assert not signing.can_take_signatures(charlie, decision)
    with pytest.raises(PermissionDenied):
        signing.signature_staff_sign(actor=charlie, document=decision)
    with pytest.raises(PermissionDenied):
        signing.signature_hand_sign(
            actor=charlie, document=decision, role="party", signer_name="李四", data_url=data_url(pad_png())
        )
    with pytest.raises(PermissionDenied):
        signing.signature_refusal_record(
            actor=charlie,
            document=decision,
            role="party",
            signer_name="李四",
            note="拒签",
            witness_name="王五",
        )
    assert not Signature.objects.exists()


# ------------------------------------------------------------------------------------------- the party


def test_the_party_signature_is_stored_under_its_sha256_and_the_event_carries_the_hash(
    s: Setting, decision: Document, settings: Any
) -> None:
    signature = signing.signature_hand_sign(
        actor=s.w.alice, document=decision, role="party", signer_name="李四", data_url=data_url(pad_png())
    )
    stored = (Path(settings.MEDIA_ROOT) / signature.image.name).read_bytes()
    digest = hashlib.sha256(stored).hexdigest()
    assert signature.image_sha256 == digest
    assert signature.image.name == f"documents/signatures/{digest[:2]}/{digest}.png"
    assert (signature.role, signature.signer_name, signature.user) == ("party", "李四", None)
    assert Image.open(io.BytesIO(stored)).size == (600, 200)
    event = events(EventType.DOCUMENT_SIGNED_BY_HAND)[-1]
    assert (event["sha256"], event["algorithm"], event["bytes"]) == (digest, "sha256", len(stored))
    assert "李四" not in json.dumps(event, ensure_ascii=False)  # names stay out of the log
    assert decision.is_signed_by_party()


def test_a_stroke_on_a_transparent_canvas_is_a_signature(s: Setting, decision: Document) -> None:
    png = pad_png(background="transparent")
    signature = signing.signature_hand_sign(
        actor=s.w.alice, document=decision, role="party", signer_name="李四", data_url=data_url(png)
    )
    assert len(signature.image_sha256) == 64


def test_the_same_party_signing_again_is_refused(s: Setting, decision: Document) -> None:
    url = data_url(pad_png())
    signing.signature_hand_sign(
        actor=s.w.alice, document=decision, role="party", signer_name="李四", data_url=url
    )
    with pytest.raises(ValidationError, match="已在该文书上签名"):
        signing.signature_hand_sign(
            actor=s.w.alice, document=decision, role="party", signer_name="李四", data_url=url
        )


def noisy_png(side: int) -> bytes:
    """Random pixels do not compress: a PNG of a few hundred KB per side of 400+."""
    rng = random.Random(7)
    image = Image.frombytes("RGB", (side, side), bytes(rng.getrandbits(8) for _ in range(side * side * 3)))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 100), "white").save(out, format="JPEG")
    return out.getvalue()


BAD_IMAGES = [
    pytest.param(lambda: "", "没有收到签名", id="nothing"),
    pytest.param(lambda: data_url(pad_png(stroke=False)), "签名为空", id="blank-white-canvas"),
    pytest.param(
        lambda: data_url(pad_png(stroke=False, background="transparent")), "签名为空", id="blank-transparent"
    ),
    pytest.param(lambda: data_url(jpeg(), "image/jpeg"), "须为 PNG", id="jpeg-data-url"),
    pytest.param(lambda: data_url(jpeg()), "须为 PNG", id="jpeg-bytes-labelled-png"),
    pytest.param(lambda: "data:image/png;base64,!!not base64!!", "无法解码", id="garbage-base64"),
    pytest.param(lambda: data_url(pad_png()[:200]), "已损坏", id="truncated-png"),
    pytest.param(lambda: data_url(noisy_png(500)), "过大", id="over-512-kb"),
    pytest.param(lambda: data_url(pad_png(60, 20)), "过小", id="too-small"),
    pytest.param(lambda: data_url(pad_png(5000, 60)), "尺寸过大", id="too-wide"),
    pytest.param(lambda: "javascript:alert(1)", "须为 PNG", id="not-a-data-url"),
]


@pytest.mark.parametrize(("make", "message"), BAD_IMAGES)
def test_a_bad_signature_image_is_refused_in_chinese_and_nothing_is_stored(
    s: Setting, decision: Document, settings: Any, make: Any, message: str
) -> None:
    before = Event.objects.count()
    with pytest.raises(ValidationError, match=message):
        signing.signature_hand_sign(
            actor=s.w.alice, document=decision, role="party", signer_name="李四", data_url=make()
        )
    assert not Signature.objects.exists()
    assert Event.objects.count() == before
    assert not (Path(settings.MEDIA_ROOT) / "documents" / "signatures").exists()


def test_a_data_url_longer_than_any_acceptable_png_is_refused_before_decoding() -> None:
    huge = "data:image/png;base64," + base64.b64encode(b"\0" * (signing.MAX_PNG_BYTES + 3000)).decode()
    with pytest.raises(ValidationError, match="过大"):
        signing.signature_image_decode(huge)


def test_text_chunks_of_the_device_are_not_stored() -> None:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "device 12345")
    out = io.BytesIO()
    Image.open(io.BytesIO(pad_png())).save(out, format="PNG", pnginfo=info)
    image = signing.signature_image_decode(data_url(out.getvalue()))
    assert b"device 12345" not in image.data
    assert image.sha256 == hashlib.sha256(image.data).hexdigest()


def test_a_hand_signature_needs_a_name_and_a_hand_role_the_type_lists(s: Setting, decision: Document) -> None:
    url = data_url(pad_png())
    with pytest.raises(ValidationError, match="签名人姓名"):
        signing.signature_hand_sign(
            actor=s.w.alice, document=decision, role="party", signer_name=" ", data_url=url
        )
    with pytest.raises(ValidationError, match="无需"):
        signing.signature_hand_sign(
            actor=s.w.alice, document=decision, role="unit_head", signer_name="李四", data_url=url
        )
    with pytest.raises(ValidationError, match="手写"):
        signing.signature_hand_sign(
            actor=s.w.alice, document=decision, role="leader", signer_name="李四", data_url=url
        )
    assert not Signature.objects.exists()


# --------------------------------------------------------------------------------------------- refusal


def test_a_refusal_is_recorded_with_the_note_and_the_witness(s: Setting, decision: Document) -> None:
    refusal = signing.signature_refusal_record(
        actor=s.w.alice,
        document=decision,
        role="party",
        signer_name="李四",
        note="当事人称对处罚有异议，拒绝在决定书上签名",
        witness_name="王五（村委会主任）",
    )
    assert refusal.refused and refusal.witness_name == "王五（村委会主任）" and not refusal.image
    assert decision.party_refused_to_sign() and not decision.is_signed_by_party()
    assert events(EventType.DOCUMENT_SIGNATURE_REFUSED)[-1]["signature"] == refusal.pk


@pytest.mark.parametrize(
    ("note", "witness", "message"),
    [
        ("", "王五", "拒绝签名的情况"),
        ("拒绝签名", "", "见证人"),
        ("拒绝签名", "李四", "见证人不能是"),
    ],
    ids=["no-note", "no-witness", "witness-is-the-signer"],
)
def test_a_refusal_needs_a_note_and_a_witness_other_than_the_signer(
    s: Setting, decision: Document, note: str, witness: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        signing.signature_refusal_record(
            actor=s.w.alice,
            document=decision,
            role="party",
            signer_name="李四",
            note=note,
            witness_name=witness,
        )
    assert not Signature.objects.exists()


def test_a_party_who_signed_cannot_afterwards_be_recorded_as_refusing(s: Setting, decision: Document) -> None:
    signing.signature_hand_sign(
        actor=s.w.alice, document=decision, role="party", signer_name="李四", data_url=data_url(pad_png())
    )
    with pytest.raises(ValidationError, match="不能再登记拒签"):
        signing.signature_refusal_record(
            actor=s.w.alice,
            document=decision,
            role="party",
            signer_name="李四",
            note="拒签",
            witness_name="王五",
        )


def test_a_party_who_refused_may_still_sign_later_on_a_new_row(s: Setting, decision: Document) -> None:
    signing.signature_refusal_record(
        actor=s.w.alice, document=decision, role="party", signer_name="李四", note="拒签", witness_name="王五"
    )
    signing.signature_hand_sign(
        actor=s.w.alice, document=decision, role="party", signer_name="李四", data_url=data_url(pad_png())
    )
    assert [s.refused for s in Signature.objects.order_by("pk")] == [True, False]


def test_only_the_party_or_the_unit_head_can_be_recorded_as_refusing(s: Setting, decision: Document) -> None:
    with pytest.raises(ValidationError, match="只能为须签名的当事人"):
        signing.signature_refusal_record(
            actor=s.w.alice,
            document=decision,
            role="leader",
            signer_name="李局长",
            note="x",
            witness_name="王五",
        )
