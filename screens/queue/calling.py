"""The calling screen 叫号: the clerk's main screen at a window that serves lines.

One F-key per action, shown in the footer only when it applies (check_action hides the
rest, so 80 columns hold them): F1 叫号 · F2 指定叫号 · F3 重呼 · F4 过号 · F7 开始办理 ·
F8 办结 · F9 转移 · F11 暂挂/回叫 · F12 登记取号 · F10 暂停/恢复窗口 · Esc 主页, plus F5/F6.

Every action runs in one thread worker, serialised by a lock, and returns the window's
fresh read model, so the screen always shows what the store holds after the action.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Digits, Header, Static

from clerk.clock import local_today
from clerk.desk import Seat
from clerk.errors import UserFacingError
from clerk.queue.policy import GREEN_REASONS
from clerk.queue.views import DeskView, rescaled
from clerk.staff.auth import SignedIn
from screens.dialogs.ask import AskText, Choice, Choose
from screens.queue import calling_view as show
from screens.queue.transfer_dialog import TransferDialog, TransferTo, transfer_choices
from screens.widgets.key_bar import KeyBar
from screens.widgets.sync_bar import SYNC_BINDINGS, SyncBar, SyncedScreen

REFRESH_SECONDS = 5
"""New kiosk tickets and waited minutes show up this often without a key press."""
FULL_REFRESH_DELAY = 0.3
PENDING_NOTE = "（离线叫号，待中心库确认）"
PAUSE_REASONS = ("午间休息", "临时离开", "系统故障", "业务培训")
PARK_REASONS = ("回去取材料", "等待复印", "等待其他部门答复")
HOLDING = ("recall", "no_show", "start", "finish", "transfer", "park")


@dataclass(frozen=True)
class Outcome:
    """What an action did (a line for the clerk) and the window as it is now."""

    message: str
    view: DeskView
    seq: int


class CallingScreen(SyncedScreen):
    """叫号 at the clerk's window (see the module docstring for the keys)."""

    BINDINGS = [
        Binding("f1", "call_next", "叫号"),
        Binding("f2", "call_number", "指定"),
        Binding("f3", "recall", "重呼"),
        Binding("f4", "no_show", "过号"),
        Binding("f7", "start", "开始"),
        Binding("f8", "finish", "办结"),
        Binding("f9", "transfer", "转移"),
        Binding("f11", "park", "暂挂"),
        Binding("f11", "callback", "回叫"),
        Binding("f12", "walk_in", "登记"),
        Binding("ctrl+n", "open_case", "收件"),
        Binding("f10", "pause", "暂停"),
        Binding("f10", "resume_window", "恢复"),
        Binding("escape", "home", "主页"),
        # F5 works as everywhere, but the footer has no room for it (the status line shows
        # the sync state); F6 shows when there are conflicts to look at.
        Binding("f5", "force_sync", "立即同步", show=False),
        *[b for b in SYNC_BINDINGS if b.key != "f5"],
    ]

    def __init__(self, staff: SignedIn, seat: Seat) -> None:
        super().__init__()
        self.staff = staff
        self.last_served = None
        self.seat = seat
        self.view: DeskView | None = None
        self._after: Outcome | None = None
        self._lock = threading.Lock()
        self._read_seq = 0
        """Counts reads of the store (under the lock), so an older read never replaces a newer."""
        self._shown_seq = -1
        self._called: tuple[str, str, bool] | None = None
        """The call this window made and shows: ticket id, number, and whether it was tentative."""
        """(ticket id, number) of the call the message line is about; None once another action spoke."""
        self._lunch: tuple[date, str] | None = None
        """Today's lunch note for this window (午间值守 or 午休), read once a day."""
        self._keys: tuple[bool | None, ...] = ()
        """What check_action said for each binding when the key line was last refreshed."""
        self.sub_title = f"{seat.window.number}号窗口 · 叫号"

    @property
    def window_id(self) -> str:
        return self.seat.window.id

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="calling"):
            with Horizontal(id="current", classes="panel"):
                yield Digits("----", id="current-digits")
                with Vertical(id="current-text"):
                    yield Static(show.current_number(None), id="current-number")
                    yield Static(Content("……"), id="current-detail")
            yield Static(Content(""), id="call-message")
            yield Static(Content(""), id="window-state")
            yield Static(Content(""), id="line-summary")
            yield Static(Content(""), id="waiting-title", classes="section-title")
            yield Static(Content(""), id="waiting-list")
        yield SyncBar()
        yield KeyBar()  # not Footer: see screens.widgets.key_bar

    def on_mount(self) -> None:
        self.load()
        self.set_interval(REFRESH_SECONDS, self.load)

    # -- reading and showing ------------------------------------------------------

    # Its own group: ``exclusive`` cancels every worker of the group, and a timer refresh
    # must never cancel the clerk's action.
    @work(thread=True, exit_on_error=False, exclusive=True, group="refresh")
    def load(self) -> Outcome:
        # Only the number is taken under the lock, not the read: a key pressed during a
        # timer refresh must not wait for it. The number is taken before the read starts and
        # an action takes its own after it commits, so a read numbered below an action saw
        # at most that action's commit and never replaces it on screen (see show_view).
        with self._lock:
            self._read_seq += 1
            seq = self._read_seq
        called = self._called
        self._read_lunch()
        view = self.desk.queue.view(self.window_id)
        message = self._call_message(called, self._standing(called)) if called else ""
        return Outcome(message, view, seq)

    def load_done(self, outcome: Outcome) -> None:
        self.show_view(outcome.view, outcome.seq)
        if outcome.message and self._called is not None:  # the call's message, as the call stands now
            self.say(outcome.message, error=outcome.message.startswith("未叫到"))

    def _read_lunch(self) -> None:
        # The hours change with the day (the rota may differ by weekday), not by the minute.
        today = local_today(self.clerk_app.clock)
        if self._lunch is None or self._lunch[0] != today:
            self._lunch = (today, self.desk.queue.lunch_note(self.seat.window.number))

    def _standing(self, called: tuple[str, str, bool]) -> str:
        """Where the shown call stands now. A call the central store made itself is confirmed
        even while its local record waits in the outbox; only a tentative one can be pending."""
        ticket_id, _number, tentative = called
        standing = self.desk.queue.call_standing(ticket_id, self.window_id)
        return "confirmed" if standing == "pending" and not tentative else standing

    def _call_message(self, called: tuple[str, str, bool], standing: str) -> str:
        """The message line after a call follows it: confirmed, still pending, or lost to
        another window (the losing window must not go on saying it calls the ticket).
        The call itself and every refresh write it through here, so the words never flip."""
        _ticket_id, number, _tentative = called
        here = self.seat.window.number
        if standing == "lost":
            return f"未叫到 {number} 号：中心库已将它交给其他窗口（按 F6 查看），请叫下一位"
        if standing == "pending":
            return f"请 {number} 号到 {here} 号窗口办理{PENDING_NOTE}"
        return f"请 {number} 号到 {here} 号窗口办理"

    def show_view(self, view: DeskView, seq: int) -> None:
        if seq < self._shown_seq:
            return  # a slower read from before the last action: it would show a stale desk
        self._shown_seq = seq
        self.view = view
        now = self.clerk_app.clock.now()
        digits = self.query_one("#current-digits", Digits)
        if digits.value != (number := show.digits(view.current)):
            digits.update(number)
        self._set("#current-number", show.current_number(view.current))
        self._set("#current-detail", show.current_detail(view.current, now))
        self._set("#window-state", show.window_state(self.seat.window.number, view, self._lunch[1] if self._lunch else ""))
        self._set("#line-summary", show.line_summary(view.lines))
        self._set("#waiting-title", show.waiting_title(view))
        listing = self.query_one("#waiting-list", Static)
        rows = max((listing.size.height or len(view.head)), 1)
        self._set("#waiting-list", show.queue_lines(view.head, now, rows))
        self._refresh_keys()

    def _set(self, selector: str, content: Content) -> None:
        # Every text widget here has a fixed height (clerk.tcss), so an update needs no
        # layout pass; one that would show the same text and styles is skipped, so a frame
        # redraws only what changed (a timer refresh often changes nothing).
        widget = self.query_one(selector, Static)
        shown = widget.content
        if not (isinstance(shown, Content) and shown.is_same(content)):
            widget.update(content, layout=False)

    def _refresh_keys(self) -> None:
        # Every listener of refresh_bindings reads all bindings again: ask only when a key
        # comes or goes, not on every refresh of the view.
        keys = tuple(self.check_action(b.action, ()) for b in self.BINDINGS)
        if keys != self._keys:
            self._keys = keys
            self.refresh_bindings()

    def say(self, text: str, error: bool = False) -> None:
        message = self.query_one("#call-message", Static)
        message.update(Content(text), layout=False)
        message.set_class(error, "error")

    # -- the one worker every action goes through ----------------------------------

    @work(thread=True, exit_on_error=False)
    def act(self, run: Callable[[], str]) -> Outcome:
        with self._lock:
            try:
                message = run()
            finally:
                # Refused or not, the screen must show what the store holds now. The line
                # waits are an estimate: the timer refreshes them, a key press need not.
                self._read_seq += 1
                self._after = Outcome("", self._light_view(), self._read_seq)
            return replace(self._after, message=message)

    def _light_view(self) -> DeskView:
        view = self.desk.queue.view(self.window_id, with_lines=False)
        known = self.view.lines if self.view is not None else []
        return replace(view, lines=rescaled(view.lines, known))

    def act_done(self, outcome: Outcome) -> None:
        self.show_view(outcome.view, outcome.seq)
        self.say(outcome.message)
        current = outcome.view.current
        called = current is not None and current.status == "called" and current.number in outcome.message
        tentative = outcome.message.endswith(PENDING_NOTE)
        self._called = (current.id, current.number, tentative) if called and outcome.message.startswith("请 ") else None
        # Then the full view with fresh wait estimates, once this frame is drawn: the
        # clerk's next key matters more than the estimate.
        self.set_timer(FULL_REFRESH_DELAY, self.load)

    def act_refused(self, error: UserFacingError) -> None:
        self._called = None
        if self._after is not None:
            self.show_view(self._after.view, self._after.seq)
        self.say(error.message, error=True)

    # -- which keys apply now --------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        view = self.view
        if view is None or action in ("home", "walk_in", "force_sync", "conflicts"):
            return super().check_action(action, parameters)
        paused = view.paused_reason is not None
        holding = view.current is not None
        if action in ("call_next", "call_number"):
            return not holding  # while paused the key answers why it does not call
        if action in HOLDING:
            if action in ("recall", "no_show", "start"):
                return holding and view.current.status == "called"
            return holding
        if action == "open_case":
            return holding
        if action == "callback":
            return not holding and not paused and bool(view.parked)
        if action == "pause":
            return not paused and not holding  # finish or hand on the visitor first
        if action == "resume_window":
            return paused
        return True

    # -- actions -------------------------------------------------------------------

    def _paused_says_why(self) -> bool:
        reason = self.view.paused_reason if self.view else None
        if reason is not None:
            self.say(f"窗口已暂停（{reason}），先按 F10 恢复再叫号", error=True)
        return reason is not None

    def action_call_next(self) -> None:
        if self._paused_says_why():
            return
        q, w, s = self.desk.queue, self.window_id, self.staff.staff_id

        def run() -> str:
            called = q.call_next(w, s)
            if called is None:
                return "没有人等候本窗口的业务。"
            return self._call_message((called.ticket_id, called.number, called.tentative),
                                      "pending" if called.tentative else "confirmed")

        self.act(run)

    def action_call_number(self) -> None:
        if self._paused_says_why():
            return

        def asked(number: str | None) -> None:
            if number:
                q, w, s = self.desk.queue, self.window_id, self.staff.staff_id
                self.act(lambda: f"请 {q.call_number(number, w, s).number} 号到 {self.seat.window.number} 号窗口办理")

        self.app.push_screen(AskText("指定叫号", "输入号码，如 A023"), asked)

    def _on_current(self, action: str, message: str, **extra) -> None:
        current = self.view.current if self.view else None
        if current is None:
            return
        q, w, s = self.desk.queue, self.window_id, self.staff.staff_id

        def run() -> str:
            q.act(action, current, w, s, **extra)
            return message.format(number=current.number)

        self.act(run)

    def action_recall(self) -> None:
        self._on_current("recall", "已重呼 {number} 号")

    def action_no_show(self) -> None:
        current = self.view.current if self.view else None
        if current is None:
            return
        q, w, s = self.desk.queue, self.window_id, self.staff.staff_id

        def run() -> str:
            status = q.act("no_show", current, w, s)
            if status == "waiting":
                return f"{current.number} 号未到，已重新排队"
            return f"{current.number} 号未到，已过号"

        self.act(run)

    def action_start(self) -> None:
        self._on_current("start", "{number} 号开始办理")

    def action_finish(self) -> None:
        self.last_served = self.view.current if self.view else None  # what Ctrl+R asks the visitor to rate
        self._on_current("finish", "{number} 号已办结（Ctrl+R 邀请评价）")

    def action_park(self) -> None:
        def asked(reason: str | None) -> None:
            if reason:
                self._on_current("park", "{number} 号已暂挂，可按 F11 回叫", reason=reason)

        self.app.push_screen(AskText("暂挂原因", "如：回去取材料", PARK_REASONS), asked)

    def action_callback(self) -> None:
        parked = self.view.parked if self.view else []
        choices = [Choice(f"{r.number}  {r.priority_label}", r) for r in parked]

        def chosen(row) -> None:
            if row is not None:
                q, w, s = self.desk.queue, self.window_id, self.staff.staff_id
                self.act(lambda: (q.resume_parked(row.id, w, s), f"已回叫 {row.number} 号")[1])

        self.app.push_screen(Choose("回叫暂挂的号", choices), chosen)

    def action_transfer(self) -> None:
        self.transfer_targets()

    @work(thread=True, exit_on_error=False)
    def transfer_targets(self) -> list[Choice]:
        here = self.view.current.line_id if self.view and self.view.current else ""
        return transfer_choices(self.desk.queue, here, self.window_id)

    def transfer_targets_done(self, targets: list[Choice]) -> None:
        current = self.view.current if self.view else None
        if current is None:
            return

        def chosen(to: TransferTo | None) -> None:
            if to is not None:
                self._on_current(
                    "transfer", "{number} 号已转移（号码不变）",
                    to_line_id=to.line_id, to_window_id=to.window_id, reason=to.reason,
                )

        self.app.push_screen(TransferDialog(current.number, targets), chosen)

    def action_pause(self) -> None:
        def asked(reason: str | None) -> None:
            if reason:
                q, w, s = self.desk.queue, self.window_id, self.staff.staff_id
                self.act(lambda: (q.pause(w, reason, s), f"窗口已暂停：{reason}")[1])

        self.app.push_screen(AskText("暂停窗口的原因", "如：午间休息", PAUSE_REASONS, "请填写暂停原因"), asked)

    def action_resume_window(self) -> None:
        q, w, s = self.desk.queue, self.window_id, self.staff.staff_id
        self.act(lambda: (q.resume_window(w, s), "窗口已恢复叫号")[1])

    def action_walk_in(self) -> None:
        self.walk_in_lines()

    @work(thread=True, exit_on_error=False)
    def walk_in_lines(self) -> list[Choice]:
        lines = self.desk.queue.lines()
        return [Choice(f"{x.letter} {x.name}（{x.waiting}人等候）", x.id) for x in lines if x.mapped]

    def walk_in_lines_done(self, lines: list[Choice]) -> None:
        def line_chosen(line_id: str | None) -> None:
            if line_id is not None:
                self.app.push_screen(Choose("优先类别", PRIORITY_CHOICES), lambda r: issue(line_id, r))

        def issue(line_id: str, reason: str | None) -> None:
            if reason is None:
                return
            q, s = self.desk.queue, self.staff.staff_id

            def run() -> str:
                issued = q.issue(line_id, reason, source="walk_in", staff_id=s)
                return f"已登记 {issued.result.number} 号（{issued.result.line_name}）：{issued.printed.message}"

            self.act(run)

        self.app.push_screen(Choose("登记取号：选择业务", lines), line_chosen)

    def action_open_case(self) -> None:
        from screens.cases.keys import Intake, start_intake

        current = self.view.current if self.view else None
        if current is not None:
            start_intake(self, Intake(self.staff, self.window_id, current.id, current.number))

    def action_home(self) -> None:
        from screens.start.home import HomeScreen

        self.app.switch_screen(HomeScreen(self.staff, self.seat))


PRIORITY_CHOICES = [Choice("普通", ""), *[Choice(f"绿色通道 · {label}", code) for code, label in GREEN_REASONS.items()]]
