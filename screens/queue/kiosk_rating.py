"""一次一评 at the kiosk: the visitor types their ticket's number and the 评价码 printed beside
it, touches a grade, and for a bad one the reasons (at least one, as the national 好差评
system asks). The code is what only the slip's holder knows: a number is called out loud.

No grade has the focus when the grades appear: the kiosk must not suggest one either. The
rating is stored with no staff member as its author (source ``kiosk``); the visit's handler
answers for it, and never learns who rated.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Static

from clerk.errors import UserFacingError
from clerk.ledgers.kiosk_visit import VisitToRate
from clerk.ledgers.rate_code import WrongRateCode
from clerk.ledgers.reasons import BAD_GRADES, GRADES, REASONS
from clerk.queue.rate_code import DIGITS
from screens.queue.kiosk import KioskScreen, choice_button
from screens.widgets.inputs import ClerkInput

THANKS = "谢谢您的评价！"


class RateNumberScreen(KioskScreen):
    """Which visit: the number printed on the ticket."""

    def compose(self) -> ComposeResult:
        with Vertical(id="kiosk"):
            yield Static(Content("评价服务：请输入号票上的号码"), id="kiosk-title")
            yield ClerkInput(placeholder="号票上的号码，如 A012", id="kiosk-code", max_length=12)
            with Grid(id="kiosk-choices"):
                yield choice_button(1, "确认", "", "ok", "primary")
                yield choice_button(2, "返回", "", "back", "error")
            yield Static(Content("输入后按回车或触摸“确认”"), id="kiosk-message")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.find(self.query_one(Input).value)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.name == "back":
            self.app.pop_screen()
        else:
            self.find(self.query_one(Input).value)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def find(self, typed: str) -> VisitToRate:
        kiosk = self.kiosk
        return kiosk.desk.ledgers.kiosk_visit(kiosk.settings.centre.code, typed)

    def on_worker_state_changed(self, event) -> None:
        worker = event.worker
        if worker.name != "find" or not worker.is_finished:
            return
        if worker.error is not None:
            error = worker.error
            self.say(error.message if isinstance(error, UserFacingError) else "暂时无法评价，请联系工作人员")
            self.query_one(Input).value = ""
            return
        visit: VisitToRate = worker.result
        self.app.push_screen(RateCodeScreen(visit) if visit.needs_code else RateGradeScreen(visit))


class RateCodeScreen(KioskScreen):
    """The slip's 评价码, asked after the number; typed hidden (others may stand behind)."""

    def __init__(self, visit: VisitToRate) -> None:
        super().__init__()
        self.visit = visit

    def compose(self) -> ComposeResult:
        with Vertical(id="kiosk"):
            yield Static(Content(f"{self.visit.number} 号：请输入号票上的 {DIGITS} 位评价码"), id="kiosk-title")
            yield ClerkInput(placeholder="评价码", id="kiosk-code", max_length=DIGITS, password=True,
                             restrict=r"[0-9]*")
            with Grid(id="kiosk-choices"):
                yield choice_button(1, "确认", "", "ok", "primary")
                yield choice_button(2, "返回", "", "back", "error")
            yield Static(Content("评价码印在号票的最下方"), id="kiosk-message")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.check(self.query_one(Input).value)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.name == "back":
            self.app.pop_screen()
        else:
            self.check(self.query_one(Input).value)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def check(self, typed: str) -> VisitToRate:
        return self.kiosk.desk.ledgers.kiosk_code(self.visit, typed)

    def on_worker_state_changed(self, event) -> None:
        worker = event.worker
        if worker.name != "check" or not worker.is_finished:
            return
        self.query_one(Input).value = ""
        error = worker.error
        if error is None:
            self.app.push_screen(RateGradeScreen(worker.result))
        elif isinstance(error, WrongRateCode) and not error.locked:
            self.say(error.message)
        elif isinstance(error, UserFacingError):  # the last try (or locked at another kiosk): start over
            self.kiosk.notice_once = error.message
            self.kiosk.start_over()
        else:
            self.say("暂时无法评价，请联系工作人员")


