"""Builds ``base.docx``, the docxtpl template every document's DOCX is rendered from.

    .venv/bin/python sanxiang/documents/docx_templates/build_base.py

The template holds only layout and Jinja tags; every word on the page comes from the context that
``sanxiang.documents.rendering.docx`` passes (labels through gettext), so one file serves every type. An
agency may open ``base.docx`` in Word or WPS and adjust fonts and spacing, or save a copy as
``<template name>.docx`` beside it for one type, keeping the tags.

Page and type follow GB/T 9704: A4, margins 37 / 35 / 28 / 26 mm, titles in 宋体 bold 二号 (22 pt), body
in 仿宋 三号 (16 pt) on an exact 28.9 pt line, page numbers "— 1 —" in the footer. The East-Asian font is set
on every style and every run (``w:eastAsia``): Word and WPS otherwise fall back to a Latin font's choice.
宋体 and 仿宋 are the faces every Chinese Windows and WPS install has; elsewhere the reader substitutes
its own CJK fonts (LibreOffice on Debian: Noto CJK).
"""

from __future__ import annotations

import datetime
import io
import sys
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.table import Table
from docx.text.paragraph import Paragraph

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "base.docx"
FIXED = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)

sys.path.insert(0, str(HERE.parents[2]))
from sanxiang.documents.rendering.docx import fixed_zip  # noqa: E402

BODY_FONT = "仿宋"
TITLE_FONT = "宋体"
LATIN_FONT = "Times New Roman"
BODY_SIZE = Pt(16)
TITLE_SIZE = Pt(22)
FORM_SIZE = Pt(14)
LINE = Pt(28.9)


def set_fonts(element: object, east_asian: str, latin: str = LATIN_FONT) -> None:
    """Sets ascii, hAnsi and eastAsia fonts on a run's or a style's properties."""
    r_pr = element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:hint"), "eastAsia")


def paragraph_style(
    document: DocxDocument,
    name: str,
    *,
    font: str = BODY_FONT,
    size: Pt = BODY_SIZE,
    bold: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None,
    first_line_chars: int = 0,
    right_chars: int = 0,
) -> ParagraphStyle:
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.font.size = size
    style.font.bold = bold
    set_fonts(style.element, font)
    if align is not None:
        style.paragraph_format.alignment = align
    if first_line_chars or right_chars:
        # w:…Chars count in hundredths of a character, so the indents follow the font size
        # (…Chars for Word and WPS, plain twips for readers that ignore them, e.g. LibreOffice)
        ind = OxmlElement("w:ind")
        char_twips = int(size.pt * 20)
        if first_line_chars:
            ind.set(qn("w:firstLine"), str(first_line_chars * char_twips))
            ind.set(qn("w:firstLineChars"), str(first_line_chars * 100))
        if right_chars:
            ind.set(qn("w:right"), str(right_chars * char_twips))
            ind.set(qn("w:rightChars"), str(right_chars * 100))
        style.element.get_or_add_pPr().append(ind)
    return style


def add(container: DocxDocument, text: str, style: str) -> Paragraph:
    """One paragraph of one run: docxtpl reads a tag only when it is not split across runs."""
    paragraph = container.add_paragraph(style=style)
    run = paragraph.add_run(text)
    set_fonts(run._r, BODY_FONT if "Title" not in style else TITLE_FONT)
    return paragraph


def cell_text(table: Table, row: int, column: int, text: str, style: str = "DocForm") -> None:
    paragraph = table.cell(row, column).paragraphs[0]
    paragraph.style = style
    run = paragraph.add_run(text)
    set_fonts(run._r, BODY_FONT)


def ruled(table: Table) -> None:
    """Single 0.5 pt rules on every edge, as printed forms have."""
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        rule = OxmlElement(f"w:{edge}")
        rule.set(qn("w:val"), "single")
        rule.set(qn("w:sz"), "4")
        rule.set(qn("w:space"), "0")
        rule.set(qn("w:color"), "000000")
        borders.append(rule)
    tbl_pr.append(borders)


def three_row_loop(
    document: DocxDocument,
    loop: str,
    cells: list[list[tuple[str, str]]],
    widths: list[Mm],
    *,
    rules: bool,
    keep_rows: bool = False,
) -> Table:
    """A table whose middle row repeats: docxtpl's ``{%tr for … %}`` row, the row, ``{%tr endfor %}``.

    Each cell is a list of (text, paragraph style) pairs. ``keep_rows``: a row is never split over two pages.
    """
    table = document.add_table(rows=3, cols=len(cells))
    if keep_rows:
        properties = table.rows[1]._tr.get_or_add_trPr()
        properties.append(OxmlElement("w:cantSplit"))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    if rules:
        ruled(table)
    cell_text(table, 0, 0, "{%tr " + loop + " %}")
    for column, paragraphs in enumerate(cells):
        cell = table.cell(1, column)
        for index, (text, style) in enumerate(paragraphs):
            paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
            paragraph.style = style
            set_fonts(paragraph.add_run(text)._r, BODY_FONT)
    cell_text(table, 2, 0, "{%tr endfor %}")
    # Word reads the cells' widths, LibreOffice the grid's: set both
    for column, width in enumerate(widths):
        table.columns[column].width = width
        for cell in table.columns[column].cells:
            cell.width = width
    return table


