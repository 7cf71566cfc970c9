"""A Layout as a DOCX (for editing in Word, WPS or LibreOffice), through docxtpl.

The template is ``docx_templates/<layout.template>.docx`` when an agency has put one there, else
``docx_templates/base.docx`` (built by ``docx_templates/build_base.py``). Every word the template does not
take from the layout comes from :func:`_texts`, through gettext, like every other string of the interface.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from pathlib import Path
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from sanxiang.documents.rendering.layout import Layout, SignatureBlock

__all__ = ["docx_from_layout", "docx_template_path", "fixed_zip"]

TEMPLATES = Path(__file__).resolve().parent.parent / "docx_templates"
BASE = TEMPLATES / "base.docx"
_PLAIN_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,79}")
# A DOCX made before any issue time (a draft) carries this date, so drafts too render to the same bytes.
EPOCH = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def docx_template_path(layout: Layout) -> Path:
    """The type's own DOCX template if there is one, else the base template."""
    name = layout.template.strip()
    if _PLAIN_NAME.fullmatch(name):
        own = TEMPLATES / f"{name}.docx"
        if own.is_file():
            return own
    return BASE


def fixed_zip(data: bytes, moment: datetime.datetime) -> bytes:
    """The same zip with every member dated ``moment``: zip entries otherwise carry the time of writing."""
    stamp = moment.astimezone(datetime.UTC).timetuple()[:6]
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = item.external_attr
            target.writestr(info, source.read(item.filename))
    return out.getvalue()


def _texts() -> dict[str, str]:
    return {
        "officers": _("执法人员"),
        "seal": _("（印章）"),
        "blank_date": _("年　　月　　日"),
        "to_number": _("（签发时编号）"),
    }


def _signature(template: Any, signature: SignatureBlock, texts: dict[str, str]) -> dict[str, Any]:
    from docx.shared import Mm
    from docxtpl import InlineImage

    if signature.refused:
        mark = _("拒绝签名。拒签情况：%(note)s；见证人：%(witness)s") % {
            "note": signature.refusal_note,
            "witness": signature.witness_name,
        }
    elif signature.image:
        mark = ""
    else:
        mark = signature.name
    image: Any = ""
    if signature.image and not signature.refused:
        image = InlineImage(template, io.BytesIO(signature.image), height=Mm(12))
    return {
        "label": _("%(role)s（签名）：") % {"role": signature.label},
        "mark": mark,
        "image": image,
        "date": signature.signed_on or texts["blank_date"],
    }


def docx_from_layout(layout: Layout) -> bytes:
    """The DOCX bytes of ``layout``: title, number line, fields, sections, approvals, signatures, seal."""
    from docxtpl import DocxTemplate, Listing

    template = DocxTemplate(str(docx_template_path(layout)))
    with translation.override("zh-hans"):
        texts = _texts()
        number_line = layout.number or (texts["to_number"] if layout.numbered else "")
        officers = "、".join(str(officer) for officer in layout.officers)
        context = {
            "layout": layout,
            "text": texts,
            "number_line": number_line,
            "officers_line": officers,
            "approvals": [
                {
                    "label": approval.label,
                    "opinion": Listing(approval.opinion),
                    "signed": _("签名：%(signer)s　日期：%(date)s")
                    % {"signer": approval.signer, "date": approval.signed_on or texts["blank_date"]},
                }
                for approval in layout.approvals
            ],
            "signatures": [_signature(template, s, texts) for s in layout.signatures],
            "seal_date": (layout.seal.date if layout.seal else "") or texts["blank_date"],
        }
        template.render(context, autoescape=True)
    moment = layout.issued_at or EPOCH
    properties = template.docx.core_properties
    properties.title = layout.title
    properties.author = properties.last_modified_by = layout.agency_name
    properties.created = properties.modified = moment.astimezone(datetime.UTC).replace(tzinfo=None)
    buffer = io.BytesIO()
    template.save(buffer)
    return fixed_zip(buffer.getvalue(), moment)
