"""The ledger screen: every record the signed-in person may see, a page at a time.

A clerk sees their own records, a chief representative their department's, a supervisor
the centre's (the service filters in SQL). The table holds one page (PAGE rows), so a
centre with 10,000 entries opens as quickly as one with ten.
"""

from __future__ import annotations

import time

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Footer, Input, Static

from clerk.clock import local_time
from clerk.ledgers.classes import KIND_LABELS
from clerk.ledgers.views import EntryLine
from clerk.staff.auth import SignedIn
from screens.base import DeskScreen
from screens.widgets.inputs import ClerkInput

PAGE = 100
KINDS = (None, "first_contact", "complaint", "rectification")
WHICH = (("open", "在办"), ("overdue", "超期"), ("closed", "已办结"), ("all", "全部"))
COLUMNS = (("编号", 22), ("登记时间", 11), ("类别", 8), ("状态", 10), ("当事人", 12), ("事项", 32),
           ("负责人", 8), ("期限", 16))
"""Fixed widths: a DataTable measures every cell of every added row for auto-width columns,
which was most of the time of showing a page (the cells are cut to these widths)."""


class LedgerScreen(DeskScreen):
    BINDINGS = [
        Binding("f2", "next_kind", "类别"),
        Binding("f3", "next_which", "状态"),
        Binding("f4", "search", "查找"),
        Binding("f5", "new_complaint", "登记反映"),
        Binding("f6", "rates", "好差评"),
        Binding("pagedown", "page(1)", "下页"),
        Binding("pageup", "page(-1)", "上页"),
        Binding("escape", "back", "返回"),
    ]

    def __init__(self, staff: SignedIn) -> None:
        super().__init__()
        self.staff = staff
        self.kind_index = 0
        self.which_index = 0
        self.search_text = ""
        self.page_offset = 0
        self.shown: list[EntryLine] = []
        self.shown_at = 0.0
        """perf_counter() when the last page reached the table (read by bench/ledger_screen.py)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="ledger"):
            yield Static(Content(""), id="ledger-title")
            yield ClerkInput(placeholder="输入编号、姓名或事项查找，回车确认", id="ledger-search")
            yield DataTable(id="ledger-table", cursor_type="row", zebra_stripes=True)
            yield Static(Content(""), id="ledger-message")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in COLUMNS:
            table.add_column(label, width=width)
        self.query_one("#ledger-search").display = False
        table.focus()
        self.reload()

    # -- loading -----------------------------------------------------------------------

    def reload(self) -> None:
        self.load(KINDS[self.kind_index], WHICH[self.which_index][0], self.search_text, self.page_offset)

    @work(thread=True, exclusive=True, exit_on_error=False, name="load")
    def load(self, kind: str | None, which: str, text: str, offset: int) -> tuple[list[EntryLine], int]:
        return self.desk.ledgers.page(self.staff.staff_id, kind, which, text, limit=PAGE, offset=offset)

    def load_done(self, result: tuple[list[EntryLine], int]) -> None:
        lines, total = result
        self.shown = lines
        table = self.query_one(DataTable)
        table.clear()
        table.add_rows([_row(line) for line in lines])
        kind = KIND_LABELS.get(KINDS[self.kind_index] or "", "全部台账")
        which = WHICH[self.which_index][1]
        page = f"第 {self.page_offset + 1}–{self.page_offset + len(lines)} 条" if lines else "没有记录"
        search = f" · 查找“{self.search_text}”" if self.search_text else ""
        self.query_one("#ledger-title", Static).update(
            Content(f"{kind} · {which}{search} · 共 {total} 条 · {page}"))
        self.shown_at = time.perf_counter()

    # -- keys --------------------------------------------------------------------------

    def action_next_kind(self) -> None:
        self.kind_index = (self.kind_index + 1) % len(KINDS)
        self.page_offset = 0
        self.reload()

    def action_next_which(self) -> None:
        self.which_index = (self.which_index + 1) % len(WHICH)
        self.page_offset = 0
        self.reload()

    def action_page(self, step: int) -> None:
        offset = max(0, self.page_offset + step * PAGE)
        if step > 0 and len(self.shown) < PAGE:
            return
        self.page_offset = offset
        self.reload()

    def action_search(self) -> None:
        box = self.query_one("#ledger-search", Input)
        box.display = True
        box.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.search_text = event.value.strip()
        self.page_offset = 0
        event.input.display = bool(self.search_text)
        self.query_one(DataTable).focus()
        self.reload()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if 0 <= event.cursor_row < len(self.shown):
            from screens.ledgers.entry import EntryScreen

            self.app.push_screen(EntryScreen(self.staff, self.shown[event.cursor_row].id), lambda _: self.reload())

    def action_rates(self) -> None:
        from screens.ledgers.rates_screen import RatesScreen

        self.app.push_screen(RatesScreen(self.staff))

    def action_new_complaint(self) -> None:
        """A "办不成事" entry at this window; its record opens once it is stored."""
        from screens.ledgers.complaint import ComplaintDialog, Context

        def opened(result: tuple[str, str] | None) -> None:
            if result:
                from screens.ledgers.entry import EntryScreen

                entry_id, message = result
                self.query_one("#ledger-message", Static).update(Content(message))
                self.app.push_screen(EntryScreen(self.staff, entry_id), lambda _: self.reload())

        self.app.push_screen(ComplaintDialog(Context(self.staff.staff_id)), opened)

    def action_back(self) -> None:
        self.app.pop_screen()


def _row(line: EntryLine) -> tuple:
    due = f"{line.due_date:%m-%d}" if line.due_date else ""
    if line.overdue:
        due = f"{due} 超期" + ("·督办" if line.supervised else "")
    return (line.entry_no, f"{local_time(line.registered_at):%m-%d %H:%M}", KIND_LABELS[line.kind],
            line.status_label, line.person or "—", (line.matter or "")[:16], line.owner, due)
