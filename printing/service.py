"""Print a queue ticket: the thermal printer when it works, else a PDF in the print spool.

A printer problem never reaches the caller as an exception: the ticket is already issued in
the queue, so the visitor must get it on paper one way or the other and the clerk carries on.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal

from escpos.escpos import Escpos

from clerk.clock import local_time
from clerk.config import Settings
from clerk.errors import UserFacingError
from printing.devices import describe, open_printer
from printing.errors import PrinterError
from printing.fonts import FontFile, find_cjk_font
from printing.spool import Spool
from printing.spool_sender import Sent, send_pending
from printing.thermal import send_image
from printing.ticket import render_ticket_image, ticket_width_px
from printing.ticket_data import TicketData
from printing.ticket_pdf import render_ticket_pdf

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PrintResult:
    """Where the ticket went and what to tell the clerk."""

    sent_to: Literal["printer", "spool", "none"]
    message: str
    spool_job: str = ""
    """The spool job id when ``sent_to == "spool"``."""


def print_ticket(
    ticket: TicketData, settings: Settings, *, printer: Escpos | None = None
) -> PrintResult:
    """Print ``ticket`` on the configured thermal printer, falling back to the PDF spool.

    ``printer`` replaces the one named by ``settings.printing.ticket_printer`` (an opened
    escpos printer; tests pass a file or dummy device). Raises only UserFacingError, and
    only when the ticket can be neither printed nor spooled (no CJK font, spool unwritable).
    """
    font = find_cjk_font(settings.printing.font_path)
    setting = settings.printing.ticket_printer
    if printer is None and not setting:
        return _spool(ticket, settings, "未设置小票打印机")
    try:
        warning = _print_thermal(ticket, settings, font, printer)
    except PrinterError as exc:
        log.warning("ticket %s not printed: %s", ticket.number, exc.detail)
        return _spool(ticket, settings, exc.message)
    except Exception as exc:
        # Drivers raise more than they document (pyusb, pycups); the PDF is the guarantee.
        log.exception("ticket %s: unexpected printer failure", ticket.number)
        return _spool(ticket, settings, f"小票打印机出错（{type(exc).__name__}）")
    message = f"已打印 {ticket.number} 号小票"
    return PrintResult("printer", f"{message}；{warning}" if warning else message)


def _print_thermal(
    ticket: TicketData, settings: Settings, font: FontFile, printer: Escpos | None
) -> str:
    paper_mm = settings.printing.paper_width_mm
    width = ticket_width_px(paper_mm)
    target = describe(settings.printing.ticket_printer) or "小票打印机"
    image = render_ticket_image(ticket, font, width)
    if printer is None:
        printer = open_printer(settings.printing.ticket_printer, width, paper_mm)
    return send_image(printer, image, target, width)


def _spool(ticket: TicketData, settings: Settings, why: str) -> PrintResult:
    font = find_cjk_font(settings.printing.font_path)
    pdf = render_ticket_pdf(ticket, font)
    spool = Spool(settings.spool_path())
    try:
        job = spool.add(pdf, spool_label(ticket))
    except UserFacingError as exc:
        raise UserFacingError(
            f"{why}，且无法保存 PDF 小票：{exc.message}。请口头告知取号人号码 {ticket.number}",
            exc.detail,
        ) from exc
    sent = send_pending(spool, settings.printing.pdf_print_command)
    return PrintResult("spool", f"{why}；{ticket.number} 号小票已存为 PDF，{_where(sent)}", job.id)


def spool_label(ticket: TicketData) -> str:
    """Names the spooled PDF, so the folder tells which ticket is which (the spool makes it safe)."""
    return f"小票_{ticket.number}_{ticket.line_name}_{local_time(ticket.issued_at):%Y%m%d-%H%M}"


def _where(sent: Sent) -> str:
    if sent.off:
        return f"在打印队列中待手工打印（共 {sent.waiting} 张）"
    if sent.problem:
        return f"留在打印队列，未能送打印机（{sent.problem}）"
    return "已由文档打印机打印"
