"""The counter's service facade for the screens: plain data in, plain data out.

The TUI talks to the core through a :class:`Desk` (and :func:`open_desk` at
start-up). Every method may block on the database or on argon2, so the screens
call them from thread workers; nothing here knows about Textual.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import update
from sqlmodel import col, select

from clerk import catalogue, workflows
from clerk.backoffice.service import BackOfficeDesk
from clerk.booking.counter import CounterBooking
from clerk.booking.slip import SlipPrinter
from clerk.bootstrap import InitReport, has_reference_data, load_reference_data, open_store
from clerk.calendar import WorkCalendar
from clerk.cases.desk import CaseDesk
from clerk.cases.states import ACTION_LABELS as CASE_ACTIONS
from clerk.clock import Clock, local_today
from clerk.config import Settings
from clerk.floor.service import FloorDesk
from clerk.ids import new_id
from clerk.ledgers import settings as ledger_settings
from clerk.ledgers.service import LedgerDesk
from clerk.outbox import Workbench
from clerk.papers.printer import PaperPrinter
from clerk.papers.prints import NoticePrints
from clerk.queue import settings as queue_settings
from clerk.queue.caller import Caller, LocalCaller
from clerk.queue.desk import QueueDesk
from clerk.queue.issuer import Issuer, LocalIssuer, TicketPrinter
from clerk.reports.periods import parse_time
from clerk.shifts.service import ShiftDesk
from clerk.signoff.service import SignOffDesk
from clerk.staff.auth import SignedIn, SignInError, sign_in
from clerk.staff.sessions import close_session, open_session
from clerk.store.engine import Store
from clerk.store.local import SyncConflict
from clerk.store.reference import (
    WINDOW_KINDS,
    CalendarDay,
    Centre,
    ServiceLine,
    Window,
    WindowLine,
)
from clerk.sync import meta as sync_meta
from clerk.sync.agent import SyncAgent
from clerk.sync.call_notes import NOTE_NAME
from clerk.sync.enrol import central_url
from clerk.sync.factory import build_agent
from clerk.sync.queue_remote import LinkSettings, QueueLink, RemoteCaller, RemoteIssuer
from clerk.sync.status import SyncStatus, sync_status

WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


@dataclass(frozen=True)
class CentreInfo:
    code: str
    name: str
    level: str


@dataclass(frozen=True)
class WindowChoice:
    """One window of the configured centre, as the clerk picks it."""

    id: str
    number: int
    name: str
    kind: str
    kind_label: str
    lines: tuple[str, ...]
    """The service lines it serves, e.g. ``("A 企业开办", "B 社保医保")``."""


@dataclass(frozen=True)
class Seat:
    """A clerk sitting at a window (one ``seat.take`` mutation)."""

    id: str
    window: WindowChoice


@dataclass(frozen=True)
class Today:
    """Today's date in Beijing time and whether the centre works."""

    date: date
    working: bool
    provisional: bool
    day_name: str
    """国庆节 / 调休上班 / 周末, or empty for an ordinary working day."""

    @property
    def label(self) -> str:
        """``2026年10月10日 星期六 · 工作日（调休上班）``."""
        d = self.date
        kind = "工作日" if self.working else "休息日"
        name = f"（{self.day_name}）" if self.day_name else ""
        provisional = "（暂定）" if self.provisional else ""
        return f"{d.year}年{d.month}月{d.day}日 {WEEKDAYS[d.weekday()]} · {kind}{name}{provisional}"


ACTION_LABELS = {
    "seat.take": "窗口就座",
    "seat.leave": "签退",
    "audit.record": "审计记录",
    "ticket.issue": "取号",
    "ticket.call": "叫号",
    "ticket.recall": "重呼",
    "ticket.no_show": "过号",
    "ticket.start": "开始办理",
    "ticket.finish": "办结",
    "ticket.transfer": "转窗口",
    "ticket.park": "挂起",
    "ticket.requeue": "签退时重新排队",
    "ticket.resume": "恢复办理",
    "window.pause": "暂停窗口",
    "window.resume": "恢复窗口",
    "queue.end_of_day": "日终清号",
    "window.assign_lines": "调整窗口业务",
    "staff.sign_in": "签到",
    "staff.sign_out": "签退",
    "notice.print": "打印通知书",
    "shift.note": "班次说明",
    "shift.sign": "班次签名",
    "floor.unlock_account": "解锁账号",
    "floor.enrol_code": "生成登记码",
    "case.open": "收件",
    "case.mark": "核对材料",
    "signoff.decide": "首席代表签批",
    "signoff.report": "先批后报报告",
    **{f"case.{action}": label for action, label in CASE_ACTIONS.items()},
    NOTE_NAME: "叫号冲突",
}
"""Mutation names as the clerk knows the action; unknown names are shown as they are."""


