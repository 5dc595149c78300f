"""The central store's claim of a ticket: one ticket, one window, with a fencing token.

A claim atomically moves a waiting ticket to called and bumps ``Ticket.fence``; the new
fence is the token the window carries on every later action on that ticket, and a stale
token (the ticket was called again since) is refused by ``check_fence``.

* PostgreSQL: the chosen row is taken with ``SELECT … FOR UPDATE SKIP LOCKED``; a row
  another server process is claiming right now is skipped at once, and the policy picks
  again from the rest — windows never wait on each other and never share a ticket.
* SQLite: the caller's transaction began with BEGIN IMMEDIATE (``Store.write``), so it is
  the only writer; the conditional ``UPDATE … WHERE status = 'waiting'`` still guards
  against a stale read.

These are plain functions over a session; the caller owns the transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlmodel import Session

from clerk.mutation import MutationRefused
from clerk.queue import events
from clerk.queue.load import candidates, recent_call_kinds
from clerk.queue.policy import CallingPolicy, CallKind, decide
from clerk.queue.status import CALLED, LABELS, WAITING
from clerk.store.operations import Ticket
from clerk.store.queue_tables import TicketEvent

_CLAIMS = uuid.UUID("0f9a4c52-31d6-4f1e-b0a7-6c2e8d5b7e13")

HEAD = 32
"""How many tickets of each plain queue a claim reads (see ``load.candidates``)."""


class StaleFence(MutationRefused):
    """A window acted on a ticket with a token from before the ticket was called again."""


@dataclass(frozen=True)
class Claim:
    ticket_id: str
    number: str
    fence: int
    reason: str
    kind: str


def claim_ticket(
    session: Session,
    ticket_id: str,
    window_id: str,
    staff_id: str | None,
    now: datetime,
    reason: str = "指定叫号",
    kind: str = CallKind.SPECIFIC,
    event_id: str | None = None,
) -> Claim:
    """Claim one named ticket for ``window_id``; refuse if it is no longer waiting.

    ``event_id`` names the "called" event (see ``claim_event_id``): a retried claim finds it."""
    claim = _try_claim(session, ticket_id, window_id, staff_id, now, reason, kind, event_id)
    if claim is None:
        raise _not_waiting(session, ticket_id)
    return claim


def claim_next(
    session: Session,
    window_id: str,
    line_ids: list[str],
    staff_id: str | None,
    now: datetime,
    policy: CallingPolicy,
    event_id: str | None = None,
) -> Claim | None:
    """Claim the ticket the policy picks for ``window_id``; None if nobody waits for it.

    If another window takes the pick first, the policy picks again from the rest.
    """
    recent = recent_call_kinds(session, window_id)
    lost: list[str] = []
    pool = candidates(session, window_id, line_ids, head=HEAD)
    while True:
        decision = decide(pool, window_id, line_ids, now, policy, recent)
        if decision is None and lost:
            pool = candidates(session, window_id, line_ids, head=HEAD, skip=lost)
            decision = decide(pool, window_id, line_ids, now, policy, recent)
        if decision is None:
            return None
        claim = _try_claim(session, decision.ticket_id, window_id, staff_id, now, decision.reason, decision.kind,
                           event_id)
        if claim is not None:
            return claim
        # Another window has it. The rest of the pool still holds the heads of the queues
        # until half of a full head is gone; then read them again.
        lost.append(decision.ticket_id)
        pool = [t for t in pool if t.id != decision.ticket_id]
        if len(lost) % (HEAD // 2) == 0:
            pool = candidates(session, window_id, line_ids, head=HEAD, skip=lost)


def check_fence(session: Session, ticket_id: str, fence: int) -> Ticket:
    """The ticket, if ``fence`` is its current token; else refuse the stale action."""
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise MutationRefused("没有这个号", f"no ticket {ticket_id}")
    if ticket.fence != fence:
        raise StaleFence(
            f"{ticket.number} 号已被重新呼叫，本窗口的这次操作已失效",
            f"stale fence {fence} for ticket {ticket_id} (now {ticket.fence})",
        )
    return ticket


def claim_event_id(client_id: str, claim_id: str) -> str:
    """The id of the "called" event a counter's claim ``claim_id`` writes: the same for every
    retry of that claim, so the central store answers a retry with the first claim's ticket."""
    return str(uuid.uuid5(_CLAIMS, f"{client_id}/{claim_id}"))


def claimed_before(session: Session, event_id: str) -> Claim | None:
    """The claim a retried request made already (its "called" event), or None."""
    event = session.get(TicketEvent, event_id)
    if event is None:
        return None
    ticket = session.get(Ticket, event.ticket_id)
    return Claim(ticket.id, ticket.number, event.fence, event.reason, event.call_kind)


def _try_claim(session, ticket_id, window_id, staff_id, now, reason, kind, event_id=None) -> Claim | None:
    if session.get_bind().dialect.name == "postgresql" and not _lock_if_waiting(session, ticket_id):
        return None
    result = session.execute(
        update(Ticket)
        .where(Ticket.id == ticket_id, Ticket.status == WAITING)
        .values(status=CALLED, window_id=window_id, called_by=staff_id, call_reason=reason,
                fence=Ticket.fence + 1, recall_count=0)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return None
    ticket = session.get(Ticket, ticket_id, populate_existing=True)
    if ticket.called_at is None:
        ticket.called_at = now  # the first call ends the wait the statistics count
        session.add(ticket)
    events.add(session, event_id, ticket, "called", now, staff_id=staff_id, reason=reason, call_kind=kind)
    session.flush()
    return Claim(ticket.id, ticket.number, ticket.fence, reason, str(kind))


def _lock_if_waiting(session: Session, ticket_id: str) -> bool:
    stmt = (
        select(Ticket.id)
        .where(Ticket.id == ticket_id, Ticket.status == WAITING)
        .with_for_update(skip_locked=True)
    )
    return session.execute(stmt).first() is not None


def _not_waiting(session: Session, ticket_id: str) -> MutationRefused:
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        return MutationRefused("没有这个号", f"no ticket {ticket_id}")
    return MutationRefused(
        f"{ticket.number} 号当前为“{LABELS.get(ticket.status, ticket.status)}”，不能叫号",
        f"ticket {ticket_id} is {ticket.status}",
    )
