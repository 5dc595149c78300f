"""A "办不成事" entry in a few keys: channel, person, the matter and what went wrong, and
the class (its limit in working days comes from the settings). 涉法涉诉涉访 is flagged here
and referred out from the record, never handled in this ledger.

F2 changes the channel, F3 the class, F4 flags 涉法涉诉涉访; Enter in the last box saves.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState

from clerk.errors import UserFacingError
from clerk.ledgers.classes import COMPLAINT_CHANNELS, COMPLAINT_CLASS_LABELS, LEGAL_LABEL
from screens.dialogs.ask import Dialog
from screens.widgets.inputs import ClerkInput

CHANNELS = tuple(COMPLAINT_CHANNELS)
CLASSES = ("",) + tuple(COMPLAINT_CLASS_LABELS)
BOXES = ("person", "contact", "matter", "description")


@dataclass(frozen=True)
class Context:
    staff_id: str
    ticket_id: str | None = None
    window_id: str | None = None


class ComplaintDialog(Dialog):
    """Dismisses with the new entry's id and a message (None when cancelled)."""

    BINDINGS = [
        Binding("escape", "cancel", "取消"),
        Binding("f2", "channel", "渠道"),
        Binding("f3", "klass", "分类"),
        Binding("f4", "legal", "涉法涉诉"),
    ]

    def __init__(self, context: Context) -> None:
        super().__init__()
        self.context = context
        self.channel = 0
        self.klass = 0
        self.legal = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="queue-box"):
            yield Static(Content("“办不成事”反映登记"), classes="dialog-title")
            yield Static(Content(""), id="bc-choice")
            yield ClerkInput(placeholder="反映人或单位", id="bc-person")
            yield ClerkInput(placeholder="联系方式（可不填）", id="bc-contact")
            yield ClerkInput(placeholder="涉及事项或办件编号", id="bc-matter")
            yield ClerkInput(placeholder="问题描述", id="bc-description")
            yield Static(Content("F2 渠道 · F3 分类 · F4 涉法涉诉涉访 · 回车保存 · Esc 取消"), classes="dialog-message")

    def on_mount(self) -> None:
        self._show()
        self.query_one("#bc-person").focus()

    def _show(self) -> None:
        klass = LEGAL_LABEL if self.legal else COMPLAINT_CLASS_LABELS.get(CLASSES[self.klass], "暂不分类")
        self.query_one("#bc-choice", Static).update(
            Content(f"渠道：{COMPLAINT_CHANNELS[CHANNELS[self.channel]]}　分类：{klass}"))

    def action_channel(self) -> None:
        self.channel = (self.channel + 1) % len(CHANNELS)
        self._show()

    def action_klass(self) -> None:
        self.klass = (self.klass + 1) % len(CLASSES)
        self._show()

    def action_legal(self) -> None:
        self.legal = not self.legal
        self._show()

    @on(Input.Submitted)
    def _next_or_save(self, event: Input.Submitted) -> None:
        if event.input.id != "bc-description":
            self.focus_next()
            return
        values = {name: self.query_one(f"#bc-{name}", Input).value.strip() for name in BOXES}
        if not values["description"]:
            self.say("请填写问题描述")
            return
        self.save(values)

    @work(thread=True, exclusive=True, exit_on_error=False, name="save")
    def save(self, v: dict[str, str]) -> tuple[str, str]:
        ledgers = self.app.desk.ledgers  # type: ignore[attr-defined]
        c = self.context
        entry_id = ledgers.register_complaint(c.staff_id, channel=CHANNELS[self.channel], ticket_id=c.ticket_id,
                                              window_id=c.window_id, **v)
        klass = CLASSES[self.klass]
        if klass or self.legal:  # the class sets the limit; registered first, so a refusal loses nothing
            try:
                ledgers.step(c.staff_id, "classify", entry_id, class_code=klass, legal=self.legal)
            except UserFacingError as exc:
                raise UserFacingError(f"{exc.message}（记录已登记，可在台账中分类）") from exc
        return entry_id, "已登记“办不成事”反映" + ("，请转交有权机关" if self.legal else "")

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
