"""Rendering layouts to PDF, HTML and DOCX: real Chinese text in real fonts, page numbers, signatures, seal.

These tests read the PDFs back with poppler (pdftotext, pdffonts, pdfimages, pdfinfo) and convert the DOCX
with LibreOffice, the tools `make install` puts on the machine.
"""

from __future__ import annotations

import dataclasses
import io
import re
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from sanxiang.documents.rendering import (
    BodySection,
    FieldLine,
    Layout,
    SignatureBlock,
    docx_from_layout,
    html_from_layout,
    pdf_from_layout,
)
from sanxiang.documents.rendering.html import template_names
from sanxiang.documents.rendering.samples import decision_layout, filing_approval_layout, signature_png


def run(*args: str | Path) -> str:
    return subprocess.run([str(a) for a in args], check=True, capture_output=True, text=True).stdout


def pdf_text(pdf: bytes, tmp_path: Path, *pages: int) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    page_args = ["-f", str(pages[0]), "-l", str(pages[-1])] if pages else []
    return run("pdftotext", "-layout", *page_args, path, "-")


def flat(text: str) -> str:
    """pdftotext breaks lines where the page does: compare without whitespace."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def decision_pdf() -> bytes:
    return pdf_from_layout(decision_layout())


def test_a_decision_pdf_carries_its_title_number_party_and_amount_in_chinese_text(
    decision_pdf: bytes, tmp_path: Path
) -> None:
    text = flat(pdf_text(decision_pdf, tmp_path))
    assert "舒城县应急管理局" in text
    assert "行政处罚决定书" in text
    assert "（舒）应急罚〔2026〕12号" in text
    assert "安徽舒润化工有限公司" in text
    assert "30000.00元（叁万元整）" in text


def test_a_decision_pdf_embeds_the_cjk_fonts_it_is_set_in(decision_pdf: bytes, tmp_path: Path) -> None:
    path = tmp_path / "doc.pdf"
    path.write_bytes(decision_pdf)
    fonts = run("pdffonts", path).splitlines()[2:]
    cjk = [line for line in fonts if "CJK" in line]
    assert any("Noto-Serif-CJK-SC" in line for line in cjk)
    # columns: name type encoding emb sub uni …: every CJK font is embedded (no boxes on another machine)
    assert cjk and all(line.split()[-5] == "yes" for line in cjk)


def test_the_decision_is_an_a4_page_dated_at_its_issue(decision_pdf: bytes, tmp_path: Path) -> None:
    path = tmp_path / "doc.pdf"
    path.write_bytes(decision_pdf)
    info = run("pdfinfo", "-isodates", path)
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info)
    assert re.search(r"CreationDate:\s+2026-03-05T02:30:00", info)  # 10:30 in Shanghai


def test_the_same_layout_renders_to_the_same_pdf_bytes(decision_pdf: bytes) -> None:
    assert pdf_from_layout(decision_layout()) == decision_pdf


def test_a_two_page_document_numbers_its_pages_in_the_footer(tmp_path: Path) -> None:
    pdf = pdf_from_layout(decision_layout(long=True))
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    pages = int(re.search(r"Pages:\s+(\d+)", run("pdfinfo", path)).group(1))  # type: ignore[union-attr]
    assert pages >= 2
    for page in (1, 2):
        # the footer "— n —" is the last line of its page
        assert flat(pdf_text(pdf, tmp_path, page)).endswith(f"—{page}—")


def test_the_seal_never_stands_alone_on_a_page(tmp_path: Path) -> None:
    """GB/T 9704 §7.3.5: the agency's name, date and seal are not left on a page without text."""
    base = decision_layout()
    for extra in range(0, 24, 2):
        # the facts grow a line at a time, so that the closing falls at every place on the page
        lines = tuple(f"{i + 1}. 现场照片。" for i in range(extra))
        sections = tuple(
            dataclasses.replace(s, paragraphs=(*s.paragraphs, *lines)) if s.name == "facts" else s
            for s in base.sections
        )
        layout = dataclasses.replace(base, sections=sections)
        pages = run("pdftotext", "-layout", _write(tmp_path, pdf_from_layout(layout)), "-").split("\f")
        for page in pages:
            if "（印章）" in page:
                rest = flat(page).replace("（印章）", "").replace(base.seal.agency_name, "")  # type: ignore[union-attr]
                rest = re.sub(r"—\d+—|\d{4}年\d{1,2}月\d{1,2}日", "", rest)
                assert rest, f"the seal stands alone after {extra} more lines of facts"