def page_number_footer(document: DocxDocument) -> None:
    """The footer "— n —", centred, n being Word's PAGE field."""
    footer = document.sections[0].footer
    paragraph = footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text in ("— ", None, " —"):
        run = paragraph.add_run()
        set_fonts(run._r, TITLE_FONT)
        run.font.size = Pt(14)
        if text is not None:
            run.text = text
            continue
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        inner = OxmlElement("w:r")
        number = OxmlElement("w:t")
        number.text = "1"
        inner.append(number)
        field.append(inner)
        run._r.addnext(field)


def build(path: Path = OUTPUT) -> Path:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(20)

    normal = document.styles["Normal"]
    normal.font.size = BODY_SIZE
    set_fonts(normal.element, BODY_FONT)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = LINE
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)

    paragraph_style(
        document, "DocTitle", font=TITLE_FONT, size=TITLE_SIZE, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER
    )
    document.styles["DocTitle"].paragraph_format.line_spacing = Pt(36)
    number = paragraph_style(document, "DocNumber", align=WD_ALIGN_PARAGRAPH.RIGHT)
    number.paragraph_format.space_before = Pt(6)
    number.paragraph_format.space_after = Pt(12)
    mark = paragraph_style(document, "DocMark", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    mark.font.color.rgb = RGBColor(0x80, 0x80, 0x80)
    paragraph_style(document, "DocLine")
    paragraph_style(document, "DocHeading", bold=True)
    paragraph_style(document, "DocText", first_line_chars=2)
    for name, align in (
        ("DocForm", None),
        ("DocFormLabel", WD_ALIGN_PARAGRAPH.CENTER),
        ("DocFormRight", WD_ALIGN_PARAGRAPH.RIGHT),
    ):
        form = paragraph_style(document, name, size=FORM_SIZE, align=align)
        form.paragraph_format.line_spacing = Pt(22)
    # the agency's name and the date end four characters from the right margin (GB/T 9704 §7.3.5)
    paragraph_style(document, "DocSeal", align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=4)

    add(document, "{{ layout.agency_name }}", "DocTitle")
    add(document, "{{ layout.title }}", "DocTitle")
    add(document, "{%p if number_line %}", "DocNumber")
    add(document, "{{ number_line }}", "DocNumber")
    add(document, "{%p endif %}", "DocNumber")
    add(document, "{%p if layout.watermark %}", "DocMark")
    add(document, "【{{ layout.watermark }}】", "DocMark")
    add(document, "{%p endif %}", "DocMark")

    add(document, "{%p for party in layout.parties %}", "DocLine")
    add(document, "{{ party.role }}：{{ party.name }}", "DocLine")
    add(document, "{%p for line in party.lines %}", "DocLine")
    add(document, "{{ line.label }}：{{ line.value }}", "DocLine")
    add(document, "{%p endfor %}", "DocLine")
    add(document, "{%p endfor %}", "DocLine")

    add(document, "{%p for field in layout.fields %}", "DocLine")
    add(document, "{{ field.label }}：{{ field.value }}", "DocLine")
    add(document, "{%p endfor %}", "DocLine")

    add(document, "{%p for section in layout.sections %}", "DocHeading")
    add(document, "{{ section.heading }}：", "DocHeading")
    add(document, "{%p for paragraph in section.paragraphs %}", "DocText")
    add(document, "{{ paragraph }}", "DocText")
    add(document, "{%p endfor %}", "DocText")
    add(document, "{%p endfor %}", "DocText")

    add(document, "{%p if approvals %}", "DocForm")
    three_row_loop(
        document,
        "for approval in approvals",
        [
            [("{{ approval.label }}", "DocFormLabel")],
            [("{{ approval.opinion }}", "DocForm"), ("{{ approval.signed }}", "DocFormRight")],
        ],
        [Mm(32), Mm(124)],
        rules=True,
    )
    add(document, "{%p endif %}", "DocForm")

    add(document, "{%p if officers_line %}", "DocLine")
    add(document, "{{ text.officers }}：{{ officers_line }}", "DocLine")
    add(document, "{%p endif %}", "DocLine")

    add(document, "{%p if signatures %}", "DocLine")
    three_row_loop(
        document,
        "for signature in signatures",
        [
            [("{{ signature.label }}", "DocForm")],
            [("{{ signature.mark }}{{ signature.image }}", "DocForm")],
            [("{{ signature.date }}", "DocFormRight")],
        ],
        # The label holds "机关负责人（签名）：" on one line at 14 pt; a signature never breaks over a page.
        [Mm(62), Mm(50), Mm(44)],
        rules=False,
        keep_rows=True,
    )
    add(document, "{%p endif %}", "DocLine")

    add(document, "{%p if layout.seal %}", "DocSeal")
    add(document, "", "DocSeal")
    add(document, "{{ text.seal }}", "DocSeal")
    add(document, "{{ layout.seal.agency_name }}", "DocSeal")
    add(document, "{{ seal_date }}", "DocSeal")
    add(document, "{%p endif %}", "DocSeal")

    page_number_footer(document)
    # A fixed author, date and zip timestamps: the template is the same bytes whenever it is rebuilt.
    properties = document.core_properties
    properties.author = properties.last_modified_by = "sanxiang"
    properties.title = "文书模板"
    properties.created = properties.modified = FIXED
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(fixed_zip(buffer.getvalue(), FIXED))
    return path


if __name__ == "__main__":
    print(build())
