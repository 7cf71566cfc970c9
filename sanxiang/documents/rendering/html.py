"""A Layout as HTML: the page WeasyPrint turns into the PDF, and the browser's print view.

The template is ``documents/print/<layout.template>.html`` (an agency's own copy under
``documents/print/agency-<agency_key>/`` first), falling back to ``documents/print/generic.html``, which
prints every field of any type, or for a type with approval rows (审核意见, 审批意见) to the ruled
``documents/print/approval_form.html``.
"""

from __future__ import annotations

import datetime
import re

from django.template.loader import select_template
from django.utils import translation

from sanxiang.documents.rendering.layout import Layout

__all__ = ["html_from_layout", "template_names"]

# Template names come from the catalog, which admins edit: only plain names, never paths.
_PLAIN_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,79}")
GENERIC = "generic"
APPROVAL_FORM = "approval_form"


def _plain(name: str) -> str:
    name = name.strip().removeprefix("documents/print/").removesuffix(".html")
    return name if _PLAIN_NAME.fullmatch(name) else ""


def template_names(layout: Layout) -> list[str]:
    """The templates tried for ``layout``, most specific first; approval forms fall back to one ruled form."""
    fallbacks = (APPROVAL_FORM, GENERIC) if layout.approvals else (GENERIC,)
    names = [n for n in dict.fromkeys((_plain(layout.template), *fallbacks)) if n]
    agency = _plain(layout.agency_key)
    candidates: list[str] = []
    for name in names:
        if agency:
            candidates.append(f"documents/print/agency-{agency}/{name}.html")
        candidates.append(f"documents/print/{name}.html")
    return candidates


def pdf_created(moment: datetime.datetime | None) -> str:
    """The PDF's creation date in the W3C form WeasyPrint reads from ``dcterms.created``, in UTC."""
    if moment is None:
        return ""
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def html_from_layout(layout: Layout, *, screen: bool = False) -> str:
    """The document as an HTML page; ``screen`` adds the print button of the browser view.

    A 文书 is a legal record in Chinese: it is rendered in zh-Hans whatever language the reader chose.
    """
    template = select_template(template_names(layout))
    with translation.override("zh-hans"):
        return template.render({"layout": layout, "screen": screen, "created": pdf_created(layout.issued_at)})
