"""From stored documents to what their pages show: layout_for, and render_pdf / render_docx on real rows."""

from __future__ import annotations

import datetime
import hashlib
import io
import re
import subprocess
import zipfile
import zoneinfo
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.utils import translation

from sanxiang.cases.tests.factories import make_world, open_case
from sanxiang.documents.models import Document, DocumentStatus, DocumentType, DocumentVoid, Signature
from sanxiang.documents.rendering import RenderingError, layout_for, render_docx, render_html, render_pdf
from sanxiang.documents.rendering.samples import signature_png

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
ISSUED_AT = datetime.datetime(2026, 3, 5, 10, 30, tzinfo=SHANGHAI)
PENALTY: dict[str, Any] = {
    "name": "penalties",
    "label": "处罚的种类和金额",
    "kind": "list",
    "item_fields": [
        {
            "name": "kind",
            "label": "处罚种类",
            "kind": "choice",
            "choices": [["warning", "警告"], ["fine", "罚款"]],
        },
        {"name": "amount_fen", "label": "金额", "kind": "money"},
        {"name": "violation", "label": "违法行为", "kind": "text"},
    ],
}
DECISION_FIELDS: list[dict[str, Any]] = [
    {"name": "party", "label": "当事人", "kind": "party"},
    {"name": "facts", "label": "违法事实", "kind": "textarea"},
    {"name": "evidence", "label": "证据", "kind": "list"},
    {"name": "violated", "label": "违反的规定", "kind": "textarea"},
    {"name": "basis", "label": "处罚依据", "kind": "textarea"},
    PENALTY,
    {"name": "performance", "label": "履行方式和期限", "kind": "textarea"},
    {"name": "payment_bank", "label": "缴款银行", "kind": "text"},
    {"name": "remedies", "label": "申请行政复议、提起行政诉讼的途径和期限", "kind": "textarea"},
    {"name": "agency_name", "label": "作出决定的行政机关", "kind": "text"},
    {"name": "decided_on", "label": "作出决定的日期", "kind": "date"},
    {"name": "seal", "label": "印章位置", "kind": "choice", "choices": [["agency_date", "落款处"]]},
    {"name": "officers", "label": "执法人员", "kind": "officers"},
]
DECISION_VALUES: dict[str, Any] = {
    "party": {
        "id": None,
        "kind": "organisation",
        "name": "安徽舒润化工有限公司",
        "address": "舒城县城关镇梅河路8号",
        "credit_code": "91341523MA2N0X1234",
        "resident_id": "",
        "legal_representative": "王建国",
        "phone": "",
    },
    "facts": "2026年1月12日检查发现，你单位8名从业人员未经安全生产教育和培训即上岗作业。\n以上事实清楚。",
    "evidence": ["现场检查记录", "询问笔录2份"],
    "violated": "《中华人民共和国安全生产法》第二十八条第一款",
    "basis": "《中华人民共和国安全生产法》第九十七条第三项",
    "penalties": [
        {"kind": "fine", "amount_fen": 3000000, "violation": "未按照规定对从业人员进行安全生产教育和培训"}
    ],
    "performance": "自收到本决定书之日起十五日内缴纳罚款。",
    "payment_bank": "",
    "remedies": "如不服本决定，可以在六十日内申请行政复议，或者在六个月内提起行政诉讼。",
    "agency_name": "舒城县应急管理局",
    "decided_on": "2026-03-04",
    "seal": "agency_date",
    "officers": [
        {"id": 1, "name": "爱丽丝", "certificate_number": "34152301001"},
        {"id": 2, "name": "戴夫", "certificate_number": "34152301003"},
    ],
}
APPROVAL_FIELDS: list[dict[str, Any]] = [
    {"name": "case_title", "label": "案由", "kind": "text"},
    {"name": "case_time", "label": "案发时间", "kind": "date"},
    {"name": "summary", "label": "案件基本情况", "kind": "textarea"},
    {"name": "officers", "label": "执法人员", "kind": "officers"},
    {"name": "handler_opinion", "label": "承办人意见", "kind": "textarea"},
    {"name": "review_opinion", "label": "审核意见", "kind": "textarea"},
    {"name": "reviewer_name", "label": "审核人", "kind": "text"},
    {"name": "reviewed_on", "label": "审核日期", "kind": "date"},
    {"name": "approval_opinion", "label": "审批意见", "kind": "textarea"},
    {"name": "approver_name", "label": "审批人", "kind": "text"},
    {"name": "approved_on", "label": "审批日期", "kind": "date"},
]


