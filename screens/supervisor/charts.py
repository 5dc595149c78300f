"""Today's ledger as charts: waits by hour, tickets per window, cases by outcome (F11 on the floor)."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Header, Static

from clerk.clock import local_today
from clerk.reports import ledger
from clerk.staff.auth import SignedIn
from screens.base import DeskScreen
from screens.widgets.bar_chart import chart_content


class ChartsScreen(DeskScreen):
    SUB_TITLE = "今日图表"
    BINDINGS = [Binding("escape", "back", "返回")]

    def __init__(self, staff: SignedIn) -> None:
        super().__init__()
        self.staff = staff

    def compose(self) -> ComposeResult:
        yield Header()
        yield VerticalScroll(Static(Content("正在统计……"), id="charts-status"), id="charts")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exit_on_error=False)
    def load(self) -> ledger.Report:
        req = ledger.Request("day", local_today(self.desk.clock))
        return ledger.build(self.desk.store, self.desk.settings.centre.code, req, self.desk.clock.now(),
                            self.staff.staff_id)

    def load_done(self, report: ledger.Report) -> None:
        box = self.query_one("#charts", VerticalScroll)
        self.query_one("#charts-status", Static).update(Content(f"{report.period.label} · {report.scope.label}"))
        width = max(box.size.width - 2, 40)
        for section in report.sections:
            for chart in section.charts:
                box.mount(Static(chart_content(chart, width), classes="chart"))

    def load_refused(self, error) -> None:
        self.query_one("#charts-status", Static).update(Content(error.message))

    def action_back(self) -> None:
        self.app.pop_screen()
