"""Read models of the queue for the screens: a window's desk, the waiting list, the hall.

Plain dataclasses out of short queries. The waiting list is never read whole: the
calling screen shows the first :data:`LIST_HEAD` tickets and a count, so a hall with
thousands waiting costs one COUNT and one LIMIT query per refresh.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session

from clerk.queue.load import handling_times, is_paused, line_served, serving_windows, window_lines
from clerk.queue.policy import GREEN_REASONS, CallingPolicy, appointment_text, estimate_wait
from clerk.queue.status import CALLED, LABELS, PARKED, SERVING, WAITING
from clerk.queue.tidal import LineLoad, WindowLoad
from clerk.store.operations import SeatSession, Ticket
from clerk.store.reference import ServiceLine, Window, WindowLine

LIST_HEAD = 12
"""Waiting tickets listed on the calling screen; the rest are counted."""


@dataclass(frozen=True)
class CurrentTicket:
    id: str
    number: str
    line_id: str
    line_name: str
    priority_label: str
    status: str
    status_label: str
    reason: str
    issued_at: datetime
    called_at: datetime | None
    fence: int
    recall_count: int


@dataclass(frozen=True)
class QueueRow:
    id: str
    number: str
    letter: str
    priority_label: str
    issued_at: datetime
    directed: bool
    """Transferred to this window by name."""


@dataclass(frozen=True)
class DeskView:
    """Everything the calling screen shows for one window."""

    current: CurrentTicket | None
    paused_reason: str | None
    """None: the window is open."""
    lines: list[LineLoad]
    """Per-line waits; after a key press only their counts are re-read (see ``rescaled``)."""
    head: list[QueueRow]
    waiting: int
    parked: list[QueueRow]


def priority_label(priority: str, reason: str, start=None, end=None) -> str:
    """``绿色通道（老年人）`` / ``预约 09:30–10:00`` / ``普通``."""
    if priority == "green":
        label = GREEN_REASONS.get(reason)
        return f"绿色通道（{label}）" if label else "绿色通道"
    if priority == "appointment":
        return appointment_text(start, end)
    return "普通"


def desk_view(
    session: Session, window_id: str, policy: CallingPolicy, head: int = LIST_HEAD, with_lines: bool = True
) -> DeskView:
    """The window's desk; ``with_lines=False`` skips the per-line waits (the slow part, which
    the screen refreshes on a timer rather than after every key)."""
    lines = window_lines(session, window_id)
    paused = is_paused(session, window_id)
    return DeskView(
        current=current_ticket(session, window_id),
        paused_reason=paused.reason if paused is not None else None,
        lines=[line_load(session, line_id, policy) for line_id in lines] if with_lines else
        [LineLoad(line_id, "?", line_id, line_waiting(session, line_id), -1.0) for line_id in lines],
        head=queue_head(session, window_id, lines, head),
        waiting=waiting_count(session, window_id, lines),
        parked=_rows(
            session,
            select(Ticket).where(Ticket.window_id == window_id, Ticket.status == PARKED).order_by(Ticket.issued_at),
            window_id,
        ),
    )


def queue_head(session: Session, window_id: str, lines: list[str], head: int) -> list[QueueRow]:
    """The first ``head`` tickets roughly in calling order: sent here by name, then 绿色通道 and
    appointments, then normal tickets, each by issue time.

    One query per class, each an ordered walk of the waiting-ticket index that stops after
    ``head`` rows, never a sort of the whole hall.
    """
    directed = select(Ticket).where(Ticket.status == WAITING, Ticket.window_id == window_id)
    rows = _rows(session, directed.order_by(Ticket.issued_at, Ticket.seq).limit(head), window_id)
    for classes in (("green", "appointment"), ("normal",)):
        if len(rows) >= head:
            break
        stmt = (
            select(Ticket)
            .where(Ticket.status == WAITING, Ticket.priority.in_(classes), Ticket.window_id.is_(None),
                   Ticket.line_id.in_(lines))
            .order_by(Ticket.issued_at, Ticket.seq)
            .limit(head - len(rows))
        )
        rows += _rows(session, stmt, window_id)
    return rows


def waiting_count(session: Session, window_id: str, lines: list[str]) -> int:
    """Tickets this window may call: on its lines, or sent to it by name."""
    on_lines = select(func.count()).select_from(Ticket).where(
        Ticket.status == WAITING, Ticket.line_id.in_(lines), Ticket.window_id.is_(None)
    )
    sent = select(func.count()).select_from(Ticket).where(Ticket.status == WAITING, Ticket.window_id == window_id)
    return session.execute(on_lines).scalar_one() + session.execute(sent).scalar_one()


def current_ticket(session: Session, window_id: str) -> CurrentTicket | None:
    """The ticket the window holds (called or being served), if any."""
    stmt = select(Ticket).where(Ticket.window_id == window_id, Ticket.status.in_((CALLED, SERVING))).limit(1)
    t = session.execute(stmt).scalars().first()
    if t is None:
        return None
    line = session.get(ServiceLine, t.line_id)
    return CurrentTicket(
        id=t.id, number=t.number, line_id=t.line_id, line_name=f"{line.letter} {line.name}" if line else t.line_id,
        priority_label=priority_label(t.priority, t.priority_reason, t.appointment_start, t.appointment_end),
        status=t.status, status_label=LABELS.get(t.status, t.status), reason=t.call_reason,
        issued_at=t.issued_at, called_at=t.called_at, fence=t.fence, recall_count=t.recall_count,
    )


def _letters(session: Session) -> dict[str, str]:
    # Read once per session: a handful of rows, and the screen asks several times per refresh.
    cached = session.info.get("line_letters")
    if cached is None:
        cached = {row[0]: row[1] for row in session.execute(select(ServiceLine.id, ServiceLine.letter))}
        session.info["line_letters"] = cached
    return cached


def _rows(session: Session, stmt, window_id: str) -> list[QueueRow]:
    letters = _letters(session)
    return [
        QueueRow(
            t.id, t.number, letters.get(t.line_id, "?"),
            priority_label(t.priority, t.priority_reason, t.appointment_start, t.appointment_end),
            t.issued_at, t.window_id == window_id,
        )
        for t in session.execute(stmt).scalars()
    ]


def line_waiting(session: Session, line_id: str) -> int:
    stmt = select(func.count()).select_from(Ticket).where(Ticket.line_id == line_id, Ticket.status == WAITING)
    return session.execute(stmt).scalar_one()


def rescaled(counts: list[LineLoad], known: list[LineLoad]) -> list[LineLoad]:
    """Fresh waiting counts with the last full estimate scaled to them (the per-person
    handling time and the open windows rarely change between two key presses)."""
    by_id = {x.id: x for x in known}
    out = []
    for c in counts:
        old = by_id.get(c.id)
        if old is None:
            out.append(c)
            continue
        per_head = old.wait_minutes / old.waiting if old.waiting and old.wait_minutes > 0 else None
        wait = per_head * c.waiting if per_head is not None else (old.wait_minutes if c.waiting else 0.0)
        if old.wait_minutes < 0:
            wait = old.wait_minutes
        out.append(replace(old, waiting=c.waiting, wait_minutes=wait))
    return out


def line_load(session: Session, line_id: str, policy: CallingPolicy) -> LineLoad:
    """A line's waiting count and the wait for someone joining now (negative: no window open)."""
    line = session.get(ServiceLine, line_id)
    waiting = line_waiting(session, line_id)
    times = handling_times(session, line_id, policy.handling_sample_size)
    estimate = estimate_wait(waiting, times, serving_windows(session, line_id), policy)
    minutes = -1.0 if estimate is None else estimate.total_seconds() / 60
    letter, name = (line.letter, line.name) if line else ("?", line_id)
    return LineLoad(line_id, letter, name, waiting, minutes, line_served(session, line_id))


