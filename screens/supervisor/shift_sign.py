"""Today's shift: its notes, and the supervisor's note signed after the password again.

F7 signs what is typed: the shift's note, or, once that is signed, a correction linked to
it (a signed note never changes). The signature covers the note and the shift report's
figures (clerk.shifts); the central store checks it again when it arrives.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Header, Input, Static

from clerk.clock import local_today
from clerk.errors import UserFacingError
from clerk.shifts.service import NoteView, Shift, Signed
from clerk.staff.auth import SignedIn
from screens.base import DeskScreen
from screens.widgets.inputs import ClerkInput


def note_line(n: NoteView) -> str:
    kind = "更正" if n.corrects else "说明"
    state = ("已签名" if n.holds else "签名不符！") if n.signed else "未签名"
    return f"[{kind}·{state}] {n.author}：{n.text}"


class ShiftSignScreen(DeskScreen):
    SUB_TITLE = "班次说明与签名"
    BINDINGS = [Binding("f7", "sign", "签名"), Binding("escape", "back", "返回")]

    def __init__(self, staff: SignedIn) -> None:
        super().__init__()
        self.staff = staff
        self.notes: list[NoteView] = []

    @property
    def shift(self) -> Shift:
        return Shift(local_today(self.desk.clock))

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="shift-sign"):
            yield Static(Content(""), id="shift-notes")
            yield ClerkInput(placeholder="班次说明（必填）", id="shift-text", max_length=2000)
            yield ClerkInput(placeholder="再次输入密码以签名", password=True, id="shift-password")
            yield Static(Content(""), id="shift-message")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#shift-text").focus()
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, name="load")
    def load(self) -> list[NoteView]:
        return self.desk.shifts.notes(self.staff.staff_id, self.shift)

    def load_done(self, notes: list[NoteView]) -> None:
        self.notes = notes
        shown = "\n".join(note_line(n) for n in notes) or "本班次尚无说明"
        hint = "\n本班次已签名：再签名的内容将作为更正说明附在其后" if self._signed_note() else ""
        self.query_one("#shift-notes", Static).update(Content(f"{self.shift.day:%Y年%m月%d日} 班次\n{shown}{hint}"))

    def load_refused(self, error: UserFacingError) -> None:
        self.query_one("#shift-message", Static).update(Content(error.message))

    def _signed_note(self) -> str | None:
        return next((n.id for n in self.notes if n.corrects is None and n.signed), None)

    def action_sign(self) -> None:
        text = self.query_one("#shift-text", Input).value
        password = self.query_one("#shift-password", Input).value
        self.sign(text, password, self._signed_note())

    @work(thread=True, exclusive=True, exit_on_error=False, name="sign")
    def sign(self, text: str, password: str, corrects: str | None) -> Signed:
        return self.desk.shifts.sign(self.staff.staff_id, password, self.shift, text, corrects)

    def sign_done(self, done: Signed) -> None:
        self.query_one("#shift-text", Input).value = ""
        self.query_one("#shift-password", Input).value = ""
        what = "更正说明" if done.note.corrects else "班次说明"
        self.query_one("#shift-message", Static).update(
            Content(f"{done.period_label} {done.scope_label} 的{what}已签名（数据摘要 {done.digest[:12]}…）"))
        self.load()

    def sign_refused(self, error: UserFacingError) -> None:
        self.query_one("#shift-password", Input).value = ""
        self.query_one("#shift-message", Static).update(Content(error.message))

    def action_back(self) -> None:
        self.dismiss(None)
