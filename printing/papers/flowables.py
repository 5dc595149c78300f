"""The few drawn parts of a form that paragraphs and tables cannot make."""

from __future__ import annotations

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable


class TitleLine(Flowable):
    """The paper's title, centred and heavier than the text (UMing has no bold face:
    the outlines are filled and stroked), shrunk to fit one line."""

    def __init__(self, text: str, font: str, size: float, space_after: float = 3 * mm, note: str = "") -> None:
        super().__init__()
        self.text, self.font, self.size, self.space_after = text, font, size, space_after
        self.note = note
        """Small words at the right end of the line (which copy this is)."""

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        while self.size > 12 and stringWidth(self.text, self.font, self.size) > avail_width:
            self.size -= 0.5
        return avail_width, self.size * 1.4 + self.space_after

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setLineWidth(self.size / 30)
        text = canvas.beginText()
        text.setFont(self.font, self.size)
        text.setTextRenderMode(2)
        width = stringWidth(self.text, self.font, self.size)
        text.setTextOrigin((self.width - width) / 2, self.space_after + self.size * 0.3)
        text.textLine(self.text)
        canvas.drawText(text)
        if self.note:
            note = canvas.beginText()
            note.setFont(self.font, 12)
            note.setTextRenderMode(0)
            note.setTextOrigin(self.width - stringWidth(self.note, self.font, 12), self.space_after + self.size * 0.3)
            note.textLine(self.note)
            canvas.drawText(note)
        canvas.restoreState()


class CutLine(Flowable):
    """A dashed line across the page with a word in its middle: where the stub is cut off."""

    def __init__(self, label: str, font: str, size: float = 12, gap: float = 3 * mm) -> None:
        super().__init__()
        self.label, self.font, self.size, self.gap = label, font, size, gap

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.size + 2 * self.gap

    def draw(self) -> None:
        canvas = self.canv
        middle = self.gap + self.size * 0.35
        label_width = stringWidth(self.label, self.font, self.size)
        left_end = (self.width - label_width) / 2 - 2 * mm
        canvas.saveState()
        canvas.setDash(4, 3)
        canvas.setLineWidth(0.6)
        canvas.line(0, middle, left_end, middle)
        canvas.line(self.width - left_end, middle, self.width, middle)
        canvas.setFont(self.font, self.size)
        canvas.drawCentredString(self.width / 2, self.gap, self.label)
        canvas.restoreState()


def qr_drawing(value: str, side: float, font: str) -> Drawing:
    """``value`` as a vector QR code ``side`` points square (reportlab's own widget).
    ``font``: a drawing starts its renderer in a font, Helvetica unless told."""
    widget = QrCodeWidget(value, barLevel="M", barBorder=2)
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(side, side, transform=[side / (x1 - x0), 0, 0, side / (y1 - y0), 0, 0])
    drawing.initialFontName = font
    drawing.add(widget)
    return drawing
