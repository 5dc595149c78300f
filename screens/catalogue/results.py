"""The catalogue's result list: one line an item, drawn through Textual's line API.

A DataTable cleared and refilled on every keystroke measured and re-rendered every
visible cell before the frame (bench/catalogue_search.py: 180–210 ms median on a busy
machine). Here a search only swaps the list of items and asks for a repaint; each item's
line is laid out once per column layout and kept, so a frame costs the ~15 visible lines
joined from cached text, whatever the search.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from clerk.catalogue import ItemSummary

PAD = 1
"""Blank cells either side of each column, as DataTable had them."""


def limit_label(days: int) -> str:
    """Promised limit as the clerk says it: 当场办结 for 0, else N个工作日."""
    return "当场办结" if days == 0 else f"{days}个工作日"


def column_widths(width: int) -> list[tuple[str, int]]:
    """Fit the five result columns to the list: name and department share what is left,
    so that long department names never push the promised limit off an 80-column screen."""
    fixed = [("类型", 8), ("办件类型", 8), ("承诺时限", 8)]
    padding = 2 * PAD * 5 + 2  # each column's padding, and the scrollbar
    free = max(width - padding - sum(w for _, w in fixed), 30)
    department = min(max(free // 3, 16), free - 16)  # 16 cells: 县市场监督管理局 whole at 80 columns
    return [("事项名称", free - department), fixed[0], fixed[1], ("实施部门", department), fixed[2]]


def fit(text: str, width: int) -> str:
    """``text`` in exactly ``width`` cells: padded, or cut with an ellipsis. Wide (CJK)
    characters count two cells; a cut never splits one."""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + "…"


def layout(cells: Sequence[str], widths: Sequence[int]) -> tuple[str, ...]:
    """Each cell fitted to its column and padded. Kept apart (one segment each) so that a
    screenshot places every column where the terminal does, whatever its font's CJK widths."""
    pad = " " * PAD
    return tuple(pad + fit(c, w) + pad for c, w in zip(cells, widths, strict=True))


def item_cells(item: ItemSummary) -> tuple[str, ...]:
    return (item.name, item.kind, item.case_type, item.department, limit_label(item.promised_limit_days))


class ResultList(ScrollView, can_focus=False):
    """Header line, then one line an item, the cursor on one of them.

    Not focusable: typing stays in the search box, whose screen moves the cursor
    (:meth:`move`). Text is drawn as plain segments, never parsed as markup, so an item
    named ``[red]x[/red]`` shows exactly that.
    """

    COMPONENT_CLASSES = {"result-list--header", "result-list--even", "result-list--cursor"}

    DEFAULT_CSS = """
    ResultList {
        background: $surface;
        color: $foreground;
        & > .result-list--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        & > .result-list--even {
            background: $surface-lighten-1 50%;
        }
        &:dark > .result-list--even {
            background: $surface-darken-1 40%;
        }
        & > .result-list--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """

    class Selected(Message):
        """An item was clicked."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.items: Sequence[ItemSummary] = ()
        self.cursor = 0
        self._widths: tuple[int, ...] = ()
        self._header: tuple[str, ...] = ()
        self._lines: dict[str, tuple[str, ...]] = {}
        """Each item's laid-out line for the current column widths, by item code."""
        self._styles: dict[str | None, Style] = {}

    def show(self, items: Sequence[ItemSummary]) -> None:
        """Put ``items`` in the list, the cursor on the first, scrolled to the top."""
        self.items = items
        self.cursor = 0
        self.virtual_size = Size(self.size.width, len(items) + 1)
        self.scroll_to(y=0, animate=False, immediate=True)
        self.refresh()

    @property
    def highlighted(self) -> ItemSummary | None:
        return self.items[self.cursor] if 0 <= self.cursor < len(self.items) else None

    def move(self, step: int) -> None:
        """Move the cursor ``step`` items, stopping at either end; keep it in view."""
        if not self.items:
            return
        self.cursor = max(0, min(len(self.items) - 1, self.cursor + step))
        rows = max(1, self.size.height - 1)  # lines below the header
        top = self.scroll_offset.y
        if self.cursor < top:
            top = self.cursor
        elif self.cursor >= top + rows:
            top = self.cursor - rows + 1
        self.scroll_to(y=top, animate=False, immediate=True)
        self.refresh()

    def line_of(self, item: ItemSummary) -> tuple[str, ...]:
        """The item's line as drawn, from the cache while the column widths stay."""
        self._check_layout()
        line = self._lines.get(item.code)
        if line is None:
            line = self._lines[item.code] = layout(item_cells(item), self._widths)
        return line

    def _check_layout(self) -> None:
        """Resized: lay the header and every line out afresh."""
        columns = column_widths(self.size.width)
        widths = tuple(w for _, w in columns)
        if widths != self._widths:
            self._widths = widths
            self._header = layout([label for label, _ in columns], widths)
            self._lines.clear()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y == 0:  # the header stays put while the items scroll under it
            self._check_layout()
            return self._strip(self._header, "result-list--header", width)
        index = self.scroll_offset.y + y - 1
        if index >= len(self.items):
            return Strip.blank(width, self.rich_style)
        line = self.line_of(self.items[index])
        if index == self.cursor:
            return self._strip(line, "result-list--cursor", width)
        return self._strip(line, "result-list--even" if index % 2 == 0 else None, width)

    def _strip(self, cells: tuple[str, ...], component: str | None, width: int) -> Strip:
        style = self._styles.get(component)
        if style is None:
            style = self.rich_style if component is None else self.get_component_rich_style(component)
            self._styles[component] = style
        return Strip([Segment(cell, style) for cell in cells]).crop_extend(0, width, style)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.items) + 1)

    def on_click(self, event) -> None:
        index = self.scroll_offset.y + event.y - 1
        if 0 <= index < len(self.items):
            self.cursor = index
            self.refresh()
            self.post_message(self.Selected(index))
