"""我的办件: the clerk's open cases, nearest deadline first — yellow when near, red when past.

"Near" is ``[cases] near_days`` working days (settings). Enter opens the case, so a
returning applicant's case resumes where it stopped.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Footer, Header, Static

from clerk.cases.desk import CaseView, OpenCaseLine
from clerk.staff.auth import SignedIn
from screens.cases.view import open_line
from screens.widgets.sync_bar import SyncBar, SyncedScreen


class OpenCasesScreen(SyncedScreen):
    SUB_TITLE = "我的办件"
    BINDINGS = [Binding("escape", "back", "返回")]
    DEFAULT_CSS = """
    OpenCasesScreen #open-status { height: 1; padding: 0 1; }
    OpenCasesScreen #open-cases { height: 1fr; }
    """

    def __init__(self, staff: SignedIn) -> None:
        super().__init__()
        self.staff = staff
        self.lines: list[OpenCaseLine] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Static(Content("……"), id="open-status")
            table = DataTable(id="open-cases", cursor_type="row", zebra_stripes=True)
            # 120 columns: the longest deadline, “退回补正期限 2026年12月21日（已超期）”, whole.
            for label, width in (("事项", 36), ("申请人", 8), ("状态", 16), ("下一期限", 48)):
                table.add_column(label, width=width)
            yield table
        yield SyncBar()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    @work(thread=True, exit_on_error=False, exclusive=True)
    def load(self) -> list[OpenCaseLine]:
        return self.desk.cases.open_cases(self.staff.staff_id)

    def load_done(self, lines: list[OpenCaseLine]) -> None:
        self.lines = lines
        table = self.query_one(DataTable)
        table.clear()
        table.add_rows(open_line(ln) for ln in lines)
        past = sum(ln.urgency == "past" for ln in lines)
        near = sum(ln.urgency == "near" for ln in lines)
        text = f"共 {len(lines)} 件未办结；临近期限 {near} 件，已超期 {past} 件 · 回车打开" if lines else "没有未办结的办件"
        self.query_one("#open-status", Static).update(Content(text))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if 0 <= event.cursor_row < len(self.lines):
            self.open_case(self.lines[event.cursor_row].id)

    @work(thread=True, exit_on_error=False)
    def open_case(self, case_id: str) -> CaseView:
        return self.desk.cases.case(case_id)

    def open_case_done(self, case: CaseView) -> None:
        from screens.cases.case_screen import CaseScreen

        self.app.push_screen(CaseScreen(self.staff, case))

    def action_back(self) -> None:
        self.app.pop_screen()
