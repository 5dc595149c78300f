"""The chief representative's queue: what waits for their signature, urgent and oldest first.

The title carries the counts per kind; Enter opens a request (screens.signoff.entry) or
writes a report owed (先批后报).
"""

from __future__ import annotations

import time

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Footer, Header, Static

from clerk.errors import UserFacingError
from clerk.signoff.rules import REPORT_DUE_LABEL
from clerk.signoff.service import Queue, ReportLine
from clerk.staff.auth import SignedIn
from screens.base import DeskScreen
from screens.dialogs.ask import AskText

COLUMNS = ("类别", "时间", "事项", "申请人", "经办人")
"""A request: when it was filed and by which clerk; a report owed: its due date and the chief."""


def report_row(r: ReportLine) -> tuple:
    """A report still owed, after the requests: its due date in the time column, red when past."""
    due = Text(f"{r.due:%m-%d}前报告", style="bold red" if r.overdue else "")
    return (REPORT_DUE_LABEL, due, r.item_name[:16], r.applicant, r.decided_by)


def _reports_owed(queue: Queue) -> str:
    if not queue.reports:
        return ""
    late = sum(r.overdue for r in queue.reports)
    return f"；先批后报待报告 {len(queue.reports)} 件" + (f"（逾期 {late} 件）" if late else "")


class SignOffTable(DataTable):
    """The queue's rows, with Enter named in the footer: a chief new to the desk saw only
    刷新 and 返回 there. Enter stays the table's own key, handled after the arrows typed before it."""

    BINDINGS = [Binding("enter", "select_cursor", "签批 / 写报告")]


class SignOffQueueScreen(DeskScreen):
    SUB_TITLE = "待签批"
    BINDINGS = [Binding("f5", "reload", "刷新"), Binding("escape", "back", "返回")]

    def __init__(self, staff: SignedIn) -> None:
        super().__init__()
        self.staff = staff
        self.shown: Queue | None = None
        self.shown_at = 0.0
        """When the last load reached the table (perf_counter): the benchmark reads it."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="signoff-queue"):
            yield Static(Content(""), id="signoff-counts")
            yield SignOffTable(id="signoff-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*COLUMNS)
        table.focus()
        self.load()

    def action_reload(self) -> None:
        self.load()

    def pulled(self) -> None:
        """A request filed at a clerk's counter came in: it is listed without a key."""
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, name="load")
    def load(self) -> Queue:
        return self.desk.signoff.queue(self.staff.staff_id)

    def load_done(self, queue: Queue) -> None:
        # The cursor stays on the request it was on: a request arriving (pulled) above it must
        # not slide another one under the chief's Enter.
        ids, row = self._ids(), self.query_one(DataTable).cursor_row
        before = ids[row] if 0 <= row < len(ids) else None
        self.shown = queue
        counts = " · ".join(f"{label} {n}" for label, n in queue.counts)
        more = f"；先列出最急、最早的 {len(queue.lines)} 件" if queue.total > len(queue.lines) else ""
        self.query_one("#signoff-counts", Static).update(Content(f"待签批 {queue.total} 件（{counts}）{more}"
                                                                 + _reports_owed(queue)))
        table = self.query_one(DataTable)
        table.clear()
        table.add_rows([(("【急】" if ln.urgent else "") + ln.kind_label, f"{ln.requested_at:%m-%d %H:%M}",
                         ln.item_name[:16], ln.applicant, ln.requested_by) for ln in queue.lines])
        table.add_rows([report_row(r) for r in queue.reports])
        ids = self._ids()
        if before in ids:
            table.move_cursor(row=ids.index(before), animate=False)
        self.shown_at = time.perf_counter()

    def _ids(self) -> list[str]:
        """The id of each row shown: the requests, then the reports owed."""
        if self.shown is None:
            return []
        return [ln.id for ln in self.shown.lines] + [f"report:{r.id}" for r in self.shown.reports]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if self.shown is None or event.cursor_row < 0:
            return
        row, lines = event.cursor_row, self.shown.lines
        if row < len(lines):
            from screens.signoff.entry import SignOffEntryScreen

            self.app.push_screen(SignOffEntryScreen(self.staff, lines[row].id), lambda _: self.load())
        elif row - len(lines) < len(self.shown.reports):
            self.ask_report(self.shown.reports[row - len(lines)])

    def ask_report(self, line: ReportLine) -> None:
        """先批后报: the chief writes the report to the department; it is stored as written."""
        def written(text: str | None) -> None:
            if text:
                self.send_report(line, text)

        self.app.push_screen(AskText(f"向部门报告：{line.item_name}（{line.applicant}）",
                                     "急办理由、审批结论及依据", (), "请写明报告内容"), written)

    @work(thread=True, exit_on_error=False, group="report")
    def send_report(self, line: ReportLine, text: str) -> ReportLine:
        self.desk.signoff.report(self.staff.staff_id, line.id, text)
        return line

    def send_report_done(self, line: ReportLine) -> None:
        self.notify(f"已报告部门：{line.item_name}（{line.applicant}）")
        self.load()

    def send_report_refused(self, error: UserFacingError) -> None:
        self.notify(error.message, severity="error")

    def action_back(self) -> None:
        self.app.pop_screen()
