"""Reading the queue out of a store for the policy, the kiosk and the board.

These return plain data (WaitingTicket, tuples, counts) so the policy stays pure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import and_, bindparam, case, exists, func, literal, or_, select
from sqlmodel import Session

from clerk.queue.policy import CallDecision, CallingPolicy, WaitingTicket, decide, estimate_wait
from clerk.queue.status import WAITING
from clerk.store.operations import SeatSession, Ticket
from clerk.store.queue_tables import TicketEvent, WindowState
from clerk.store.reference import WindowLine
from clerk.store.types import UTCDateTime

RECENT_CALLS = 20
"""Enough history for the ratio and cap rules at any sensible setting."""


# Statements read on every key press are built once, with bound parameters: building a
# statement costs more Python than SQLite needs to run it.
_WINDOW_LINES = select(WindowLine.line_id).where(WindowLine.window_id == bindparam("window_id"))


def window_lines(session: Session, window_id: str) -> list[str]:
    """The service lines ``window_id`` serves now."""
    return sorted(session.execute(_WINDOW_LINES, {"window_id": window_id}).scalars())


def is_paused(session: Session, window_id: str) -> WindowState | None:
    """The window's pause record if it is paused, else None."""
    state = session.get(WindowState, window_id)
    return state if state is not None and state.paused else None


def _requeued_at():
    return (
        select(func.max(TicketEvent.at))
        .where(TicketEvent.ticket_id == Ticket.id, TicketEvent.kind == "requeued")
        .correlate(Ticket)
        .scalar_subquery()
    )


_COLS = (
    Ticket.id, Ticket.number, Ticket.line_id, Ticket.seq, Ticket.priority, Ticket.issued_at,
    Ticket.priority_reason, Ticket.appointment_start, Ticket.appointment_end, Ticket.window_id,
)


@cache
def _candidate_statements(skipping: bool) -> tuple:
    """The three reads of :func:`candidates`, built once (bound: window_id, lines, head, skip)."""
    base = and_(
        Ticket.status == WAITING,
        or_(and_(Ticket.window_id.is_(None), Ticket.line_id.in_(bindparam("lines", expanding=True))),
            Ticket.window_id == bindparam("window_id")),
    )
    if skipping:
        base = and_(base, Ticket.id.not_in(bindparam("skip", expanding=True)))
    plain = and_(base, Ticket.no_show_count == 0, Ticket.window_id.is_(None))
    order = (Ticket.issued_at, Ticket.seq, Ticket.id)
    return (
        select(*_COLS, _requeued_at()).where(base, or_(
            Ticket.no_show_count > 0, Ticket.window_id.is_not(None), Ticket.priority == "appointment"
        )),
        select(*_COLS, null_time()).where(plain, Ticket.priority == "green").order_by(*order).limit(bindparam("head")),
        select(*_COLS, null_time()).where(plain, Ticket.priority == "normal").order_by(*order).limit(bindparam("head")),
    )


def candidates(
    session: Session, window_id: str, line_ids: list[str], head: int = 32, skip: Iterable[str] = ()
) -> list[WaitingTicket]:
    """The waiting tickets that can decide the next call, without reading the whole hall.

    The policy only looks at the head of each queue. Green and normal tickets queue by
    issue time unless a no-show put them back, so the first ``head`` of each suffice;
    appointments (whose class moves with the clock), requeued and directed tickets are
    few and read in full. ``decide`` over this set picks what it would over all of them.
    """
    params: dict = {"window_id": window_id, "lines": list(line_ids), "head": head}
    if skip := list(skip):
        params["skip"] = skip
    found: dict[str, WaitingTicket] = {}
    for stmt in _candidate_statements(bool(skip)):
        for row in session.execute(stmt, params):
            found.setdefault(row[0], _waiting(row))
    return list(found.values())


def null_time():
    return literal(None, UTCDateTime()).label("requeued_at")


def _waiting(row) -> WaitingTicket:
    (id_, number, line_id, seq, priority, issued_at, reason, start, end, target, requeued_at) = row
    return WaitingTicket(
        id=id_, number=number, line_id=line_id, seq=seq, priority=priority,
        issued_at=issued_at, queued_at=max(issued_at, requeued_at or issued_at),
        priority_reason=reason, appointment_start=start, appointment_end=end,
        target_window_id=target,
    )


_RECENT_CALLS = (
    select(TicketEvent.call_kind)
    .where(TicketEvent.window_id == bindparam("window_id"), TicketEvent.kind == "called")
    .order_by(TicketEvent.at.desc(), TicketEvent.id.desc())
    .limit(bindparam("limit"))
)


def recent_call_kinds(session: Session, window_id: str, limit: int = RECENT_CALLS) -> tuple[str, ...]:
    """What ``window_id`` called lately, oldest first, as CallKind values."""
    rows = session.execute(_RECENT_CALLS, {"window_id": window_id, "limit": limit})
    return tuple(reversed(rows.scalars().all()))


def decide_next(session: Session, window_id: str, now: datetime, policy: CallingPolicy) -> CallDecision | None:
    """The policy's pick for ``window_id`` from this store's queue (the caller then applies it)."""
    lines = window_lines(session, window_id)
    tickets = candidates(session, window_id, lines)
    return decide(tickets, window_id, lines, now, policy, recent_call_kinds(session, window_id))


