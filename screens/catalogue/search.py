"""事项目录: one input that filters as you type (name, alias, pinyin, code); Enter opens the guide."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Footer, Header, Input, Static

from clerk.catalogue import ItemSummary
from screens.widgets.inputs import ClerkInput
from screens.widgets.sync_bar import SYNC_BINDINGS, SyncBar, SyncedScreen

NOT_FOUND = "没有找到匹配的事项"
SHOWN = 50
"""Rows put in the table: a screen shows about 15, and every row a keystroke adds costs
time before the frame (bench/catalogue_search.py); typing more narrows the rest."""


def limit_label(days: int) -> str:
    """Promised limit as the clerk says it: 当场办结 for 0, else N个工作日."""
    return "当场办结" if days == 0 else f"{days}个工作日"


def column_widths(table_width: int) -> list[tuple[str, int]]:
    """Fit the five result columns to the table: name and department share what is left.

    DataTable has no proportional columns; without this, long department names push
    the promised limit off an 80-column screen.
    """
    fixed = [("类型", 8), ("办件类型", 8), ("承诺时限", 8)]
    padding = 2 * 5 + 2  # one cell either side of each column, and the scrollbar
    free = max(table_width - padding - sum(w for _, w in fixed), 30)
    name = max(free * 2 // 3, 16)
    return [("事项名称", name), fixed[0], fixed[1], ("实施部门", free - name), fixed[2]]


class SearchInput(ClerkInput):
    """The search box; its own Enter (shown in the footer) opens the highlighted item.

    Enter stays the box's key, not a priority binding on the screen, so it is handled
    after the characters typed before it, however fast they arrive.
    """

    BINDINGS = [Binding("enter", "submit", "查看办事指南")]


class CatalogueScreen(SyncedScreen):
    """Search box on top, results below; ↑↓ move through results while typing."""

    SUB_TITLE = "事项目录"

    BINDINGS = [
        Binding("escape", "back", "返回"),
        Binding("down", "move(1)", "下一项", show=False),
        Binding("up", "move(-1)", "上一项", show=False),
        Binding("pagedown", "move(10)", "下翻", show=False),
        Binding("pageup", "move(-10)", "上翻", show=False),
        *SYNC_BINDINGS,
    ]

    def __init__(self) -> None:
        super().__init__()
        self._items: list[ItemSummary] = []
        self._shown_for: str | None = None
        """The search text the result table belongs to."""
        self._open_when_shown = False
        self._widths: list[tuple[str, int]] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="catalogue"):
            yield SearchInput(
                placeholder="输入事项名称、俗称（如 低保）、拼音或首字母（如 gtgsh）、事项编码", id="search"
            )
            yield Static(Content(""), id="search-status")
            table = DataTable(id="results", cursor_type="row", zebra_stripes=True)
            table.can_focus = False  # typing stays in the search box; ↑↓ and Enter act on the table
            yield table
        yield SyncBar()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#search", Input).focus()
        self.desk.reload_catalogue()  # a pull may have changed it since the screen last opened
        self.find("")

    @on(Input.Changed, "#search")
    def _typed(self, event: Input.Changed) -> None:
        self.find(event.value)

    @work(thread=True, exit_on_error=False, exclusive=True)
    def find(self, text: str) -> tuple[str, list[ItemSummary]]:
        return text, self.desk.search(text)

    def find_done(self, result: tuple[str, list[ItemSummary]]) -> None:
        text, items = result
        if text != self.query_one("#search", Input).value:
            return  # an older search finished after a newer one started
        total = len(items)
        items = items[:SHOWN]
        self._items = items
        self._shown_for = text
        table = self.query_one(DataTable)
        widths = column_widths(table.size.width)
        if self._widths != widths:  # columns are rebuilt only when the screen is resized
            self._widths = widths
            table.clear(columns=True)
            for label, width in widths:
                table.add_column(label, width=width)
        else:
            table.clear()
        table.add_rows(
            (Text(i.name), Text(i.kind), Text(i.case_type), Text(i.department), Text(limit_label(i.promised_limit_days)))
            for i in items
        )
        status = self.query_one("#search-status", Static)
        more = f"，列出前 {SHOWN} 项，继续输入可缩小范围" if total > SHOWN else ""
        status.update(
            Content(f"共 {total} 项{more}，↑↓ 选择，回车查看办事指南" if items else NOT_FOUND)
        )
        status.set_class(not items, "error")
        if self._open_when_shown:
            self._open_when_shown = False
            self.action_open()

    def on_resize(self) -> None:
        self.find(self.query_one("#search", Input).value)

    def action_move(self, step: int) -> None:
        table = self.query_one(DataTable)
        if self._items:
            table.move_cursor(row=max(0, min(len(self._items) - 1, table.cursor_row + step)))

    @on(Input.Submitted, "#search")
    def _submitted(self) -> None:
        if self._shown_for != self.query_one("#search", Input).value:
            self._open_when_shown = True  # the results of what was typed are still coming
            return
        self.action_open()

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if not self._items or not 0 <= table.cursor_row < len(self._items):
            return
        from screens.catalogue.guide import GuideScreen

        self.app.push_screen(GuideScreen(self._items[table.cursor_row].code))

    @on(DataTable.RowSelected)
    def _clicked(self) -> None:
        self.action_open()

    def action_back(self) -> None:
        self.app.pop_screen()