@pytest.fixture
def world(personas: Any, settings: Any, tmp_path: Path) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return make_world(personas)


@pytest.fixture
def case(world: Any) -> Any:
    return open_case(world)


def doc_type(world: Any, key: str, title: str, fields: list[dict[str, Any]], **extra: Any) -> DocumentType:
    """A type of agency A's own catalog, so that it never meets the national seed."""
    defaults: dict[str, Any] = {"code": "", "numbered": False, "signers": [], "party_receives": False}
    defaults.update(extra)
    return DocumentType.objects.create(
        agency=world.p.agency_a, key=key, title=title, fields=fields, template_name=key, **defaults
    )


def document(world: Any, case: Any, doc_type: DocumentType, values: dict[str, Any], **extra: Any) -> Document:
    now = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=SHANGHAI)
    return Document.objects.create(
        agency=world.p.agency_a,
        case=case,
        type=doc_type,
        fields=values,
        drafted_by=world.alice,
        drafted_at=now,
        updated_at=now,
        **extra,
    )


def issued_decision(world: Any, case: Any, **values: Any) -> Document:
    decision_type = doc_type(
        world,
        "penalty_decision",
        "行政处罚决定书",
        DECISION_FIELDS,
        code="应急罚",
        numbered=True,
        signers=["leader", "party"],
        party_receives=True,
    )
    return document(
        world,
        case,
        decision_type,
        {**DECISION_VALUES, **values},
        number="（舒）应急罚〔2026〕12号",
        year=2026,
        serial=12,
        status=DocumentStatus.ISSUED,
        issued_by=world.leader,
        issued_at=ISSUED_AT,
    )


def sign(
    world: Any, doc: Document, role: str, name: str, *, image: bytes | None = None, **extra: Any
) -> Signature:
    signature = Signature(
        document=doc,
        role=role,
        signer_name=name,
        signed_at=datetime.datetime(2026, 3, 6, 15, 0, tzinfo=SHANGHAI),
        recorded_by=world.alice,
        **extra,
    )
    if image is not None:
        signature.image_sha256 = hashlib.sha256(image).hexdigest()
        signature.image.save(f"{signature.image_sha256}.png", ContentFile(image), save=False)
    signature.save()
    return signature


def test_an_issued_decision_is_laid_out_with_every_value_formatted_for_print(world: Any, case: Any) -> None:
    decision = issued_decision(world, case)
    sign(world, decision, "party", "王建国", image=signature_png())

    layout = layout_for(decision)

    assert (layout.agency_name, layout.title, layout.number) == (
        "甲县应急管理局",
        "行政处罚决定书",
        decision.number,
    )
    assert layout.template == "penalty_decision"
    assert layout.issued_at == ISSUED_AT
    assert layout.issued_on == "2026年3月5日"
    assert layout.watermark == ""
    [party] = layout.parties
    assert party.name == "安徽舒润化工有限公司"
    assert [(line.label, line.value) for line in party.lines] == [
        ("统一社会信用代码", "91341523MA2N0X1234"),
        ("法定代表人（负责人）", "王建国"),
        ("地址", "舒城县城关镇梅河路8号"),
    ]
    assert [s.name for s in layout.sections] == [
        "facts",
        "evidence",
        "violated",
        "basis",
        "penalties",
        "performance",
        "remedies",
    ]
    assert layout.named["facts"].paragraphs == (
        "2026年1月12日检查发现，你单位8名从业人员未经安全生产教育和培训即上岗作业。",
        "以上事实清楚。",
    )
    assert layout.named["evidence"].paragraphs == ("1．现场检查记录", "2．询问笔录2份")
    assert layout.named["penalties"].paragraphs == (
        "未按照规定对从业人员进行安全生产教育和培训：罚款30000.00元（叁万元整）",
    )
    assert layout.fields == ()  # the empty bank is left off; the seal fields went to the closing
    assert [str(o) for o in layout.officers] == [
        "爱丽丝（执法证号：34152301001）",
        "戴夫（执法证号：34152301003）",
    ]
    assert layout.seal is not None
    assert (layout.seal.agency_name, layout.seal.date) == ("舒城县应急管理局", "2026年3月4日")
    leader, party_signature = layout.signatures
    assert (leader.role, leader.label, leader.name, leader.image) == ("leader", "机关负责人", "", None)
    assert (party_signature.label, party_signature.name) == ("当事人", "王建国")
    assert party_signature.image == signature_png()
    assert party_signature.signed_on == "2026年3月6日"


