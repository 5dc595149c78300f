"""The first screen: open the local store, load fixtures on the very first start."""

from __future__ import annotations

import logging

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Footer, Header, Static

from clerk.desk import Opened, open_desk
from clerk.errors import UserFacingError
from screens.base import DeskScreen

log = logging.getLogger(__name__)


class StartupScreen(DeskScreen):
    """Shows progress while the store opens; turns into a plain message if it cannot.

    Nothing else can run without a store, so every failure stays on this screen
    (F10 quits) instead of going to the app's error handler.
    """

    SUB_TITLE = "启动"

    BINDINGS = [Binding("f10", "leave", "退出")]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="startup", classes="panel"):
            yield Static(Content("正在打开本地数据库……"), id="startup-status")
        yield Footer()

    def on_mount(self) -> None:
        self.open_store()

    @work(thread=True, exit_on_error=False)
    def open_store(self) -> Opened:
        app = self.clerk_app
        opened = open_desk(app.settings, app.clock, app.store, say=lambda text: app.call_from_thread(self._say, text))
        opened.desk.start_sync()  # its own thread; without a central store nothing runs
        return opened

    def _say(self, text: str) -> None:
        self.query_one("#startup-status", Static).update(Content(text))

    def open_store_done(self, opened: Opened) -> None:
        from screens.start.sign_in import SignInScreen

        self.clerk_app.attach_desk(opened.desk)
        report = opened.loaded
        if report is not None:
            self.notify(
                f"首次启动：已从 fixtures 载入基础数据（事项 {report.items} 个，"
                f"中心 {report.centres} 个，工作人员 {report.staff} 名）。",
                title="基础数据已载入",
                timeout=8,
            )
        self.app.switch_screen(SignInScreen())

    def open_store_refused(self, error: UserFacingError) -> None:
        log.warning("cannot start: %s", error.detail)
        self._show_problem(error.message)

    def worker_failed(self, name: str, error: BaseException) -> None:
        # Without a store nothing else can run: the failure stays on this screen.
        log.error("start-up failed", exc_info=error)
        self._show_problem(f"启动失败：{type(error).__name__}: {error}")

    def action_leave(self) -> None:
        # A start that failed ends with a non-zero exit code, for scripts and service units.
        self.app.exit(return_code=2 if self.has_class("problem") else 0)

    def _show_problem(self, message: str) -> None:
        self.sub_title = "无法启动"
        status = self.query_one("#startup-status", Static)
        status.update(Content.assemble((message, "bold"), "\n\n", ("按 F10 退出程序。", "dim")))
        self.query_one("#startup").add_class("problem")
        self.add_class("problem")
