"""The chief representative's queue: what waits for their signature, urgent and oldest first.

The title carries the counts per kind; Enter opens a request (screens.signoff.entry).
"""

from __future__ import annotations

import time

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Footer, Static

from clerk.signoff.service import Queue
from clerk.staff.auth import SignedIn
from screens.base import DeskScreen

COLUMNS = ("类别", "提请时间", "事项", "申请人", "窗口人员")


class SignOffQueueScreen(DeskScreen):
    BINDINGS = [Binding("f5", "reload", "刷新"), Binding("escape", "back", "返回")]

    def __init__(self, staff: SignedIn) -> None:
        super().__init__()
        self.staff = staff
        self.shown: Queue | None = None
        self.shown_at = 0.0
        """When the last load reached the table (perf_counter): the benchmark reads it."""

    def compose(self) -> ComposeResult:
        with Vertical(id="signoff-queue"):
            yield Static(Content(""), id="signoff-counts")
            yield DataTable(id="signoff-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*COLUMNS)
        table.focus()
        self.load()

    def action_reload(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, name="load")
    def load(self) -> Queue:
        return self.desk.signoff.queue(self.staff.staff_id)

    def load_done(self, queue: Queue) -> None:
        self.shown = queue
        counts = " · ".join(f"{label} {n}" for label, n in queue.counts)
        more = f"；先列出最急、最早的 {len(queue.lines)} 件" if queue.total > len(queue.lines) else ""
        self.query_one("#signoff-counts", Static).update(Content(f"待签批 {queue.total} 件（{counts}）{more}"))
        table = self.query_one(DataTable)
        table.clear()
        table.add_rows([(("【急】" if ln.urgent else "") + ln.kind_label, f"{ln.requested_at:%m-%d %H:%M}",
                         ln.item_name[:16], ln.applicant, ln.requested_by) for ln in queue.lines])
        self.shown_at = time.perf_counter()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if self.shown is not None and 0 <= event.cursor_row < len(self.shown.lines):
            from screens.signoff.entry import SignOffEntryScreen

            line = self.shown.lines[event.cursor_row]
            self.app.push_screen(SignOffEntryScreen(self.staff, line.id), lambda _: self.load())

    def action_back(self) -> None:
        self.app.pop_screen()
