"""The live floor as plain data: every window, every line, counters offline, cases at limits.

A handful of grouped queries per refresh, none reading a whole table: open seats, paused
windows, tickets held at windows, today's last event per window, and each line's waiting
count, oldest waiting ticket and wait estimate (``clerk.queue``'s own estimate).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, select, text
from sqlmodel import Session

from clerk.clock import local_time
from clerk.queue.policy import CallingPolicy
from clerk.queue.status import CALLED, SERVING, WAITING
from clerk.queue.views import centre_lines
from clerk.store.local import Outbox
from clerk.store.operations import SeatSession, Ticket
from clerk.store.queue_tables import TicketEvent, WindowState
from clerk.store.reference import ServiceLine, Staff, Window, WindowLine
from clerk.sync import meta

OFFLINE_AFTER = timedelta(minutes=2)
"""An action waiting longer than this to reach the central store means the line is down."""

STATE_LABELS = {"serving": "办理中", "called": "已叫号", "idle": "空闲", "paused": "暂停", "closed": "无人"}


@dataclass(frozen=True)
class FloorWindow:
    id: str
    number: int
    name: str
    state: str
    """serving / called / idle / paused / closed (nobody seated)."""
    staff_name: str
    seated_since: datetime | None
    paused_reason: str
    since: datetime | None
    """Paused since, idle since (the last thing it did today, or sitting down), or the ticket's call."""
    ticket_id: str | None
    ticket_number: str
    letters: tuple[str, ...]

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass(frozen=True)
class FloorLine:
    id: str
    letter: str
    name: str
    waiting: int
    longest: timedelta | None
    """How long the first of those waiting has waited (None: nobody waits)."""
    estimate_minutes: float
    """For someone joining now; negative when no window serves the line."""


@dataclass(frozen=True)
class FloorCounter:
    name: str
    offline_since: datetime | None
    """None: in touch with the central store."""
    detail: str


@dataclass(frozen=True)
class FloorCase:
    case_id: str
    item: str
    handler: str
    state: str
    deadline: str
    label: str
    urgency: str
    """near / past"""


@dataclass(frozen=True)
class Floor:
    at: datetime
    windows: tuple[FloorWindow, ...]
    lines: tuple[FloorLine, ...]
    counters: tuple[FloorCounter, ...]
    cases: tuple[FloorCase, ...]
    """The most pressing (clerk.floor.cases.SHOWN at most)."""
    cases_past: int = 0
    cases_near: int = 0
    """How many are past and near in all."""


_SEATS = (
    select(SeatSession.window_id, Staff.name, SeatSession.started_at)
    .join(Staff, Staff.id == SeatSession.staff_id)
    .where(SeatSession.ended_at.is_(None))
    .order_by(SeatSession.started_at)
)
_HELD = select(Ticket.window_id, Ticket.id, Ticket.number, Ticket.status, Ticket.called_at).where(
    Ticket.status.in_((CALLED, SERVING)), Ticket.window_id.is_not(None), Ticket.centre_code == bindparam("centre")
)
# By kind and time: the (kind, at) index reads today's few rows, never the year's events.
ENDINGS = ("finished", "no_show", "requeued", "transferred", "parked", "released", "cancelled")
_LAST = (
    select(TicketEvent.window_id, func.max(TicketEvent.at))
    .where(TicketEvent.kind.in_(ENDINGS), TicketEvent.at >= bindparam("since"),
           TicketEvent.window_id.in_(bindparam("ids", expanding=True)))
    .group_by(TicketEvent.window_id)
)
_OLDEST = (
    select(Ticket.line_id, func.min(Ticket.issued_at))
    .where(Ticket.status == WAITING, Ticket.line_id.in_(bindparam("lines", expanding=True)))
    .group_by(Ticket.line_id)
)


def windows(session: Session, centre: str, now: datetime) -> list[FloorWindow]:
    rows = session.execute(select(Window).where(Window.centre_code == centre).order_by(Window.number)).scalars().all()
    ids = [w.id for w in rows]
    letters: dict[str, list[str]] = {}
    for wid, letter in session.execute(
        select(WindowLine.window_id, ServiceLine.letter).join(ServiceLine, ServiceLine.id == WindowLine.line_id)
        .where(WindowLine.window_id.in_(ids)).order_by(ServiceLine.letter)
    ):
        letters.setdefault(wid, []).append(letter)
    seats = {wid: (name, at) for wid, name, at in session.execute(_SEATS)}  # the latest seat wins
    paused = {s.window_id: s for s in session.execute(select(WindowState).where(WindowState.paused)).scalars()}
    held = {r.window_id: r for r in session.execute(_HELD, {"centre": centre})}
    day_start = local_time(now).replace(hour=0, minute=0, second=0, microsecond=0)
    idle_ids = [i for i in ids if i in seats and i not in held and i not in paused]
    last = dict(session.execute(_LAST, {"since": day_start, "ids": idle_ids}).all()) if idle_ids else {}
    return [_window(w, seats.get(w.id), paused.get(w.id), held.get(w.id), last.get(w.id),
                    tuple(letters.get(w.id, ()))) for w in rows]


def _window(w: Window, seat, pause, ticket, last_event, letters) -> FloorWindow:
    name, seated = seat if seat else ("", None)
    state, since = "closed", None
    if pause is not None:
        state, since = "paused", pause.since
    elif ticket is not None:
        state, since = ("serving" if ticket.status == SERVING else "called"), ticket.called_at
    elif seat is not None:
        state, since = "idle", max(x for x in (seated, last_event) if x is not None)
    return FloorWindow(
        w.id, w.number, w.name, state, name, seated, pause.reason if pause else "", since,
        ticket.id if ticket else None, ticket.number if ticket else "", letters,
    )


def lines(session: Session, centre: str, policy: CallingPolicy, now: datetime) -> list[FloorLine]:
    loads = centre_lines(session, centre, policy)
    oldest = dict(session.execute(_OLDEST, {"lines": [x.id for x in loads]}).all()) if loads else {}
    return [
        FloorLine(x.id, x.letter, x.name, x.waiting, (now - oldest[x.id]) if x.id in oldest else None, x.wait_minutes)
        for x in loads
    ]


def counters(session: Session, centre: str, now: datetime) -> list[FloorCounter]:
    """On the central store every enrolled counter; on a counter its own link."""
    # Every store has the central tables; only the central store has a server_state row.
    if session.execute(text("SELECT 1 FROM server_state LIMIT 1")).first() is not None:
        return _devices(session, centre, now)
    if not meta.get(session, meta.DEVICE_ID):
        return []  # a counter working alone, never enrolled: it has no link to lose
    oldest, pending = session.execute(
        select(func.min(Outbox.created_at), func.count()).where(Outbox.acked_at.is_(None))
    ).one()
    late = oldest is not None and now - oldest > OFFLINE_AFTER
    return [FloorCounter("本机", oldest if late else None, f"待上传 {pending} 项")]


def _devices(session: Session, centre: str, now: datetime) -> list[FloorCounter]:
    from clerk.store.central_tables import Device  # only the central store has the table

    out = []
    for d in session.execute(
        select(Device).where(Device.centre_code == centre, Device.revoked_at.is_(None)).order_by(Device.name)
    ).scalars():
        seen = d.last_seen_at
        away = seen is None or now - seen > OFFLINE_AFTER
        detail = f"最近同步 {local_time(seen):%m-%d %H:%M}" if seen else "从未同步"
        out.append(FloorCounter(d.name or d.id[:8], (seen or d.enrolled_at) if away else None, detail))
    return out