def _write(tmp_path: Path, pdf: bytes) -> Path:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return path


def test_the_party_signature_image_is_embedded_in_the_pdf(decision_pdf: bytes, tmp_path: Path) -> None:
    path = tmp_path / "doc.pdf"
    path.write_bytes(decision_pdf)
    images = run("pdfimages", "-list", path).splitlines()[2:]
    assert [(line.split()[3], line.split()[4]) for line in images if line.split()[2] == "image"] == [
        ("360", "120")
    ]


def test_without_the_signature_no_image_is_embedded(tmp_path: Path) -> None:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf_from_layout(decision_layout(signed=False)))
    assert [line for line in run("pdfimages", "-list", path).splitlines()[2:] if " image " in line] == []


def test_a_refused_signature_prints_the_note_and_the_witness(tmp_path: Path) -> None:
    refused = SignatureBlock(
        "party", "当事人", refused=True, refusal_note="当事人拒绝签收", witness_name="张卫东"
    )
    layout = dataclasses.replace(decision_layout(), signatures=(refused,))
    text = flat(pdf_text(pdf_from_layout(layout), tmp_path))
    assert "拒绝签名" in text
    assert "当事人拒绝签收" in text
    assert "见证人：张卫东" in text


def test_the_seal_position_is_marked_over_the_agency_and_the_date(
    decision_pdf: bytes, tmp_path: Path
) -> None:
    text = flat(pdf_text(decision_pdf, tmp_path))
    assert "（印章）舒城县应急管理局2026年3月5日" in text


def test_an_approval_form_prints_its_review_and_approval_rows(tmp_path: Path) -> None:
    pdf = pdf_from_layout(filing_approval_layout())
    text = flat(pdf_text(pdf, tmp_path))
    assert "立案审批表" in text
    assert "（舒）应急立〔2026〕7号" in text
    for row in ("承办人意见", "审核意见", "审批意见"):
        assert row in text
    assert "签名：赵刚日期：2026年1月13日" in text
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    assert "Pages:           1" in run("pdfinfo", path)  # a form keeps to one page
    assert "（印章）" not in text  # an internal form bears no seal


def test_a_draft_shows_where_its_number_will_go_and_says_it_is_a_draft(tmp_path: Path) -> None:
    layout = dataclasses.replace(decision_layout(), number="", issued_at=None, watermark="草稿")
    html = html_from_layout(layout)
    assert "（签发时编号）" in html
    assert '<div class="doc-watermark">草稿</div>' in html
    assert "dcterms.created" not in html


def test_the_template_is_chosen_by_the_type_falling_back_to_the_generic_one() -> None:
    assert template_names(decision_layout())[:2] == [
        "documents/print/agency-1/penalty_decision.html",
        "documents/print/penalty_decision.html",
    ]
    unknown = dataclasses.replace(decision_layout(), template="no_such_type", agency_key="")
    assert template_names(unknown) == ["documents/print/no_such_type.html", "documents/print/generic.html"]
    assert "本机关决定给予如下行政处罚" in html_from_layout(decision_layout())
    assert "本机关决定给予如下行政处罚" not in html_from_layout(unknown)
    assert "30000.00元（叁万元整）" in html_from_layout(unknown)  # the generic template prints every field


def test_a_template_name_that_is_a_path_is_not_followed() -> None:
    hostile = dataclasses.replace(decision_layout(), template="../../base_staff", agency_key="../x")
    assert template_names(hostile) == ["documents/print/generic.html"]


