"""Drafting, issuing, numbering, voiding and delivering documents through the services."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sanxiang.accounts.models import User
from sanxiang.audit.events import EventType
from sanxiang.audit.models import Event
from sanxiang.cases.tests.factories import open_case
from sanxiang.cases.workflow import Stage
from sanxiang.documents import numbering, services
from sanxiang.documents.models import (
    Document,
    DocumentStatus,
    DocumentVoid,
    NumberSeries,
    SerialScope,
)
from sanxiang.documents.testing import issue
from sanxiang.documents.tests.factories import walk

DECISION = {
    "facts": "2026年1月10日，当事人未对冲压车间安全光幕进行经常性维护、保养，光幕失效。",
    "evidence": ["现场检查记录", "询问笔录", "现场照片6张"],
    "violated": "《中华人民共和国安全生产法》第三十六条第二款",
    "basis": "《中华人民共和国安全生产法》第九十九条第二项",
    "penalties": [{"kind": "fine", "amount_fen": 3_000_000, "violation": "安全生产法第九十九条第二项"}],
}


def _events(kind: EventType) -> int:
    return Event.objects.filter(event_type=kind).count()


def _decision_draft(w: Any, case: Any, **overrides: Any) -> Document:
    return services.document_draft(
        actor=w.alice, type_key="penalty_decision", case=case, fields={**DECISION, **overrides}
    )


def test_a_draft_is_prefilled_from_the_case(world: Any) -> None:
    case = open_case(world)
    draft = services.document_draft(actor=world.alice, type_key="filing_approval", case=case)
    assert draft.status == DocumentStatus.DRAFT and draft.number == ""
    assert draft.fields["case_title"] == case.title
    assert draft.fields["party"]["name"] == world.company.name
    assert draft.fields["party"]["address"] == world.company.address
    assert [o["name"] for o in draft.fields["officers"]] == ["艾丽", "戴夫"]
    assert draft.fields["officers"][0]["certificate_number"] == "34152301001"
    assert draft.fields["summary"] == case.facts
    assert _events(EventType.DOCUMENT_DRAFTED) == 1


def test_a_decision_draft_carries_the_agency_the_remedies_and_the_payment_terms(world: Any) -> None:
    draft = services.document_draft(actor=world.alice, type_key="penalty_decision", case=open_case(world))
    assert draft.fields["agency_name"] == "甲县应急管理局"
    assert "六十日内" in draft.fields["remedies"] and "六个月内" in draft.fields["remedies"]
    assert "十五日内" in draft.fields["performance"]
    assert draft.fields["decided_on"] == "2026-03-02"
    assert draft.fields["seal"] == "agency_date"


def test_a_notice_draft_gives_the_agency_address_and_a_handler_to_contact(world: Any) -> None:
    agency = world.alice.agency
    agency.address = "甲县城关镇人民路1号"
    agency.phone = "0564-8620000"
    agency.save()
    case = open_case(world)
    for key in ("penalty_notice", "hearing_notice"):
        draft = services.document_draft(actor=world.alice, type_key=key, case=case)
        assert draft.fields["address"] == "甲县城关镇人民路1号"
        assert draft.fields["contact"] == "艾丽 0564-8620000"


def test_the_hearing_record_and_report_are_held_when_and_where_the_hearing_notice_said(world: Any) -> None:
    case = walk(world, Stage.HEARING_NOTIFIED)
    notice = Document.objects.get(case=case, type__key="hearing_meeting_notice")
    record = services.document_draft(actor=world.alice, type_key="hearing_record", case=case)
    assert record.fields["held_at"] == notice.fields["hearing_at"]
    assert record.fields["place"] == notice.fields["hearing_place"]
    report = services.document_draft(actor=world.alice, type_key="hearing_report", case=case)
    assert report.fields["held_on"] == notice.fields["hearing_at"][:10]


def test_the_collective_discussion_is_chaired_by_the_leader_not_the_hearing_chair(world: Any) -> None:
    case = walk(world, Stage.HEARING_NOTIFIED)
    assert case.hearing_chair_id is not None
    # two leaders (李局长, 刘副局长): the one who drafts names the chair
    record = services.document_draft(actor=world.alice, type_key="collective_discussion_record", case=case)
    assert record.fields.get("chair", "") == ""
    User.objects.filter(username="leader2").update(is_active=False)
    record = services.document_draft(actor=world.alice, type_key="collective_discussion_record", case=case)
    assert record.fields["chair"] == "李局长"
    hearing_report = services.document_draft(actor=world.alice, type_key="hearing_report", case=case)
    assert case.hearing_chair is not None
    assert hearing_report.fields["chair"] == case.hearing_chair.name


def test_a_closing_approval_states_the_penalty_decided_and_how_it_was_executed(world: Any) -> None:
    case = walk(world, Stage.EXECUTED)
    draft = services.document_draft(actor=world.alice, type_key="closing_approval", case=case)
    assert case.fine_fen == 1_000_000
    assert draft.fields["outcome"] == "给予行政处罚：罚款10000.00元（壹万元整）"
    day = case.executed_on
    assert day is not None
    assert draft.fields["execution"] == (
        f"当事人已缴纳罚款（含加处罚款）10000.00元（壹万元整），{day.year}年{day.month}月{day.day}日执行完毕。"
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"case_time": "2026-13-01"}, "“案发时间”须为日期（如 2026-03-05）。"),
        ({"officers": [999999]}, "“执法人员”须为本机关的执法人员。"),
        ({"party": 999999}, "“当事人”须为本机关登记的当事人。"),
        ({"case_title": "案" * 301}, "“案由”不能超过300个字（现为301个）。"),
        ({"summary": 12}, "“案件基本情况”须为文字。"),
        ({"colour": "red"}, "未知的字段：colour。"),
    ],
)
def test_bad_values_are_refused_naming_the_field(world: Any, fields: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        services.document_draft(
            actor=world.alice, type_key="filing_approval", case=open_case(world), fields=fields
        )
    assert message in refused.value.messages
    assert not Document.objects.exists()


def test_officers_of_another_agency_cannot_be_put_on_a_document(world: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        services.document_draft(
            actor=world.alice,
            type_key="filing_approval",
            case=open_case(world),
            fields={"officers": [world.alice_officer.pk, world.p.charlie_officer.pk]},
        )
    assert "“执法人员”须为本机关的执法人员。" in refused.value.messages


def test_issue_requires_every_required_field_naming_each(world: Any) -> None:
    draft = services.document_draft(
        actor=world.alice,
        type_key="inquiry_notice",
        case=open_case(world),
        fields={"officers": [world.alice_officer.pk]},
    )
    with pytest.raises(ValidationError) as refused:
        services.document_issue(actor=world.alice, document=draft)
    messages = refused.value.messages
    assert "请填写“询问时间”。" in messages
    assert "请填写“询问地点”。" in messages
    assert "“执法人员”不得少于2人。" in messages
    draft.refresh_from_db()
    assert draft.status == DocumentStatus.DRAFT and draft.number == ""
    assert not NumberSeries.objects.filter(code="应急询").exists()


def test_issue_allocates_gapless_numbers_per_code_and_year_and_freezes_the_values(world: Any) -> None:
    first = issue(open_case(world), "filing_approval")
    second = issue(open_case(world), "filing_approval")
    notice = issue(
        open_case(world), "inquiry_notice", inquiry_at="2026-03-04T09:00", inquiry_place="本局询问室"
    )
    assert (first.number, second.number) == ("（甲县）应急立〔2026〕1号", "（甲县）应急立〔2026〕2号")
    assert (first.year, first.serial, second.serial) == (2026, 1, 2)
    assert notice.number == "（甲县）应急询〔2026〕1号"
    assert first.status == DocumentStatus.ISSUED and first.issued_by == world.alice
    # The copy of the officer on the issued document does not follow later changes of the officer's row.
    world.alice_officer.name = "艾丽丽"
    world.alice_officer.save()
    first.refresh_from_db()
    assert first.fields["officers"][0]["name"] == "艾丽"
    with pytest.raises(ValidationError, match="文书已签发，不能修改"):
        services.document_update_draft(actor=world.alice, document=first, fields={"summary": "改"})
    event = json.loads(Event.objects.get(event_type=EventType.DOCUMENT_ISSUED, subject_id=str(first.pk)).data)
    assert event["number"] == first.number
    assert len(event["fields_sha256"]) == 64


def test_an_unnumbered_type_is_issued_without_a_number(world: Any) -> None:
    record = issue(
        open_case(world),
        "inquiry_record",
        started_at="2026-03-02T09:00",
        ended_at="2026-03-02T10:00",
        place="本局询问室",
        person="张某",
        rights_told=True,
        record="问：……答：……",
    )
    assert record.status == DocumentStatus.ISSUED and record.number == "" and record.serial is None


def test_an_inquiry_record_needs_the_rights_told(world: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        issue(
            open_case(world),
            "inquiry_record",
            started_at="2026-03-02T09:00",
            ended_at="2026-03-02T10:00",
            place="本局询问室",
            person="张某",
            rights_told=False,
            record="问：……",
        )
    assert "“已出示执法证件并告知陈述、申辩和申请回避的权利”须为“是”。" in refused.value.messages


# ----------------------------------------------------------------------------------------------------
# 行政处罚法 Art.59


ART59_CASES = [
    ("party", {"party": {"name": "某公司", "address": ""}}, "（一）当事人的姓名或者名称、地址"),
    ("facts", {"facts": ""}, "（二）违反法律、法规、规章的事实和证据"),
    ("evidence", {"evidence": []}, "（二）违反法律、法规、规章的事实和证据"),
    ("penalties", {"penalties": []}, "（三）行政处罚的种类和依据"),
    ("basis", {"basis": ""}, "（三）行政处罚的种类和依据"),
    ("performance", {"performance": ""}, "（四）行政处罚的履行方式和期限"),
    ("remedies", {"remedies": ""}, "（五）申请行政复议、提起行政诉讼的途径和期限"),
    ("remedies without litigation", {"remedies": "可在六十日内申请行政复议。"}, "（五）申请行政复议"),
    ("agency", {"agency_name": ""}, "（六）作出行政处罚决定的行政机关名称和作出决定的日期"),
    ("date", {"decided_on": ""}, "（六）作出行政处罚决定的行政机关名称和作出决定的日期"),
    ("seal", {"seal": ""}, "行政机关的印章"),
]


@pytest.mark.parametrize(("missing", "fields", "element"), ART59_CASES, ids=[c[0] for c in ART59_CASES])
def test_a_decision_missing_an_art59_element_is_refused_naming_it(
    world: Any, missing: str, fields: dict[str, Any], element: str
) -> None:
    draft = _decision_draft(world, open_case(world), **fields)
    with pytest.raises(ValidationError) as refused:
        services.document_issue(actor=world.alice, document=draft)
    first = refused.value.messages[0]
    assert first.startswith("行政处罚决定书缺少行政处罚法第五十九条规定的事项：")
    assert element in first
    draft.refresh_from_db()
    assert draft.status == DocumentStatus.DRAFT
    assert not NumberSeries.objects.filter(code="应急罚").exists()


def test_a_decision_missing_several_elements_names_each(world: Any) -> None:
    draft = _decision_draft(world, open_case(world), facts="", performance="", remedies="")
    with pytest.raises(ValidationError) as refused:
        services.document_issue(actor=world.alice, document=draft)
    first = refused.value.messages[0]
    for element in ("（二）", "（四）", "（五）"):
        assert element in first


def test_a_decision_with_the_old_three_month_litigation_period_is_refused(world: Any) -> None:
    old = "如不服本决定，可在六十日内申请行政复议，或者在3个月内向人民法院提起行政诉讼。"
    draft = _decision_draft(world, open_case(world), remedies=old)
    with pytest.raises(ValidationError) as refused:
        services.document_issue(actor=world.alice, document=draft)
    assert "提起行政诉讼的期限为六个月（行政诉讼法第四十六条），不是三个月。" in refused.value.messages


def test_a_fine_without_an_amount_is_refused(world: Any) -> None:
    draft = _decision_draft(
        world, open_case(world), penalties=[{"kind": "fine", "amount_fen": 0, "violation": "第九十九条"}]
    )
    with pytest.raises(ValidationError) as refused:
        services.document_issue(actor=world.alice, document=draft)
    assert "第1项处罚须写明金额。" in refused.value.messages


def test_a_complete_decision_is_issued_with_the_case_number_series_of_the_agency(world: Any) -> None:
    draft = _decision_draft(world, open_case(world))
    decision = services.document_issue(actor=world.alice, document=draft)
    assert decision.number == "（甲县）应急罚〔2026〕1号"
    assert decision.fields["penalties"] == DECISION["penalties"]
    assert decision.fields["party"]["name"] == world.company.name


# ----------------------------------------------------------------------------------------------------
# Void and replace


def test_a_void_keeps_the_number_and_the_replacement_gets_a_new_one(world: Any) -> None:
    case = open_case(world)
    first = issue(case, "filing_approval")
    replacement = services.document_void_and_replace(
        actor=world.alice, document=first, reason="当事人名称有误", fields={"summary": "更正后的案件基本情况"}
    )
    first.refresh_from_db()
    assert first.is_voided and first.status_label == "已作废"
    assert first.number == "（甲县）应急立〔2026〕1号"
    assert first.void.reason == "当事人名称有误" and first.void.by == world.alice
    assert replacement.replaces == first and replacement.status == DocumentStatus.DRAFT
    assert replacement.fields["summary"] == "更正后的案件基本情况"
    assert replacement.fields["case_title"] == first.fields["case_title"]
    issued = services.document_issue(actor=world.alice, document=replacement)
    assert issued.number == "（甲县）应急立〔2026〕2号"
    assert [e.event_type for e in Event.objects.filter(subject_id=str(first.pk)).order_by("seq")][-1] == (
        EventType.DOCUMENT_VOIDED
    )


def test_a_draft_cannot_be_voided_and_a_void_needs_a_reason(world: Any) -> None:
    case = open_case(world)
    draft = services.document_draft(actor=world.alice, type_key="filing_approval", case=case)
    with pytest.raises(ValidationError, match="只有已签发的文书可以作废"):
        services.document_void(actor=world.alice, document=draft, reason="错")
    issued = issue(case, "filing_approval")
    with pytest.raises(ValidationError, match="请填写作废理由"):
        services.document_void(actor=world.alice, document=issued, reason="  ")
    services.document_void(actor=world.alice, document=issued, reason="重复制作")
    with pytest.raises(ValidationError, match="该文书已作废"):
        services.document_void(actor=world.alice, document=issued, reason="再次")
    assert DocumentVoid.objects.count() == 1


# ----------------------------------------------------------------------------------------------------
# Per-case numbering


def test_per_case_numbering_gives_each_document_the_case_serial(world: Any) -> None:
    services.document_settings_set(
        actor=world.leader, agency=world.p.agency_a, serial_scope=SerialScope.PER_CASE
    )
    issue(open_case(world), "filing_approval")  # another case takes serial 1
    case = open_case(world)
    filing = issue(case, "filing_approval")
    assert filing.number == "（甲县）应急立〔2026〕2号"
    notice = issue(case, "inquiry_notice", inquiry_at="2026-03-04T09:00", inquiry_place="本局询问室")
    second = issue(case, "inquiry_notice", inquiry_at="2026-03-05T09:00", inquiry_place="本局询问室")
    third = issue(case, "inquiry_notice", inquiry_at="2026-03-06T09:00", inquiry_place="本局询问室")
    assert notice.number == "（甲县）应急询〔2026〕2号"
    assert second.number == "（甲县）应急询〔2026〕2-2号"
    assert third.number == "（甲县）应急询〔2026〕2-3号"
    assert notice.serial == second.serial == 2
    assert numbering.parse(third.number).serial == "2-3"  # quoted in an evidence list, it links back
    # The per-type series of 应急询 is not touched in per-case mode.
    assert not NumberSeries.objects.filter(code="应急询").exists()


def test_per_case_numbering_refuses_before_the_case_has_its_filing_number(world: Any) -> None:
    services.document_settings_set(
        actor=world.leader, agency=world.p.agency_a, serial_scope=SerialScope.PER_CASE
    )
    draft = services.document_draft(
        actor=world.alice,
        type_key="inquiry_notice",
        case=open_case(world),
        fields={"inquiry_at": "2026-03-04T09:00", "inquiry_place": "本局询问室"},
    )
    with pytest.raises(ValidationError, match="本案尚未取得立案编号"):
        services.document_issue(actor=world.alice, document=draft)


# ----------------------------------------------------------------------------------------------------
# Permissions and isolation


def test_charlie_of_agency_b_can_neither_draft_nor_issue_nor_void_agency_as_documents(world: Any) -> None:
    case = open_case(world)
    with pytest.raises(PermissionDenied):
        services.document_draft(actor=world.charlie, type_key="filing_approval", case=case)
    draft = services.document_draft(actor=world.alice, type_key="filing_approval", case=case)
    with pytest.raises(PermissionDenied):
        services.document_issue(actor=world.charlie, document=draft)
    issued = issue(case, "filing_approval")
    with pytest.raises(PermissionDenied):
        services.document_void(actor=world.charlie, document=issued, reason="试图作废")
    assert not DocumentVoid.objects.exists()


def test_an_officer_who_does_not_handle_the_case_cannot_draft_its_documents(world: Any) -> None:
    with pytest.raises(PermissionDenied, match="须由本案承办人员"):
        services.document_draft(actor=world.erin, type_key="filing_approval", case=open_case(world))


def test_the_legal_review_opinion_is_written_by_a_reviewer_who_is_not_a_handler(world: Any) -> None:
    case = open_case(world)
    with pytest.raises(PermissionDenied, match="非本案承办人员的审核人员"):
        services.document_draft(actor=world.alice, type_key="legal_review_opinion", case=case)
    opinion = services.document_draft(actor=world.bob, type_key="legal_review_opinion", case=case)
    assert opinion.drafted_by == world.bob


# ----------------------------------------------------------------------------------------------------
# The stored PDF


def test_the_pdf_is_rendered_after_commit_stored_by_its_hash_and_never_replaced(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    case = open_case(world)
    with django_capture_on_commit_callbacks(execute=True):
        decision = services.document_issue(actor=world.alice, document=_decision_draft(world, case))
    decision.refresh_from_db()
    data = decision.pdf.read()
    assert data.startswith(b"%PDF")
    assert decision.pdf_sha256 == hashlib.sha256(data).hexdigest()
    assert decision.pdf.name == f"documents/pdf/{decision.pdf_sha256[:2]}/{decision.pdf_sha256}.pdf"
    event = json.loads(Event.objects.get(event_type=EventType.DOCUMENT_RENDERED).data)
    assert event["sha256"] == decision.pdf_sha256 and event["algorithm"] == "sha256"
    stored = (decision.pdf.name, decision.pdf_sha256, decision.rendered_at)
    assert services.document_store_pdf(document=decision) is False
    decision.refresh_from_db()
    assert (decision.pdf.name, decision.pdf_sha256, decision.rendered_at) == stored
    assert Event.objects.filter(event_type=EventType.DOCUMENT_RENDERED).count() == 1


def test_what_an_earlier_document_states_is_carried_into_the_next_draft(world: Any) -> None:
    case = open_case(world)
    issue(
        case,
        "investigation_report",
        facts="经查，当事人冲压车间安全光幕失效已三个月。",
        evidence=["现场检查记录", "询问笔录"],
        violated="《中华人民共和国安全生产法》第三十六条",
    )
    draft = services.document_draft(actor=world.alice, type_key="penalty_decision", case=case)
    assert draft.fields["facts"] == "经查，当事人冲压车间安全光幕失效已三个月。"
    assert draft.fields["evidence"] == ["现场检查记录", "询问笔录"]
    assert draft.fields["violated"] == "《中华人民共和国安全生产法》第三十六条"
    # A voided document is not carried forward.
    report = case.documents.get(type__key="investigation_report")
    services.document_void(actor=world.alice, document=report, reason="事实有误")
    again = services.document_draft(actor=world.alice, type_key="penalty_decision", case=case)
    assert again.fields["facts"] == case.facts
