"""The live floor: where a supervisor lands after signing in, without sitting at a window.

Every window (who, state, since when, the ticket it holds, its lines), every line (waiting,
longest wait, estimate), counters out of touch, cases near or past their limits. It reads
the floor again every few seconds. On the selected window: F2 frees it (the clerk left),
F3 finishes, F4 requeues and F8 reassigns the ticket left there — each asks a reason and is
recorded as a mutation in the supervisor's name. F1 unlocks a locked account (on every
counter, clerk.floor.handlers); F12, on a counter enrolled with a central store, opens the
shift's notes and the signing (screens.supervisor.shift_sign). Ctrl+N asks the central store
for an enrolment code for a new counter and Ctrl+D lists the centre's enrolled counters
(screens.supervisor.enrol_code, screens.supervisor.devices); Ctrl+T lists the applicant
messages the central store could not settle alone (screens.supervisor.notifications). The
F-keys are all taken, and the keys wrap onto a second line (screens.widgets.key_bar) rather
than fall off the edge.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Header, Static

from clerk.clock import local_time
from clerk.errors import UserFacingError
from clerk.floor.view import Floor, FloorWindow
from clerk.queue.issuer import wait_text
from clerk.staff.auth import SignedIn
from clerk.sync.floor_protocol import DeviceLine, EnrolCodeResponse, NotificationLine
from screens.dialogs.ask import AskText, Choice, Choose
from screens.widgets.key_bar import KeyBar
from screens.widgets.sync_bar import SYNC_BINDINGS, SyncBar, SyncedScreen

REFRESH_SECONDS = 5
LEFT_REASONS = ("工作人员临时离岗", "工作人员已下班未签退", "窗口设备故障")


def minutes(delta: timedelta | None) -> str:
    return "—" if delta is None else f"{int(delta.total_seconds() // 60)} 分钟"


def since_text(at: datetime | None, now: datetime) -> str:
    return "" if at is None else f"{local_time(at):%H:%M} 起（{minutes(now - at)}）"


class FloorTable(DataTable):
    pass


class FloorScreen(SyncedScreen):
    SUB_TITLE = "现场"
    BINDINGS = [
        Binding("f2", "free", "释放窗口"),
        Binding("f3", "finish", "代为办结"),
        Binding("f4", "requeue", "重新排队"),
        Binding("f8", "reassign", "改派窗口"),
        Binding("f1", "unlock", "解锁账号"),
        Binding("f12", "shift_sign", "班次签名"),
        Binding("f11", "charts", "今日图表"),
        Binding("f7", "tidal", "潮汐窗口"),
        Binding("f9", "sit", "就座窗口"),
        Binding("f10", "sign_out", "签退"),
        Binding("ctrl+n", "enrol_code", "发放登记码"),
        Binding("ctrl+d", "devices", "本中心设备"),
        Binding("ctrl+t", "notifications", "通知待处理"),
        *SYNC_BINDINGS,
    ]

    def __init__(self, staff: SignedIn) -> None:
        super().__init__()
        self.staff = staff
        self.floor: Floor | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="floor"):
            # The table takes what the panels leave and scrolls inside itself: a county
            # hall's 26 windows must not push the lines and the cases off the screen.
            yield FloorTable(id="floor-windows", cursor_type="row", zebra_stripes=True)
            with Horizontal(id="floor-panels"):
                with VerticalScroll(id="floor-lines-box"):
                    yield Static(Content(""), id="floor-lines")
                with VerticalScroll(id="floor-side"):
                    yield Static(Content(""), id="floor-counters")
                    yield Static(Content(""), id="floor-cases")
        # Outside the floor's box: a long window list must never push the answer off screen.
        yield Static(Content(""), id="floor-message")
        # Fourteen keys do not fit one line at 100 columns (the Footer cut the last ones off):
        # they wrap, and the status line stacks above however many rows they take.
        with Vertical(id="floor-bottom"):
            yield SyncBar()
            yield KeyBar(wrap=True)

    def on_mount(self) -> None:
        table = self.query_one(FloorTable)
        for label, width in (("窗口", 5), ("工作人员", 10), ("状态", 8), ("号", 6), ("起始", 18), ("业务", 8)):
            table.add_column(label, width=width)
        table.focus()
        self.load()
        self.set_interval(REFRESH_SECONDS, self.load)

    # Its own group: a timer refresh must never cancel the supervisor's action.
    @work(thread=True, exit_on_error=False, exclusive=True, group="refresh")
    def load(self) -> Floor:
        return self.desk.floor.floor()

    def load_done(self, floor: Floor) -> None:
        self.show(floor)

    def show(self, floor: Floor) -> None:
        self.floor = floor
        table = self.query_one(FloorTable)
        row = table.cursor_row
        table.clear()
        for w in floor.windows:
            state = w.state_label + (f"（{w.paused_reason}）" if w.paused_reason else "")
            table.add_row(Text(f"{w.number}号"), Text(w.staff_name or "—"), Text(state), Text(w.ticket_number or ""),
                          Text(since_text(w.since, floor.at)), Text(" ".join(w.letters) or "—"), key=w.id)
        if floor.windows:
            table.move_cursor(row=min(max(row, 0), len(floor.windows) - 1))
        lines = [f"{x.letter} {x.name}：{x.waiting}人，最久 {minutes(x.longest)}，预计 {wait_text(x.estimate_minutes)}"
                 for x in floor.lines]
        self.query_one("#floor-lines", Static).update(Content("各业务等候\n" + ("\n".join(lines) or "无业务")))
        away = [f"{c.name} 自 {local_time(c.offline_since):%m-%d %H:%M} 离线（{c.detail}）"
                for c in floor.counters if c.offline_since is not None]
        self.query_one("#floor-counters", Static).update(Content("离线窗口机：" + ("；".join(away) or "无")))
        cases = [f"{'已超期' if c.urgency == 'past' else '临近'} {c.label} {c.deadline} · {c.item} · {c.handler}"
                 for c in floor.cases]
        head = "办件时限"
        if floor.cases_past + floor.cases_near > len(cases):
            head += f"（已超期 {floor.cases_past} 件，临近 {floor.cases_near} 件；列出最紧迫的 {len(cases)} 件）"
        self.query_one("#floor-cases", Static).update(Content(head + "\n" + ("\n".join(cases) or "无临近或超期办件")))

    def selected(self) -> FloorWindow | None:
        if self.floor is None:
            return None
        row = self.query_one(FloorTable).cursor_row
        return self.floor.windows[row] if 0 <= row < len(self.floor.windows) else None

    def say(self, text: str, error: bool = False) -> None:
        message = self.query_one("#floor-message", Static)
        message.update(Content(text))
        message.set_class(error, "error")

    def ask_reason(self, title: str, then: Callable[[str], None]) -> None:
        self.app.push_screen(AskText(title, "原因", LEFT_REASONS, required="请填写原因"),
                             lambda reason: then(reason) if reason else None)

    def action_free(self) -> None:
        w = self.selected()
        if w is None or not w.staff_name:
            self.say("所选窗口没有人就座", error=True)
            return
        self.ask_reason(f"释放{w.number}号窗口（{w.staff_name}）的原因",
                        lambda r: self.act(f"{w.number}号窗口已释放", self.desk.floor.free_window, w.id, r))

    def _held(self) -> FloorWindow | None:
        w = self.selected()
        if w is None or w.ticket_id is None:
            self.say("所选窗口没有办理中的号", error=True)
            return None
        return w

    def action_finish(self) -> None:
        if (w := self._held()) is not None:
            self.ask_reason(f"代为办结{w.number}号窗口的 {w.ticket_number} 号",
                            lambda r: self.act(f"{w.ticket_number} 号已办结", self.desk.floor.finish_ticket,
                                               w.ticket_id, r))

    def action_requeue(self) -> None:
        if (w := self._held()) is not None:
            self.ask_reason(f"{w.ticket_number} 号重新排队",
                            lambda r: self.act(f"{w.ticket_number} 号已重新排队", self.desk.floor.requeue_ticket,
                                               w.ticket_id, r))

    def action_reassign(self) -> None:
        if (w := self._held()) is None or self.floor is None:
            return
        others = [Choice(f"{x.number}号 {x.name}（{x.state_label}）", x) for x in self.floor.windows
                  if x.id != w.id and x.staff_name]

        def chosen(target: FloorWindow | None) -> None:
            if target is not None:
                self.ask_reason(f"{w.ticket_number} 号改派至{target.number}号窗口",
                                lambda r: self.act(f"{w.ticket_number} 号已改派至{target.number}号窗口",
                                                   self.desk.floor.reassign_ticket, w.ticket_id, target.id, r))

        if not others:
            self.say("没有其他有人就座的窗口可改派", error=True)
            return
        self.app.push_screen(Choose(f"{w.ticket_number} 号改派到哪个窗口？", others), chosen)

    @work(thread=True, exit_on_error=False)
    def act(self, done: str, action: Callable[..., None], *args: str) -> tuple[Floor, str]:
        action(self.staff, *args)
        return self.desk.floor.floor(), done

    def act_done(self, result: tuple[Floor, str]) -> None:
        self.show(result[0])
        self.say(result[1])

    def act_refused(self, error: UserFacingError) -> None:
        self.say(error.message, error=True)

    def action_unlock(self) -> None:
        self.accounts()

    @work(thread=True, exit_on_error=False, exclusive=True)
    def accounts(self) -> list[tuple[str, str]]:
        return self.desk.floor.accounts()

    def accounts_done(self, found: list[tuple[str, str]]) -> None:
        def chosen(username: str | None) -> None:
            if username:
                self.ask_reason(f"解锁账号 {username} 的原因",
                                lambda r: self.act(f"账号 {username} 已解锁（各窗口机同步后生效）",
                                                   self.desk.floor.unlock_account, username, r))

        self.app.push_screen(Choose("解锁哪个账号？", [Choice(label, name) for name, label in found]), chosen)

    def action_shift_sign(self) -> None:
        if not self.desk.sync_configured:
            self.say("本机未接入中心库：班次签名须在已登记到中心库的窗口机上进行", error=True)
            return
        from screens.supervisor.shift_sign import ShiftSignScreen

        self.app.push_screen(ShiftSignScreen(self.staff))

    def action_enrol_code(self) -> None:
        self.say("正在向中心库申请登记码……")
        self.issue_code()

    # Its own group: the timer's floor refresh and an act() must not cancel it, nor it them.
    @work(thread=True, exit_on_error=False, exclusive=True, group="central")
    def issue_code(self) -> tuple[EnrolCodeResponse, float, str]:
        hours = self.desk.settings.central.enrol_code_hours
        floor = self.desk.floor
        return floor.enrol_code(self.staff, hours), hours, floor.central_url

    def issue_code_done(self, result: tuple[EnrolCodeResponse, float, str]) -> None:
        from screens.supervisor.enrol_code import EnrolCodeDialog

        issued, hours, url = result
        self.say(f"已发放登记码，{local_time(issued.expires_at):%m-%d %H:%M} 前有效")
        self.app.push_screen(EnrolCodeDialog(issued.code, issued.expires_at, hours, url))

    def issue_code_refused(self, error: UserFacingError) -> None:
        self.say(error.message, error=True)

    def action_devices(self) -> None:
        self.say("正在读取本中心设备……")
        self.load_devices()

    @work(thread=True, exit_on_error=False, exclusive=True, group="central")
    def load_devices(self) -> tuple[list[DeviceLine], str]:
        floor = self.desk.floor
        return floor.devices(self.staff), floor.own_device_id()

    def load_devices_done(self, result: tuple[list[DeviceLine], str]) -> None:
        from screens.supervisor.devices import DevicesScreen

        self.say("")
        self.app.push_screen(DevicesScreen(*result))

    def load_devices_refused(self, error: UserFacingError) -> None:
        self.say(error.message, error=True)

    def action_notifications(self) -> None:
        self.say("正在读取待处理的申请人通知……")
        self.load_notifications()

    @work(thread=True, exit_on_error=False, exclusive=True, group="central")
    def load_notifications(self) -> list[NotificationLine]:
        return self.desk.floor.notifications(self.staff)

    def load_notifications_done(self, lines: list[NotificationLine]) -> None:
        from screens.supervisor.notifications import NotificationsScreen

        self.say("")
        self.app.push_screen(NotificationsScreen(self.staff, lines))

    def load_notifications_refused(self, error: UserFacingError) -> None:
        self.say(error.message, error=True)

    def action_tidal(self) -> None:
        from screens.queue.tidal import TidalScreen

        self.app.push_screen(TidalScreen(self.staff))

    def action_charts(self) -> None:
        from screens.supervisor.charts import ChartsScreen

        self.app.push_screen(ChartsScreen(self.staff))

    def action_sit(self) -> None:
        from screens.start.windows import WindowScreen

        self.app.switch_screen(WindowScreen(self.staff))

    def action_sign_out(self) -> None:
        self.sign_out()

    @work(thread=True, exit_on_error=False, exclusive=True)
    def sign_out(self) -> None:
        self.desk.sign_out(self.staff)

    def sign_out_done(self, _result: None) -> None:
        from screens.start.sign_in import SignInScreen

        self.app.switch_screen(SignInScreen())
