"""Appending to the ticket log with ids a mutation can reproduce on the central store."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Session

from clerk.ids import new_id
from clerk.mutation import MutationContext
from clerk.store.operations import Ticket
from clerk.store.queue_tables import TicketEvent

# Fixed namespace: event ids derive from (client, mutation, ticket, kind), so the same
# mutation replayed on the central store writes rows with the same ids.
_NAMESPACE = uuid.UUID("5b0f3d4e-7a51-4c3e-9f0e-2f1c8f6a9d21")


def event_id(ctx: MutationContext, ticket_id: str, kind: str) -> str:
    """A deterministic id for the ``kind`` event of ``ticket_id`` made by mutation ``ctx``."""
    return str(uuid.uuid5(_NAMESPACE, f"{ctx.client_id}/{ctx.mutation_id}/{ticket_id}/{kind}"))


def log(
    session: Session,
    ctx: MutationContext,
    ticket: Ticket,
    kind: str,
    *,
    reason: str = "",
    call_kind: str = "",
    window_id: str | None = None,
) -> TicketEvent:
    """Record ``kind`` for ``ticket`` as of the mutation ``ctx`` (after the ticket changed)."""
    return add(
        session,
        event_id(ctx, ticket.id, kind),
        ticket,
        kind,
        ctx.at,
        staff_id=ctx.actor_id,
        reason=reason,
        call_kind=call_kind,
        window_id=window_id,
    )


def add(
    session: Session,
    id: str | None,
    ticket: Ticket,
    kind: str,
    at: datetime,
    *,
    staff_id: str | None = None,
    reason: str = "",
    call_kind: str = "",
    window_id: str | None = None,
) -> TicketEvent:
    """Record an event with an explicit id (None: a fresh one, for central-store-only work)."""
    event = TicketEvent(
        id=id or new_id(),
        ticket_id=ticket.id,
        at=at,
        kind=kind,
        window_id=window_id if window_id is not None else ticket.window_id,
        staff_id=staff_id,
        line_id=ticket.line_id,
        call_kind=call_kind,
        fence=ticket.fence,
        reason=reason,
    )
    session.add(event)
    return event
