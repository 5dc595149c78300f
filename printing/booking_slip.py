"""Print a 预约凭条 on the ticket printer, drawn like the queue ticket (an ESC/POS raster).

Unlike a ticket, a slip that cannot be printed is not spooled as a PDF: it carries the
check-in code in clear, which this counter must not keep (the clerk copies it from the
screen instead). So a printer problem comes back as ``sent_to == "none"`` with its reason.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime

from escpos.escpos import Escpos
from PIL import Image

from clerk.clock import local_time
from clerk.config import Settings
from printing.devices import describe, open_printer
from printing.errors import PrinterError
from printing.fonts import FontFile, find_cjk_font
from printing.service import PrintResult
from printing.thermal import send_image
from printing.ticket import Canvas, ticket_width_px

log = logging.getLogger(__name__)

TITLE = "预约凭条"


@dataclass(frozen=True)
class BookingSlipData:
    """Everything printed on one slip, as plain text (built by the composition root)."""

    centre_name: str
    line_name: str
    when_text: str
    """The slot, e.g. "2026年11月4日 09:00–09:30"."""
    code: str
    how_to_use: str
    cancel_rule: str
    booked_at: datetime
    """Timezone-aware; printed in Beijing time."""


def render_booking_slip(slip: BookingSlipData, font: FontFile, width_px: int = 576) -> Image.Image:
    """Draw ``slip`` as a mode "1" image: the code is the biggest line, as the number on a ticket."""
    return lay_out_booking_slip(slip, font, width_px).finish()


def lay_out_booking_slip(slip: BookingSlipData, font: FontFile, width_px: int = 576) -> Canvas:
    """The slip drawn on its canvas, whose ``lines`` say where the text broke."""
    canvas = Canvas(width_px, font)
    canvas.text(slip.centre_name, 30, min_size=22, bold=True)
    canvas.text(TITLE, 40, min_size=28, stroke=2)
    canvas.rule()
    canvas.text(slip.line_name, 36, min_size=26, bold=True)
    canvas.text(slip.when_text, 32, bold=True)
    canvas.text("签到码", 28, bold=True, gap=2)
    canvas.text(slip.code, 84, min_size=48, stroke=2, gap=12)
    for clause in clauses(slip.how_to_use):
        canvas.text(clause, 26, min_size=22, bold=True, gap=4)
    canvas.rule()
    for clause in clauses(slip.cancel_rule):
        canvas.text(clause, 24, min_size=20, bold=True, gap=4)
    canvas.rule()
    canvas.text(f"登记时间：{local_time(slip.booked_at):%Y-%m-%d %H:%M}", 24, bold=True)
    return canvas


def clauses(text: str) -> list[str]:
    """``text`` cut at its commas and semicolons: a narrow roll reads better a clause a line
    than wrapped mid-word, with a "；" starting the next line."""
    return [c.strip() for c in re.split("[，；]", text) if c.strip()]


def print_booking_slip(slip: BookingSlipData, settings: Settings, *, printer: Escpos | None = None) -> PrintResult:
    """Print ``slip`` on ``settings.printing.ticket_printer`` (or the opened ``printer``).

    Never raises for a printer fault or a missing font: the booking is made already.
    """
    setting = settings.printing.ticket_printer
    if printer is None and not setting:
        return PrintResult("none", "本机未设置小票打印机")
    try:
        warning = _send(slip, settings, find_cjk_font(settings.printing.font_path), printer)
    except PrinterError as exc:
        log.warning("booking slip not printed: %s", exc.detail)
        return PrintResult("none", exc.message)
    except Exception as exc:  # noqa: BLE001 - drivers raise more than they document; the code is on screen
        log.exception("booking slip: unexpected printer failure")
        message = getattr(exc, "message", "") or f"小票打印机出错（{type(exc).__name__}）"
        return PrintResult("none", message)
    return PrintResult("printer", f"已打印预约凭条；{warning}" if warning else "已打印预约凭条")


def _send(slip: BookingSlipData, settings: Settings, font: FontFile, printer: Escpos | None) -> str:
    paper_mm = settings.printing.paper_width_mm
    width = ticket_width_px(paper_mm)
    image = render_booking_slip(slip, font, width)
    if printer is None:
        printer = open_printer(settings.printing.ticket_printer, width, paper_mm)
    return send_image(printer, image, describe(settings.printing.ticket_printer) or "小票打印机", width)
