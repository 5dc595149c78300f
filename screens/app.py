"""The workstation app: built by :func:`make_app`, started by :func:`run_workstation`."""

from __future__ import annotations

import asyncio
import gc
import logging
import logging.handlers
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from clerk.clock import Clock, SystemClock
from clerk.errors import UserFacingError
from screens.start.sign_in import SignInScreen

# The first screen must not wait for the store's libraries (SQLAlchemy, Alembic, pydantic,
# pypinyin…): what needs them is imported where it is used, after the screen is up
# (tests/test_start_up_imports.py keeps it so).
if TYPE_CHECKING:
    from clerk.booking.slip import SlipPrinter
    from clerk.config import Settings
    from clerk.desk import Desk, Opened
    from clerk.papers.printer import PaperPrinter
    from clerk.queue.issuer import TicketPrinter
    from clerk.store.engine import Store
    from clerk.sync.status import SyncStatus

log = logging.getLogger(__name__)

SYNC_POLL_SECONDS = 1.5
"""How often the status line reads the local sync facts (two COUNT queries, in a thread)."""

INTERNAL_ERROR = "程序内部出错，刚才的操作没有完成。已记录到日志，请重试；如仍出错请联系管理员。"
PAINT_WAIT_S = 2.0
"""The start-up worker waits this long at most for the first screen to be painted."""


class SyncPulled(Message):
    """Rows came in from the central store (posted from the sync thread): every screen on the
    stack with a ``pulled`` method re-reads what it shows."""


@dataclass(frozen=True)
class Wiring:
    """What the composition root (cli) builds once settings are read: in the start-up worker."""

    settings: Settings
    print_ticket: TicketPrinter | None = None
    paper_printer: PaperPrinter | None = None
    print_booking_slip: SlipPrinter | None = None


