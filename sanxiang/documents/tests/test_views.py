"""The documents pages: the case's panel, draft, edit, issue, print view, PDF, DOCX, void; who sees what."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from django.urls import reverse

from sanxiang.audit.events import EventType
from sanxiang.audit.models import Event
from sanxiang.cases.services import case_transition
from sanxiang.cases.tests.factories import open_case
from sanxiang.cases.workflow import Stage
from sanxiang.documents import services, signing, testing
from sanxiang.documents.models import DeliveryMethod, Document, DocumentStatus
from sanxiang.documents.testing import issue
from sanxiang.documents.tests.factories import walk
from sanxiang.documents.tests.test_rendering import flat, pdf_text


def login(client: Any, user: Any) -> Any:
    client.force_login(user)
    return client


def _create_url(case: Any, key: str) -> str:
    return reverse("documents:create", args=["case", case.pk, key])


def test_the_case_page_shows_the_documents_the_next_step_needs(client: Any, world: Any) -> None:
    case = walk(world, Stage.FILING_REVIEWED)
    page = login(client, world.alice).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'id="case-documents"' in page
    assert "批准立案" in page and "《立案审批表》" in page and "缺少" in page
    assert _create_url(case, "filing_approval") in page
    issued = issue(case, "filing_approval")
    page = client.get(reverse("documents:case_panel", args=[case.pk])).content.decode()
    assert "已具备" in page and issued.number in page


def test_the_draft_form_is_prefilled_from_the_case(client: Any, world: Any) -> None:
    case = open_case(world)
    page = login(client, world.alice).get(_create_url(case, "filing_approval")).content.decode()
    assert "制作立案审批表" in page
    assert f'value="{case.title}"' in page
    assert f'<option value="{world.company.pk}" selected>' in page
    assert (
        f'value="{world.alice_officer.pk}" checked' in page
        and f'value="{world.dave_officer.pk}" checked' in page
    )


def test_a_draft_is_saved_then_issued_from_the_pages(client: Any, world: Any) -> None:
    case = open_case(world)
    login(client, world.alice)
    form = {
        "party": world.company.pk,
        "facts": "未对安全设备进行经常性维护、保养。",
        "evidence": "现场检查记录\n询问笔录",
        "violated": "《中华人民共和国安全生产法》第三十六条第二款",
        "basis": "《中华人民共和国安全生产法》第九十九条第二项",
        "penalties-0-kind": "fine",
        "penalties-0-amount_fen": "30000.00",
        "penalties-0-violation": "安全生产法第九十九条第二项",
        "penalties-1-kind": "",
        "penalties-1-amount_fen": "",
        "penalties-1-violation": "",
        "performance": "自收到本决定书之日起十五日内缴纳。",
        "remedies": "可在六十日内申请行政复议，或者在六个月内提起行政诉讼。",
        "agency_name": "甲县应急管理局",
        "decided_on": "2026-03-02",
        "seal": "agency_date",
    }
    response = client.post(_create_url(case, "penalty_decision"), form)
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "documents:detail", args=[document.pk]
    )
    assert document.fields["penalties"] == [
        {"kind": "fine", "amount_fen": 3_000_000, "violation": "安全生产法第九十九条第二项"}
    ]
    assert document.fields["evidence"] == ["现场检查记录", "询问笔录"]
    detail = client.get(reverse("documents:detail", args=[document.pk])).content.decode()
    assert "草稿" in detail and "签发（分配编号）" in detail and "叁万元整" in detail
    response = client.post(reverse("documents:issue", args=[document.pk]), follow=True)
    document.refresh_from_db()
    assert document.status == DocumentStatus.ISSUED and document.number == "（甲县）应急罚〔2026〕1号"
    page = response.content.decode()
    assert "文书已签发，编号 （甲县）应急罚〔2026〕1号。" in page
    assert "修改草稿" not in page and "作废并重新制作" in page


def test_a_bad_amount_is_refused_in_chinese_and_nothing_is_saved(client: Any, world: Any) -> None:
    case = open_case(world)
    response = login(client, world.alice).post(
        _create_url(case, "penalty_decision"),
        {"penalties-0-kind": "fine", "penalties-0-amount_fen": "三万", "penalties-0-violation": "第九十九条"},
    )
    assert response.status_code == 422
    assert "“金额”须为金额（元，最多两位小数），如 30000.00。" in response.content.decode()
    assert not Document.objects.exists()


def test_issuing_a_decision_without_an_art59_element_shows_the_element(client: Any, world: Any) -> None:
    case = open_case(world)
    draft = services.document_draft(actor=world.alice, type_key="penalty_decision", case=case)
    page = login(client, world.alice).post(reverse("documents:issue", args=[draft.pk]), follow=True)
    text = page.content.decode()
    assert "行政处罚决定书缺少行政处罚法第五十九条规定的事项" in text
    assert "（二）违反法律、法规、规章的事实和证据" in text
    draft.refresh_from_db()
    assert draft.status == DocumentStatus.DRAFT


def test_an_issued_document_cannot_be_edited_from_the_pages(client: Any, world: Any) -> None:
    document = issue(open_case(world), "filing_approval")
    response = login(client, world.alice).post(
        reverse("documents:edit", args=[document.pk]), {"summary": "改"}
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.fields["summary"] != "改"


def test_the_print_view_pdf_and_docx_of_an_issued_document(client: Any, world: Any) -> None:
    document = issue(open_case(world), "filing_approval")
    login(client, world.alice)
    html = client.get(reverse("documents:print", args=[document.pk])).content.decode()
    assert "立案审批表" in html and document.number in html
    pdf = client.get(reverse("documents:pdf", args=[document.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    body = b"".join(pdf.streaming_content)
    assert body.startswith(b"%PDF")
    document.refresh_from_db()
    assert document.pdf_sha256  # rendered and stored at the first download, then served as stored
    again = b"".join(client.get(reverse("documents:pdf", args=[document.pk])).streaming_content)
    assert again == body
    docx = client.get(reverse("documents:docx", args=[document.pk]))
    assert docx["Content-Type"].endswith("wordprocessingml.document")
    assert docx.content.startswith(b"PK")


def test_the_pdf_of_a_signed_document_shows_its_signatures_and_the_stored_one_stays_as_issued(
    client: Any, world: Any, tmp_path: Any
) -> None:
    document = issue(open_case(world), "filing_approval")
    login(client, world.alice)
    url = reverse("documents:pdf", args=[document.pk])
    as_issued = b"".join(client.get(url).streaming_content)
    signature = signing.signature_staff_sign(actor=world.alice, document=document)
    signed = client.get(url).content
    assert f"签名：{signature.signer_name}" in flat(pdf_text(signed, tmp_path))
    assert f"签名：{signature.signer_name}" not in flat(pdf_text(as_issued, tmp_path))
    stored = b"".join(client.get(url + "?stored=1").streaming_content)
    assert stored == as_issued
    document.refresh_from_db()
    assert hashlib.sha256(stored).hexdigest() == document.pdf_sha256
    page = client.get(reverse("documents:detail", args=[document.pk])).content.decode()
    assert f"{url}?stored=1" in page


def test_a_steps_form_starts_from_what_its_issued_documents_say(client: Any, world: Any) -> None:
    case = walk(world, Stage.INVESTIGATION)
    issue(case, "investigation_report", facts="光幕失效。", proposal="建议罚款叁万元。")
    login(client, world.alice)
    url = reverse("cases:act", args=[case.pk, "report_investigation"])
    form = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "光幕失效。\n建议罚款叁万元。</textarea>" in form
    case_transition(case=case, action="report_investigation", actor=world.alice, report="调查终结")
    issue(
        case,
        "case_review_form",
        proposed_outcome="penalty",
        penalties=[{"kind": "fine", "amount_fen": 2_500_000, "violation": "光幕失效"}],
    )
    url = reverse("cases:act", args=[case.pk, "submit_case_review"])
    form = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert '<option value="penalty" selected>' in form
    assert 'name="submit_case_review-p0_amount" value="25000.00"' in form
    assert 'name="submit_case_review-p0_violation" value="光幕失效"' in form


def test_delivering_the_decision_starts_from_its_recorded_delivery(client: Any, world: Any) -> None:
    case = walk(world, Stage.DECIDED)
    decision = Document.objects.get(case=case, type__key="penalty_decision")
    testing.deliver(case, decision, method=DeliveryMethod.MAIL)
    login(client, world.alice)
    url = reverse("cases:act", args=[case.pk, "deliver"])
    form = client.get(url, headers={"HX-Request": "true"}).content.decode()
    delivered_on = decision.deliveries.get().delivered_on.isoformat()
    assert f'name="deliver-delivered_on" value="{delivered_on}"' in form
    assert '<option value="邮寄送达" selected>' in form


def test_an_archived_case_offers_no_drafting_signing_or_delivery(client: Any, world: Any) -> None:
    case = walk(world, Stage.ARCHIVED)
    decision = Document.objects.get(case=case, type__key="penalty_decision")
    login(client, world.alice)
    panel = client.get(reverse("documents:case_panel", args=[case.pk])).content.decode()
    assert decision.number in panel
    assert "制作文书" not in panel
    for name in ("signature_pad", "signature_refusal", "delivery"):
        assert reverse(f"documents:{name}", args=[decision.pk]) not in panel
    page = client.get(reverse("documents:detail", args=[decision.pk])).content.decode()
    assert reverse("documents:signature_pad", args=[decision.pk]) not in page
    assert reverse("documents:delivery", args=[decision.pk]) not in page
    assert reverse("documents:void", args=[decision.pk]) not in page


def test_void_and_replace_from_the_pages(client: Any, world: Any) -> None:
    document = issue(open_case(world), "filing_approval")
    login(client, world.alice)
    refused = client.post(reverse("documents:void", args=[document.pk]), {"reason": "", "replace": "on"})
    assert refused.status_code == 422
    response = client.post(
        reverse("documents:void", args=[document.pk]), {"reason": "案由有误", "replace": "on"}
    )
    replacement = Document.objects.get(replaces=document)
    assert response["Location"] == reverse("documents:edit", args=[replacement.pk])
    page = client.get(reverse("documents:detail", args=[document.pk])).content.decode()
    assert "已作废" in page and document.number in page and "案由有误" in page


def test_charlie_of_agency_b_finds_none_of_agency_as_document_pages(client: Any, world: Any) -> None:
    case = open_case(world)
    document = issue(case, "filing_approval")
    login(client, world.charlie)
    for name in ("detail", "print", "pdf", "docx", "edit", "void"):
        assert client.get(reverse(f"documents:{name}", args=[document.pk])).status_code == 404, name
    assert client.post(reverse("documents:issue", args=[document.pk])).status_code == 404
    assert client.get(_create_url(case, "filing_approval")).status_code == 404
    assert client.get(reverse("documents:case_panel", args=[case.pk])).status_code == 404


def test_an_officer_not_handling_the_case_may_read_but_not_draft(client: Any, world: Any) -> None:
    case = open_case(world)
    document = issue(case, "filing_approval")
    login(client, world.erin)
    assert client.get(_create_url(case, "filing_approval")).status_code == 403
    page = client.get(reverse("documents:detail", args=[document.pk])).content.decode()
    assert "作废并重新制作" not in page
    assert client.post(reverse("documents:void", args=[document.pk]), {"reason": "x"}).status_code == 403


def test_a_supervisors_reading_of_a_document_is_logged_as_access_to_the_case(client: Any, world: Any) -> None:
    case = open_case(world)
    document = issue(case, "filing_approval")
    login(client, world.p.supervisor)
    assert client.get(reverse("documents:detail", args=[document.pk])).status_code == 200
    event = Event.objects.filter(event_type=EventType.CASE_ACCESSED).get()
    assert json.loads(event.data)["purpose"] == f"document:{document.pk}"
    assert client.get(_create_url(case, "filing_approval")).status_code == 403


def test_staff_of_the_agency_read_without_an_access_event(client: Any, world: Any) -> None:
    document = issue(open_case(world), "filing_approval")
    login(client, world.dave).get(reverse("documents:detail", args=[document.pk]))
    assert not Event.objects.filter(event_type=EventType.CASE_ACCESSED).exists()


@pytest.mark.parametrize("picked", ["filing_approval", ""])
def test_the_panel_picker_leads_to_the_draft_form(client: Any, world: Any, picked: str) -> None:
    case = open_case(world)
    response = login(client, world.alice).get(
        reverse("documents:pick", args=["case", case.pk]), {"type": picked}
    )
    expected = _create_url(case, picked) if picked else reverse("cases:detail", args=[case.pk])
    assert response["Location"] == expected


def test_an_inspection_has_its_documents_panel_and_drafts_prefilled_from_the_inspection(
    client: Any, personas: Any, holidays: None, today: Any
) -> None:
    from sanxiang.inspections.tests.factories import make_team, recorded

    inspection = recorded(make_team(personas))
    login(client, personas.alice)
    page = client.get(reverse("inspections:detail", args=[inspection.pk])).content.decode()
    assert 'id="inspection-documents"' in page and "现场检查记录" in page
    form = client.get(reverse("documents:create", args=["inspection", inspection.pk, "inspection_record"]))
    text = form.content.decode()
    assert "制作现场检查记录" in text
    assert inspection.record.place in text
    charlie = client.__class__()
    charlie.force_login(personas.charlie)
    url = reverse("documents:create", args=["inspection", inspection.pk, "inspection_record"])
    assert charlie.get(url).status_code == 404