def action_label(name: str) -> str:
    return ACTION_LABELS.get(name, name)


@dataclass(frozen=True)
class ConflictLine:
    """One action the central store refused, as the conflicts screen lists it."""

    id: str
    mutation_id: int
    at: datetime
    action: str
    reason: str
    seen: bool


class Desk:
    """Everything the screens may ask of the core, for one counter."""

    def __init__(self, settings: Settings, store: Store, clock: Clock) -> None:
        workflows.install()
        self.settings = settings
        self.store = store
        self.clock = clock
        self._bench = Workbench(store, clock)
        self._agent: SyncAgent | None = None
        self._queue: QueueDesk | None = None
        self._queue_parts: tuple[Caller | None, Issuer | None, TicketPrinter | None] = (None, None, None)
        self._queue_link: QueueLink | None = None
        self._paper_printer: PaperPrinter | None = None
        self._slip_printer: SlipPrinter | None = None
        self._notices: NoticePrints | None = None
        self._catalogue: catalogue.Index | None = None
        self._cases: CaseDesk | None = None
        self._signoff: SignOffDesk | None = None
        self._ledgers: LedgerDesk | None = None

    # -- queue calling --------------------------------------------------------------

    def use_queue(
        self, caller: Caller | None = None, issuer: Issuer | None = None, printer: TicketPrinter | None = None
    ) -> None:
        """Choose how tickets are called, issued and printed (None: local, local, no printer).

        The composition root passes the central store's caller and issuer when the counter
        is enrolled, and a printer function (screens may not import ``printing``).
        """
        self._queue_parts = (caller, issuer, printer)
        self._queue = None

    @property
    def queue(self) -> QueueDesk:
        """Calling, walk-ins, kiosk and 潮汐窗口 (see :mod:`clerk.queue.desk`)."""
        if self._queue is None:
            caller, issuer, printer = self._queue_parts
            local_caller = LocalCaller(self._bench, self.store, self.clock, tentative=self.sync_configured)
            local_issuer = LocalIssuer(self._bench, self.store, self.clock)
            if self._agent is not None:
                # Online, the central store arbitrates calls and numbers tickets in its own
                # band; these fall back to the local ones when the line is down.
                client, link = self._agent.client, self._link()
                local_caller = RemoteCaller(self.store, self.clock, client, local_caller, link=link,
                                            push=self._agent.push_pending)
                local_issuer = RemoteIssuer(self.store, self.clock, client, local_issuer, link=link)
            self._queue = QueueDesk(
                self.settings.centre.code, self.store, self.clock, self._bench,
                caller or local_caller, issuer or local_issuer, printer, central=self.sync_configured,
            )
        return self._queue

    def _link(self) -> QueueLink:
        """The one link of this counter's online requests (queue and bookings share its hold-off)."""
        if self._queue_link is None:
            s = self.settings.sync
            self._queue_link = QueueLink(self.store, self._agent.client,
                                         settings=LinkSettings(s.call_timeout_s, s.call_tries, s.offline_hold_s))
        return self._queue_link

    @property
    def bookings(self) -> CounterBooking | None:
        """Booking a slot for a visitor or a caller; None on a counter with no central store,
        which holds no bookings (see :mod:`clerk.booking.counter`)."""
        if self._agent is None:
            return None
        return CounterBooking(self.store, self.clock, self._link(), self.settings.centre.code, self._slip_printer)

    def use_slip_printer(self, printer: SlipPrinter | None) -> None:
        """Prints 预约凭条 on the ticket printer; given by the composition root (None: not printed)."""
        self._slip_printer = printer

    def use_paper_printer(self, printer: PaperPrinter | None) -> None:
        """The A4 printer for notices, given by the composition root (None: no printing)."""
        self._paper_printer = printer
        self._notices = None

    @property
    def notices(self) -> NoticePrints:
        """Printing and reprinting stored notices (see :mod:`clerk.papers.prints`)."""
        if self._notices is None:
            self._notices = NoticePrints(self._bench, self.store, self.clock, self._paper_printer)
        return self._notices

    @property
    def cases(self) -> CaseDesk:
        """Cases: open, checklist, outcomes and their papers (see :mod:`clerk.cases.desk`)."""
        if self._cases is None or self._cases.notices is not self.notices:
            self._cases = CaseDesk(self._bench, self.store, self.clock, self.settings.centre.code, self.notices,
                                   public_base=central_url(self.store, self.settings.sync.central_url),
                                   near_days=self.settings.cases.near_days,
                                   supplement_days=self.settings.cases.supplement_days)
        return self._cases

    @property
    def backoffice(self) -> BackOfficeDesk:
        """The department's back office and the 出件 queue (see :mod:`clerk.backoffice.service`)."""
        return BackOfficeDesk(self.cases)

    @property
    def signoff(self) -> SignOffDesk:
        """The chief representative's queue and signed decisions (see :mod:`clerk.signoff.service`)."""
        if self._signoff is None or self._signoff.notices is not self.notices:
            auth = self.settings.auth
            self._signoff = SignOffDesk(self._bench, self.store, self.clock, self.settings.centre.code, self.notices,
                                        auth.max_failures, auth.lockout_minutes)
        return self._signoff

    @property
    def ledgers(self) -> LedgerDesk:
        """首问负责, 办不成事 and 好差评 (see :mod:`clerk.ledgers.service`)."""
        if self._ledgers is None:
            self._ledgers = LedgerDesk(self._bench, self.store, self.clock)
        return self._ledgers

    @property
    def floor(self) -> FloorDesk:
        """The supervisor's live floor and floor actions (see :mod:`clerk.floor.service`)."""
        central = self._agent.client if self._agent is not None else None
        return FloorDesk(self._bench, self.store, self.clock, self.settings.centre.code, central)

    @property
    def shifts(self) -> ShiftDesk:
        """The supervisor's shift notes and signatures (see :mod:`clerk.shifts.service`)."""
        r, auth = self.settings.report, self.settings.auth
        hours = (parse_time(r.shift_start), parse_time(r.shift_end))
        return ShiftDesk(self._bench, self.store, self.clock, self.settings.centre.code, hours, auth.max_failures,
                         auth.lockout_minutes)

    def sign_in(self, username: str, password: str) -> SignedIn:
        """Check the password (argon2, ~130 ms) and open a signed staff session at this
        counter (``staff.sign_in``); raises SignInError with a Chinese message."""
        auth = self.settings.auth
        unlocked = sign_in(
            self.store, self.clock, username, password, auth.max_failures, auth.lockout_minutes
        )
        if unlocked.staff.centre_code != self.settings.centre.code:
            # A counter serves one centre; its windows and queue are not another centre's.
            raise SignInError(f"{unlocked.staff.name}不是本中心的工作人员，不能在本机签到")
        return open_session(self._bench, unlocked)

    def sign_out(self, staff: SignedIn) -> None:
        """End the staff session opened at sign-in (``staff.sign_out``)."""
        close_session(self._bench, staff)

    def centre(self) -> CentreInfo | None:
        """The centre this counter is configured for, or None if the reference data lacks it."""
        with self.store.session() as session:
            row = session.get(Centre, self.settings.centre.code)
        return CentreInfo(row.code, row.name, row.level) if row else None

    def windows(self) -> list[WindowChoice]:
        """Windows of the configured centre, by number, with their kind and lines."""
        code = self.settings.centre.code
        with self.store.session() as session:
            windows = session.exec(
                select(Window).where(Window.centre_code == code).order_by(col(Window.number))
            ).all()
            served = session.exec(
                select(WindowLine.window_id, ServiceLine.letter, ServiceLine.name)
                .join(ServiceLine, col(ServiceLine.id) == col(WindowLine.line_id))
                .where(ServiceLine.centre_code == code)
                .order_by(col(ServiceLine.letter))
            ).all()
        lines: dict[str, list[str]] = {}
        for window_id, letter, name in served:
            lines.setdefault(window_id, []).append(f"{letter} {name}")
        return [
            WindowChoice(
                w.id,
                w.number,
                w.name,
                w.kind,
                WINDOW_KINDS.get(w.kind, w.kind),
                tuple(lines.get(w.id, ())),
            )
            for w in windows
        ]

    def take_seat(self, staff: SignedIn, window: WindowChoice) -> Seat:
        """Record that ``staff`` sits at ``window`` (mutation ``seat.take``)."""
        seat_id = new_id()
        self._bench.apply(
            "seat.take",
            {"id": seat_id, "staff_id": staff.staff_id, "window_id": window.id},
            staff.staff_id,
        )
        return Seat(seat_id, window)

    def leave_seat(self, staff: SignedIn, seat: Seat, *, leave_open: bool = False) -> None:
        """Record that ``staff`` left the window and signed out (``seat.leave``, ``staff.sign_out``).

        Refused (:class:`TicketLeftOpen`) while the window holds a ticket, unless
        ``leave_open``: the next clerk there would inherit it."""
        if not leave_open:
            self.queue.refuse_if_holding(seat.window.id)
        self._bench.apply("seat.leave", {"id": seat.id}, staff.staff_id)
        self.sign_out(staff)

    def today(self) -> Today:
        """Today's date (Beijing time, from the clock) and its working-day status."""
        day = local_today(self.clock)
        with self.store.session() as session:
            rows = session.exec(select(CalendarDay)).all()
        cal = WorkCalendar.from_rows(rows, fallback=self.settings.calendar.fallback)
        info = cal.is_working_day(day)
        return Today(day, info.working, info.provisional, info.name)

    def search(self, text: str) -> list[catalogue.ItemSummary]:
        """Items matching ``text`` by name, alias, pinyin or code; all items for empty text."""
        index = self._catalogue
        if index is None:
            with self.store.session() as session:
                index = self._catalogue = catalogue.load_index(session)
        return index.search(text)

    @property
    def catalogue_loaded(self) -> bool:
        """The index is in memory: a search is a scan of short strings, no database."""
        return self._catalogue is not None

    def reload_catalogue(self) -> None:
        """Read the catalogue afresh at the next search (the catalogue screen opens: a pull
        may have changed it since)."""
        self._catalogue = None

    def guide(self, code: str) -> catalogue.ItemGuide | None:
        with self.store.session() as session:
            return catalogue.guide(session, code)

    # -- sync with the central store ---------------------------------------------

    def sync_status(self) -> SyncStatus:
        """What the status line shows; one source of truth with ``clerk sync`` (two COUNTs)."""
        return sync_status(self.store, self.clock)

    @property
    def sync_configured(self) -> bool:
        """A sync agent runs (the counter is enrolled or has a central URL)."""
        return self._agent is not None

    def start_sync(self) -> bool:
        """Start the background sync agent once, if this counter has a central store."""
        if self._agent is None:
            self._agent = build_agent(self.store, self.clock, self.settings)
            if self._agent is not None:
                self._agent.start()
                self._queue = None  # calls and tickets now go through the central store
        return self._agent is not None

    def when_pulled(self, callback: Callable[[int], None]) -> None:
        """``callback(n)`` on the sync thread whenever a pull lands ``n`` changes."""
        if self._agent is not None:
            self._agent.on_landed = callback

    def stop_sync(self, timeout: float = 3.0) -> None:
        """Stop the agent's thread; an HTTP call in flight is abandoned (its thread is a daemon)."""
        agent, self._agent = self._agent, None
        if agent is not None:
            agent.stop(timeout)
            agent.client.close()

    def force_sync(self) -> bool:
        """Ask the agent for a round now (F5); False when there is no central store."""
        if self._agent is None:
            return False
        self._agent.nudge()
        return True

    def conflicts(self, limit: int = 500) -> list[ConflictLine]:
        """Refused actions, newest first, with the action named in plain Chinese."""
        with self.store.session() as session:
            rows = session.exec(
                select(SyncConflict).order_by(col(SyncConflict.at).desc()).limit(limit)
            ).all()
        return [
            ConflictLine(r.id, r.mutation_id, r.at, action_label(r.name), r.reason, r.seen)
            for r in rows
        ]

    def mark_conflicts_seen(self, ids: list[str]) -> None:
        """The clerk has looked at these. Conflicts are local records, not mutations."""
        if not ids:
            return
        with self.store.write() as session:
            session.execute(
                update(SyncConflict).where(col(SyncConflict.id).in_(ids)).values(seen=True)
            )


