"""The signing and delivery pages: the pad on a tablet, one-click staff signing, refusals, delivery."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.template import Context, Template
from django.test import Client
from django.urls import reverse

from sanxiang.cases.models import Case
from sanxiang.documents import delivery, signing, views_signing
from sanxiang.documents.models import Delivery, Document, Signature
from sanxiang.documents.tests.signing_factories import TODAY, Setting, data_url, pad_png, setting

PAD_SCRIPT = "documents/vendor/signature_pad/signature_pad.umd.min.js"
PAGE_SCRIPT = "documents/signing_pad.js"


@pytest.fixture
def s(personas: Any, monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path) -> Setting:
    settings.MEDIA_ROOT = tmp_path / "media"
    return setting(personas, monkeypatch)


@pytest.fixture
def decided(s: Setting) -> tuple[Case, Document]:
    return s.decided()


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(name: str, pk: int) -> str:
    return reverse(f"documents:{name}", args=[pk])


# --------------------------------------------------------------------------------------------- the pad


def test_the_pad_page_loads_the_vendored_scripts_and_nothing_from_another_site(
    s: Setting, decided: tuple[Case, Document]
) -> None:
    _case, decision = decided
    response = client_for(s.w.alice).get(url("signature_pad", decision.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'src="/static/{PAD_SCRIPT}"' in html and f'src="/static/{PAGE_SCRIPT}"' in html
    assert finders.find(PAD_SCRIPT) and finders.find(PAGE_SCRIPT)
    assert finders.find("documents/vendor/signature_pad/LICENSE")
    external = re.findall(r'(?:src|href|action)="((?:https?:)?//[^"]*)"', html)
    assert external == []
    assert '<canvas id="signature-canvas"' in html and "确认签名" in html and "清除" in html


def test_the_pad_page_shows_what_is_signed_and_offers_the_partys_names(
    s: Setting, decided: tuple[Case, Document]
) -> None:
    _case, decision = decided
    html = client_for(s.w.alice).get(url("signature_pad", decision.pk)).content.decode()
    assert "行政处罚决定书" in html and decision.number in html
    assert "《中华人民共和国安全生产法》第九十九条第二项" in html  # the basis, in the preview
    assert '<option value="舒城县某某化工有限公司">' in html and '<option value="李四">' in html


def test_posting_the_pad_records_the_partys_signature_and_returns_to_the_document(
    s: Setting, decided: tuple[Case, Document]
) -> None:
    _case, decision = decided
    response = client_for(s.w.alice).post(
        url("signature_pad", decision.pk),
        {"role": "party", "signer_name": "李四", "signature": data_url(pad_png())},
    )
    assert response.status_code == 302
    assert response["Location"] == views_signing.back_url(decision)
    signature = Signature.objects.get()
    assert (signature.signer_name, signature.recorded_by) == ("李四", s.w.alice)


def test_a_blank_canvas_is_refused_with_a_chinese_message_and_nothing_is_written(
    s: Setting, decided: tuple[Case, Document]
) -> None:
    _case, decision = decided
    response = client_for(s.w.alice).post(
        url("signature_pad", decision.pk),
        {"role": "party", "signer_name": "李四", "signature": data_url(pad_png(stroke=False))},
    )
    assert response.status_code == 400
    assert "签名为空，请当事人在签名区内书写姓名后再确认。" in response.content.decode()
    assert not Signature.objects.exists()


def test_the_pad_returns_only_to_a_page_of_this_site(s: Setting, decided: tuple[Case, Document]) -> None:
    _case, decision = decided
    response = client_for(s.w.alice).post(
        url("signature_pad", decision.pk),
        {
            "role": "party",
            "signer_name": "李四",
            "signature": data_url(pad_png()),
            "next": "https://evil.example/",
        },
    )
    assert response.status_code == 302 and "evil" not in response["Location"]


def test_another_agency_does_not_see_the_pad_and_a_non_handler_may_not_use_it(
    s: Setting, decided: tuple[Case, Document]
) -> None:
    _case, decision = decided
    assert client_for(s.w.charlie).get(url("signature_pad", decision.pk)).status_code == 404
    post = {"role": "party", "signer_name": "李四", "signature": data_url(pad_png())}
    assert client_for(s.w.charlie).post(url("signature_pad", decision.pk), post).status_code == 404
    assert client_for(s.w.erin).post(url("signature_pad", decision.pk), post).status_code == 403
    assert not Signature.objects.exists()


# ---------------------------------------------------------------------------------- staff and refusals


def test_the_leader_signs_with_one_click_and_the_section_swaps_in_place(
    s: Setting, decided: tuple[Case, Document]
) -> None:
    _case, decision = decided
    response = client_for(s.w.leader).post(
        url("signature_staff", decision.pk), {"role": "leader"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="document-signatures-{decision.pk}"' in html and "以本人账户签名" in html
    assert Signature.objects.get().user == s.w.leader


def test_an_officer_of_another_agency_cannot_sign_by_account(
    s: Setting, decided: tuple[Case, Document]
) -> None:
    _case, decision = decided
    assert (
        client_for(s.w.charlie).post(url("signature_staff", decision.pk), {"role": "leader"}).status_code
        == 404
    )
    assert (
        client_for(s.w.alice).post(url("signature_staff", decision.pk), {"role": "leader"}).status_code == 403
    )
    assert not Signature.objects.exists()


def test_the_refusal_form_needs_the_note_and_the_witness(s: Setting, decided: tuple[Case, Document]) -> None:
    _case, decision = decided
    client = client_for(s.w.alice)
    page = client.get(url("signature_refusal", decision.pk))
    assert page.status_code == 200 and "行政处罚法第五十二条" in page.content.decode()
    refused = client.post(url("signature_refusal", decision.pk), {"role": "party", "signer_name": "李四"})
    assert refused.status_code == 400 and not Signature.objects.exists()
    assert refused.content.decode().count("这个字段是必填项。") == 2
    ok = client.post(
        url("signature_refusal", decision.pk),
        {"role": "party", "signer_name": "李四", "note": "当事人拒绝签名", "witness_name": "王五"},
    )
    assert ok.status_code == 302 and Signature.objects.get().refused


def test_a_signature_image_is_served_to_its_agency_only(s: Setting, decided: tuple[Case, Document]) -> None:
    _case, decision = decided
    signature = signing.signature_hand_sign(
        actor=s.w.alice, document=decision, role="party", signer_name="李四", data_url=data_url(pad_png())
    )
    response = client_for(s.w.alice).get(url("signature_image", signature.pk))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")  # type: ignore[attr-defined]
    assert client_for(s.w.charlie).get(url("signature_image", signature.pk)).status_code == 404
    panel = client_for(s.w.alice).get(url("signatures", decision.pk)).content.decode()
    assert signature.image_sha256 in panel and url("signature_image", signature.pk) in panel


# ----------------------------------------------------------------------------------------------- delivery


def test_the_delivery_page_makes_the_receipt_and_sends_the_officer_to_the_pad(
    s: Setting, decided: tuple[Case, Document]
) -> None:
    _case, decision = decided
    client = client_for(s.w.alice)
    page = client.get(url("delivery", decision.pk))
    assert page.status_code == 200 and "第一步：制作送达回执" in page.content.decode()
    response = client.post(
        url("delivery_receipt", decision.pk),
        {
            "method": "direct",
            "recipient": "李四",
            "place": "当事人办公室",
            "delivered_at": "2026-03-02T10:00",
        },
    )
    receipt = Document.objects.get(type__key="delivery_receipt")
    assert response.status_code == 302
    assert response["Location"] == f"{url('signature_pad', receipt.pk)}?next={url('delivery', decision.pk)}"


def test_recording_a_delivery_without_the_signed_receipt_shows_the_article(
    s: Setting, decided: tuple[Case, Document]
) -> None:
    _case, decision = decided
    receipt = delivery.delivery_receipt_prepare(
        actor=s.w.alice, document=decision, method="direct", recipient="李四", place="当事人办公室"
    )
    client = client_for(s.w.alice)
    form = {"method": "direct", "recipient": "李四", "delivered_on": "2026-03-02", "receipt": receipt.pk}
    refused = client.post(url("delivery", decision.pk), form)
    assert refused.status_code == 400
    assert "直接送达须由受送达人在送达回执上签收（民事诉讼法第八十七条）。" in refused.content.decode()
    signing.signature_hand_sign(
        actor=s.w.alice, document=receipt, role="party", signer_name="李四", data_url=data_url(pad_png())
    )
    assert client.post(url("delivery", decision.pk), form).status_code == 302
    assert Delivery.objects.get().delivered_on == TODAY
    page = client.get(url("delivery", decision.pk)).content.decode()
    assert "直接送达" in page and receipt.number in page


def test_another_agency_cannot_open_or_post_the_delivery_page(
    s: Setting, decided: tuple[Case, Document]
) -> None:
    _case, decision = decided
    client = client_for(s.w.charlie)
    assert client.get(url("delivery", decision.pk)).status_code == 404
    assert client.post(url("delivery_receipt", decision.pk), {"method": "mail"}).status_code == 404
    assert not Document.objects.filter(type__key="delivery_receipt").exists()


def test_the_art61_clock_and_the_buttons_render_for_the_documents_panel(
    s: Setting, decided: tuple[Case, Document], rf: Any
) -> None:
    case, decision = decided
    request = rf.get("/")
    request.user = s.w.alice
    html = Template(
        "{% load documents_signing %}{% delivery_clocks case %}{% signing_actions document %}"
    ).render(Context({"case": case, "document": decision, "request": request}))
    assert "还剩 7 个工作日" in html and "期限 2026-03-11" in html
    assert url("signature_pad", decision.pk) in html and url("delivery", decision.pk) in html
    assert (
        f'action="{url("signature_staff", decision.pk)}"' not in html
    )  # the decision is the leader's to sign


def test_the_case_documents_panel_offers_signing_and_delivery_for_an_issued_decision(
    s: Setting, decided: tuple[Case, Document]
) -> None:
    case, decision = decided
    html = client_for(s.w.alice).get(reverse("documents:case_panel", args=[case.pk])).content.decode()
    assert url("signature_pad", decision.pk) in html and url("signature_refusal", decision.pk) in html
    assert url("delivery", decision.pk) in html and "还剩 7 个工作日" in html
    leader = client_for(s.w.leader).get(reverse("documents:case_panel", args=[case.pk])).content.decode()
    assert f'action="{url("signature_staff", decision.pk)}"' in leader
