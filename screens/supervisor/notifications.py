"""Applicant messages that wait for a person (Ctrl+T on the floor): sent perhaps (未能确认送达:
the sender handed it over and no answer came) or not at all (发送失败, every try refused).

F2 sends one again from its first try — for an uncertain one only after the supervisor says
the applicant did not get it, since a second copy could reach them; F3 closes one with what
was done instead. Both are decided by the central store (clerk.notify.decisions), which
answers with the list as it stands after.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import DataTable, Footer, Header, Static

from clerk.clock import local_time
from clerk.errors import UserFacingError
from clerk.notify.decisions import STATE_LABELS
from clerk.notify.messages import label as event_label
from clerk.staff.auth import SignedIn
from clerk.sync.floor_protocol import NotificationLine
from screens.dialogs.ask import AskText, Choice, Choose
from screens.widgets.sync_bar import SYNC_BINDINGS, SyncBar, SyncedScreen

COLUMNS = (("时间", 11), ("受理编号", 26), ("事项", 16), ("通知", 12), ("方式", 4), ("收件人", 18), ("状态", 12),
           ("次数", 4))
"""The reason is too long for a column: the highlighted row's is shown whole below the table."""
CHANNELS = {"email": "邮件", "sms": "短信"}
RESEND_UNCERTAIN = (Choice("申请人确实没有收到：重新发送", "resend"), Choice("不发送，返回", ""))


def notification_row(n: NotificationLine) -> tuple[Text, ...]:
    cells = (f"{local_time(n.created_at):%m-%d %H:%M}", n.acceptance_no or "（未受理）", n.item_name[:16],
             event_label(n.event), CHANNELS.get(n.channel, n.channel), n.recipient,
             STATE_LABELS.get(n.state, n.state), str(n.attempts))
    return tuple(Text(c, style="bold red" if n.state == "failed" else "") for c in cells)


class NotificationsScreen(SyncedScreen):
    SUB_TITLE = "申请人通知待处理"
    BINDINGS = [Binding("f2", "resend", "重新发送"), Binding("f3", "close", "不再发送"),
                Binding("f5", "reload", "刷新"), Binding("escape", "back", "返回"), *SYNC_BINDINGS]
    DEFAULT_CSS = """
    NotificationsScreen #notifications-table { height: 1fr; }
    NotificationsScreen #notifications-reason { height: auto; padding: 0 1; color: $text-muted; }
    NotificationsScreen #notifications-message { height: auto; padding: 0 1; }
    NotificationsScreen #notifications-message.error { color: $error; }
    """

    def __init__(self, staff: SignedIn, lines: list[NotificationLine]) -> None:
        super().__init__()
        self.staff, self.lines = staff, lines

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="notifications-table", cursor_type="row", zebra_stripes=True)
        yield Static(Content(""), id="notifications-reason")
        yield Static(Content(""), id="notifications-message")
        yield SyncBar()
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in COLUMNS:
            table.add_column(label, width=width)
        self.show(self.lines)
        table.focus()

    def show(self, lines: list[NotificationLine], said: str = "") -> None:
        self.lines = lines
        table = self.query_one(DataTable)
        table.clear()
        for n in lines:
            table.add_row(*notification_row(n), key=n.id)
        self.say(said or (f"共 {len(lines)} 条待处理" if lines else "没有待处理的申请人通知"))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        line = self.chosen
        self.query_one("#notifications-reason", Static).update(Content(f"原因：{line.last_error}" if line else ""))

    def say(self, text: str, error: bool = False) -> None:
        message = self.query_one("#notifications-message", Static)
        message.update(Content(text))
        message.set_class(error, "error")

    @property
    def chosen(self) -> NotificationLine | None:
        row = self.query_one(DataTable).cursor_row
        return self.lines[row] if self.lines and 0 <= row < len(self.lines) else None

    def action_resend(self) -> None:
        line = self.chosen
        if line is None:
            return
        if line.state != "uncertain":
            self.decide(line, "resend", "")
            return
        self.app.push_screen(Choose("该通知可能已经送达：请先与申请人核实，避免重复发送", list(RESEND_UNCERTAIN)),
                             lambda v: v and self.decide(line, "resend", "已与申请人核实未收到"))

    def action_close(self) -> None:
        line = self.chosen
        if line is None:
            return
        self.app.push_screen(AskText("不再发送的原因或已采取的办法", "如：已电话告知申请人",
                                     ("已电话告知申请人", "申请人到窗口时已当面告知"), "请写明原因"),
                             lambda note: note and self.decide(line, "close", note))

    def action_reload(self) -> None:
        self.say("正在读取……")
        self.load()

    @work(thread=True, exit_on_error=False, exclusive=True, group="central")
    def decide(self, line: NotificationLine, decision: str, note: str) -> tuple[list[NotificationLine], str]:
        after = self.desk.floor.decide_notification(self.staff, line.id, decision, note)
        done = "已重新排入发送" if decision == "resend" else "已标记为不再发送"
        return after, f"{line.acceptance_no or line.case_id}的{event_label(line.event)}{done}"

    def decide_done(self, result: tuple[list[NotificationLine], str]) -> None:
        self.show(*result)

    def decide_refused(self, error: UserFacingError) -> None:
        self.say(error.message, error=True)

    @work(thread=True, exit_on_error=False, exclusive=True, group="central")
    def load(self) -> list[NotificationLine]:
        return self.desk.floor.notifications(self.staff)

    def load_done(self, lines: list[NotificationLine]) -> None:
        self.show(lines)

    def load_refused(self, error: UserFacingError) -> None:
        self.say(error.message, error=True)

    def action_back(self) -> None:
        self.app.pop_screen()
