"""Render time of one A4 notice with a QR code (the 业务受理通知书 of the demo centre)
against a bare reportlab page with the same font, the same QR code and the same words,
measured in the same run. Targets: median under 60 ms after warm-up, under 1.3× bare.
Run: python bench/notice_render.py
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pypdf import PdfReader  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from clerk.config import REPO_ROOT  # noqa: E402
from clerk.fixtures import load_fixtures  # noqa: E402
from clerk.papers.demo import demo_papers  # noqa: E402
from printing.fonts import find_cjk_font, reportlab_font  # noqa: E402
from printing.papers import render_paper  # noqa: E402
from printing.papers.flowables import qr_code  # noqa: E402

WARM_UP = 5
RUNS = 60
TARGET_MS = 60.0
TARGET_RATIO = 1.3


def bare_page(lines: list[str], url: str, font: str) -> bytes:
    """The same words line by line, the same QR code, the same embedded subset: no layout."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1, initialFontName=font)
    canvas.setFont(font, 12)
    y = A4[1] - 37 * mm
    for line in lines:
        canvas.drawString(28 * mm, y, line)
        y -= 15
    qr = qr_code(url, 20 * mm)
    qr.wrapOn(canvas, 20 * mm, 20 * mm)
    qr.drawOn(canvas, 28 * mm, 40 * mm)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def timed_pair(first, second) -> tuple[list[float], list[float]]:
    """Both actions, alternately, so that both meet the same load on a shared machine:
    (wall ms, CPU ms) of each."""
    for _ in range(WARM_UP):
        first()
        second()
    wall: tuple[list[float], list[float]] = ([], [])
    cpu: tuple[list[float], list[float]] = ([], [])
    for _ in range(RUNS):
        for n, action in enumerate((first, second)):
            start, start_cpu = time.perf_counter(), time.process_time()
            action()
            wall[n].append((time.perf_counter() - start) * 1000)
            cpu[n].append((time.process_time() - start_cpu) * 1000)
    return (wall[0], cpu[0]), (wall[1], cpu[1])


def main() -> None:
    font = find_cjk_font()
    name = reportlab_font(font)
    paper = next(p for p in demo_papers(load_fixtures(REPO_ROOT / "fixtures"), "demo-county", date(2026, 12, 2))
                 if p.kind == "acceptance")
    notice = render_paper(paper, font)
    lines = [line for page in PdfReader(io.BytesIO(notice)).pages for line in page.extract_text().splitlines()]
    bare = bare_page(lines, paper.public_url, name)
    (notice_ms, notice_cpu), (bare_ms, bare_cpu) = timed_pair(
        lambda: render_paper(paper, font), lambda: bare_page(lines, paper.public_url, name)
    )
    n, b = statistics.median(notice_ms), statistics.median(bare_ms)
    nc, bc = statistics.median(notice_cpu), statistics.median(bare_cpu)
    print(f"font {font.path.name}; {len(lines)} lines of text; median of {RUNS} runs after {WARM_UP} warm-up,"
          " notice and bare page alternately")
    print(f"A4 notice (form, QR)   median {n:6.1f} ms  p90 {_p90(notice_ms):6.1f} ms  CPU {nc:6.1f} ms"
          f"  {len(notice) // 1024} KB   target < {TARGET_MS:.0f} ms  {'ok' if n < TARGET_MS else 'MISSED'}")
    print(f"bare page (same text)  median {b:6.1f} ms  p90 {_p90(bare_ms):6.1f} ms  CPU {bc:6.1f} ms"
          f"  {len(bare) // 1024} KB")
    ratio = n / b
    print(f"ratio notice / bare    {ratio:6.2f}×  (CPU {nc / bc:4.2f}×)  target < {TARGET_RATIO}×  "
          f"{'ok' if ratio < TARGET_RATIO else 'MISSED'}")


def _p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1]


if __name__ == "__main__":
    main()
