"""The counter's service facade for the screens: plain data in, plain data out.

The TUI talks to the core through a :class:`Desk` (and :func:`open_desk` at
start-up). Every method may block on the database or on argon2, so the screens
call them from thread workers; nothing here knows about Textual.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import col, func, select

from clerk import catalogue
from clerk.auth import SignedIn, SignInError, sign_in
from clerk.bootstrap import InitReport, has_reference_data, load_reference_data, open_store
from clerk.calendar import WorkCalendar
from clerk.clock import Clock, local_time, local_today
from clerk.config import Settings
from clerk.ids import new_id
from clerk.outbox import Workbench
from clerk.store.engine import Store
from clerk.store.local import Outbox
from clerk.store.reference import (
    WINDOW_KINDS,
    CalendarDay,
    Centre,
    ServiceLine,
    Window,
    WindowLine,
)

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


@dataclass(frozen=True)
class SyncState:
    """What the clerk must always see about the central store (PRODUCT.md §8)."""

    configured: bool
    online: bool | None = None
    """None while unknown (no attempt yet)."""
    pending: int = 0
    oldest_pending_at: datetime | None = None
    last_ack_at: datetime | None = None

    def describe(self, now: datetime) -> str:
        """One line for a status area, e.g. ``中心库：离线 · 待同步 3 条（最早 12 分钟前）``."""
        return f"中心库：{self.summary(now)}"

    def summary(self, now: datetime) -> str:
        """The state without its label: ``未配置``, ``在线 · 已全部同步`` …"""
        if not self.configured:
            return "未配置"
        parts = [{True: "在线", False: "离线", None: "连接中"}[self.online]]
        if self.pending:
            age = _age(now - self.oldest_pending_at) if self.oldest_pending_at else ""
            parts.append(f"待同步 {self.pending} 条" + (f"（最早 {age}前）" if age else ""))
        else:
            parts.append("已全部同步")
        if self.last_ack_at:
            parts.append(f"上次确认 {local_time(self.last_ack_at):%H:%M}")
        return " · ".join(parts)


def _age(delta: timedelta) -> str:
    minutes = max(int(delta.total_seconds() // 60), 0)
    if minutes < 1:
        return "不到 1 分钟"
    if minutes < 60:
        return f"{minutes} 分钟"
    if minutes < 48 * 60:
        return f"{minutes // 60} 小时"
    return f"{minutes // (24 * 60)} 天"


class Desk:
    """Everything the screens may ask of the core, for one counter."""

    def __init__(self, settings: Settings, store: Store, clock: Clock) -> None:
        self.settings = settings
        self.store = store
        self.clock = clock
        self._bench = Workbench(store, clock)

    def sign_in(self, username: str, password: str) -> SignedIn:
        """Check the password (argon2, ~50 ms); raises SignInError with a Chinese message."""
        auth = self.settings.auth
        who = sign_in(
            self.store, self.clock, username, password, auth.max_failures, auth.lockout_minutes
        )
        if who.centre_code != self.settings.centre.code:
            # A counter serves one centre; its windows and queue are not another centre's.
            raise SignInError(f"{who.name}不是本中心的工作人员，不能在本机签到")
        return who

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

    def leave_seat(self, staff: SignedIn, seat: Seat) -> None:
        """Record that ``staff`` signed out from the window (mutation ``seat.leave``)."""
        self._bench.apply("seat.leave", {"id": seat.id}, staff.staff_id)

    def today(self) -> Today:
        """Today's date (Beijing time, from the clock) and its working-day status."""
        day = local_today(self.clock)
        with self.store.session() as session:
            rows = session.exec(select(CalendarDay)).all()
        cal = WorkCalendar.from_rows(rows, fallback=self.settings.calendar.fallback)
        info = cal.is_working_day(day)
        return Today(day, info.working, info.provisional, info.name)

    def search(self, text: str) -> list[catalogue.ItemSummary]:
        """Items matching ``text`` by name, pinyin initials or code; all items for empty text."""
        with self.store.session() as session:
            return catalogue.search(session, text)

    def guide(self, code: str) -> catalogue.ItemGuide | None:
        with self.store.session() as session:
            return catalogue.guide(session, code)

    def sync_state(self) -> SyncState:
        """The central-store state; pending counts come from the local outbox."""
        if not self.settings.sync.central_url:
            return SyncState(configured=False)
        with self.store.session() as session:
            pending, oldest = session.exec(
                select(func.count(), func.min(Outbox.created_at)).where(
                    col(Outbox.acked_at).is_(None)
                )
            ).one()
            last_ack = session.exec(select(func.max(Outbox.acked_at))).one()
        return SyncState(
            configured=True, pending=pending, oldest_pending_at=oldest, last_ack_at=last_ack
        )


@dataclass(frozen=True)
class Opened:
    desk: Desk
    loaded: InitReport | None
    """Set when this start loaded the reference data from fixtures (first start)."""


def open_desk(settings: Settings, clock: Clock, store: Store | None = None) -> Opened:
    """Open (or take) the local store and load fixtures into it on the very first start.

    Raises StoreError for a corrupt or locked file and FixtureError for bad
    fixture files, both with Chinese messages; neither modifies the file.
    """
    store = store or open_store(settings)
    loaded = None if has_reference_data(store) else load_reference_data(settings, store)
    return Opened(Desk(settings, store, clock), loaded)
