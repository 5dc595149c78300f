"""Checks the ticket mutations share; each refuses with a message the clerk can act on."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlmodel import Session

from clerk.mutation import MutationRefused
from clerk.queue.claim import check_fence
from clerk.queue.load import is_paused, window_lines
from clerk.queue.status import CALLED, LABELS, SERVING, WAITING, require
from clerk.store.operations import Ticket
from clerk.store.reference import ServiceLine, Window


def get_ticket(session: Session, ticket_id: str) -> Ticket:
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise MutationRefused("没有这个号", f"no ticket {ticket_id}")
    return ticket


def get_window(session: Session, window_id: str) -> Window:
    window = session.get(Window, window_id)
    if window is None:
        raise MutationRefused("没有这个窗口", f"no window {window_id}")
    return window


def get_line(session: Session, line_id: str) -> ServiceLine:
    line = session.get(ServiceLine, line_id)
    if line is None:
        raise MutationRefused("没有这个业务类别", f"no service line {line_id}")
    return line


def window_label(session: Session, window_id: str | None) -> str:
    window = session.get(Window, window_id) if window_id else None
    return f"{window.number} 号窗口" if window else "其他窗口"


def held_ticket(session: Session, ticket_id: str, window_id: str, fence: int | None, action: str) -> Ticket:
    """The ticket ``window_id`` holds, checked for ``action``, its token and its window."""
    ticket = check_fence(session, ticket_id, fence) if fence is not None else get_ticket(session, ticket_id)
    require(ticket, action)
    if ticket.window_id != window_id:
        raise MutationRefused(
            f"{ticket.number} 号在{window_label(session, ticket.window_id)}，不在本窗口",
            f"ticket {ticket_id} is at {ticket.window_id}, not {window_id}",
        )
    return ticket


def refuse_if_paused(session: Session, window: Window) -> None:
    state = is_paused(session, window.id)
    if state is not None:
        raise MutationRefused(f"{window.number} 号窗口已暂停（{state.reason}），请先恢复", f"window {window.id} paused")


_HELD = (  # checked on every call: built once
    select(Ticket.number)
    .where(Ticket.window_id == bindparam("window_id"), Ticket.status.in_((CALLED, SERVING)),
           Ticket.id != bindparam("ticket_id"))
    .limit(1)
)


def refuse_if_busy(session: Session, window: Window, ticket_id: str) -> None:
    """A window serves one visitor at a time: the current one must be dealt with first."""
    current = session.execute(_HELD, {"window_id": window.id, "ticket_id": ticket_id}).scalar_one_or_none()
    if current is not None:
        raise MutationRefused(
            f"本窗口的 {current} 号尚未办结，请先办结、过号、暂挂或转移",
            f"window {window.id} still holds {current}",
        )


def refuse_if_not_callable(session: Session, ticket: Ticket, window: Window) -> None:
    """The ticket must be waiting, and for this window: on one of its lines or sent to it."""
    if ticket.status != WAITING:
        where = window_label(session, ticket.window_id)
        if ticket.status in (CALLED, SERVING):
            msg = f"{ticket.number} 号已由{where}呼叫"
        else:
            msg = f"{ticket.number} 号当前为“{LABELS.get(ticket.status, ticket.status)}”，不能叫号"
        raise MutationRefused(msg, f"ticket {ticket.id} is {ticket.status}")
    if ticket.window_id is not None and ticket.window_id != window.id:
        raise MutationRefused(
            f"{ticket.number} 号已转至{window_label(session, ticket.window_id)}",
            f"ticket {ticket.id} is directed to {ticket.window_id}",
        )
    if ticket.window_id is None and ticket.line_id not in window_lines(session, window.id):
        line = session.get(ServiceLine, ticket.line_id)
        name = line.name if line else ticket.line_id
        raise MutationRefused(f"本窗口不办理“{name}”业务", f"window {window.id} does not serve {ticket.line_id}")