@dataclass(frozen=True)
class Opened:
    desk: Desk
    loaded: InitReport | None
    """Set when this start loaded the reference data from fixtures (first start)."""


def _is_enrolled(store: Store) -> bool:
    with store.session() as session:
        return sync_meta.credential(session) is not None


FIRST_START = "首次启动：正在载入基础数据，并为工作人员生成签名密钥，需要几秒钟……"


def open_desk(
    settings: Settings, clock: Clock, store: Store | None = None, say: Callable[[str], None] | None = None
) -> Opened:
    """Open (or take) the local store and load fixtures into it on the very first start.

    ``say`` is told what takes long (the first start derives every demo staff member's
    keys). Raises StoreError for a corrupt or locked file and FixtureError for bad
    fixture files, both with Chinese messages; neither modifies the file.
    """
    store = store or open_store(settings)
    queue_settings.configure_from(settings)  # the calling rules of this centre, for the handlers
    ledger_settings.configure_from(settings)  # the ledgers' time limits, likewise
    # An enrolled counter takes its reference data from the central store (`clerk enrol`
    # pulls it at once); only a counter working alone starts from the fixture files.
    fresh = not has_reference_data(store) and not _is_enrolled(store)
    if fresh and say is not None:
        say(FIRST_START)
    loaded = load_reference_data(settings, store) if fresh else None
    return Opened(Desk(settings, store, clock), loaded)
