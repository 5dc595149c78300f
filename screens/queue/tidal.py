"""潮汐窗口: the supervisor's view of the hall — windows, lines, suggested moves, end of day.

Enter on a window opens its lines (space ticks, F2 saves: mutation ``window.assign_lines``);
F4 adopts the first suggestion; F8 closes the day (``queue.end_of_day``) after a confirmation.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Header, SelectionList, Static

from clerk.errors import UserFacingError
from clerk.queue.closing import DayClosed
from clerk.queue.desk import Hall
from clerk.queue.issuer import wait_text
from clerk.queue.tidal import MODE_LABELS, LineLoad, WindowLoad
from clerk.staff.auth import SignedIn
from screens.dialogs.ask import AskText, Choice, Choose
from screens.widgets.sync_bar import SYNC_BINDINGS, SyncBar, SyncedScreen

REFRESH_SECONDS = 10
EARLY_WORD = "提前清号"
"""Typed to close the day before closing time: a word, not a key a reflex presses."""


class HallTable(DataTable):
    """Enter is the table's own key, so arrows typed before it are handled first."""

    BINDINGS = [Binding("enter", "select_cursor", "调整业务")]


class LinesDialog(ModalScreen[tuple[str, ...] | None]):
    """Tick the lines one window serves; F2 saves, Esc cancels."""

    BINDINGS = [Binding("f2", "save", "保存"), Binding("escape", "cancel", "取消")]
    DEFAULT_CLASSES = "queue-dialog"

    def __init__(self, window: WindowLoad, lines: list[LineLoad]) -> None:
        super().__init__()
        self.window = window
        self.lines = lines

    def compose(self) -> ComposeResult:
        with Vertical(classes="queue-box"):
            yield Static(Content(f"{self.window.number}号窗口办理的业务"), classes="dialog-title")
            yield SelectionList[str](
                *[(f"{x.letter} {x.name}（{x.waiting}人）", x.id, x.id in self.window.line_ids) for x in self.lines],
                id="lines-select",
            )
            yield Static(Content("空格 勾选/取消 · F2 保存 · Esc 取消"), classes="dialog-message")

    def action_save(self) -> None:
        self.dismiss(tuple(self.query_one(SelectionList).selected))

    def action_cancel(self) -> None:
        self.dismiss(None)


