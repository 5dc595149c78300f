"""Small modal dialogs: a line of text (a number, a reason) and a choice from a list.

Each returns its answer through ``dismiss`` (None when the clerk pressed Esc). Enter is
the focused widget's own key (Input submit, OptionList select), never a priority binding,
so keys typed quickly are handled in order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, SelectionList, Static
from textual.widgets.option_list import Option

from screens.widgets.inputs import ClerkInput


class Dialog(ModalScreen):
    """Esc cancels (dismiss with None); ``say`` shows a hint in the dialog's message line."""

    BINDINGS = [Binding("escape", "cancel", "取消")]
    DEFAULT_CLASSES = "queue-dialog"

    def action_cancel(self) -> None:
        self.dismiss(None)

    def say(self, text: str) -> None:
        self.query_one(".dialog-message", Static).update(Content(text))


class AskText(Dialog):
    """One line of text (a ticket number, a pause or park reason), with optional presets."""

    def __init__(self, title: str, placeholder: str, presets: tuple[str, ...] = (), required: str = "",
                 check: Callable[[str], str | None] | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.placeholder = placeholder
        self.presets = presets
        self.required = required
        self.check = check
        """What is wrong with an answer (None: nothing): said in place, the text kept to correct,
        so one mistyped digit does not throw away the answers before it."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="queue-box"):
            yield Static(Content(self.title_text), classes="dialog-title")
            yield ClerkInput(placeholder=self.placeholder, id="ask-text")
            if self.presets:
                yield Static(Content("或选择常用内容（↓ 进入列表）："), classes="dialog-hint")
                yield OptionList(*[Option(Content(p)) for p in self.presets], id="ask-presets")
            yield Static(Content("回车确认 · Esc 取消"), classes="dialog-message")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            self.say(self.required or "请填写后再按回车")
            return
        wrong = self.check(text) if self.check else None
        if wrong:
            self.say(wrong)
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


class Choose(Dialog):
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


class PickMany(Dialog):
    """Tick several items of a list (the materials a return asks for); F2 confirms."""

    BINDINGS = [Binding("f2", "confirm", "确定")]

    def __init__(self, title: str, choices: list[Choice], empty: str = "请至少勾选一项") -> None:
        super().__init__()
        self.title_text, self.choices, self.empty = title, choices, empty

    def compose(self) -> ComposeResult:
        with Vertical(classes="queue-box"):
            yield Static(Content(self.title_text), classes="dialog-title")
            yield SelectionList[int](*[(c.label, i) for i, c in enumerate(self.choices)], id="pick-list")
            yield Static(Content("空格或回车 勾选/取消 · F2 确定 · Esc 取消"), classes="dialog-message")

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    def action_confirm(self) -> None:
        picked = sorted(self.query_one(SelectionList).selected)
        if not picked:
            self.say(self.empty)
            return
        self.dismiss([self.choices[i].value for i in picked])
