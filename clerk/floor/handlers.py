"""Floor actions: a supervisor frees a window whose clerk left and settles its ticket.

Each is a mutation with the supervisor as its actor (the outbox and the central store's
log name them); ticket actions also write a ticket event with the supervisor's staff id
and the reason, so the ledger and the ticket's history show who did it and why.
"""

from __future__ import annotations

from pydantic import Field
from sqlalchemy import select
from sqlmodel import Session

from clerk.mutation import MutationArgs, MutationContext, MutationRefused, mutation
from clerk.queue import events, guards
from clerk.queue.load import window_lines
from clerk.queue.status import CALLED, FINISHED, SERVING, WAITING
from clerk.store.operations import SeatSession, Ticket

SUPERVISORS = frozenset({"supervisor"})


class FreeWindow(MutationArgs):
    window_id: str
    reason: str = Field(min_length=1)


class TicketLeft(MutationArgs):
    ticket_id: str
    reason: str = Field(min_length=1)


class Reassign(TicketLeft):
    to_window_id: str


@mutation("floor.free_window", FreeWindow, roles=SUPERVISORS)
def free_window(session: Session, args: FreeWindow, ctx: MutationContext) -> int:
    """End every open seat at the window (the clerk left without signing out)."""
    window = guards.get_window(session, args.window_id)
    seats = session.execute(
        select(SeatSession).where(SeatSession.window_id == window.id, SeatSession.ended_at.is_(None))
    ).scalars().all()
    if not seats:
        raise MutationRefused(f"{window.number} 号窗口没有人就座，无需释放", f"window {window.id} is free")
    for seat in seats:
        seat.ended_at = ctx.at
        session.add(seat)
    return len(seats)


def _left_ticket(session: Session, ticket_id: str) -> Ticket:
    ticket = guards.get_ticket(session, ticket_id)
    if ticket.status not in (CALLED, SERVING) or ticket.window_id is None:
        raise MutationRefused(f"{ticket.number} 号不在任何窗口办理中，无需处理", f"ticket {ticket.id} is {ticket.status}")
    return ticket


@mutation("floor.finish_ticket", TicketLeft, roles=SUPERVISORS)
def finish_ticket(session: Session, args: TicketLeft, ctx: MutationContext) -> Ticket:
    """The visitor was served but the clerk left before pressing 办结."""
    ticket = _left_ticket(session, args.ticket_id)
    ticket.status = FINISHED
    session.add(ticket)
    events.log(session, ctx, ticket, "finished", reason=f"值班长代为办结：{args.reason}")
    return ticket


@mutation("floor.requeue_ticket", TicketLeft, roles=SUPERVISORS)
def requeue_ticket(session: Session, args: TicketLeft, ctx: MutationContext) -> Ticket:
    """Back into its line, for any window; it keeps its number and its place by issue time."""
    ticket = _left_ticket(session, args.ticket_id)
    left_at = ticket.window_id
    ticket.status, ticket.window_id, ticket.called_by, ticket.recall_count = WAITING, None, None, 0
    session.add(ticket)
    events.log(session, ctx, ticket, "released", reason=f"值班长重新排队：{args.reason}", window_id=left_at)
    return ticket


@mutation("floor.reassign_ticket", Reassign, roles=SUPERVISORS)
def reassign_ticket(session: Session, args: Reassign, ctx: MutationContext) -> Ticket:
    """Send the ticket to a named window that serves its line; that window calls it next."""
    ticket = _left_ticket(session, args.ticket_id)
    target = guards.get_window(session, args.to_window_id)
    if target.id == ticket.window_id:
        raise MutationRefused("改派的窗口就是原窗口，请选择其他窗口", "reassign to the same window")
    if target.centre_code != ticket.centre_code:
        raise MutationRefused("不能改派到其他中心的窗口", f"window {target.id} is in another centre")
    if ticket.line_id not in window_lines(session, target.id):
        line = guards.get_line(session, ticket.line_id)
        raise MutationRefused(f"{target.number} 号窗口不办理“{line.name}”，不能改派", f"{target.id} lacks {line.id}")
    left_at = ticket.window_id
    ticket.status, ticket.window_id, ticket.called_by, ticket.recall_count = WAITING, target.id, None, 0
    session.add(ticket)
    events.log(session, ctx, ticket, "transferred", reason=f"值班长改派至{target.number}号窗口：{args.reason}",
               window_id=left_at)
    return ticket
