"""首问负责 in a few keys: who, what, and the result — answered, referred (a 指路单 prints),
or an answer promised by a date. The served ticket and window are filled in already.

Tab moves between the boxes; the result is picked with F2 (当场答复), F3 (引导) or
F4 (限期答复), and Enter in the last box saves. A referral needs a place and a reason;
the record stays the officer's whatever happens next.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState

from clerk.errors import UserFacingError
from clerk.ledgers.classes import RESULT_KINDS
from screens.dialogs.ask import Dialog
from screens.widgets.inputs import ClerkInput

RESULTS = ("answered", "referred", "follow_up")
HINTS = {"answered": "答复内容", "referred": "引导去向（窗口、楼层或部门）", "follow_up": "答复期限（如 2026-03-09）"}


@dataclass(frozen=True)
class Context:
    staff_id: str
    ticket_id: str | None = None
    ticket_number: str = ""
    window_id: str | None = None


class FirstContactDialog(Dialog):
    """Dismisses with the message to show (None when cancelled)."""

    BINDINGS = [
        Binding("escape", "cancel", "取消"),
        Binding("f2", "result('answered')", "当场答复"),
        Binding("f3", "result('referred')", "引导"),
        Binding("f4", "result('follow_up')", "限期答复"),
    ]

    def __init__(self, context: Context) -> None:
        super().__init__()
        self.context = context
        self.result = "answered"

    def compose(self) -> ComposeResult:
        ticket = f"（{self.context.ticket_number} 号）" if self.context.ticket_number else ""
        with Vertical(classes="queue-box"):
            yield Static(Content(f"首问负责登记{ticket}"), classes="dialog-title")
            yield ClerkInput(placeholder="来访人或单位（可不填）", id="fc-person")
            yield ClerkInput(placeholder="联系电话（可不填）", id="fc-phone")
            yield ClerkInput(placeholder="咨询事项", id="fc-matter")
            yield Static(Content(""), id="fc-result")
            yield ClerkInput(placeholder=HINTS["answered"], id="fc-detail")
            yield ClerkInput(placeholder="引导原因", id="fc-reason")
            yield Static(Content("F2 当场答复 · F3 引导 · F4 限期答复 · 回车保存 · Esc 取消"), classes="dialog-message")

    def on_mount(self) -> None:
        self.action_result("answered")
        self.query_one("#fc-person").focus()

    def action_result(self, result: str) -> None:
        self.result = result
        self.query_one("#fc-result", Static).update(Content(f"处理结果：{RESULT_KINDS[result]}"))
        self.query_one("#fc-detail", Input).placeholder = HINTS[result]
        self.query_one("#fc-reason").display = result == "referred"

    @on(Input.Submitted)
    def _next_or_save(self, event: Input.Submitted) -> None:
        last = "#fc-reason" if self.result == "referred" else "#fc-detail"
        if event.input.id != last.lstrip("#"):
            self.focus_next()
            return
        values = {name: self.query_one(f"#fc-{name}", Input).value for name in
                  ("person", "phone", "matter", "detail", "reason")}
        missing = _missing(self.result, values)
        if missing:
            self.say(missing)
            return
        self.save(self.result, values)

    @work(thread=True, exclusive=True, exit_on_error=False, name="save")
    def save(self, result: str, v: dict[str, str]) -> str:
        ledgers = self.app.desk.ledgers  # type: ignore[attr-defined]
        c = self.context
        entry_id = ledgers.register_first_contact(c.staff_id, person=v["person"], contact=v["phone"],
                                                  matter=v["matter"], ticket_id=c.ticket_id, window_id=c.window_id)
        # Registered first: a refused result leaves the record open in the clerk's list, not lost.
        try:
            if result == "answered":
                ledgers.step(c.staff_id, "answer", entry_id, result=v["detail"])
                return "已登记并当场答复，记录已办结"
            if result == "follow_up":
                ledgers.step(c.staff_id, "follow_up_by", entry_id, due=_date(v["detail"]))
                return f"已登记，须于 {v['detail'].strip()} 前答复"
            ledgers.step(c.staff_id, "refer", entry_id, place=v["detail"], reason=v["reason"])
        except UserFacingError as exc:
            raise UserFacingError(f"{exc.message}（记录已登记，可在台账中继续办理）") from exc
        return self._print_slip(ledgers, entry_id, v["detail"])

    def _print_slip(self, ledgers, entry_id: str, place: str) -> str:
        notice_id = ledgers.issue_paper(self.context.staff_id, entry_id, "guidance_slip")
        try:
            printed = self.app.desk.notices.print_notice(notice_id, self.context.staff_id)  # type: ignore[attr-defined]
        except UserFacingError as exc:
            return f"已登记并引导至{place}；指路单未打印：{exc.message}"
        return f"已登记并引导至{place}；{printed.message}"

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name != "save":
            return
        if event.state == WorkerState.SUCCESS:
            self.dismiss(event.worker.result)
        elif event.state == WorkerState.ERROR:
            error = event.worker.error
            if isinstance(error, UserFacingError):
                self.say(error.message)
            else:
                self.app.report_error(error)  # type: ignore[attr-defined]


def _missing(result: str, v: dict[str, str]) -> str:
    """What the clerk must still type, checked before anything is stored."""
    if not v["matter"].strip():
        return "请填写咨询事项"
    if not v["detail"].strip():
        return f"请填写{HINTS[result].split('（')[0]}"
    if result == "referred" and not v["reason"].strip():
        return "请填写引导原因"
    if result == "follow_up":
        try:
            _date(v["detail"])
        except UserFacingError as exc:
            return exc.message
    return ""


def _date(text: str) -> str:
    try:
        return date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        raise UserFacingError("答复期限请按 2026-03-09 的格式填写") from None
