"""Shown instead of the sign-in screen when the local store cannot be opened."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Static


class CannotStartScreen(Screen):
    """A plain message (a corrupt or locked file, bad fixtures); F10 quits.

    Nothing else can run without a store, so the failure stays here instead of going to
    the app's error handler, and the exit code says the start failed (for service units).
    """

    SUB_TITLE = "无法启动"

    BINDINGS = [Binding("f10", "leave", "退出")]

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="startup", classes="panel problem"):
            text = Content.assemble((self.message, "bold"), "\n\n", ("按 F10 退出程序。", "dim"))
            yield Static(text, id="startup-status")
        yield Footer()

    def action_leave(self) -> None:
        self.app.exit(return_code=2)
