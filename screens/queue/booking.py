"""预约登记: the clerk books a slot for a visitor at the counter or a caller on the phone.

One step a dialog, each answered with ↑↓ and Enter: the line, the day, a slot with places
left, the booker's name and phone, at the counter or by phone. The central store books it
(clerk.booking.counter); the screen then shows the check-in code large, with the kiosk's
words for using it. A visitor at the counter gets it on a 预约凭条 from the ticket printer
(P prints it again); for a caller the clerk reads it out. A slip that does not print
leaves the booking made and the code on screen to copy. Esc at any step leaves, booking
nothing.
"""

from __future__ import annotations

from datetime import date

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Footer, Header, Static

from clerk.booking.counter import CHANNELS, Booked, DaySlots, slot_label
from clerk.booking.slip import HOW_TO_USE
from clerk.clock import local_time
from clerk.desk import WEEKDAYS
from clerk.errors import UserFacingError
from clerk.queue.issuer import PrintOutcome
from clerk.staff.auth import SignedIn
from screens.dialogs.ask import AskText, Choice, Choose
from screens.widgets.sync_bar import SyncBar, SyncedScreen

NOT_KEPT = "本机不保存签到码"


def day_label(day: date, today: date) -> str:
    near = {0: "（今天）", 1: "（明天）", 2: "（后天）"}.get((day - today).days, "")
    return f"{day.month}月{day.day}日 {WEEKDAYS[day.weekday()]}{near}"


