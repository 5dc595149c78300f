"""Render a queue ticket as a black-and-white image for an ESC/POS thermal printer.

Printing the ticket as an image is what makes Chinese come out right on any printer:
as text, python-escpos sends GB18030 only for strings with an ideograph and never switches
the printer to Chinese mode, so punctuation-only strings become "?".
"""

from __future__ import annotations

from PIL import Image, ImageDraw

from printing.fonts import FontFile, pil_font
from printing.line_break import wrap
from printing.qr import qr_matrix
from printing.ticket_data import FOOTER, RATE_HINT, TicketData

MARGIN = 16
MAX_HEIGHT = 2400  # a ticket never needs more; the canvas is cropped to what was drawn
QR_MODULE_PX = 5
# Anti-aliased edges lighter than this become paper: keeps thin Song strokes on the roll.
INK_THRESHOLD = 170


def ticket_width_px(paper_width_mm: int) -> int:
    """Printable dots across the roll at 203 dpi: 80 mm → 576, 58 mm → 384."""
    known = {80: 576, 58: 384}
    return known.get(paper_width_mm, (paper_width_mm - 8) * 8 // 8 * 8)


def render_ticket_image(ticket: TicketData, font: FontFile, width_px: int = 576) -> Image.Image:
    """Draw ``ticket`` as a mode "1" image ``width_px`` dots wide (black = printed)."""
    canvas = Canvas(width_px, font)
    canvas.text(ticket.centre_name, 30, min_size=22, bold=True)
    canvas.rule()
    canvas.text(ticket.line_name, 44, min_size=28, stroke=2)
    canvas.text(ticket.number, 180, min_size=90, stroke=3, gap=6)
    if ticket.priority_label:
        canvas.text(ticket.priority_label, 30, bold=True, inverse=True)
    canvas.text(ticket.people_ahead_text(), 32, bold=True)
    canvas.text("预计等待：" + ticket.wait_text, 32, bold=True)
    if ticket.note:
        canvas.text(ticket.note, 26, bold=True, boxed=True)
    if ticket.qr_text:
        canvas.qr(qr_matrix(ticket.qr_text))
    canvas.text(ticket.issued_text(), 26, bold=True)
    canvas.rule()
    canvas.text(FOOTER, 26, bold=True)
    if ticket.rate_code:  # below the rule: it is for after the visit, not for the queue
        canvas.rule()
        canvas.text(ticket.rate_code_text(), 32, bold=True, gap=4)
        canvas.text(RATE_HINT, 24, bold=True)
    return canvas.finish()


class Canvas:
    """A top-to-bottom layout of centred lines on a tall greyscale canvas."""

    def __init__(self, width: int, font: FontFile) -> None:
        self.width = width
        self.font = font
        self.image = Image.new("L", (width, MAX_HEIGHT), 255)
        self.draw = ImageDraw.Draw(self.image)
        self.y = MARGIN
        self.lines: list[str] = []
        """The text lines drawn, top to bottom: where the layout broke them."""

    def text(
        self,
        text: str,
        size: int,
        *,
        min_size: int = 20,
        bold: bool = False,
        stroke: int = 0,
        inverse: bool = False,
        boxed: bool = False,
        gap: int = 10,
    ) -> None:
        """Centre ``text``, shrinking it to fit the width and wrapping only below ``min_size``."""
        stroke = stroke or (1 if bold else 0)
        pad = 10 if inverse or boxed else 0
        room = self.width - 2 * MARGIN - 2 * pad
        size = self._fitting_size(text, size, min_size, stroke, room)
        # A heavy stroke fills in the counters of small glyphs: scale it down with the size.
        stroke = min(stroke, max(1, size // 20)) if stroke else 0
        for line in self._wrap(text, size, stroke, room):
            self._line(line, size, stroke, inverse, boxed, pad)
        self.y += gap

    def _fitting_size(self, text: str, size: int, min_size: int, stroke: int, room: int) -> int:
        while size > min_size and self._width_of(text, size, stroke) > room:
            size -= 2
        return size

    def _width_of(self, text: str, size: int, stroke: int) -> int:
        left, _, right, _ = self.draw.textbbox(
            (0, 0), text, font=pil_font(self.font, size), stroke_width=stroke
        )
        return right - left

    def _wrap(self, text: str, size: int, stroke: int, room: int) -> list[str]:
        # When even the smallest size is too wide: between characters, never inside a
        # phone number, a code or a date (printing.line_break).
        return wrap(text, lambda line: self._width_of(line, size, stroke) <= room)

    def _line(
        self, text: str, size: int, stroke: int, inverse: bool, boxed: bool, pad: int
    ) -> None:
        self.lines.append(text)
        font = pil_font(self.font, size)
        # Lay out by the ink box so big digits do not carry the font's empty ascent.
        left, top, right, bottom = self.draw.textbbox((0, 0), text, font=font, stroke_width=stroke)
        ink_w, ink_h = right - left, bottom - top
        x = (self.width - ink_w) // 2
        if inverse or boxed:
            box = (x - pad, self.y, x + ink_w + pad, self.y + ink_h + 2 * pad)
            fill = 0 if inverse else None
            self.draw.rounded_rectangle(box, radius=8, fill=fill, outline=0, width=3)
        colour = 255 if inverse else 0
        self.draw.text(
            (x - left, self.y + pad - top),
            text,
            font=font,
            fill=colour,
            stroke_width=stroke,
            stroke_fill=colour,
        )
        self.y += ink_h + 2 * pad + 6

    def rule(self) -> None:
        """A dashed separator, the way receipts show sections."""
        for x in range(MARGIN, self.width - MARGIN, 12):
            self.draw.line((x, self.y + 4, x + 6, self.y + 4), fill=0, width=2)
        self.y += 18

    def qr(self, matrix: list[list[bool]]) -> None:
        """Draw a QR code centred, with its quiet zone left white."""
        side = len(matrix) * QR_MODULE_PX
        x0, y0 = (self.width - side) // 2, self.y + 4 * QR_MODULE_PX
        for row, cells in enumerate(matrix):
            for col, dark in enumerate(cells):
                if dark:
                    x, y = x0 + col * QR_MODULE_PX, y0 + row * QR_MODULE_PX
                    self.draw.rectangle((x, y, x + QR_MODULE_PX - 1, y + QR_MODULE_PX - 1), fill=0)
        self.y = y0 + side + 4 * QR_MODULE_PX

    def finish(self) -> Image.Image:
        """Crop to the drawn height and make it pure black and white."""
        cropped = self.image.crop((0, 0, self.width, min(self.y + MARGIN, MAX_HEIGHT)))
        return cropped.point(lambda p: 255 if p > INK_THRESHOLD else 0, mode="1")
