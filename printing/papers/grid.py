"""A ruled grid of text cells, drawn directly: the form's label | value grids and lists.

reportlab's Table does far more (styles, nested flowables, row and cell splitting) and was
the largest part of a notice's layout time; a form needs rows of plain text with rules,
cells spanning columns, and — for a list that runs on to the next page — its header row
repeated on each page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.platypus import Flowable

from printing.papers.flowables import TextBlock

PAD_X, PAD_TOP, PAD_BOTTOM = 4.0, 2.0, 3.5
RULE_WIDTH = 0.6


@dataclass
class Cell:
    text: TextBlock
    span: int = 1
    """How many columns it covers."""


class Grid(Flowable):
    """Rows of cells under and between rules; ``header``: the first row repeats on every
    page the grid runs on to."""

    def __init__(self, rows: Sequence[Sequence[Cell]], widths: Sequence[float], header: bool = False) -> None:
        super().__init__()
        self.rows = [list(row) for row in rows]
        self.widths = list(widths)
        self.header = header
        self._heights: list[float] = []

    def _cell_width(self, start: int, span: int) -> float:
        return sum(self.widths[start : start + span])

    def _row_height(self, row: list[Cell]) -> float:
        height, col = 0.0, 0
        for cell in row:
            _, h = cell.text.wrap(self._cell_width(col, cell.span) - 2 * PAD_X, 1e6)
            height = max(height, h)
            col += cell.span
        return height + PAD_TOP + PAD_BOTTOM

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if not self._heights:
            self._heights = [self._row_height(row) for row in self.rows]
        self.width, self.height = sum(self.widths), sum(self._heights)
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        self.wrap(avail_width, avail_height)
        used, fits = 0.0, 0
        for height in self._heights:
            if used + height > avail_height:
                break
            used, fits = used + height, fits + 1
        first = 1 if self.header else 0
        if fits <= first or fits == len(self.rows):
            return []  # nothing useful fits here (the frame moves the grid to the next page)
        rest = ([self.rows[0]] if self.header else []) + self.rows[fits:]
        return [Grid(self.rows[:fits], self.widths, self.header), Grid(rest, self.widths, self.header)]

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setLineWidth(RULE_WIDTH)
        top = self.height
        canvas.line(0, top, self.width, top)
        for row, height in zip(self.rows, self._heights, strict=True):
            bottom = top - height
            x, col = 0.0, 0
            canvas.line(0, bottom, self.width, bottom)
            canvas.line(0, top, 0, bottom)
            for cell in row:
                width = self._cell_width(col, cell.span)
                text_height = cell.text.height
                cell.text.drawOn(canvas, x + PAD_X, bottom + PAD_BOTTOM + (height - PAD_TOP - PAD_BOTTOM - text_height) / 2)
                x, col = x + width, col + cell.span
                canvas.line(x, top, x, bottom)
            top = bottom
        canvas.restoreState()
