"""Sign-in: user name and a masked password; failures and lockout are told in Chinese.

The first screen: it is up while the store still opens behind it (see ClerkApp), takes
typing at once, and a sign-in submitted before the store is open waits for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Button, Footer, Header, Input, Label, Static

from clerk.errors import UserFacingError
from screens.base import DeskScreen
from screens.start.first_paint import mark_when_painted
from screens.widgets.inputs import ClerkInput

if TYPE_CHECKING:  # the first screen does not wait for the store's libraries
    from clerk.desk import CentreInfo
    from clerk.staff.auth import SignedIn

OPENING = "正在打开本地数据库……"


class SignInScreen(DeskScreen):
    """用户名 + 密码 → the window choice."""

    SUB_TITLE = "签到"

    BINDINGS = [
        Binding("f10", "app.quit", "退出"),
        # Priority: moving from the user name to the password must happen when the key
        # is read, not when the box gets to it — otherwise a burst of keys (a pasted
        # name, a remote console) lands the password in the user-name box.
        Binding("tab", "to_password", show=False, priority=True),
        Binding("enter", "to_password", show=False, priority=True),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="sign-in", classes="panel"):
            yield Static(Content("工作人员签到"), classes="panel-title")
            yield Static(Content(""), id="centre-name")
            yield Label("用户名")
            yield ClerkInput(placeholder="例如 clerk01", id="username", max_length=32)
            yield Label("密码")
            yield ClerkInput(
                placeholder="输入密码后按回车", password=True, id="password", max_length=128
            )
            yield Button("签到", variant="primary", id="sign-in-button")
            yield Static(Content(""), id="sign-in-message")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#username", Input).focus()
        if self.clerk_app.desk_ready:
            self.load_centre()
        else:
            self.show_opening(OPENING)
        mark_when_painted(self)

    def show_opening(self, text: str) -> None:
        """While the store opens: what it is doing, where the centre's name will be."""
        self.query_one("#centre-name", Static).update(Content(text))

    def desk_opened(self) -> None:
        self.load_centre()

    @work(thread=True, exit_on_error=False)
    def load_centre(self) -> CentreInfo | None:
        return self.desk.centre()

    def load_centre_done(self, centre: CentreInfo | None) -> None:
        code = self.desk.settings.centre.code
        text = (
            f"本机所属：{centre.name}"
            if centre
            else f"本机配置的中心“{code}”不在基础数据中，请检查配置 [centre] code"
        )
        self.query_one("#centre-name", Static).update(Content(text))

    def action_to_password(self) -> None:
        if self.focused is not self.query_one("#username", Input):
            raise SkipAction()  # Tab and Enter elsewhere keep their usual meaning
        self.set_focus(self.query_one("#password", Input))  # now, not via call_later

    @on(Input.Submitted, "#password")
    @on(Button.Pressed, "#sign-in-button")
    def _submit(self) -> None:
        username = self.query_one("#username", Input)
        password = self.query_one("#password", Input)
        if not username.value.strip():
            self._say("请输入用户名")
            username.focus()
        elif not password.value:
            self._say("请输入密码")
            password.focus()
        else:
            self._say("正在核对……", error=False)
            self.query_one("#sign-in-button", Button).disabled = True
            self.check(username.value, password.value)

    @work(thread=True, exit_on_error=False, exclusive=True)
    def check(self, username: str, password: str) -> SignedIn | None:
        desk = self.clerk_app.wait_for_desk()
        # None: the store did not open and CannotStartScreen has taken this screen's place.
        return desk.sign_in(username, password) if desk is not None else None

    def check_done(self, staff: SignedIn | None) -> None:
        if staff is None:
            return
        from screens.backoffice.queue import BackOfficeScreen
        from screens.start.windows import WindowScreen
        from screens.supervisor.floor import FloorScreen

        # A supervisor works the floor and the department's staff their back office, not a
        # window (F9 on the floor sits down at one).
        if staff.role == "supervisor":
            self.app.switch_screen(FloorScreen(staff))
        elif staff.role in ("reviewer", "head"):
            self.app.switch_screen(BackOfficeScreen(staff, signed_in_here=True))
        else:
            self.app.switch_screen(WindowScreen(staff))

    def check_refused(self, error: UserFacingError) -> None:
        self._say(error.message)
        self.query_one("#sign-in-button", Button).disabled = False
        password = self.query_one("#password", Input)
        password.value = ""
        password.focus()

    def worker_failed(self, name: str, error: BaseException) -> None:
        self.query_one("#sign-in-button", Button).disabled = False
        super().worker_failed(name, error)

    def _say(self, text: str, error: bool = True) -> None:
        message = self.query_one("#sign-in-message", Static)
        message.update(Content(text))
        message.set_class(error, "error")
