"""The workstation app: built by :func:`make_app`, started by :func:`run_workstation`."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from clerk.clock import Clock, SystemClock
from clerk.config import Settings
from clerk.desk import Desk
from clerk.errors import UserFacingError
from clerk.store.engine import Store
from screens.dialogs import ErrorDialog
from screens.startup import StartupScreen

log = logging.getLogger(__name__)

INTERNAL_ERROR = "程序内部出错，刚才的操作没有完成。已记录到日志，请重试；如仍出错请联系管理员。"


class ClerkApp(App):
    """政务服务窗口工作台. Starts on the start-up screen, which opens the store."""

    TITLE = "政务服务窗口工作台"
    CSS_PATH = "clerk.tcss"
    BINDINGS = [
        Binding("ctrl+q", "quit", "退出", show=False, priority=True),
        Binding("ctrl+c", "help_quit", show=False, system=True),
        # Declared here so the footer names it in Chinese instead of Textual's "palette".
        Binding("ctrl+p", "command_palette", "命令", show=False, priority=True),
    ]

    def __init__(
        self, settings: Settings, store: Store | None, clock: Clock, *, cursor_blink: bool = True
    ) -> None:
        super().__init__()
        self.settings = settings
        self.store = store
        """Given by tests; None means the start-up screen opens it from ``settings``."""
        self.clock = clock
        self.cursor_blink = cursor_blink
        self._desk: Desk | None = None

    @property
    def desk(self) -> Desk:
        if self._desk is None:
            raise RuntimeError("the desk is used before the store was opened")
        return self._desk

    def attach_desk(self, desk: Desk) -> None:
        """Called once by the start-up screen when the store is open."""
        self._desk = desk
        self.store = desk.store

    def on_mount(self) -> None:
        self.push_screen(StartupScreen())

    def report_error(self, error: BaseException) -> None:
        """The one place worker errors end up: tell the clerk in plain Chinese, keep running."""
        if isinstance(error, UserFacingError):
            log.info("refused: %s", error.detail)
            self.notify(error.message, title="操作未完成", severity="error", timeout=8)
            return
        log.error("worker failed", exc_info=error)
        self.push_screen(ErrorDialog(INTERNAL_ERROR, f"{type(error).__name__}: {error}"))

    def action_help_quit(self) -> None:
        # Textual's own hint is in English; clerks reach for Ctrl+C out of habit.
        self.notify("退出请按 Ctrl+Q；已签到的请先在主页按 F10 签退。", title="Ctrl+C 不会退出")

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The command palette lists the current screen's keys, in Chinese, and 退出."""
        for binding in screen.BINDINGS:
            if isinstance(binding, Binding) and binding.show and binding.description:
                yield SystemCommand(
                    binding.description,
                    f"快捷键 {binding.key.upper()}",
                    _runner(screen, binding.action),
                )
        yield SystemCommand("退出程序", "关闭工作台（Ctrl+Q）", self.action_quit)


def _runner(screen: Screen, action: str):
    async def run() -> None:
        await screen.run_action(action)

    return run


def make_app(
    settings: Settings,
    store: Store | None = None,
    clock: Clock | None = None,
    *,
    cursor_blink: bool = True,
) -> ClerkApp:
    """Build the app; tests pass a prepared store and a FrozenClock, the CLI passes neither."""
    return ClerkApp(settings, store, clock or SystemClock(), cursor_blink=cursor_blink)


def run_workstation(settings: Settings) -> int:
    """Run the TUI until the clerk quits; returns the process exit code."""
    _log_to_file(settings.store_path().parent / "clerk.log")
    app = make_app(settings)
    try:
        app.run()
    finally:
        if app.store is not None:
            app.store.dispose()
    return app.return_code or 0


def _log_to_file(path: Path) -> None:
    # A stderr handler would write over the full-screen UI; send logs to a file beside the store.
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, logging.StreamHandler) and not isinstance(
            handler, logging.FileHandler
        ):
            root.removeHandler(handler)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        return
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(min(root.level or logging.WARNING, logging.INFO))