class TidalScreen(SyncedScreen):
    """Supervisor only (home shows F7 to supervisors)."""

    SUB_TITLE = "潮汐窗口"
    BINDINGS = [
        Binding("f4", "adopt", "采纳建议"),
        Binding("f8", "end_of_day", "日终清号"),
        Binding("escape", "back", "返回"),
        *SYNC_BINDINGS,
    ]

    def __init__(self, staff: SignedIn) -> None:
        super().__init__()
        self.staff = staff
        self.hall: Hall | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="tidal"):
            yield HallTable(id="hall-table", cursor_type="row", zebra_stripes=True)
            yield Static(Content(""), id="hall-lines")
            yield Static(Content(""), id="hall-suggestions")
            yield Static(Content(""), id="hall-message")
        yield SyncBar()
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in (("窗口", 5), ("状态", 8), ("业务", 12), ("说明", 30)):
            table.add_column(label, width=width)
        table.focus()
        self.load()
        self.set_interval(REFRESH_SECONDS, self.load)

    # Its own group: ``exclusive`` cancels every worker of the group, and a timer refresh
    # must never cancel the clerk's action.
    @work(thread=True, exit_on_error=False, exclusive=True, group="refresh")
    def load(self) -> Hall:
        return self.desk.queue.hall()

    def load_done(self, hall: Hall) -> None:
        self.show_hall(hall)

    def show_hall(self, hall: Hall) -> None:
        self.hall = hall
        letters = {x.id: x.letter for x in hall.lines}
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for w in hall.windows:
            lines = " ".join(letters.get(i, "?") for i in w.line_ids) or "—"
            table.add_row(Text(f"{w.number}号"), Text(MODE_LABELS[w.mode]), Text(lines), Text(w.note or w.name), key=w.id)
        if hall.windows:
            table.move_cursor(row=min(row, len(hall.windows) - 1))
        busy = [f"{x.letter} {x.name} {x.waiting}人 {wait_text(x.wait_minutes)}" for x in hall.lines if x.waiting]
        self.query_one("#hall-lines", Static).update(Content("等候：" + ("；".join(busy) or "无人等候")))
        tips = [s.text for s in hall.suggestions]
        text = "建议（F4 采纳第一条）：\n" + "\n".join(tips) if tips else "暂无调整建议"
        self.query_one("#hall-suggestions", Static).update(Content(text))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "adopt":
            return bool(self.hall and self.hall.suggestions)
        return super().check_action(action, parameters)

    def say(self, text: str, error: bool = False) -> None:
        message = self.query_one("#hall-message", Static)
        message.update(Content(text))
        message.set_class(error, "error")

    @on(DataTable.RowSelected)
    def _edit(self, event: DataTable.RowSelected) -> None:
        if self.hall is None or not 0 <= event.cursor_row < len(self.hall.windows):
            return
        window = self.hall.windows[event.cursor_row]

        def saved(line_ids: tuple[str, ...] | None) -> None:
            if line_ids is not None:
                self.assign(window.id, line_ids, f"{window.number}号窗口的业务已调整")

        self.app.push_screen(LinesDialog(window, self.hall.lines), saved)

    def action_adopt(self) -> None:
        if not self.hall or not self.hall.suggestions:
            return
        tip = self.hall.suggestions[0]
        window = next(w for w in self.hall.windows if w.id == tip.window_id)
        self.assign(window.id, (*window.line_ids, tip.line_id), f"已采纳：{tip.text}")

    @work(thread=True, exit_on_error=False)
    def assign(self, window_id: str, line_ids: tuple[str, ...], message: str) -> tuple[Hall, str]:
        self.desk.queue.assign_lines(window_id, line_ids, self.staff.staff_id, self.staff.role)
        return self.desk.queue.hall(), message

    def assign_done(self, result: tuple[Hall, str]) -> None:
        self.show_hall(result[0])
        self.say(result[1])

    def assign_refused(self, error: UserFacingError) -> None:
        self.say(error.message, error=True)

    def action_end_of_day(self) -> None:
        # 取消 comes first and has the focus: F8 and a reflex Enter must not void a hall.
        choices = [Choice("取消", False), Choice("确认日终清号", True)]
        closes = self.desk.queue.closes_at()

        def confirmed(yes: bool | None) -> None:
            if yes and closes is None:
                self.close_day(False)
            elif yes:
                self.app.push_screen(AskText(
                    f"未到下班时间（{closes}）。确需提前日终清号，请输入“{EARLY_WORD}”后回车",
                    EARLY_WORD, required=f"请输入“{EARLY_WORD}”，或按 Esc 取消",
                ), typed)

        def typed(text: str | None) -> None:
            if text is None:
                return
            if text.strip() != EARLY_WORD:
                self.say(f"输入的不是“{EARLY_WORD}”，未清号", error=True)
                return
            self.close_day(True)

        title = "日终清号：仍在等候、已叫未办、暂挂的号将按规则处理（当日号当日办结：须先办完）。确认？"
        if closes is not None:
            title += f"\n（现在未到下班时间 {closes}）"
        self.app.push_screen(Choose(title, choices), confirmed)

    @work(thread=True, exit_on_error=False)
    def close_day(self, early: bool) -> tuple[Hall, DayClosed]:
        closed = self.desk.queue.end_of_day(self.staff.staff_id, self.staff.role, early=early)
        return self.desk.queue.hall(), closed

    def close_day_done(self, result: tuple[Hall, DayClosed]) -> None:
        hall, closed = result
        self.show_hall(hall)
        self.say(
            f"日终清号完成：作废 {closed.cancelled} 个，顺延 {closed.carried_over} 个，"
            f"仍在办理 {closed.still_serving} 个（请办结）"
            + (f"；今日延时服务 {closed.overtime_s // 60} 分钟" if closed.overtime_s else "")
        )

    def close_day_refused(self, error: UserFacingError) -> None:
        self.say(error.message, error=True)

    def action_back(self) -> None:
        self.app.pop_screen()
