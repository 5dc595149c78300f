"""Small modal dialogs of the calling screen: a number, a reason, a transfer, a choice.

Each returns its answer through ``dismiss`` (None when the clerk pressed Esc). Enter is
the focused widget's own key (Input submit, OptionList select), never a priority binding,
so keys typed quickly are handled in order.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from screens.base import ClerkInput


class _Dialog(ModalScreen):
    BINDINGS = [Binding("escape", "cancel", "取消")]
    DEFAULT_CLASSES = "queue-dialog"

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _say(self, text: str) -> None:
        self.query_one(".dialog-message", Static).update(Content(text))


class AskText(_Dialog):
    """One line of text (a ticket number, a pause or park reason), with optional presets."""

    def __init__(self, title: str, placeholder: str, presets: tuple[str, ...] = (), required: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.placeholder = placeholder
        self.presets = presets
        self.required = required

    def compose(self) -> ComposeResult:
        with Vertical(classes="queue-box"):
            yield Static(Content(self.title_text), classes="dialog-title")
            yield ClerkInput(placeholder=self.placeholder, id="ask-text")
            if self.presets:
                yield Static(Content("或选择常用原因（↓ 进入列表）："), classes="dialog-hint")
                yield OptionList(*[Option(Content(p)) for p in self.presets], id="ask-presets")
            yield Static(Content("回车确认 · Esc 取消"), classes="dialog-message")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            self._say(self.required or "请填写后再按回车")
            return
        self.dismiss(text)

    @on(OptionList.OptionSelected)
    def _preset(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.presets[event.option_index])

    def key_down(self) -> None:
        if self.presets and self.focused is self.query_one(Input):
            self.query_one(OptionList).focus()


@dataclass(frozen=True)
class Choice:
    label: str
    value: object


class Choose(_Dialog):
    """Pick one item from a short list (parked tickets, a line, a priority reason)."""

    def __init__(self, title: str, choices: list[Choice], hint: str = "↑↓ 选择 · 回车确认 · Esc 取消") -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="queue-box"):
            yield Static(Content(self.title_text), classes="dialog-title")
            yield OptionList(*[Option(Content(c.label)) for c in self.choices], id="choose-list")
            yield Static(Content(self.hint), classes="dialog-message")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[event.option_index].value)


@dataclass(frozen=True)
class TransferTo:
    line_id: str | None
    window_id: str | None
    reason: str


class TransferDialog(_Dialog):
    """Where to (a line or a window) and why; the ticket keeps its number."""

    def __init__(self, number: str, targets: list[Choice]) -> None:
        super().__init__()
        self.number = number
        self.targets = targets

    def compose(self) -> ComposeResult:
        with Vertical(classes="queue-box"):
            yield Static(Content(f"转移 {self.number} 号（号码不变）"), classes="dialog-title")
            yield OptionList(*[Option(Content(c.label)) for c in self.targets], id="transfer-targets")
            yield ClerkInput(placeholder="转移原因，如：需到社保窗口办理", id="transfer-reason")
            yield Static(Content("↑↓ 选去向 · Tab 填原因 · 回车确认 · Esc 取消"), classes="dialog-message")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _target(self) -> None:
        self.query_one("#transfer-reason", Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        index = self.query_one(OptionList).highlighted
        if index is None:
            self._say("请先选择转往的业务或窗口")
            self.query_one(OptionList).focus()
            return
        reason = event.value.strip()
        if not reason:
            self._say("请填写转移原因")
            return
        line_id, window_id = self.targets[index].value  # type: ignore[misc]
        self.dismiss(TransferTo(line_id, window_id, reason))
