"""What a paper is drawn with: its title, blocks of text, columns, the cut line, the QR code."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.barcode.qr import QrCode
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from printing.papers.typography import cjk_lines


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
        baseline = self.space_after + self.size * 0.3
        # The text render mode outlives BT/ET and reportlab does not re-emit mode 0:
        # without save/restore the note (and everything after) would be stroked too.
        canvas.saveState()
        canvas.setLineWidth(self.size / 30)
        text = canvas.beginText()
        text.setFont(self.font, self.size)
        text.setTextRenderMode(2)
        width = stringWidth(self.text, self.font, self.size)
        text.setTextOrigin((self.width - width) / 2, baseline)
        text.textLine(self.text)
        canvas.drawText(text)
        canvas.restoreState()
        if self.note:
            canvas.setFont(self.font, 12)
            canvas.drawRightString(self.width, baseline, self.note)


Run = tuple[str, bool]
"""A piece of text and whether it is underlined (a filled-in blank of the form)."""


class TextBlock(Flowable):
    """Text in one font and size, broken into lines by :func:`cjk_lines`, parts of it
    underlined. Nothing in it is markup: ``<b>``, ``&`` and ``[red]`` print as typed.

    Every word on a paper goes through this one flowable, drawn straight onto the page;
    reportlab's Paragraph (a markup parser, a frag per character) was most of a notice's
    layout time.
    """

    def __init__(self, runs: str | Sequence[Run], font: str, size: float, leading: float, *, align: str = "left",
                 indent: float = 0.0, space_before: float = 0.0, space_after: float = 0.0,
                 keep_with_next: bool = False) -> None:
        super().__init__()
        runs = [(runs, False)] if isinstance(runs, str) else list(runs)
        self.text = "".join(text for text, _ in runs)
        self.underlined: list[tuple[int, int]] = []
        at = 0
        for text, underline in runs:
            if underline and text:
                self.underlined.append((at, at + len(text)))
            at += len(text)
        self.font, self.size, self.leading, self.align, self.indent = font, size, leading, align, indent
        self.spaceBefore, self.spaceAfter, self.keepWithNext = space_before, space_after, keep_with_next
        self._lines: list[tuple[int, str]] = []
        self._width: float | None = None

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if self._width != avail_width:
            first = avail_width - self.indent if self.indent else None
            self._lines = cjk_lines(self.text, avail_width, self.font, self.size, first)
            self._width = avail_width
        self.width, self.height = avail_width, self.leading * len(self._lines)
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        self.wrap(avail_width, avail_height)
        fits = int(avail_height // self.leading)
        if fits <= 0 or fits >= len(self._lines):
            return []
        return [self._part(self._lines[:fits], self.indent), self._part(self._lines[fits:], 0.0)]

    def _part(self, lines: list[tuple[int, str]], indent: float) -> TextBlock:
        part = TextBlock("", self.font, self.size, self.leading, align=self.align, indent=indent)
        part.text, part.underlined, part._lines, part._width = self.text, self.underlined, lines, self._width
        return part

    def draw(self) -> None:
        canvas = self.canv
        canvas.setFont(self.font, self.size)
        canvas.setLineWidth(self.size / 24)
        y = self.height - self.size
        for n, (start, line) in enumerate(self._lines):
            width = stringWidth(line, self.font, self.size)
            x = self.indent if n == 0 else 0.0
            if self.align == "centre":
                x = (self.width - width) / 2
            elif self.align == "right":
                x = self.width - width
            canvas.drawString(x, y, line)
            for first, last in self.underlined:
                a, b = max(first, start) - start, min(last, start + len(line)) - start
                if a < b:
                    x0 = x + stringWidth(line[:a], self.font, self.size)
                    x1 = x + stringWidth(line[:b], self.font, self.size)
                    canvas.line(x0, y - self.size * 0.16, x1, y - self.size * 0.16)
            y -= self.leading


class Columns(Flowable):
    """Flowables side by side in columns of fixed widths (the seal block: the QR code on
    the left, the seal line and date on the right), each column aligned to the bottom or
    the middle of the tallest."""

    def __init__(self, columns: list[list[Flowable]], widths: list[float], valign: str = "bottom") -> None:
        super().__init__()
        self.columns, self.widths, self.valign = columns, widths, valign
        self._sizes: list[float] = []

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._sizes = [sum(f.wrap(w, avail_height)[1] for f in column) for column, w in zip(self.columns, self.widths, strict=True)]
        self.width, self.height = sum(self.widths), max(self._sizes, default=0)
        return self.width, self.height

    def draw(self) -> None:
        x = 0.0
        for column, width, size in zip(self.columns, self.widths, self._sizes, strict=True):
            y = self.height - (self.height - size) / 2 if self.valign == "middle" else size
            for flowable in column:
                y -= flowable.height
                flowable.drawOn(self.canv, x, y)
            x += width


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


def qr_code(value: str, side: float) -> QrCode:
    """``value`` as a vector QR code ``side`` points square: reportlab's own QR flowable,
    which draws the modules straight onto the page (its widget builds a shape per run of
    modules first, a third of a notice's render time)."""
    return QrCode(value, width=side, height=side, qrBorder=2, qrLevel="M")
