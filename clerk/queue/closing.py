"""End of day: what happens to tickets still open at closing.

``serve_today`` (the default: 延时服务, 当日号当日办结) serves them: the day cannot be closed
while a ticket of today is still open, and calling simply goes on after closing time; tickets
left from earlier days are cancelled.
``cancel`` ends them with a record. ``carry_over`` puts them back in the queue for the next
day, keeping number and issue time so they come first; a ticket is carried once only —
one already carried from an earlier day is cancelled at the next closing. Tickets being
served are left alone: the clerk finishes them. Numbering restarts by itself, because the
next number is counted per line per day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlmodel import Session

from clerk.mutation import MutationContext, MutationRefused
from clerk.queue import events
from clerk.queue.status import ALLOWED_FROM, CANCELLED, SERVING, WAITING
from clerk.store.operations import Ticket


@dataclass(frozen=True)
class DayClosed:
    cancelled: int
    carried_over: int
    still_serving: int
    overtime_s: int = 0
    """延时服务: seconds served after closing time today, over all of today's tickets."""


def close_day(session: Session, ctx: MutationContext, centre_code: str, day: date, rule: str) -> DayClosed:
    """Apply the closing ``rule`` to the centre's open tickets of ``day`` and before."""
    open_states = ALLOWED_FROM["end_of_day"]
    stmt = (
        select(Ticket)
        .where(Ticket.centre_code == centre_code, Ticket.day <= day, Ticket.status.in_(open_states))
        .order_by(Ticket.issued_at, Ticket.id)
    )
    tickets = list(session.execute(stmt).scalars())
    if rule == "serve_today":
        _refuse_while_open_today([t for t in tickets if t.day == day])
    cancelled = carried = 0
    for ticket in tickets:
        if rule == "carry_over" and ticket.day == day:
            _carry(session, ctx, ticket)
            carried += 1
        else:
            _cancel(session, ctx, ticket, carried_before=ticket.day < day)
            cancelled += 1
    serving = session.execute(
        select(Ticket.id).where(Ticket.centre_code == centre_code, Ticket.day <= day, Ticket.status == SERVING)
    ).all()
    overtime = session.execute(
        select(func.coalesce(func.sum(Ticket.overtime_s), 0)).where(Ticket.centre_code == centre_code, Ticket.day == day)
    ).scalar_one()
    return DayClosed(cancelled, carried, len(serving), int(overtime))


def _refuse_while_open_today(tickets: list[Ticket]) -> None:
    if tickets:
        numbers = "、".join(t.number for t in tickets[:5]) + ("等" if len(tickets) > 5 else "")
        raise MutationRefused(
            f"当日号当日办结：还有 {len(tickets)} 个今日号未办结（{numbers}），请继续叫号办理",
            f"{len(tickets)} tickets of today still open under serve_today",
        )


def _carry(session: Session, ctx: MutationContext, ticket: Ticket) -> None:
    window = ticket.window_id
    ticket.status, ticket.window_id, ticket.called_by, ticket.recall_count = WAITING, None, None, 0
    session.add(ticket)
    events.log(session, ctx, ticket, "carried_over", reason="日终未办理，顺延至下一工作日", window_id=window)


def _cancel(session: Session, ctx: MutationContext, ticket: Ticket, carried_before: bool) -> None:
    ticket.status = CANCELLED
    session.add(ticket)
    reason = "顺延后仍未办理，日终作废" if carried_before else "日终未办理，作废"
    events.log(session, ctx, ticket, "cancelled", reason=reason)
