"""Read models of the queue for the screens: a window's desk, the waiting list, the hall.

Plain dataclasses out of short queries. The waiting list is never read whole: the
calling screen shows the first :data:`LIST_HEAD` tickets and a count, so a hall with
thousands waiting costs a grouped COUNT and a few LIMIT queries per refresh.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import bindparam, func, select
from sqlmodel import Session

from clerk.queue.load import (
    candidates,
    is_paused,
    line_estimate,
    recent_call_kinds,
    window_lines,
    windows_of_lines,
)
from clerk.queue.policy import (
    GREEN_REASONS,
    CallingPolicy,
    appointment_text,
    calling_order,
)
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
    seq: int = 0


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
    session: Session, window_id: str, policy: CallingPolicy, head: int = LIST_HEAD, with_lines: bool = True,
    *, now: datetime,
) -> DeskView:
    """The window's desk at ``now``; ``with_lines=False`` skips the per-line waits (the slow
    part, which the screen refreshes on a timer rather than after every key)."""
    lines = window_lines(session, window_id)
    paused = is_paused(session, window_id)
    counts = _waiting_by_line(session, lines)
    directed = _rows(session, _DIRECTED, window_id=window_id)  # few: read whole, counted here
    return DeskView(
        current=current_ticket(session, window_id),
        paused_reason=paused.reason if paused is not None else None,
        lines=line_loads(session, lines, policy, counts) if with_lines else
        [LineLoad(line_id, "?", line_id, sum(counts.get(line_id, {}).values()), -1.0) for line_id in lines],
        head=queue_head(session, window_id, lines, head, policy, now),
        waiting=sum(c.get(True, 0) for c in counts.values()) + len(directed),
        parked=_rows(session, _PARKED, window_id=window_id),
    )


# The desk is read after every key press: its statements are built once, with bound
# parameters, and read plain columns (building statements and ORM objects costs more
# Python than SQLite needs to answer them).
_ROW = (Ticket.id, Ticket.number, ServiceLine.letter, Ticket.priority, Ticket.priority_reason,
        Ticket.appointment_start, Ticket.appointment_end, Ticket.issued_at, Ticket.window_id, Ticket.seq)
_ROWS = select(*_ROW).outerjoin(ServiceLine, ServiceLine.id == Ticket.line_id)
# Every ticket's line is a service line (a foreign key); naming them all lets SQLite find
# the tickets sent to a window through its (status, line, window) index instead of
# reading every waiting ticket.
_ANY_LINE = Ticket.line_id.in_(select(ServiceLine.id))
_DIRECTED = _ROWS.where(Ticket.status == WAITING, _ANY_LINE, Ticket.window_id == bindparam("window_id")).order_by(
    Ticket.issued_at, Ticket.seq
)
_PARKED = _ROWS.where(Ticket.window_id == bindparam("window_id"), Ticket.status == PARKED).order_by(Ticket.issued_at)
_COUNTS = (  # grouped in the index's own order: no sort
    select(Ticket.line_id, Ticket.window_id, func.count())
    .where(Ticket.status == WAITING, Ticket.line_id.in_(bindparam("lines", expanding=True)))
    .group_by(Ticket.line_id, Ticket.window_id)
)


def queue_head(
    session: Session, window_id: str, lines: list[str], head: int, policy: CallingPolicy, now: datetime
) -> list[QueueRow]:
    """The first ``head`` waiting tickets in the order the policy will call them now.

    The policy's own picks (:func:`calling_order`) over the few tickets that can decide the
    next ``head`` calls (:func:`candidates`): a ticket a no-show put back is listed where it
    will be called, the ratio and max-wait rules included, and the list never sorts the hall.
    """
    pool = candidates(session, window_id, lines, head=max(head, 32))
    order = calling_order(pool, window_id, lines, now, policy, recent_call_kinds(session, window_id), head)
    ids = [d.ticket_id for d in order]
    if not ids:
        return []
    rows = {r.id: r for r in _rows(session, _BY_ID, ids=ids, window_id=window_id)}
    return [rows[i] for i in ids if i in rows]


_BY_ID = _ROWS.where(Ticket.id.in_(bindparam("ids", expanding=True)))


def _waiting_by_line(session: Session, lines: list[str]) -> dict[str, dict[bool, int]]:
    """Waiting tickets of each line, split by whether they are free for any window (True)
    or sent to one by name (False)."""
    counts: dict[str, dict[bool, int]] = {}
    for line_id, window_id, n in session.execute(_COUNTS, {"lines": lines}):
        by_kind = counts.setdefault(line_id, {})
        by_kind[window_id is None] = by_kind.get(window_id is None, 0) + n
    return counts


_CURRENT = (
    select(Ticket, ServiceLine.letter, ServiceLine.name)
    .outerjoin(ServiceLine, ServiceLine.id == Ticket.line_id)
    .where(Ticket.window_id == bindparam("window_id"), Ticket.status.in_((CALLED, SERVING)))
    .limit(1)
)


def current_ticket(session: Session, window_id: str) -> CurrentTicket | None:
    """The ticket the window holds (called or being served), if any."""
    row = session.execute(_CURRENT, {"window_id": window_id}).first()
    if row is None:
        return None
    t, letter, name = row
    return CurrentTicket(
        id=t.id, number=t.number, line_id=t.line_id, line_name=f"{letter} {name}" if letter else t.line_id,
        priority_label=priority_label(t.priority, t.priority_reason, t.appointment_start, t.appointment_end),
        status=t.status, status_label=LABELS.get(t.status, t.status), reason=t.call_reason,
        issued_at=t.issued_at, called_at=t.called_at, fence=t.fence, recall_count=t.recall_count,
    )


def _rows(session: Session, stmt, **params) -> list[QueueRow]:
    window_id = params.get("window_id")
    return [
        QueueRow(
            id, number, letter or "?", priority_label(priority, reason, start, end), issued_at,
            target is not None and target == window_id, seq,
        )
        for id, number, letter, priority, reason, start, end, issued_at, target, seq in session.execute(stmt, params)
    ]


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


def line_loads(
    session: Session, line_ids: list[str], policy: CallingPolicy, counts: dict[str, dict[bool, int]] | None = None
) -> list[LineLoad]:
    """Each line's waiting count and the wait for someone joining now (negative: no window
    open), in the order given; ``counts`` as from ``_waiting_by_line`` if already read."""
    counts = _waiting_by_line(session, line_ids) if counts is None else counts
    names = {id: (letter, name) for id, letter, name in session.execute(_LINE_NAMES, {"ids": line_ids})}
    windows = windows_of_lines(session, line_ids)
    out = []
    for line_id in line_ids:
        waiting = sum(counts.get(line_id, {}).values())
        mapped, serving = windows.get(line_id, (0, 0))
        estimate = line_estimate(session, line_id, waiting, serving, policy)
        minutes = -1.0 if estimate is None else estimate.total_seconds() / 60
        letter, name = names.get(line_id, ("?", line_id))
        out.append(LineLoad(line_id, letter, name, waiting, minutes, mapped > 0))
    return out


_LINE_NAMES = select(ServiceLine.id, ServiceLine.letter, ServiceLine.name).where(
    ServiceLine.id.in_(bindparam("ids", expanding=True))
)


def centre_lines(session: Session, centre_code: str, policy: CallingPolicy) -> list[LineLoad]:
    ids = session.execute(
        select(ServiceLine.id).where(ServiceLine.centre_code == centre_code).order_by(ServiceLine.letter)
    ).scalars()
    return line_loads(session, list(ids), policy)


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

