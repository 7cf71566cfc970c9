"""A Layout as an A4 PDF, through WeasyPrint, with the Chinese fonts of the system (fonts-noto-cjk).

WeasyPrint is imported on first use: it loads pango and fontconfig, which the rest of the application does
not need. The font configuration is built once per process and reused: finding and loading the CJK fonts
is most of the cost of the first document (see bench/rendering.py).
"""

from __future__ import annotations

import functools
import threading
from typing import Any

from sanxiang.documents.rendering.html import html_from_layout
from sanxiang.documents.rendering.layout import Layout

__all__ = ["pdf_from_layout"]

# Pango and fontconfig are not safe to drive from several threads at once; one document at a time per
# process costs nothing measurable next to the layout work itself.
_lock = threading.Lock()


@functools.cache
def _fonts() -> Any:
    """One font configuration per process, built on first use."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def pdf_from_layout(layout: Layout) -> bytes:
    """The PDF bytes of ``layout``; the same layout gives the same bytes (creation date = issue time)."""
    from weasyprint import HTML

    html = html_from_layout(layout)
    with _lock:
        document = HTML(string=html).render(font_config=_fonts())
        pdf: bytes = document.write_pdf()
    return pdf
