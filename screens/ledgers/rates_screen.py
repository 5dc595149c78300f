"""好差评 on screen: the four rates of the period, by centre, department, window or person,
and the latest ratings below them.

What the signed-in person may see is filtered in SQL (clerk.ledgers.visibility): a clerk
their own ratings, a chief representative their department's, a supervisor the centre's.
The rater's name and phone show to a supervisor only.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Footer, Static

from clerk.clock import local_time, local_today
from clerk.ledgers.classes import RATING_SOURCES
from clerk.ledgers.rates import GROUP_LABELS, Rates
from clerk.ledgers.views import RatingLine
from clerk.reports.periods import span
from clerk.staff.auth import SignedIn
from screens.base import DeskScreen

PERIODS = ("day", "month", "year")
GROUPS = ("centre", "department", "window", "staff")
RATE_COLUMNS = (("对象", 18), ("评价", 6), ("好评", 6), ("差评", 6), ("好评率", 8), ("差评率", 8),
                ("差评整改率", 10), ("整改及时率", 10))
RATING_COLUMNS = (("时间", 11), ("等级", 10), ("来源", 12), ("被评价人", 8), ("窗口", 12), ("理由", 24),
                  ("评价内容", 24), ("评价人", 18))
LATEST = 50


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def rate_row(name: str, r: Rates) -> tuple[str, ...]:
    return (name, str(r.total), str(r.good), str(r.bad), pct(r.good_rate), pct(r.bad_rate),
            pct(r.rectified_rate), pct(r.on_time_rate))


def rating_row(r: RatingLine) -> tuple[str, ...]:
    grade = r.grade_label if r.valid else f"{r.grade_label}（申诉撤销）"
    return (f"{local_time(r.at):%m-%d %H:%M}", grade, RATING_SOURCES.get(r.source, r.source), r.rated or "—",
            r.window or "—", "、".join(r.reasons) or "—", r.text or "—", r.rater or "—")


class RatesScreen(DeskScreen):
    BINDINGS = [
        Binding("f2", "next_period", "周期"),
        Binding("f3", "next_group", "分组"),
        Binding("f5", "reload", "刷新"),
        Binding("escape", "back", "返回"),
    ]
    DEFAULT_CSS = """
    RatesScreen #rates-table { height: auto; max-height: 12; }
    RatesScreen #ratings-table { height: 1fr; }
    RatesScreen .rates-title { height: auto; padding: 0 1; text-style: bold; }
    """

    def __init__(self, staff: SignedIn) -> None:
        super().__init__()
        self.staff = staff
        self.period_index = 1  # this month: what a supervisor's monthly figure is about
        self.group_index = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="rates"):
            yield Static(Content("……"), id="rates-title", classes="rates-title")
            yield DataTable(id="rates-table", cursor_type="row", zebra_stripes=True)
            yield Static(Content(f"本期最近 {LATEST} 条评价"), id="ratings-title", classes="rates-title")
            yield DataTable(id="ratings-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        for table_id, columns in (("#rates-table", RATE_COLUMNS), ("#ratings-table", RATING_COLUMNS)):
            table = self.query_one(table_id, DataTable)
            for label, width in columns:
                table.add_column(label, width=width)
        self.query_one("#rates-table").focus()
        self.action_reload()

    def action_reload(self) -> None:
        self.load(PERIODS[self.period_index], GROUPS[self.group_index])

    def action_next_period(self) -> None:
        self.period_index = (self.period_index + 1) % len(PERIODS)
        self.action_reload()

    def action_next_group(self) -> None:
        self.group_index = (self.group_index + 1) % len(GROUPS)
        self.action_reload()

    @work(thread=True, exclusive=True, exit_on_error=False, name="load")
    def load(self, period: str, group: str):
        start, end, label = span(period, local_today(self.desk.clock))  # type: ignore[arg-type]
        ledgers = self.desk.ledgers
        rows = ledgers.rate_table(self.staff.staff_id, start, end, group)  # type: ignore[arg-type]
        return label, rows, ledgers.ratings(self.staff.staff_id, limit=LATEST, start=start, end=end)

    def load_done(self, result) -> None:
        label, rows, latest = result
        rates = self.query_one("#rates-table", DataTable)
        rates.clear()
        rates.add_rows([rate_row(name, r) for name, r in rows])
        ratings = self.query_one("#ratings-table", DataTable)
        ratings.clear()
        ratings.add_rows([rating_row(r) for r in latest])
        empty = "（本期没有评价）" if not rows else ""
        self.query_one("#ratings-title", Static).update(Content(f"{label} · 最近 {LATEST} 条评价"))
        self.query_one("#rates-title", Static).update(Content(
            f"好差评 · {label} · {GROUP_LABELS[GROUPS[self.group_index]]}{empty}"
            " · 好评率、差评率按有效评价计，整改率、及时率按差评计"))

    def load_refused(self, error) -> None:
        self.query_one("#rates-title", Static).update(Content(error.message))

    def action_back(self) -> None:
        self.app.pop_screen()
