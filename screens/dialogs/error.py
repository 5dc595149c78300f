"""Small typed modal dialogs."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ErrorDialog(ModalScreen[None]):
    """An error the clerk must acknowledge; the detail line is for whoever they call."""

    BINDINGS = [
        Binding("escape", "dismiss_dialog", "关闭"),
        Binding("enter", "dismiss_dialog", "关闭", show=False),
    ]

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__()
        self.message = message
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(id="error-dialog", classes="dialog"):
            yield Static(Content("出错了"), classes="dialog-title")
            yield Static(Content(self.message), id="error-message")
            if self.detail:
                yield Static(Content(self.detail), id="error-detail")
            yield Button("知道了", variant="error", id="error-ok")

    def on_button_pressed(self) -> None:
        self.dismiss(None)

    def action_dismiss_dialog(self) -> None:
        self.dismiss(None)
