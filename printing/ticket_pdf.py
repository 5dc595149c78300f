"""The fallback ticket: a small PDF, 80 mm wide, with the CJK font embedded as a subset."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from printing.fonts import FontFile, reportlab_font
from printing.qr import qr_matrix
from printing.ticket_data import FOOTER, RATE_HINT, TicketData

PAGE_WIDTH = 80 * mm
MARGIN = 4 * mm
ROOM = PAGE_WIDTH - 2 * MARGIN
QR_SIDE = 26 * mm


@dataclass(frozen=True)
class _Item:
    """One block of the ticket: its height and how to draw it with its top at ``y``."""

    height: float
    draw: Callable[[Canvas, float], None]


def render_ticket_pdf(ticket: TicketData, font: FontFile) -> bytes:
    """The ticket as a one-page PDF whose height fits its content."""
    name = reportlab_font(font)
    items = _layout(ticket, name)
    height = sum(item.height for item in items) + 2 * MARGIN
    buffer = io.BytesIO()
    pdf = Canvas(buffer, pagesize=(PAGE_WIDTH, height), pageCompression=1)
    pdf.setTitle(f"取号小票 {ticket.number}")
    y = height - MARGIN
    for item in items:
        item.draw(pdf, y)
        y -= item.height
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _layout(ticket: TicketData, font: str) -> list[_Item]:
    items = [_text(ticket.centre_name, font, 11, bold=True), _rule()]
    items += [
        _text(ticket.line_name, font, 18, bold=True),
        _text(ticket.number, font, 60, bold=True),
    ]
    if ticket.priority_label:
        items.append(_text(ticket.priority_label, font, 11, bold=True, inverse=True))
    items += [
        _text(ticket.people_ahead_text(), font, 12, bold=True),
        _text("预计等待：" + ticket.wait_text, font, 12, bold=True),
    ]
    if ticket.note:
        items.append(_text(ticket.note, font, 10, bold=True, boxed=True))
    if ticket.qr_text:
        items.append(_qr(qr_matrix(ticket.qr_text)))
    items += [_text(ticket.issued_text(), font, 9), _rule(), _text(FOOTER, font, 10, bold=True)]
    if ticket.rate_code:
        items += [_rule(), _text(ticket.rate_code_text(), font, 12, bold=True), _text(RATE_HINT, font, 9)]
    return items


def _text(
    text: str,
    font: str,
    size: float,
    *,
    bold: bool = False,
    inverse: bool = False,
    boxed: bool = False,
) -> _Item:
    """A centred line, shrunk to fit the page width (down to 7 pt)."""
    pad = 1.5 * mm if inverse or boxed else 0
    while size > 7 and stringWidth(text, font, size) > ROOM - 2 * pad:
        size -= 0.5
    width = stringWidth(text, font, size)
    line = size * 1.25 + 2 * pad

    def draw(pdf: Canvas, top: float) -> None:
        x = (PAGE_WIDTH - width) / 2
        # The text render mode is graphics state that outlives BT/ET, and reportlab does not
        # re-emit mode 0: without save/restore a bold line makes every later line bold.
        pdf.saveState()
        if inverse or boxed:
            pdf.roundRect(
                x - pad,
                top - line + size * 0.25 - 0.5,
                width + 2 * pad,
                size + 2 * pad,
                1.2 * mm,
                stroke=1,
                fill=1 if inverse else 0,
            )
        ink = 1 if inverse else 0
        pdf.setFillGray(ink)
        pdf.setStrokeGray(ink)
        pdf.setLineWidth(size / 28)
        text_object = pdf.beginText(x, top - pad - size)
        text_object.setFont(font, size)
        # UMing has no bold face: fill and stroke the outlines (render mode 2) instead.
        text_object.setTextRenderMode(2 if bold else 0)
        text_object.textLine(text)
        pdf.drawText(text_object)
        pdf.restoreState()

    return _Item(line + 1 * mm, draw)


def _rule() -> _Item:
    def draw(pdf: Canvas, top: float) -> None:
        pdf.setDash(2, 2)
        pdf.line(MARGIN, top - 1.5 * mm, PAGE_WIDTH - MARGIN, top - 1.5 * mm)
        pdf.setDash()

    return _Item(3 * mm, draw)


def _qr(matrix: list[list[bool]]) -> _Item:
    """The QR code as vector squares: sharp at any print resolution."""
    module = QR_SIDE / len(matrix)

    def draw(pdf: Canvas, top: float) -> None:
        x0 = (PAGE_WIDTH - QR_SIDE) / 2
        for row, cells in enumerate(matrix):
            for col, dark in enumerate(cells):
                if dark:
                    pdf.rect(
                        x0 + col * module,
                        top - 2 * mm - (row + 1) * module,
                        module,
                        module,
                        stroke=0,
                        fill=1,
                    )

    return _Item(QR_SIDE + 4 * mm, draw)
