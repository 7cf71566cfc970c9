"""Rendering 文书: an A4 PDF in the official layout, a DOCX for editing, the browser's print view.

    from sanxiang.documents.rendering import render_pdf, render_docx, render_html

    pdf: bytes = render_pdf(document)          # what is stored and hashed when a document is issued
    docx: bytes = render_docx(document)        # opens in Word, WPS and LibreOffice
    html: str = render_html(document, screen=True)   # the print view, with a print button

``document`` is a :class:`sanxiang.documents.models.Document`. Each function builds its :class:`Layout` with
:func:`layout_for` and renders only that, so ``pdf_from_layout`` / ``docx_from_layout`` /
``html_from_layout`` can be given a Layout built by hand.

Templates: ``documents/print/<type.template_name or type.key>.html`` (specific ones exist for
``penalty_decision``, ``penalty_notice``, ``hearing_notice``, ``rectification_order``, ``inspection_record``,
``delivery_receipt`` and the approval forms ``filing_approval``, ``case_review_form``, ``closing_approval``),
falling back to ``documents/print/generic.html``; DOCX: ``docx_templates/<name>.docx`` or ``base.docx``.

The same issued document renders to the same PDF bytes: the PDF's creation date is the issue time.
"""

from __future__ import annotations

from typing import Any

from sanxiang.documents.rendering.adapter import RenderingError, layout_for
from sanxiang.documents.rendering.docx import docx_from_layout
from sanxiang.documents.rendering.html import html_from_layout
from sanxiang.documents.rendering.layout import (
    ApprovalLine,
    BodySection,
    FieldLine,
    Layout,
    OfficerLine,
    PartyBlock,
    SealPosition,
    SignatureBlock,
)
from sanxiang.documents.rendering.pdf import pdf_from_layout

__all__ = [
    "ApprovalLine",
    "BodySection",
    "FieldLine",
    "Layout",
    "OfficerLine",
    "PartyBlock",
    "RenderingError",
    "SealPosition",
    "SignatureBlock",
    "docx_from_layout",
    "html_from_layout",
    "layout_for",
    "pdf_from_layout",
    "render_docx",
    "render_html",
    "render_pdf",
]


def render_pdf(document: Any) -> bytes:
    """The document as an A4 PDF with embedded CJK fonts; deterministic for an issued document."""
    return pdf_from_layout(layout_for(document))


def render_docx(document: Any) -> bytes:
    """The document as a DOCX built from the docxtpl template."""
    return docx_from_layout(layout_for(document))


def render_html(document: Any, *, screen: bool = False) -> str:
    """The document as the HTML page the PDF is made from; ``screen`` adds the print button."""
    return html_from_layout(layout_for(document), screen=screen)
