"""Record a call the central store refused because another window called the ticket first.

Two counters cut off from the central store may both call one ticket. The push that
arrives first is applied; the ``ticket.call`` in the later push is refused by its handler
(a conflict for that counter only, as for any refusal). That refusal undoes its own
savepoint, so the shared record cannot be written by the handler: it is written here,
right after the batch is applied and in the same transaction, and captured into the
change log so that BOTH counters pull it. The refused call also goes into the ticket's
log as a ``call_refused`` event, so the record keeps both calls.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from clerk.central.capture import captured
from clerk.queue import events
from clerk.queue.status import WAITING
from clerk.store.central_tables import Device
from clerk.store.operations import Ticket
from clerk.store.queue_conflicts import CallConflict
from clerk.store.queue_tables import TicketEvent
from clerk.sync.protocol import Conflict, PushMutation, PushRequest

_NAMESPACE = uuid.UUID("0b7c9a52-61f4-4d0b-8f55-3c2e4a9d7e10")
CALL_KINDS = ("called", "resumed")


def conflict_id(client_id: str, mutation_id: int) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{client_id}/{mutation_id}/call_conflict"))


def record(session: Session, device: Device, req: PushRequest, conflicts: list[Conflict], now: datetime) -> int:
    """Write a call_conflict row for each refused ``ticket.call`` of ``req`` whose ticket
    another window holds; returns how many are new (a replayed batch adds none)."""
    calls = {m.mutation_id: m for m in req.mutations if m.name == "ticket.call"}
    refused = [(calls[c.mutation_id], c.reason) for c in conflicts if c.mutation_id in calls]
    if not refused:
        return 0
    added = 0
    with captured(session, device.centre_code):
        for m, reason in refused:
            added += _record_one(session, device.client_id, m, reason, now)
    return added


def _record_one(session: Session, client_id: str, m: PushMutation, reason: str, now: datetime) -> int:
    cid = conflict_id(client_id, m.mutation_id)
    ticket = session.get(Ticket, str(m.args.get("ticket_id", "")))
    window_id = str(m.args.get("window_id", ""))
    if session.get(CallConflict, cid) is not None or ticket is None or ticket.status == WAITING:
        return 0
    kept = _last_call(session, ticket.id)
    if kept is None or kept.window_id == window_id:
        return 0  # refused for another reason (paused window, …): not two windows on one ticket
    session.add(CallConflict(
        id=cid, centre_code=ticket.centre_code, ticket_id=ticket.id, number=ticket.number,
        kept_window_id=kept.window_id, kept_staff_id=kept.staff_id, kept_at=kept.at,
        refused_window_id=window_id, refused_staff_id=m.actor_id, refused_at=m.at,
        refused_client_id=client_id, refused_mutation_id=m.mutation_id, recorded_at=now, reason=reason,
    ))
    events.add(session, cid, ticket, "call_refused", m.at, staff_id=m.actor_id, reason=reason, window_id=window_id)
    return 1


def _last_call(session: Session, ticket_id: str) -> TicketEvent | None:
    stmt = (
        select(TicketEvent)
        .where(TicketEvent.ticket_id == ticket_id, TicketEvent.kind.in_(CALL_KINDS))
        .order_by(TicketEvent.at.desc(), TicketEvent.id.desc())
        .limit(1)
    )
    return session.execute(stmt).scalars().first()
