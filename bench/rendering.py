"""Rendering benchmark: one 行政处罚决定书 as PDF and as DOCX, against a floor measured in the same run.

    .venv/bin/python bench/rendering.py [--renders N]

Needs no database: it renders the specimen decision (``sanxiang.documents.rendering.samples``: three pages
in 三号 type, a party, evidence, a fine in figures and capitals, a handwritten signature image, the seal
position) — the Layout that ``layout_for`` gives for such an issued decision. It prints:

- the cold start: importing WeasyPrint, then the first PDF of the process (fontconfig and the CJK fonts
  loaded, the font configuration built);
- PDF: N renders after one warm-up, reusing the process's font configuration, median and p95, and the same
  with a fresh ``FontConfiguration`` for every render (what reusing it saves);
- the PDF floor: WeasyPrint rendering a one-line HTML page with the same font configuration;
- DOCX: N renders after one warm-up, and its floor: python-docx saving a one-paragraph document.

Each line gives wall-clock median and p95 and the process's CPU time (which other work on a shared machine
inflates less), and the ratio to its floor. Target (DESIGN.md): PDF ≤ 0.5 s and DOCX ≤ 0.5 s for one
decision, read at p95 of the wall clock. ``rendering_section`` is also
a section of bench/numbering.py.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 0.5
DEFAULT_RENDERS = 30


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--renders", type=int, default=DEFAULT_RENDERS, help="timed renders of each kind")
    return parser.parse_args()


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SANXIANG_DEBUG", "0")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


@dataclass(frozen=True)
class Timing:
    wall: list[float]  # seconds per call, by the clock on the wall
    cpu: list[
        float
    ]  # seconds of this process's CPU per call: what other work on the machine does not inflate


def timed(work: Callable[[], object], n: int) -> Timing:
    """Seconds of each of n calls of ``work``, after one call that is not timed."""
    work()
    wall, cpu = [], []
    for _ in range(n):
        start, start_cpu = time.perf_counter(), time.process_time()
        work()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return Timing(wall, cpu)


def p95(seconds: list[float]) -> float:
    return statistics.quantiles(seconds, n=20, method="inclusive")[-1] if len(seconds) > 1 else seconds[0]


def line(label: str, timing: Timing, floor: Timing | None = None) -> str:
    median = statistics.median(timing.wall)
    text = (
        f"  {label:<44} median {median * 1000:7.1f} ms   p95 {p95(timing.wall) * 1000:7.1f} ms"
        f"   CPU median {statistics.median(timing.cpu) * 1000:7.1f} ms"
    )
    if floor:
        text += f"   {median / statistics.median(floor.wall):5.1f} × the floor"
    return text


def rendering_section(args: argparse.Namespace) -> bool:
    """Times PDF and DOCX rendering of the specimen decision; True when both p95 are within the target."""
    n = max(2, int(getattr(args, "renders", DEFAULT_RENDERS)))
    started = time.perf_counter()
    import weasyprint

    imported = time.perf_counter() - started

    from docx import Document as DocxDocument
    from weasyprint.text.fonts import FontConfiguration

    from sanxiang.documents.rendering import docx_from_layout, pdf_from_layout
    from sanxiang.documents.rendering.html import html_from_layout
    from sanxiang.documents.rendering.pdf import _fonts
    from sanxiang.documents.rendering.samples import decision_layout

    layout = decision_layout()
    started = time.perf_counter()
    pdf = pdf_from_layout(layout)
    cold = time.perf_counter() - started
    docx = docx_from_layout(layout)

    pdf_times = timed(lambda: pdf_from_layout(layout), n)
    html = html_from_layout(layout)
    fresh_times = timed(lambda: weasyprint.HTML(string=html).write_pdf(font_config=FontConfiguration()), n)
    pdf_floor = timed(lambda: weasyprint.HTML(string="<p>一</p>").write_pdf(font_config=_fonts()), n)

    def docx_floor_once() -> bytes:
        document = DocxDocument()
        document.add_paragraph("一")
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()

    docx_times = timed(lambda: docx_from_layout(layout), n)
    docx_floor = timed(docx_floor_once, n)

    pages = len(weasyprint.HTML(string=html_from_layout(layout)).render(font_config=_fonts()).pages)
    print(
        f"== rendering one 行政处罚决定书 ({n} renders each, after one warm-up; target ≤ {TARGET_S:.1f} s) =="
    )
    print(f"  PDF {len(pdf) / 1024:.0f} KiB, {pages} pages; DOCX {len(docx) / 1024:.0f} KiB")
    print(f"  cold start: import weasyprint {imported * 1000:.0f} ms, first PDF {cold * 1000:.0f} ms")
    print(line("PDF, font configuration reused", pdf_times, pdf_floor))
    print(line("PDF, a new FontConfiguration each time", fresh_times, pdf_floor))
    print(line("floor: WeasyPrint, a one-line page", pdf_floor))
    print(line("DOCX (docxtpl)", docx_times, docx_floor))
    print(line("floor: python-docx, a one-paragraph document", docx_floor))
    pdf_p95, docx_p95 = p95(pdf_times.wall), p95(docx_times.wall)
    ok = pdf_p95 <= TARGET_S and docx_p95 <= TARGET_S
    print(f"  {'within' if ok else 'OVER'} the target: PDF p95 {pdf_p95:.3f} s, DOCX p95 {docx_p95:.3f} s")
    print(f"  load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    return ok


def main() -> int:
    args = parse()
    setup_django()
    return 0 if rendering_section(args) else 1


if __name__ == "__main__":
    sys.exit(main())