def last_called_at(session: Session, ticket_id: str) -> datetime | None:
    """When the ticket was last called or recalled (for the recall gap)."""
    stmt = select(func.max(TicketEvent.at)).where(
        TicketEvent.ticket_id == ticket_id, TicketEvent.kind.in_(("called", "recalled", "resumed"))
    )
    return session.execute(stmt).scalar_one()


def _handling_statement():
    begun = TicketEvent.__table__.alias("begun")
    done = TicketEvent.__table__.alias("done")
    began_at = (
        select(func.max(begun.c.at))
        .where(begun.c.ticket_id == done.c.ticket_id, begun.c.at <= done.c.at,
               begun.c.kind.in_(("called", "recalled", "resumed", "started")))
        .scalar_subquery()
    )
    return (
        select(done.c.at, began_at.label("began_at"))
        .where(done.c.line_id == bindparam("line_id"), done.c.kind == "finished")
        .order_by(done.c.at.desc())
        .limit(bindparam("limit"))
    )


_HANDLING = _handling_statement()


def handling_times(session: Session, line_id: str, limit: int) -> list[timedelta]:
    """Recent handling times on ``line_id``, oldest first: last call or start until finish."""
    rows = session.execute(_HANDLING, {"line_id": line_id, "limit": limit}).all()
    return [end - start for end, start in reversed(rows) if start is not None]


_SEATED = exists().where(SeatSession.window_id == WindowLine.window_id, SeatSession.ended_at.is_(None))
_PAUSED = exists().where(WindowState.window_id == WindowLine.window_id, WindowState.paused.is_(True))


def serving_windows(session: Session, line_id: str) -> int:
    """Windows mapped to ``line_id`` with a clerk seated and not paused."""
    stmt = select(func.count()).select_from(WindowLine).where(WindowLine.line_id == line_id, _SEATED, ~_PAUSED)
    return session.execute(stmt).scalar_one()


_WINDOWS_OF_LINES = (
    select(WindowLine.line_id, func.count(), func.sum(case((and_(_SEATED, ~_PAUSED), 1), else_=0)))
    .where(WindowLine.line_id.in_(bindparam("line_ids", expanding=True)))
    .group_by(WindowLine.line_id)
)


def windows_of_lines(session: Session, line_ids: list[str]) -> dict[str, tuple[int, int]]:
    """For each line some window is mapped to: (windows mapped, windows serving it now)."""
    rows = session.execute(_WINDOWS_OF_LINES, {"line_ids": line_ids})
    return {line_id: (mapped, int(serving)) for line_id, mapped, serving in rows}


def line_served(session: Session, line_id: str) -> bool:
    """Whether any window is mapped to ``line_id`` at all."""
    stmt = select(WindowLine.window_id).where(WindowLine.line_id == line_id).limit(1)
    return session.execute(stmt).first() is not None


@dataclass(frozen=True)
class LineWait:
    line_id: str
    waiting: int
    serving_windows: int
    estimate: timedelta | None
    """Estimated wait for someone taking a ticket now; None when no window serves the line."""


def line_wait(session: Session, line_id: str, policy: CallingPolicy) -> LineWait:
    """Waiting count and wait estimate of a line, for the kiosk and the board."""
    waiting = session.execute(
        select(func.count()).select_from(Ticket).where(Ticket.line_id == line_id, Ticket.status == WAITING)
    ).scalar_one()
    windows = serving_windows(session, line_id)
    return LineWait(line_id, waiting, windows, line_estimate(session, line_id, waiting, windows, policy))


def line_estimate(session: Session, line_id: str, waiting: int, serving: int,
                  policy: CallingPolicy) -> timedelta | None:
    """The wait for someone joining ``line_id`` now. The one estimate of a line: the kiosk, the
    board, the calling, 潮汐 and floor screens all show this figure."""
    return estimate_wait(waiting, handling_times(session, line_id, policy.handling_sample_size), serving, policy)


def people_ahead(session: Session, ticket: Ticket) -> int:
    """Waiting tickets of the same line the policy will call before ``ticket``.

    A 绿色通道 ticket waits only behind the priority tickets that came before it (it is
    called ahead of every normal ticket); a normal ticket behind everyone before it.
    """
    stmt = select(func.count()).select_from(Ticket).where(
        Ticket.line_id == ticket.line_id,
        Ticket.status == WAITING,
        Ticket.id != ticket.id,
        or_(Ticket.issued_at < ticket.issued_at, and_(Ticket.issued_at == ticket.issued_at, Ticket.seq < ticket.seq)),
    )
    if ticket.priority == "green":
        stmt = stmt.where(Ticket.priority.in_(("green", "appointment")))
    return session.execute(stmt).scalar_one()


def to_waiting(ticket: Ticket) -> WaitingTicket:
    """A ticket row as the policy sees it (queued at its issue time)."""
    return WaitingTicket(
        id=ticket.id, number=ticket.number, line_id=ticket.line_id, seq=ticket.seq,
        priority=ticket.priority, issued_at=ticket.issued_at, queued_at=ticket.issued_at,
        priority_reason=ticket.priority_reason, appointment_start=ticket.appointment_start,
        appointment_end=ticket.appointment_end, target_window_id=ticket.window_id,
    )