def test_a_warning_states_no_amount_beside_a_fine(world: Any, case: Any) -> None:
    decision = issued_decision(
        world,
        case,
        penalties=[
            {"kind": "warning", "amount_fen": 0, "violation": "未如实告知危险因素"},
            {"kind": "fine", "amount_fen": 3_000_000, "violation": "未按照规定进行安全生产教育和培训"},
        ],
    )
    assert layout_for(decision).named["penalties"].paragraphs == (
        "1．未如实告知危险因素：警告",
        "2．未按照规定进行安全生产教育和培训：罚款30000.00元（叁万元整）",
    )


def test_a_decision_renders_to_a_pdf_with_its_chinese_text(world: Any, case: Any, tmp_path: Path) -> None:
    decision = issued_decision(world, case)
    sign(world, decision, "party", "王建国", image=signature_png())
    pdf = render_pdf(decision)
    path = tmp_path / "decision.pdf"
    path.write_bytes(pdf)
    text = re.sub(
        r"\s+",
        "",
        subprocess.run(["pdftotext", path, "-"], check=True, capture_output=True, text=True).stdout,
    )
    for expected in (
        "行政处罚决定书",
        "（舒）应急罚〔2026〕12号",
        "安徽舒润化工有限公司",
        "30000.00元（叁万元整）",
    ):
        assert expected in text
    assert render_pdf(decision) == pdf  # the stored PDF's hash can be checked by rendering again


def test_a_decision_renders_to_a_docx_with_the_party_signature(world: Any, case: Any) -> None:
    decision = issued_decision(world, case)
    sign(world, decision, "party", "王建国", image=signature_png())
    with zipfile.ZipFile(io.BytesIO(render_docx(decision))) as docx:
        assert "（舒）应急罚〔2026〕12号" in docx.read("word/document.xml").decode("utf-8")
        assert [docx.read(n) for n in docx.namelist() if n.startswith("word/media/")] == [signature_png()]


def test_a_refused_signature_is_laid_out_with_its_note_and_witness(world: Any, case: Any) -> None:
    decision = issued_decision(world, case)
    sign(
        world, decision, "party", "王建国", refused=True, refusal_note="当事人拒绝签收", witness_name="张卫东"
    )
    block = layout_for(decision).signatures[-1]
    assert (block.refused, block.refusal_note, block.witness_name, block.image) == (
        True,
        "当事人拒绝签收",
        "张卫东",
        None,
    )


def test_a_signature_image_that_fails_its_hash_is_refused_in_chinese(world: Any, case: Any) -> None:
    decision = issued_decision(world, case)
    signature = sign(world, decision, "party", "王建国", image=signature_png())
    Signature.objects.filter(pk=signature.pk).update(image_sha256="0" * 64)
    with pytest.raises(RenderingError, match="王建国的签名图像与登记的哈希值不一致"):
        layout_for(decision)


def test_a_draft_says_so_and_a_voided_document_says_it_is_void(world: Any, case: Any) -> None:
    decision = issued_decision(world, case)
    draft = document(world, case, decision.type, DECISION_VALUES)
    assert layout_for(draft).watermark == "草稿"
    assert "（签发时编号）" in render_html(draft)
    DocumentVoid.objects.create(document=decision, reason="当事人名称有误", by=world.leader, at=ISSUED_AT)
    decision.refresh_from_db()
    assert layout_for(decision).watermark == "已作废"


