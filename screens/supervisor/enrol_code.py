"""The enrolment code the supervisor hands to whoever sets up a new counter (Ctrl+N on the floor).

The code is shown once (the central store keeps only its hash), large enough to copy by hand,
with when it stops working and the exact ``clerk enrol`` line the new counter's clerk types.
"""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from clerk.clock import local_time

NAME_EXAMPLE = "3号窗口"


def enrol_line(url: str, code: str) -> str:
    """What the new counter's clerk types: ``clerk enrol URL 登记码 --name 本机名称`` (cli.main)."""
    return f"clerk enrol {url} {code} --name {NAME_EXAMPLE}"


def validity_text(expires_at: datetime, valid_hours: float) -> str:
    return f"有效至 {local_time(expires_at):%Y-%m-%d %H:%M}（{valid_hours:g} 小时内、只能使用一次）"


class EnrolCodeDialog(ModalScreen[None]):
    """Esc or Enter closes it; the code cannot be shown again (issue a new one instead)."""

    BINDINGS = [Binding("escape", "close", "关闭"), Binding("enter", "close", "关闭", show=False)]
    DEFAULT_CLASSES = "queue-dialog"

    def __init__(self, code: str, expires_at: datetime, valid_hours: float, url: str) -> None:
        super().__init__()
        self.code, self.expires_at, self.valid_hours, self.url = code, expires_at, valid_hours, url

    def compose(self) -> ComposeResult:
        with Vertical(classes="queue-box enrol-box"):
            yield Static(Content("新窗口机登记码（只显示这一次）"), classes="dialog-title")
            yield Static(Content(self.code), id="enrol-code")
            yield Static(Content(validity_text(self.expires_at, self.valid_hours)), id="enrol-valid")
            yield Static(Content(f"在新窗口机的命令行输入：{enrol_line(self.url, self.code)}"), id="enrol-how")
            yield Static(Content(f"（{NAME_EXAMPLE} 换成新机的名称；登记码不分大小写，短横可省略）"),
                         classes="dialog-hint")
            yield Static(Content("Esc 关闭 · 关闭后无法再次查看，须重新发放"), classes="dialog-message")

    def action_close(self) -> None:
        self.dismiss(None)
