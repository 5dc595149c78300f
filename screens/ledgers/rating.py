"""一次一评 and 一事一评: the clerk presses one key and records what the visitor chose on the rating pad.

No grade is highlighted when the dialog opens (the clerk must never suggest one); a bad
grade asks for at least one national reason code; the text is at most 150 characters.
The rating is stored by a thread worker; a refusal (rated twice …) is shown in place.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, SelectionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from clerk.errors import UserFacingError
from clerk.ledgers.reasons import BAD_GRADES, GRADES, MAX_TEXT, REASONS
from screens.dialogs.ask import Dialog
from screens.widgets.inputs import ClerkInput


@dataclass(frozen=True)
class Rated:
    """What is rated: a served visit (``ticket_id``) or a case (``case_id``), as the dialog names it."""

    title: str
    """The object of the sentence: “A0012 号的服务” or “办件 SL-… （食品经营许可）”."""
    ticket_id: str | None = None
    case_id: str | None = None


class RatingDialog(Dialog):
    """Dismisses with the message to show (None when cancelled)."""

    def __init__(self, staff_id: str, rated: Rated) -> None:
        super().__init__()
        self.staff_id = staff_id
        self.rated = rated
        self.grade: int | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="queue-box"):
            yield Static(Content(f"请评价人在评价器上评价 {self.rated.title}，按其所选录入"), classes="dialog-title")
            yield OptionList(*[Option(Content(f"{g} {label}")) for g, label in GRADES.items()], id="rating-grade")
            yield SelectionList[str](id="rating-reasons")
            yield ClerkInput(placeholder=f"评价内容（选填，不超过{MAX_TEXT}字），回车保存", id="rating-text")
            yield Static(Content("↑↓ 选择等级 · 回车确认 · Esc 取消"), classes="dialog-message")

    def on_mount(self) -> None:
        grades = self.query_one("#rating-grade", OptionList)
        grades.highlighted = None  # no grade suggested
        grades.focus()
        self.query_one("#rating-reasons").display = False

    @on(OptionList.OptionSelected, "#rating-grade")
    def _grade(self, event: OptionList.OptionSelected) -> None:
        self.grade = list(GRADES)[event.option_index]
        reasons = self.query_one("#rating-reasons", SelectionList)
        reasons.clear_options()
        reasons.add_options([(text, code) for code, text in REASONS[self.grade].items()])
        reasons.display = True
        reasons.highlighted = 0  # the cursor on the first reason; nothing is ticked for the visitor
        reasons.focus()
        need = "须至少勾选一项理由，" if self.grade in BAD_GRADES else ""
        self.say(f"已选“{GRADES[self.grade]}”：空格勾选理由（{need}可多选），Tab 到评价内容，回车保存")

    @on(Input.Submitted, "#rating-text")
    def _save(self, event: Input.Submitted) -> None:
        if self.grade is None:
            self.say("请先选择评价等级")
            return
        reasons = list(self.query_one("#rating-reasons", SelectionList).selected)
        self.store(self.grade, reasons, event.value)

    @work(thread=True, exclusive=True, exit_on_error=False, name="rate")
    def store(self, grade: int, reasons: list[str], text: str) -> str:
        rated = self.rated
        self.app.desk.ledgers.rate(self.staff_id, rated.ticket_id, grade, reasons, text,  # type: ignore[attr-defined]
                                   case_id=rated.case_id)
        bad = "，已建立差评整改" if grade in BAD_GRADES else ""
        return f"评价已保存（{rated.title}）：{GRADES[grade]}{bad}"

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name != "rate":
            return
        if event.state == WorkerState.SUCCESS:
            self.dismiss(event.worker.result)
        elif event.state == WorkerState.ERROR:
            error = event.worker.error
            if isinstance(error, UserFacingError):
                self.say(error.message)
            else:
                self.app.report_error(error)  # type: ignore[attr-defined]
