"""Render time of one queue ticket: the thermal image and the fallback PDF, and the ESC/POS
bytes for a file device. Informational; PITFALLS measured ~12 ms (image, ~24 KB of
ESC/POS) and ~38 ms for an A4 notice PDF with a UMing subset.
Run: python bench/ticket_print.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from clerk.config import PrintingSettings, Settings  # noqa: E402
from printing import TicketData, print_ticket  # noqa: E402
from printing.fonts import find_cjk_font  # noqa: E402
from printing.ticket import render_ticket_image  # noqa: E402
from printing.ticket_pdf import render_ticket_pdf  # noqa: E402

RUNS = 30
TICKET = TicketData(
    centre_name="示范县政务服务中心",
    line_name="不动产登记",
    number="A023",
    people_ahead=12,
    wait_text="约 15 分钟",
    issued_at=datetime.now(UTC),
    priority_label="绿色通道（老年人）",
    qr_text="https://zw.example.cn/q/0192",
)


def median_ms(action) -> tuple[float, float]:
    """(first call, median of the following RUNS calls) in milliseconds."""
    start = time.perf_counter()
    action()
    first = (time.perf_counter() - start) * 1000
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return first, statistics.median(times)


def main() -> None:
    font = find_cjk_font()
    print(f"font: {font.path.name}; median of {RUNS} runs after a first one")
    first, med = median_ms(lambda: render_ticket_image(TICKET, font, 576))
    print(f"thermal image      first {first:6.1f} ms  median {med:6.1f} ms  (PITFALLS ~12 ms)")
    first, med = median_ms(lambda: render_ticket_pdf(TICKET, font))
    size = len(render_ticket_pdf(TICKET, font)) // 1024
    print(
        f"PDF ticket         first {first:6.1f} ms  median {med:6.1f} ms  {size} KB"
        "  (PITFALLS ~38 ms for an A4 notice)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        device = Path(tmp) / "lp0"
        settings = Settings(printing=PrintingSettings(ticket_printer=f"file:{device}"))
        first, med = median_ms(lambda: print_ticket(TICKET, settings))
        size = device.stat().st_size // 1024
        print(
            f"print to file dev  first {first:6.1f} ms  median {med:6.1f} ms  {size} KB ESC/POS"
            "  (PITFALLS ~24 KB)"
        )


if __name__ == "__main__":
    main()