class ClerkApp(App):
    """政务服务窗口工作台. Shows the sign-in screen at once and opens the store behind it.

    The start-up worker (``start_up``) reads the settings when the app was given a
    ``wire`` instead, opens the store and starts sync; signing in waits for it
    (:meth:`wait_for_desk`). A store that cannot open replaces the sign-in screen with
    :class:`CannotStartScreen`; bad settings end the app, and ``run_workstation`` raises them.
    """

    TITLE = "政务服务窗口工作台"
    CSS_PATH = "clerk.tcss"
    BINDINGS = [
        Binding("ctrl+q", "quit", "退出", show=False, priority=True),
        Binding("ctrl+c", "help_quit", show=False, system=True),
        # Declared here so the footer names it in Chinese instead of Textual's "palette".
        Binding("ctrl+p", "command_palette", "命令", show=False, priority=True),
        Binding("ctrl+e", "first_contact", "首问登记", show=False),
        Binding("ctrl+r", "invite_rating", "邀请评价", show=False),
    ]

    def __init__(
        self,
        settings: Settings | None,
        store: Store | None,
        clock: Clock,
        *,
        cursor_blink: bool = True,
        print_ticket: TicketPrinter | None = None,
        paper_printer: PaperPrinter | None = None,
        print_booking_slip: SlipPrinter | None = None,
        freeze_start_up: bool = False,
        wire: Callable[[], Wiring] | None = None,
    ) -> None:
        super().__init__()
        self._wire = wire
        """Builds settings and printers in the start-up worker (the CLI); tests give settings."""
        self.start_error: UserFacingError | None = None
        """Bad settings found by ``wire``: the app ended, the caller reports it."""
        self._painted = threading.Event()
        self._settled = threading.Event()
        """Set once the start-up worker is over, with a desk or without."""
        self.paper_printer = paper_printer
        """Prints notices on A4; given by the composition root, like ``print_ticket``."""
        self.freeze_start_up = freeze_start_up
        """Take what start-up made out of the garbage collector's reach (see attach_desk)."""
        self.print_ticket = print_ticket
        """Prints walk-in tickets; given by the composition root (screens never import printing)."""
        self.print_booking_slip = print_booking_slip
        """Prints 预约凭条 on the same ticket printer, like ``print_ticket``."""
        self.settings = settings
        self.store = store
        """Given by tests; None means the start-up screen opens it from ``settings``."""
        self.clock = clock
        self.cursor_blink = cursor_blink
        self._desk: Desk | None = None
        self.sync_status: SyncStatus | None = None
        """The last status read; screens mounted later show it at once."""
        self._reading_sync = False
        self._arriving = self._arrive_again = False
        """A check of arrived decisions runs (``check_arrived``); another was asked for meanwhile."""

    @property
    def desk_ready(self) -> bool:
        return self._desk is not None

    def wait_for_desk(self) -> Desk | None:
        """For thread workers (signing in): the desk once the store is open; None if it failed."""
        self._settled.wait()
        return self._desk

    @property
    def desk(self) -> Desk:
        if self._desk is None:
            raise RuntimeError("the desk is used before the store was opened")
        return self._desk

    def attach_desk(self, desk: Desk) -> None:
        """Called once by the start-up worker's handler when the store is open (and sync started)."""
        self._desk = desk
        self.store = desk.store
        desk.use_queue(printer=self.print_ticket)
        desk.use_paper_printer(self.paper_printer)
        desk.use_slip_printer(self.print_booking_slip)
        if self.freeze_start_up:
            # A full collection walks every object the process holds: ~370k once the store
            # is open (Textual, SQLAlchemy, pydantic, reference data), 80-240 ms here, and
            # it may fall on any key press. Start-up's objects live as long as the process:
            # freezing them leaves later collections only what the day's work creates.
            gc.collect()
            gc.freeze()
        self.poll_sync()
        if desk.sync_configured:
            self.set_interval(SYNC_POLL_SECONDS, self.poll_sync)
            desk.when_pulled(lambda _n: self.post_message(SyncPulled()))  # post_message is thread-safe

    def on_sync_pulled(self, _message: SyncPulled) -> None:
        for screen in self.screen_stack:
            pulled = getattr(screen, "pulled", None)
            if callable(pulled):
                pulled()
        self.check_arrived()  # a decision's paper prints now, not at the next tick

    @property
    def sync_running(self) -> bool:
        """A sync agent runs in the background (the counter has a central store)."""
        return self._desk is not None and self._desk.sync_configured

    def poll_sync(self) -> None:
        """Read the sync status off the UI thread; skipped while the last read is still going.
        Papers of the chief's decisions that arrived for the seated clerk print here too."""
        if self._desk is None or self._reading_sync:
            return
        self.check_arrived()
        self._reading_sync = True
        self.run_worker(
            self._desk.sync_status, name="sync_status", thread=True, exit_on_error=False
        )

    def check_arrived(self) -> None:
        """Print and announce the decisions that came in for the person signed in on top (a
        window clerk, or a reviewer whose 退回补正 came back). One check at a time, never
        cancelled: a cancelled one had printed its paper but lost its announcement; a check
        asked for meanwhile runs when this one ends."""
        if self._arriving:
            self._arrive_again = True
            return
        staffed = next((s for s in reversed(self.screen_stack) if getattr(s, "staff", None) is not None), None)
        if staffed is None or self._desk is None:
            return
        signoff, staff_id = self._desk.signoff, staffed.staff.staff_id
        self._arriving, self._arrive_again = True, False
        self.run_worker(lambda: (*signoff.print_arrived(staff_id), *signoff.decisions_arrived(staff_id)),
                        name="arrived", thread=True, exit_on_error=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Only the app's own workers arrive here (the message does not bubble from screens).
        if event.worker.name == "start_up" and event.worker.is_finished:
            self._started(event.worker)
            return
        if event.worker.name == "arrived":
            if not event.worker.is_finished:
                return
            self._arriving = False
            if event.state == WorkerState.SUCCESS:
                for message in event.worker.result:
                    self.notify(message, title="首席事务代表已签批", timeout=15)
            elif event.worker.error is not None:  # tried again at the next tick
                log.warning("printing arrived decisions failed: %r", event.worker.error)
            if self._arrive_again:
                self.check_arrived()
            return
        if event.worker.name != "sync_status" or not event.worker.is_finished:
            return
        self._reading_sync = False
        if event.state == WorkerState.SUCCESS:
            self.sync_status = event.worker.result
            self.show_sync()
        elif event.worker.error is not None:
            # A busy or locked file now and then: keep the last status, try again next tick.
            log.warning("reading the sync status failed: %r", event.worker.error)

    def show_sync(self) -> None:
        from screens.widgets.sync_bar import SyncView

        now = self.clock.now()
        for screen in self.screen_stack:
            for view in screen.query(SyncView):
                view.show_sync(self.sync_status, now, self.sync_running)

    def force_sync(self) -> None:
        """F5: a sync round now; it runs on the agent's thread, the status line shows the result."""
        from screens.widgets.sync_bar import NOT_CONFIGURED

        if self._desk is None or not self._desk.force_sync():
            self.notify(NOT_CONFIGURED, title="无法同步", severity="warning", timeout=5)
            return
        self.notify("正在与中心库同步……", title="立即同步", timeout=3)
        self.set_timer(0.5, self.poll_sync)

    def on_unmount(self) -> None:
        # Stop the agent before the store is disposed; its thread must not outlive the app.
        if self._desk is not None:
            self._desk.stop_sync()

    async def on_mount(self) -> None:
        self.run_worker(self._start_up, name="start_up", thread=True, exit_on_error=False)
        await self.push_screen(SignInScreen())
        self.call_after_refresh(self._painted.set)

    def _start_up(self) -> Opened:
        """In a thread: settings (when wired), the store, sync. Imports its libraries itself."""
        # Importing SQLAlchemy & co. holds the GIL for long stretches: let the screen paint first.
        self._painted.wait(PAINT_WAIT_S)
        if self._wire is not None:
            try:
                wiring = self._wire()
            except UserFacingError as exc:
                self.start_error = exc
                raise
            self.settings, self.print_ticket, self.paper_printer, self.print_booking_slip = (
                wiring.settings, wiring.print_ticket, wiring.paper_printer, wiring.print_booking_slip,
            )
            log_to_file(wiring.settings.store_path().parent / "clerk.log")
        from clerk.desk import open_desk

        opened = open_desk(self.settings, self.clock, self.store, say=lambda text: self.call_from_thread(self._say, text))
        opened.desk.start_sync()  # its own thread; without a central store nothing runs
        return opened

    def _say(self, text: str) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, SignInScreen):
                screen.show_opening(text)

    def _started(self, worker: Worker) -> None:
        try:
            if worker.state == WorkerState.SUCCESS:
                self._opened(worker.result)
            elif self.start_error is not None:
                self.exit(return_code=2)  # bad settings: said on the terminal, as before the TUI
            elif isinstance(worker.error, UserFacingError):
                log.warning("cannot start: %s", worker.error.detail)
                self._cannot_start(worker.error.message)
            else:
                log.error("start-up failed", exc_info=worker.error)
                self._cannot_start(f"启动失败：{type(worker.error).__name__}: {worker.error}")
        finally:
            self._settled.set()

    def _opened(self, opened: Opened) -> None:
        self.attach_desk(opened.desk)
        report = opened.loaded
        if report is not None:
            self.notify(
                f"首次启动：已从 fixtures 载入基础数据（事项 {report.items} 个，"
                f"中心 {report.centres} 个，工作人员 {report.staff} 名）。",
                title="基础数据已载入",
                timeout=8,
            )
        for screen in self.screen_stack:
            if isinstance(screen, SignInScreen):
                screen.desk_opened()

    def _cannot_start(self, message: str) -> None:
        from screens.start.cannot_start import CannotStartScreen

        self.switch_screen(CannotStartScreen(message))

    def report_error(self, error: BaseException) -> None:
        """The one place worker errors end up: tell the clerk in plain Chinese, keep running."""
        if isinstance(error, UserFacingError):
            log.info("refused: %s", error.detail)
            self.notify(error.message, title="操作未完成", severity="error", timeout=8)
            return
        from screens.dialogs.error import ErrorDialog

        log.error("worker failed", exc_info=error)
        self.push_screen(ErrorDialog(INTERNAL_ERROR, f"{type(error).__name__}: {error}"))

    def action_first_contact(self) -> None:
        from screens.ledgers import keys as ledger_keys

        ledger_keys.open_first_contact(self)

    def action_invite_rating(self) -> None:
        from screens.ledgers import keys as ledger_keys

        ledger_keys.invite_rating(self)

    async def action_quit(self) -> None:
        """Ctrl+Q: first deal with a ticket the window still holds (see screens.queue.left_open);
        Ctrl+Q again on that warning quits anyway."""
        from screens.queue.left_open import SettleTicket, settle_then_leave

        seated = next((s for s in reversed(self.screen_stack) if getattr(s, "seat", None) is not None), None)
        if seated is None or self._desk is None or isinstance(self.screen, SettleTicket):
            self.exit()
            return
        window_id = seated.seat.window.id
        ticket = await asyncio.to_thread(self._desk.queue.holding, window_id)
        if ticket is None:
            self.exit()
            return
        settle_then_leave(self, self._desk.queue, ticket, window_id, seated.staff.staff_id, "退出", self.exit)

    def action_help_quit(self) -> None:
        # Textual's own hint is in English; clerks reach for Ctrl+C out of habit.
        self.notify("退出请按 Ctrl+Q；已签到的请先在主页按 F10 签退。", title="Ctrl+C 不会退出")

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The command palette lists the current screen's keys that work now (for this role,
        in this state), in Chinese, and 退出."""
        for binding in screen.BINDINGS:
            if isinstance(binding, Binding) and binding.show and binding.description:
                if not screen.check_action(binding.action, ()):
                    continue  # a key the screen refuses here would do nothing from the palette
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
    settings: Settings | None,
    store: Store | None = None,
    clock: Clock | None = None,
    *,
    cursor_blink: bool = True,
    print_ticket: TicketPrinter | None = None,
    paper_printer: PaperPrinter | None = None,
    print_booking_slip: SlipPrinter | None = None,
    freeze_start_up: bool = False,
    wire: Callable[[], Wiring] | None = None,
) -> ClerkApp:
    """Build the app; tests pass a prepared store and a FrozenClock, the CLI passes ``wire``."""
    return ClerkApp(
        settings, store, clock or SystemClock(), cursor_blink=cursor_blink, print_ticket=print_ticket,
        paper_printer=paper_printer, print_booking_slip=print_booking_slip, freeze_start_up=freeze_start_up,
        wire=wire,
    )


def run_workstation(wire: Callable[[], Wiring]) -> int:
    """Run the TUI until the clerk quits; returns the process exit code.

    ``wire`` reads the settings and builds the printers, in the start-up worker once the
    sign-in screen is up; a UserFacingError it raises (bad settings) is raised again here,
    after the terminal is restored.
    """
    hold_logs()
    app = make_app(None, freeze_start_up=True, wire=wire)
    try:
        app.run()
    finally:
        if app.store is not None:
            app.store.dispose()
    if app.start_error is not None:
        raise app.start_error
    return app.return_code or 0


def hold_logs() -> None:
    """Keep log records in memory until the log file is known (the settings name it).

    A stderr handler would write over the full-screen UI.
    """
    root = logging.getLogger()
    _drop_console_handlers(root)
    root.addHandler(logging.handlers.MemoryHandler(capacity=10_000, flushLevel=logging.CRITICAL + 1))
    root.setLevel(min(root.level or logging.WARNING, logging.INFO))


def log_to_file(path: Path) -> None:
    """Send the logs to a file beside the store, with what was held since start."""
    root = logging.getLogger()
    held = [h for h in root.handlers if isinstance(h, logging.handlers.MemoryHandler)]
    _drop_console_handlers(root)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        handler = None
    if handler is not None:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    for memory in held:
        memory.setTarget(handler)
        memory.flush()
        root.removeHandler(memory)
    root.setLevel(min(root.level or logging.WARNING, logging.INFO))


def _drop_console_handlers(root: logging.Logger) -> None:
    for handler in list(root.handlers):
        if isinstance(handler, logging.StreamHandler) and not isinstance(handler, logging.FileHandler):
            root.removeHandler(handler)