def test_an_approval_form_puts_opinions_and_their_signers_in_rows(world: Any, case: Any) -> None:
    form_type = doc_type(
        world, "filing_approval", "立案审批表", APPROVAL_FIELDS, signers=["officer", "reviewer", "leader"]
    )
    form = document(
        world,
        case,
        form_type,
        {
            "case_title": "未按规定开展安全培训案",
            "case_time": "2026-01-12",
            "summary": "检查发现……",
            "officers": DECISION_VALUES["officers"],
            "handler_opinion": "建议立案。",
            "review_opinion": "同意立案。",
            "reviewer_name": "何股长",
            "reviewed_on": "2026-01-13",
            "approval_opinion": "",
            "approver_name": "",
            "approved_on": "",
        },
    )
    sign(world, form, "officer", "爱丽丝")
    sign(world, form, "officer", "戴夫")
    sign(world, form, "leader", "李局长")

    layout = layout_for(form)

    assert [(a.label, a.opinion, a.signer, a.signed_on) for a in layout.approvals] == [
        ("承办人意见", "建议立案。", "爱丽丝、戴夫", "2026年3月6日"),
        ("审核意见", "同意立案。", "何股长", "2026年1月13日"),
        ("审批意见", "", "李局长", "2026年3月6日"),
    ]
    assert layout.signatures == ()  # everyone signs in the rows
    assert layout.seal is None  # an internal form
    assert [(f.label, f.value) for f in layout.fields] == [
        ("案由", "未按规定开展安全培训案"),
        ("案发时间", "2026年1月12日"),
    ]
    assert '<table class="form">' in render_html(form)


def test_every_kind_of_value_is_printed_in_its_form(world: Any, case: Any) -> None:
    fields: list[dict[str, Any]] = [
        {"name": "held_at", "label": "时间", "kind": "datetime"},
        {"name": "count", "label": "份数", "kind": "integer"},
        {"name": "agreed", "label": "是否同意", "kind": "boolean"},
        {"name": "method", "label": "送达方式", "kind": "choice", "choices": [["mail", "邮寄送达"]]},
        {"name": "amount", "label": "金额", "kind": "money"},
        {"name": "person", "label": "当事人", "kind": "party"},
        {
            "name": "items",
            "label": "整改项与整改期限",
            "kind": "list",
            "item_fields": [
                {"name": "requirement", "label": "整改要求", "kind": "textarea"},
                {"name": "due_on", "label": "整改期限", "kind": "date"},
            ],
        },
    ]
    values = {
        "held_at": "2026-03-05T09:05",
        "count": 3,
        "agreed": False,
        "method": "mail",
        "amount": 10005,
        "person": {
            "kind": "person",
            "name": "张三",
            "resident_id": "341523199001011234",
            "address": "舒城县",
        },
        "items": [{"requirement": "补办培训", "due_on": "2026-03-20"}],
    }
    layout = layout_for(document(world, case, doc_type(world, "misc", "杂项", fields), values))
    assert [(f.label, f.value) for f in layout.fields] == [
        ("时间", "2026年3月5日 9时05分"),
        ("份数", "3"),
        ("是否同意", "否"),
        ("送达方式", "邮寄送达"),
        ("金额", "100.05元（壹佰元零伍分）"),
    ]
    assert [(line.label, line.value) for line in layout.parties[0].lines] == [
        ("公民身份号码", "341523199001011234"),
        ("地址", "舒城县"),
    ]
    [items] = layout.sections
    assert items.paragraphs == ("整改要求：补办培训；整改期限：2026年3月20日",)
    assert [[(c.label, c.value) for c in row] for row in items.items] == [
        [("整改要求", "补办培训"), ("整改期限", "2026年3月20日")]
    ]


def test_the_layout_is_chinese_whatever_language_the_reader_chose(world: Any, case: Any) -> None:
    decision = issued_decision(world, case)
    with translation.override("en"):
        layout = layout_for(decision)
        html = render_html(decision)
    assert layout.signatures[0].label == "机关负责人"
    assert "执法人员" in html


def test_a_value_that_cannot_be_printed_is_refused_in_chinese_naming_its_field(world: Any, case: Any) -> None:
    fields: list[dict[str, Any]] = [{"name": "amount", "label": "罚款金额", "kind": "money"}]
    broken = document(world, case, doc_type(world, "misc", "杂项", fields), {"amount": "三万元"})
    with pytest.raises(RenderingError, match="“罚款金额”的内容无法打印：金额必须是以分为单位的整数。"):
        layout_for(broken)