class _RatingStep(KioskScreen):
    """A step that may store the rating: off the UI thread, then thanks, or why not."""

    visit: VisitToRate

    @work(thread=True, exclusive=True, exit_on_error=False)
    def store(self, grade: int, reasons: list[str]) -> None:
        self.kiosk.desk.ledgers.rate(None, self.visit.ticket_id, grade, reasons, source="kiosk",
                                     rate_code=self.visit.rate_code)

    def on_worker_state_changed(self, event) -> None:
        worker = event.worker
        if worker.name != "store" or not worker.is_finished:
            return
        if worker.error is None:
            self.kiosk.notice_once = THANKS
            self.kiosk.start_over()
            return
        error = worker.error
        self.say(error.message if isinstance(error, UserFacingError) else "评价未能保存，请联系工作人员")


class RateGradeScreen(_RatingStep):
    """Five grades, none suggested; a good one is stored at once, a bad one asks why."""

    AUTO_FOCUS = None  # a focused first button would be a suggested grade: Enter alone rates nothing

    def on_screen_resume(self) -> None:
        self.call_after_refresh(self.set_focus, None)  # also when back from the reasons

    def __init__(self, visit: VisitToRate) -> None:
        super().__init__()
        self.visit = visit

    def compose(self) -> ComposeResult:
        where = f"（{self.visit.window_name}）" if self.visit.window_name else ""
        with Vertical(id="kiosk"):
            yield Static(Content(f"{self.visit.number} 号 · {self.visit.line_name}{where}：您对这次服务满意吗？"),
                         id="kiosk-title")
            with Grid(id="kiosk-choices"):
                for i, (grade, label) in enumerate(GRADES.items(), 1):
                    yield choice_button(i, label, "", f"g:{grade}")
                yield choice_button(len(GRADES) + 1, "返回", "", "back", "error")
            yield Static(Content("触摸按钮，或按数字键选择"), id="kiosk-message")

    @on(Button.Pressed)
    def _chosen(self, event: Button.Pressed) -> None:
        name = event.button.name or ""
        if name == "back":
            self.app.pop_screen()
        elif name.startswith("g:"):
            grade = int(name[2:])
            if grade in BAD_GRADES:
                self.app.push_screen(RateReasonsScreen(self.visit, grade))
            else:
                self.store(grade, [])


class RateReasonsScreen(_RatingStep):
    """A bad grade's reasons: each button ticks or unticks one; 提交 needs at least one."""

    def __init__(self, visit: VisitToRate, grade: int) -> None:
        super().__init__()
        self.visit, self.grade = visit, grade
        self.reasons = list(REASONS[grade].items())[:8]  # what fits a kiosk screen, in the national order
        self.ticked: set[str] = set()

    def compose(self) -> ComposeResult:
        with Vertical(id="kiosk"):
            yield Static(Content(f"“{GRADES[self.grade]}”：请选择原因（可多选）"), id="kiosk-title")
            with Grid(id="kiosk-choices"):
                for i, (code, text) in enumerate(self.reasons, 1):
                    yield choice_button(i, text, "", f"r:{code}")
                yield choice_button(len(self.reasons) + 1, "提交评价", "", "ok", "success")
                yield choice_button(len(self.reasons) + 2, "返回", "", "back", "error")
            yield Static(Content("触摸原因选中，再触摸取消"), id="kiosk-message")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        name = event.button.name or ""
        if name == "back":
            self.app.pop_screen()
        elif name.startswith("r:"):
            code = name[2:]
            self.ticked ^= {code}
            event.button.variant = "warning" if code in self.ticked else "default"
        elif not self.ticked:
            self.say("请至少选择一项原因")
        else:
            self.store(self.grade, [c for c, _ in self.reasons if c in self.ticked])