def test_approval_forms_without_their_own_template_fall_back_to_the_ruled_form() -> None:
    layout = dataclasses.replace(filing_approval_layout(), template="deferral_approval", agency_key="")
    assert template_names(layout) == [
        "documents/print/deferral_approval.html",
        "documents/print/approval_form.html",
        "documents/print/generic.html",
    ]
    assert '<table class="form">' in html_from_layout(layout)


def test_an_agency_template_takes_the_place_of_the_standard_one(tmp_path: Path, settings: object) -> None:
    own = tmp_path / "documents" / "print" / "agency-1"
    own.mkdir(parents=True)
    (own / "penalty_decision.html").write_text(
        '{% extends "documents/print/penalty_decision.html" %}{% block head %}本局自定格式{% endblock %}',
        encoding="utf-8",
    )
    templates = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]  # type: ignore[attr-defined]
    with override_settings(TEMPLATES=templates):
        assert "本局自定格式" in html_from_layout(decision_layout())
        other_agency = dataclasses.replace(decision_layout(), agency_key="2")
        assert "本局自定格式" not in html_from_layout(other_agency)


def test_the_browser_view_has_a_print_button_that_the_pdf_does_not() -> None:
    assert "window.print()" in html_from_layout(decision_layout(), screen=True)
    assert "window.print()" not in html_from_layout(decision_layout())


def test_values_are_escaped_in_the_html() -> None:
    layout = dataclasses.replace(decision_layout(), title="<script>alert(1)</script>")
    html = html_from_layout(layout)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


# ----------------------------------------------------------------------------------------------- DOCX


@pytest.fixture(scope="module")
def decision_docx() -> bytes:
    return docx_from_layout(decision_layout())


def test_the_docx_sets_east_asian_fonts_on_its_runs(decision_docx: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(decision_docx)) as docx:
        body = docx.read("word/document.xml").decode("utf-8")
    assert "行政处罚决定书" in body
    assert "（舒）应急罚〔2026〕12号" in body
    runs = re.findall(r"<w:r>.*?</w:r>|<w:r .*?</w:r>", body, flags=re.S)
    chinese_runs = [r for r in runs if re.search(r"<w:t[^>]*>[^<]*[\u4e00-\u9fff]", r)]
    assert chinese_runs
    assert all('w:eastAsia="' in r for r in chinese_runs)


def test_the_docx_embeds_the_party_signature_image(decision_docx: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(decision_docx)) as docx:
        media = [n for n in docx.namelist() if n.startswith("word/media/")]
        assert [docx.read(n) for n in media] == [signature_png()]


def test_the_same_layout_renders_to_the_same_docx_bytes(decision_docx: bytes) -> None:
    assert docx_from_layout(decision_layout()) == decision_docx


def test_the_docx_opens_in_libreoffice_with_its_title_and_number(
    decision_docx: bytes, tmp_path: Path
) -> None:
    source = tmp_path / "decision.docx"
    source.write_bytes(decision_docx)
    # a profile of its own, so that parallel test runs do not share (and lock) one LibreOffice profile
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    text = flat(run("pdftotext", tmp_path / "decision.pdf", "-"))
    assert "行政处罚决定书" in text
    assert "（舒）应急罚〔2026〕12号" in text
    assert "30000.00元（叁万元整）" in text
    # the longest signature label stays on one line (a wrapped one broke over a page)
    assert "机关负责人（签名）：" in run("pdftotext", "-layout", tmp_path / "decision.pdf", "-")


def test_an_approval_form_docx_carries_its_opinion_rows(tmp_path: Path) -> None:
    with zipfile.ZipFile(io.BytesIO(docx_from_layout(filing_approval_layout()))) as docx:
        body = docx.read("word/document.xml").decode("utf-8")
    for text in ("审核意见", "符合立案条件，同意立案。", "签名：赵刚　日期：2026年1月13日"):
        assert text in body
    assert "{%" not in body and "{{" not in body


# ------------------------------------------------------------------------------------ specific templates


def _notice(template: str, title: str) -> Layout:
    base = decision_layout()
    return dataclasses.replace(
        base,
        template=template,
        title=title,
        number="（舒）应急罚告〔2026〕5号",
        sections=(
            *(s for s in base.sections if s.name in ("facts", "evidence", "violated", "basis", "penalties")),
            BodySection("rights", "当事人的权利", ("你（单位）有权进行陈述和申辩。",)),
        ),
        fields=(FieldLine("contact", "联系人及电话", "陈志远 0564-8620000"),),
    )


