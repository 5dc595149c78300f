"""The self-service kiosk 自助取号 (``clerk kiosk``): its own App, built by :func:`make_kiosk_app`.

Large buttons for touch (mouse clicks work) and the keyboard: digits pick the n-th
button, arrows move, Enter presses. Steps: service line → priority (or an appointment
code) → confirmation → the ticket on screen for a few seconds while it prints. A
:class:`IssueGuard` keeps repeated presses from printing a pile of tickets.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from textual import events, on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Center, Grid, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Digits, Input, Static

from clerk.booking.codes import UNKNOWN_CODE, looks_valid, normalise
from clerk.clock import Clock, SystemClock
from clerk.config import Settings
from clerk.desk import Desk, open_desk
from clerk.errors import UserFacingError
from clerk.queue.debounce import IssueGuard
from clerk.queue.desk import Issued
from clerk.queue.issuer import TicketPrinter, wait_text
from clerk.queue.policy import GREEN_REASONS
from clerk.queue.tidal import LineLoad
from clerk.store.engine import Store
from screens.widgets.inputs import ClerkInput

log = logging.getLogger(__name__)

PRINTED = "已打印，请取走小票"
NOT_PRINTED = "暂时无法打印小票，请记下您的号码，到服务台领取"
"""What a visitor reads; why the printer failed is for staff (the log), not for citizens."""

SHOW_SECONDS = 8.0
"""How long the issued ticket stays on screen before the kiosk starts over."""
IDLE_SECONDS = 60.0
"""A half-finished choice is abandoned after this long without a key or a touch."""
DEAF_SECONDS = 2.0
"""After the kiosk starts over by itself, keys are dropped this long: a visitor who was
typing must not have the rest of their digits land on a screen they did not see."""


class KioskApp(App):
    """自助取号机. One per kiosk PC; writes tickets to the local store (synced like a counter)."""

    TITLE = "自助取号"
    CSS_PATH = "kiosk.tcss"
    BINDINGS = [Binding("ctrl+q", "quit", "退出", show=False, priority=True)]

    def __init__(
        self, settings: Settings, store: Store | None, clock: Clock, *, print_ticket: TicketPrinter | None,
        cursor_blink: bool = True, show_seconds: float = SHOW_SECONDS, guard: IssueGuard | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.store = store
        self.clock = clock
        self.print_ticket = print_ticket
        self.cursor_blink = cursor_blink
        self.show_seconds = show_seconds
        self.guard = guard or IssueGuard()
        self.desk: Desk | None = None
        self.idle_seconds = IDLE_SECONDS
        self.last_input: datetime = clock.now()
        self.deaf_until: datetime | None = None
        self.notice_once = ""
        """Said once on the first screen when it shows next (the thanks after a rating)."""

    def on_mount(self) -> None:
        self.push_screen(LinesScreen())
        self.open_store()
        self.set_interval(1.0, self.check_idle)

    async def on_event(self, event: events.Event) -> None:
        # Every key and touch reaches the App first: the visitor's own idleness is measured
        # here, not the age of the screen.
        if isinstance(event, (events.Key, events.MouseDown)):
            now = self.clock.now()
            if self.deaf_until is not None and now < self.deaf_until:
                event.prevent_default()
                event.stop()
                return  # dropped: the screen changed under the visitor's fingers
            self.deaf_until = None
            self.last_input = now
        await super().on_event(event)

    def check_idle(self) -> None:
        """Start over once the visitor has touched nothing for ``idle_seconds``."""
        if len(self.screen_stack) < 2 or isinstance(self.screen, TicketScreen):
            return  # the ticket screen has its own timer
        if len(self.screen_stack) <= 2 and not (isinstance(self.screen, LinesScreen) and self.screen.page):
            return  # the welcome screen on its first page has nothing to abandon
        now = self.clock.now()
        if now - self.last_input >= timedelta(seconds=self.idle_seconds):
            self.start_over()
            self.deaf_until = now + timedelta(seconds=DEAF_SECONDS)

    @work(thread=True, exit_on_error=False)
    def open_store(self) -> Desk:
        opened = open_desk(self.settings, self.clock, self.store)
        opened.desk.use_queue(printer=self.print_ticket)
        opened.desk.start_sync()  # online, tickets are numbered by the central store
        return opened.desk

    def on_unmount(self) -> None:
        if self.desk is not None:
            self.desk.stop_sync()

    def on_worker_state_changed(self, event) -> None:
        if event.worker.name != "open_store" or not event.worker.is_finished:
            return
        if event.worker.error is not None:
            error = event.worker.error
            text = error.message if isinstance(error, UserFacingError) else "取号机无法打开数据库，请联系工作人员"
            self.screen.query_one("#kiosk-message", Static).update(Content(text))
            return
        self.desk = event.worker.result
        self.store = self.desk.store
        if isinstance(self.screen, LinesScreen):
            self.screen.load()

    def start_over(self) -> None:
        """Back to the first step (after a ticket, a cancel, or an idle timeout), its first page."""
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if isinstance(self.screen, LinesScreen) and self.screen.page:
            self.screen.page = 0
            self.screen.load()


class KioskScreen(Screen):
    """A step of the kiosk: digits press the n-th button, arrows move between buttons."""

    BINDINGS = [
        Binding("up,left", "app.focus_previous", show=False),
        Binding("down,right", "app.focus_next", show=False),
        Binding("escape", "back", show=False),
    ]

    DIGITS_PRESS = True
    """Digits press the n-th button (off on the ticket screen, which ignores keys)."""

    @property
    def kiosk(self) -> KioskApp:
        return self.app  # type: ignore[return-value]

    def on_key(self, event) -> None:
        if self.DIGITS_PRESS and event.character and event.character.isdigit():
            buttons = [b for b in self.query(Button) if b.display and not b.disabled]
            index = (int(event.character) - 1) % 10  # 1–9, then 0 for the tenth
            if index < len(buttons) and not isinstance(self.focused, Input):
                event.stop()
                buttons[index].press()

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()

    def say(self, text: str) -> None:
        self.query_one("#kiosk-message", Static).update(Content(text))



NOT_OPEN = "窗口暂未开放，开放后按号叫号"
RATE = "rate"
MORE = "more"
LINES_PER_PAGE = 9
RATE_KEY = "*"
"""评价服务 answers to * on the keypad (the digits stay the lines', 1–9 then 0) and to a touch."""


def kiosk_wait(minutes: float) -> str:
    """A visitor reads "no window serves it" as "go away": before clerks sit down, say so."""
    return "窗口暂未开放" if minutes < 0 else wait_text(minutes)


def choice_button(n: int, title: str, detail: str, value: str, variant: str = "default") -> Button:
    n = n % 10  # the tenth button answers to 0
    button = Button(Content(f"{n}  {title}\n{detail}" if detail else f"{n}  {title}"), variant=variant, name=value)
    button.add_class("kiosk-choice")
    return button


class LinesScreen(KioskScreen):
    """Step 1: the service lines with their queue and wait."""

    def compose(self) -> ComposeResult:
        with Vertical(id="kiosk"):
            yield Static(Content("欢迎！请选择要办理的业务"), id="kiosk-title")
            yield Grid(id="kiosk-lines")
            yield Static(Content("正在准备，请稍候……"), id="kiosk-message")

    def load(self) -> None:
        if self.kiosk.desk is not None:
            self.read_lines()

    @work(thread=True, exit_on_error=False, exclusive=True)
    def read_lines(self) -> tuple[list[LineLoad], str]:
        queue = self.kiosk.desk.queue
        return queue.lines(), queue.hours_line()

    @work(thread=True, exit_on_error=False, exclusive=True)
    def check_hours(self, line: LineLoad) -> tuple[LineLoad, str | None]:
        """Refuse a closed line at once, unless a booked visitor may still check in (早晚弹性)."""
        queue = self.kiosk.desk.queue
        closed = queue.kiosk_refusal(line.id)
        if closed is not None and queue.kiosk_refusal(line.id, "appointment") is None:
            closed = None  # the next step takes the appointment code; ticket.issue checks again
        return line, closed

    def on_worker_state_changed(self, event) -> None:
        if not event.worker.is_finished or event.worker.result is None:
            return
        if event.worker.name == "read_lines":
            lines, hours = event.worker.result
            self.query_one("#kiosk-title", Static).update(Content("欢迎！请选择要办理的业务" + (f"\n{hours}" if hours else "")))
            self.show_lines(lines)
        elif event.worker.name == "check_hours":
            line, closed = event.worker.result
            if self.app.screen is not self:
                return  # a held key: the first answer already moved on
            if closed is None:
                self.app.push_screen(PriorityScreen(line))
            else:
                self.say(closed)

    page = 0
    """Which page of lines shows, when a centre has more than ten (the tenth key pages)."""

    def show_lines(self, lines: list[LineLoad]) -> None:
        grid = self.query_one("#kiosk-lines", Grid)
        grid.remove_children()
        served = [x for x in lines if x.mapped]
        self.lines = {x.id: x for x in served}
        self.all_lines = lines
        shown, more = self._page_of(served)
        rate = Button(Content(f"{RATE_KEY}  评价服务\n办完业务，请为我们的服务评价"), variant="warning", name=RATE)
        rate.add_class("kiosk-choice")
        grid.mount_all([
            *(choice_button(i, f"{x.letter} {x.name}", f"等候 {x.waiting} 人 · {kiosk_wait(x.wait_minutes)}", x.id)
              for i, x in enumerate(shown, 1)),
            *([more] if more else []),
            rate,
        ])
        notice, self.kiosk.notice_once = self.kiosk.notice_once, ""
        self.say(notice or ("触摸按钮，或按数字键选择" if served else "暂无可取号的业务，请到服务台咨询"))
        if served:
            self.call_after_refresh(self.focus_next)

    def _page_of(self, served: list[LineLoad]) -> tuple[list[LineLoad], Button | None]:
        """Ten lines fit the ten keys; more run on pages of nine, the tenth key (0) turning
        the page — every line of the hall can be chosen, by key as by touch."""
        if len(served) <= 10:
            self.page = 0
            return served, None
        pages = -(-len(served) // LINES_PER_PAGE)
        self.page %= pages
        start = self.page * LINES_PER_PAGE
        more = choice_button(10, "更多业务", f"第 {self.page + 1}/{pages} 页，按 0 翻页", MORE, "primary")
        return served[start:start + LINES_PER_PAGE], more

    def on_screen_resume(self) -> None:
        self.load()

    def on_key(self, event) -> None:
        # Not super().on_key: Textual itself calls KioskScreen's on_key too (every class in
        # the MRO), and calling it again pressed a digit's button twice (0 turned the page
        # forward and back).
        if event.character == RATE_KEY:
            event.stop()
            self._rate()

    def _rate(self) -> None:
        from screens.queue.kiosk_rating import RateNumberScreen

        self.app.push_screen(RateNumberScreen())

    @on(Button.Pressed)
    def _line(self, event: Button.Pressed) -> None:
        if event.button.name == RATE:
            self._rate()
            return
        if event.button.name == MORE:
            self.page += 1
            self.show_lines(self.all_lines)
            return
        line = self.lines.get(event.button.name or "")
        if line is not None:
            self.check_hours(line)


PRIORITIES = [("", "普通取号", ""), *[(code, label, "绿色通道 · 依法优先") for code, label in GREEN_REASONS.items()]]


class PriorityScreen(KioskScreen):
    """Step 2: normal, a 绿色通道 reason, or an appointment code."""

    def __init__(self, line: LineLoad) -> None:
        super().__init__()
        self.line = line

    def compose(self) -> ComposeResult:
        with Vertical(id="kiosk"):
            yield Static(Content(f"{self.line.letter} {self.line.name}：请选择"), id="kiosk-title")
            with Grid(id="kiosk-choices"):
                for i, (code, label, detail) in enumerate(PRIORITIES, 1):
                    yield choice_button(i, label, detail, f"p:{code}", "primary" if not code else "success")
                yield choice_button(len(PRIORITIES) + 1, "预约取号", "输入预约码", "code")
                yield choice_button(len(PRIORITIES) + 2, "返回", "", "back", "error")
            yield Static(Content("绿色通道：老年人、残疾人、孕妇、军人及退役军人依法优先"), id="kiosk-message")

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    @on(Button.Pressed)
    def _chosen(self, event: Button.Pressed) -> None:
        name = event.button.name or ""
        if name == "back":
            self.app.pop_screen()
        elif name == "code":
            self.app.push_screen(CodeScreen(self.line))
        elif name.startswith("p:"):
            self.app.push_screen(ConfirmScreen(self.line, name[2:], ""))


class CodeScreen(KioskScreen):
    """Appointment check-in: the 10-character code from the booking slip or SMS."""

    def __init__(self, line: LineLoad) -> None:
        super().__init__()
        self.line = line

    def compose(self) -> ComposeResult:
        with Vertical(id="kiosk"):
            yield Static(Content(f"{self.line.letter} {self.line.name}：请输入预约码"), id="kiosk-title")
            yield ClerkInput(placeholder="10 位预约码（如 ABCDE-FGHJK）", id="kiosk-code", max_length=24)
            with Grid(id="kiosk-choices"):
                yield choice_button(1, "确认", "", "ok", "primary")
                yield choice_button(2, "返回", "", "back", "error")
            yield Static(Content("输入后按回车或触摸“确认”"), id="kiosk-message")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self._ok()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.name == "back":
            self.app.pop_screen()
        else:
            self._ok()

    def _ok(self) -> None:
        code = normalise(self.query_one(Input).value)  # spaces, dashes and lower case are fine
        if not looks_valid(code):  # a typo is told at once; whether it is booked, the store says
            self.say(UNKNOWN_CODE)
            self.query_one(Input).value = ""
            return
        self.app.push_screen(ConfirmScreen(self.line, "", code))


class ConfirmScreen(KioskScreen):
    """Step 3: one more touch before anything prints."""

    def __init__(self, line: LineLoad, reason: str, code: str) -> None:
        super().__init__()
        self.line, self.reason, self.code = line, reason, code
        self.busy = False

    def compose(self) -> ComposeResult:
        kind = f"绿色通道（{GREEN_REASONS[self.reason]}）" if self.reason else ("预约" if self.code else "普通")
        with Vertical(id="kiosk"):
            yield Static(Content(f"确认取号：{self.line.letter} {self.line.name} · {kind}"), id="kiosk-title")
            with Grid(id="kiosk-choices"):
                yield choice_button(1, "确认取号", f"等候 {self.line.waiting} 人", "ok", "success")
                yield choice_button(2, "返回", "", "back", "error")
            yield Static(Content("绿色通道请向工作人员出示相关证件" if self.reason else ""), id="kiosk-message")

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    @property
    def _guarded(self) -> str:
        # A check-in is one booked visitor's: guarded by their code, so the next booked
        # visitor on the same button is not told they "just took" someone else's number.
        return f"code:{self.code}" if self.code else self.line.id

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.name == "back":
            self.app.pop_screen()
            return
        if self.busy:
            return  # a ticket is printing; more presses do nothing
        refusal = self.kiosk.guard.refusal(self._guarded, self.kiosk.clock.now())
        if refusal:
            self.say(refusal)
            return
        self.busy = True
        self.say("正在出票……")
        self.issue()

    @work(thread=True, exit_on_error=False, exclusive=True)
    def issue(self) -> Issued:
        return self.kiosk.desk.queue.issue(self.line.id, self.reason, self.code, source="kiosk")

    def on_worker_state_changed(self, event) -> None:
        worker = event.worker
        if worker.name != "issue" or not worker.is_finished:
            return
        self.busy = False
        if worker.error is not None:
            error = worker.error
            self.say(error.message if isinstance(error, UserFacingError) else "取号失败，请联系工作人员")
            if not isinstance(error, UserFacingError):
                self.log.error(repr(error))
            return
        issued: Issued = worker.result
        self.kiosk.guard.record(self._guarded, issued.result.number, self.kiosk.clock.now())
        self.app.push_screen(TicketScreen(issued))


class TicketScreen(KioskScreen):
    """The ticket as printed, shown for a few seconds; keys do nothing here (a touch on 完成 does)."""

    DIGITS_PRESS = False

    def __init__(self, issued: Issued) -> None:
        super().__init__()
        self.issued = issued

    def compose(self) -> ComposeResult:
        slip, printed = self.issued.slip, self.issued.printed
        with Vertical(id="kiosk", classes="ticket"):
            yield Static(Content(f"{slip.line_name} · 您的号码"), id="kiosk-title")
            if all(ch in "0123456789ABCDEF" for ch in slip.number):
                yield Digits(slip.number, id="ticket-number")
            else:
                yield Static(Content(slip.number), id="ticket-number")
            ahead = "前面没有人等候" if slip.people_ahead <= 0 else f"前面还有 {slip.people_ahead} 人等候"
            lines = [ahead, f"预计等候：{slip.wait_text}"] if slip.wait_text != wait_text(-1) else [ahead, NOT_OPEN]
            if slip.priority_label:
                lines.append(slip.priority_label)
            if slip.rate_code and printed.sent_to != "printer":  # no slip to read it from later
                lines.append(f"评价码：{slip.rate_code}（评价服务时需要，请记下）")
            yield Static(Content("\n".join(lines)), id="ticket-facts")
            yield Static(Content(self._visitor_message()), id="kiosk-message", classes=printed.sent_to)
            with Center(id="ticket-done-row"):
                done = Button(Content("完成"), name="done", id="ticket-done")
                done.can_focus = False
                yield done

    def _visitor_message(self) -> str:
        printed = self.issued.printed
        if printed.sent_to == "printer":
            return PRINTED
        log.warning("kiosk ticket %s not printed: %s", self.issued.slip.number, printed.message)
        return NOT_PRINTED

    def on_mount(self) -> None:
        self.set_timer(self.kiosk.show_seconds, self._shown)

    def _shown(self) -> None:
        # Only if this ticket is still on screen: once 完成 was touched, the next visitor's
        # choice must not be thrown away by the previous visitor's timer.
        if self.app.screen is self:
            self.kiosk.start_over()

    def action_back(self) -> None:
        self.kiosk.start_over()

    @on(Button.Pressed)
    def _done(self) -> None:
        self.kiosk.start_over()


def make_kiosk_app(
    settings: Settings, store: Store | None = None, clock: Clock | None = None, *,
    print_ticket: TicketPrinter | None = None, cursor_blink: bool = True,
    show_seconds: float = SHOW_SECONDS, guard: IssueGuard | None = None,
) -> KioskApp:
    """Build the kiosk; tests pass a store, a FrozenClock and a recording printer."""
    return KioskApp(
        settings, store, clock or SystemClock(), print_ticket=print_ticket, cursor_blink=cursor_blink,
        show_seconds=show_seconds, guard=guard,
    )


def run_kiosk(settings: Settings, print_ticket: TicketPrinter | None) -> int:
    from screens.app import log_to_file

    log_to_file(settings.store_path().parent / "kiosk.log")
    app = make_kiosk_app(settings, print_ticket=print_ticket)
    try:
        app.run()
    finally:
        if app.store is not None:
            app.store.dispose()
    return app.return_code or 0