def centre_lines(session: Session, centre_code: str, policy: CallingPolicy) -> list[LineLoad]:
    ids = session.execute(
        select(ServiceLine.id).where(ServiceLine.centre_code == centre_code).order_by(ServiceLine.letter)
    ).scalars()
    return [line_load(session, line_id, policy) for line_id in ids]


def hall_windows(session: Session, centre_code: str) -> list[WindowLoad]:
    """Each window of the centre with its lines and whether it serves, idles, pauses or is empty."""
    windows = session.execute(
        select(Window).where(Window.centre_code == centre_code).order_by(Window.number)
    ).scalars().all()
    pairs = session.execute(select(WindowLine.window_id, WindowLine.line_id)).all()
    seated = set(session.execute(select(SeatSession.window_id).where(SeatSession.ended_at.is_(None))).scalars())
    busy = dict(session.execute(
        select(Ticket.window_id, Ticket.number).where(Ticket.status.in_((CALLED, SERVING)), Ticket.window_id.is_not(None))
    ).all())
    out = []
    for w in windows:
        lines = tuple(sorted(line for wid, line in pairs if wid == w.id))
        paused = is_paused(session, w.id)
        if paused is not None:
            mode, note = "paused", paused.reason
        elif w.id in busy:
            mode, note = "serving", f"{busy[w.id]} 号"
        elif w.id in seated:
            mode, note = "idle", ""
        else:
            mode, note = "closed", ""
        out.append(WindowLoad(w.id, w.number, w.name, lines, mode, note))
    return out