class BookingScreen(SyncedScreen):
    """The booking steps, then the booking made (see the module docstring)."""

    SUB_TITLE = "预约登记"
    BINDINGS = [
        Binding("n", "again", "再约一位"),
        Binding("p", "reprint", "重打凭条"),
        Binding("escape", "back", "返回"),
    ]
    DEFAULT_CSS = """
    BookingScreen #booking { padding: 1 2; }
    BookingScreen #booking-code { text-style: bold; color: $accent; padding: 1 0; }
    BookingScreen #booking-message.error { color: $error; }
    """

    def __init__(self, staff: SignedIn) -> None:
        super().__init__()
        self.staff = staff
        self.booked: Booked | None = None
        self.printed: PrintOutcome | None = None
        """How the last booking's slip went; None for a phone booking, or while it prints."""
        self._channel = ""
        self._line: Choice | None = None
        self._slots: DaySlots | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="booking"):
            yield Static(Content(""), id="booking-what")
            yield Static(Content(""), id="booking-code")
            yield Static(Content(""), id="booking-how")
            yield Static(Content(""), id="booking-message")
        yield SyncBar()
        yield Footer()

    def on_mount(self) -> None:
        self.action_again()

    def say(self, text: str, error: bool = False) -> None:
        message = self.query_one("#booking-message", Static)
        message.update(Content(text))
        message.set_class(error, "error")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "again":
            return self.desk.bookings is not None
        if action == "reprint":
            return self.booked is not None and self._channel == "counter"
        return super().check_action(action, parameters)

    # -- the steps -------------------------------------------------------------------

    def action_again(self) -> None:
        if self.desk.bookings is None:
            self.say("本机没有连接中心库，不能预约：预约名额由中心库统一分配", error=True)
            return
        lines = [Choice(f"{ln.letter}  {ln.name}", ln) for ln in self.desk.queue.lines() if ln.mapped]
        self.app.push_screen(Choose("预约哪项业务", lines), self._line_chosen)

    def _line_chosen(self, line) -> None:
        if line is None:
            return
        self._line = line
        bookings = self.desk.bookings
        today = local_time(self.clerk_app.clock.now()).date()
        days = [Choice(day_label(d, today), d) for d in bookings.days()]
        self.app.push_screen(Choose(f"{line.name}：预约哪一天", days), self._day_chosen)

    def _day_chosen(self, day: date | None) -> None:
        if day is not None:
            self.say("正在查询可预约时段…")
            self.load_slots(self._line.id, day)

    @work(thread=True, exit_on_error=False, exclusive=True, group="booking")
    def load_slots(self, line_id: str, day: date) -> DaySlots:
        return self.desk.bookings.slots(line_id, day)

    def load_slots_done(self, found: DaySlots) -> None:
        self._slots = found
        when = f"{found.day.month}月{found.day.day}日"
        if found.closed:
            self.say(f"{when}（{found.closed}）不办公，不能预约：按 N 另选日期", error=True)
        elif not found.slots:
            self.say(f"{self._line.name}在{when}没有预约时段：按 N 另选", error=True)
        elif not found.bookable:
            self.say(f"{self._line.name}在{when}的时段都已约满：按 N 另选日期", error=True)
        else:
            self.say("")
            choices = [Choice(slot_label(s), s) for s in found.bookable]
            self.app.push_screen(Choose(f"{self._line.name} · {when}：选择时段", choices), self._slot_chosen)

    def load_slots_refused(self, error: UserFacingError) -> None:
        self.say(error.message, error=True)

    def _slot_chosen(self, slot) -> None:
        if slot is None:
            return
        self.app.push_screen(AskText("预约人姓名", "来访人或来电人的姓名", (), "请填写预约人姓名"),
                             lambda name: name and self._ask_phone(slot, name))

    def _ask_phone(self, slot, name: str) -> None:
        def asked(phone: str | None) -> None:
            if phone is not None:
                self._ask_channel(slot, name, "" if phone == "不留电话" else phone)

        self.app.push_screen(AskText("联系电话（回拨或提醒用）", "手机号，或带区号的固定电话", ("不留电话",)), asked)

    def _ask_channel(self, slot, name: str, phone: str) -> None:
        choices = [Choice(label, code) for code, label in CHANNELS.items()]
        self.app.push_screen(Choose("预约方式", choices),
                             lambda channel: channel and self._book(slot.start, name, phone, channel))

    def _book(self, start, name: str, phone: str, channel: str) -> None:
        self._channel = channel
        self.make_booking(start, name, phone, channel)

    # -- booking ---------------------------------------------------------------------

    @work(thread=True, exit_on_error=False, exclusive=True, group="booking")
    def make_booking(self, start, name: str, phone: str, channel: str) -> Booked:
        return self.desk.bookings.book(self.staff.staff_id, self._line.id, start, name, phone, channel)

    def make_booking_done(self, booked: Booked) -> None:
        self.booked = booked
        start, end = local_time(booked.start), local_time(booked.end)
        self.query_one("#booking-what", Static).update(Content(
            f"已预约：{booked.line_name} · {start.month}月{start.day}日 {start:%H:%M}–{end:%H:%M}"))
        self.query_one("#booking-code", Static).update(Content(f"签到码  {booked.code}"))
        self.query_one("#booking-how", Static).update(Content(HOW_TO_USE))
        self.printed = None
        self.refresh_bindings()
        if self._channel == "counter":
            self.action_reprint()
        else:
            self.say(f"请向来电人读出签到码并请其记下（{NOT_KEPT}，不发短信）；按 N 再约一位，Esc 返回")

    def make_booking_refused(self, error: UserFacingError) -> None:
        self.say(f"未预约：{error.message}", error=True)

    # -- the slip ----------------------------------------------------------------------

    def action_reprint(self) -> None:
        if self.booked is not None:
            self.say("正在打印预约凭条…")
            self.print_slip(self.booked)

    @work(thread=True, exit_on_error=False, exclusive=True, group="booking-slip")
    def print_slip(self, booked: Booked) -> PrintOutcome:
        return self.desk.bookings.print_slip(booked)

    def print_slip_done(self, printed: PrintOutcome) -> None:
        self.printed = printed
        if printed.sent_to == "printer":
            self.say(f"{printed.message}，请交给预约人（{NOT_KEPT}）；按 N 再约一位，Esc 返回")
        else:
            self.say(f"预约已成功，但预约凭条未打印：{printed.message}。请将上面的签到码抄给预约人"
                     f"（{NOT_KEPT}）；按 P 重打，N 再约一位", error=True)

    def action_back(self) -> None:
        self.app.pop_screen()