def _rectification() -> Layout:
    items = (
        (
            FieldLine("requirement", "整改要求", "设置可燃气体报警装置"),
            FieldLine("due_on", "整改期限", "2026年1月26日"),
        ),
    )
    return dataclasses.replace(
        decision_layout(),
        template="rectification_order",
        title="责令限期整改指令书",
        fields=(FieldLine("due_on", "整改期限", "2026年1月26日"),),
        sections=(
            BodySection("problems", "存在的问题", ("危险化学品仓库未设置可燃气体报警装置。",)),
            BodySection(
                "items",
                "整改项与整改期限",
                ("整改要求：设置可燃气体报警装置；整改期限：2026年1月26日",),
                items,
            ),
            BodySection(
                "remedies", "救济途径和期限", ("如果不服本指令，可以依法申请行政复议或者提起行政诉讼。",)
            ),
        ),
    )


def _record(template: str, title: str, **extra: Any) -> Layout:
    changes: dict[str, Any] = {
        "template": template,
        "title": title,
        "seal": None,
        "sections": (),
        "fields": (),
    }
    return dataclasses.replace(decision_layout(), **{**changes, **extra})


SPECIFIC = [
    (decision_layout(), ["以上事实有下列证据证实", "本机关决定给予如下行政处罚", "申请人民法院强制执行"]),
    (
        _notice("penalty_notice", "行政处罚告知书"),
        ["安徽舒润化工有限公司：", "经查，", "本机关拟对你（单位）作出如下行政处罚"],
    ),
    (_notice("hearing_notice", "行政处罚听证告知书"), ["第六十三条规定的情形，你（单位）有权要求听证"]),
    (
        _rectification(),
        ["经查，你单位存在下列问题", '<td class="date">2026年1月26日</td>', "以上问题应于2026年1月26日前"],
    ),
    (
        _record(
            "inspection_record",
            "现场检查记录",
            fields=(
                FieldLine("started_at", "检查开始时间", "2026年1月12日 9时00分"),
                FieldLine("ended_at", "检查结束时间", "2026年1月12日 11时30分"),
            ),
        ),
        ["自2026年1月12日 9时00分至2026年1月12日 11时30分", '<table class="form">'],
    ),
    (
        _record(
            "delivery_receipt",
            "文书送达回执",
            sections=(
                BodySection(
                    "documents",
                    "送达文书",
                    ("文书名称：行政处罚决定书；文书编号：（舒）应急罚〔2026〕12号",),
                    (
                        (
                            FieldLine("title", "文书名称", "行政处罚决定书"),
                            FieldLine("number", "文书编号", "（舒）应急罚〔2026〕12号"),
                        ),
                    ),
                ),
            ),
        ),
        ["送达文书名称及文号", "行政处罚决定书　（舒）应急罚〔2026〕12号", "受送达人（签名）"],
    ),
    (filing_approval_layout(), ["审核意见", "审批意见", '<table class="form">']),
]


@pytest.mark.parametrize(("layout", "phrases"), SPECIFIC, ids=[layout.template for layout, _ in SPECIFIC])
def test_each_standard_document_has_its_own_template(layout: Layout, phrases: list[str]) -> None:
    html = html_from_layout(layout)
    for phrase in phrases:
        assert phrase in html
    assert (
        Path(__file__)
        .resolve()
        .parents[1]
        .joinpath("templates", "documents", "print", f"{layout.template}.html")
        .is_file()
    )


def test_the_committed_docx_template_is_what_its_build_script_makes(tmp_path: Path) -> None:
    import importlib.util

    script = Path(__file__).resolve().parents[1] / "docx_templates" / "build_base.py"
    spec = importlib.util.spec_from_file_location("build_base", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    built = module.build(tmp_path / "base.docx")
    assert built.read_bytes() == (script.parent / "base.docx").read_bytes()
