"""The transfer dialog of the calling screen: where to (a line or a window) and why."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from screens.dialogs.ask import Choice, Dialog
from screens.widgets.inputs import ClerkInput


def transfer_choices(queue, here_line_id: str, window_id: str) -> list[Choice]:
    """Where a ticket of ``here_line_id`` at ``window_id`` can go: other lines, other windows
    (blocking: call from a thread)."""
    lines = [
        Choice(f"转业务 {x.letter} {x.name}（{f'{x.waiting}人等候' if x.mapped else '无窗口办理'}）", (x.id, None))
        for x in queue.lines()
        if x.id != here_line_id
    ]
    windows = [Choice(f"转 {w.number}号窗口 {w.name}", (None, w.id)) for w in queue.windows() if w.id != window_id]
    return lines + windows


@dataclass(frozen=True)
class TransferTo:
    line_id: str | None
    window_id: str | None
    reason: str


class TransferDialog(Dialog):
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
            self.say("请先选择转往的业务或窗口")
            self.query_one(OptionList).focus()
            return
        reason = event.value.strip()
        if not reason:
            self.say("请填写转移原因")
            return
        line_id, window_id = self.targets[index].value  # type: ignore[misc]
        self.dismiss(TransferTo(line_id, window_id, reason))
