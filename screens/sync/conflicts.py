"""同步冲突: the actions the central store refused, with its reason, and calls of one ticket by two
windows (clerk.sync.call_notes); opening the list marks them seen."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Footer, Header, Static

from clerk.clock import local_time
from clerk.desk import ConflictLine
from screens.widgets.sync_bar import SYNC_BINDINGS, SyncBar, SyncedScreen

NONE_YET = "没有同步冲突。中心库退回的操作、与其他窗口的叫号冲突会列在这里。"
EXPLAIN = "中心库没有接受的本机操作和叫号冲突，请按原因核实，必要时重新办理。Tab 切换到下方原因，↑↓ 翻看全文。"


class ConflictsScreen(SyncedScreen):
    """Newest first; the highlighted row's whole reason is shown under the table, scrolling
    (Tab, then ↑↓) when it is longer than the room there."""

    SUB_TITLE = "同步冲突"

    BINDINGS = [Binding("escape", "back", "返回"), *SYNC_BINDINGS]

    def __init__(self) -> None:
        super().__init__()
        self._lines: list[ConflictLine] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="conflicts"):
            yield Static(Content("正在读取……"), id="conflicts-status")
            yield DataTable(id="conflicts-table", cursor_type="row", zebra_stripes=True)
            # A reason can be longer than the room under the table: it scrolls, never cut.
            with VerticalScroll(id="conflict-detail-box"):
                yield Static(Content(""), id="conflict-detail")
        yield SyncBar()
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("", width=2)
        table.add_column("时间", width=11)
        table.add_column("操作", width=10)
        table.add_column("中心库的原因")
        table.focus()
        self.load()

    @work(thread=True, exit_on_error=False, exclusive=True)
    def load(self) -> list[ConflictLine]:
        lines = self.desk.conflicts()
        # Shown is looked at: the count in the status line goes away, the rows stay here.
        self.desk.mark_conflicts_seen([line.id for line in lines if not line.seen])
        return lines

    def load_done(self, lines: list[ConflictLine]) -> None:
        self._lines = lines
        table = self.query_one(DataTable)
        for line in lines:
            table.add_row(
                Text("新", style="bold") if not line.seen else Text(""),
                Text(f"{local_time(line.at):%m-%d %H:%M}"),
                Text(line.action),
                Text(line.reason),  # server text: a Text is never read as markup
                key=line.id,
            )
        new = sum(1 for line in lines if not line.seen)
        status = f"共 {len(lines)} 条，其中新 {new} 条。{EXPLAIN}" if lines else NONE_YET
        self.query_one("#conflicts-status", Static).update(Content(status))
        self._show_detail(0)
        self.clerk_app.poll_sync()

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(event.cursor_row)

    def _show_detail(self, row: int) -> None:
        if not 0 <= row < len(self._lines):
            return
        line = self._lines[row]
        number = f"（第 {line.mutation_id} 号操作）" if line.mutation_id else ""
        self.query_one("#conflict-detail", Static).update(
            Content.assemble(
                (f"{line.action}{number}", "bold"),
                " ",
                (f"{local_time(line.at):%Y-%m-%d %H:%M}", "dim"),
                "\n",
                line.reason,
            )
        )

    def action_back(self) -> None:
        self.app.pop_screen()
