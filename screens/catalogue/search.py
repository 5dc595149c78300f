"""事项目录: one input that filters as you type (name, alias, pinyin, code); Enter opens the guide."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Footer, Header, Input, Static

from clerk.catalogue import ItemSummary
from screens.catalogue.results import ResultList
from screens.widgets.inputs import ClerkInput
from screens.widgets.sync_bar import SYNC_BINDINGS, SyncBar, SyncedScreen

NOT_FOUND = "没有找到匹配的事项"
SHOWN = 50
"""Items put in the list: a screen shows about 15; typing more narrows the rest."""


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
        self._shown_for: str | None = None
        """The search text the result table belongs to."""
        self._open_when_shown = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="catalogue"):
            yield SearchInput(
                placeholder="输入事项名称、俗称（如 低保）、拼音或首字母（如 gtgsh）、事项编码", id="search"
            )
            yield Static(Content(""), id="search-status")
            yield ResultList(id="results")  # not focusable: ↑↓ and Enter in the box act on it
        yield SyncBar()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#search", Input).focus()
        self.desk.reload_catalogue()  # a pull may have changed it since the screen last opened
        self.find("")

    @on(Input.Changed, "#search")
    def _typed(self, event: Input.Changed) -> None:
        if not self.desk.catalogue_loaded:
            self.find(event.value)  # the first search reads the catalogue: off the UI thread
            return
        # In memory a search takes well under a millisecond; a thread hop per keystroke cost
        # more than that on a busy machine (bench/catalogue_search.py).
        try:
            found = self.desk.search(event.value)
        except Exception:
            self.find(event.value)  # the worker reports the failure the way every worker does
            return
        self.find_done((event.value, found))

    @work(thread=True, exit_on_error=False, exclusive=True)
    def find(self, text: str) -> tuple[str, list[ItemSummary]]:
        return text, self.desk.search(text)

    def find_done(self, result: tuple[str, list[ItemSummary]]) -> None:
        text, items = result
        if text != self.query_one("#search", Input).value:
            return  # an older search finished after a newer one started
        total = len(items)
        items = items[:SHOWN]
        self._shown_for = text
        self.query_one(ResultList).show(items)
        status = self.query_one("#search-status", Static)
        more = f"，列出前 {SHOWN} 项，继续输入可缩小范围" if total > SHOWN else ""
        status.update(
            Content(f"共 {total} 项{more}，↑↓ 选择，回车查看办事指南" if items else NOT_FOUND)
        )
        status.set_class(not items, "error")
        if self._open_when_shown:
            self._open_when_shown = False
            self.action_open()

    def action_move(self, step: int) -> None:
        self.query_one(ResultList).move(step)

    @on(Input.Submitted, "#search")
    def _submitted(self) -> None:
        if self._shown_for != self.query_one("#search", Input).value:
            self._open_when_shown = True  # the results of what was typed are still coming
            return
        self.action_open()

    def action_open(self) -> None:
        item = self.query_one(ResultList).highlighted
        if item is None:
            return
        from screens.catalogue.guide import GuideScreen

        self.app.push_screen(GuideScreen(item.code))

    @on(ResultList.Selected)
    def _clicked(self) -> None:
        self.action_open()

    def action_back(self) -> None:
        self.app.pop_screen()
