"""一次一评 at the kiosk: the visitor types the number on their ticket.

Only a visit of today at this centre that is finished and not rated yet can be found: a
number is short and printed for all to see, so it is good for one rating on the day it was
served and for nothing else (the rating itself is refused twice by clerk.ledgers.ratings).
A number is public, so the kiosk then asks the slip's 评价码 (clerk.ledgers.rate_code).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlmodel import Session, col, select

from clerk.errors import UserFacingError
from clerk.ledgers.rate_code import WrongRateCode, after_miss, locked_out, matches
from clerk.queue.status import FINISHED
from clerk.store.ledger_tables import Rating
from clerk.store.operations import Ticket
from clerk.store.reference import ServiceLine, Window


class NoVisitToRate(UserFacingError):
    """The number typed at the kiosk names no visit that can be rated now."""


@dataclass(frozen=True)
class VisitToRate:
    ticket_id: str
    number: str
    line_name: str
    window_name: str
    needs_code: bool = False
    """The ticket has a 评价码 to ask (tickets of before it have none)."""
    rate_code: str = ""
    """The code as typed, once it matched: ``rating.give`` checks it again."""


def normalise_number(typed: str) -> str:
    """“a 12”, “A012” and “a012” are one ticket: letters upper, digits padded as printed (3)."""
    text = "".join(ch for ch in typed.upper() if ch.isalnum())
    letters = "".join(ch for ch in text if ch.isalpha())
    digits = "".join(ch for ch in text if ch.isdigit())
    if not letters or not digits or text != letters + digits:
        return ""
    return letters + digits.zfill(3)


def visit_to_rate(session: Session, centre_code: str, day: date, typed: str) -> VisitToRate:
    number = normalise_number(typed)
    if not number:
        raise NoVisitToRate("请输入号票上的号码，如 A012", f"kiosk rating: bad number {typed!r}")
    found = session.exec(
        select(Ticket, ServiceLine.name, Window.name)
        .join(ServiceLine, col(ServiceLine.id) == col(Ticket.line_id))
        .outerjoin(Window, col(Window.id) == col(Ticket.window_id))
        .where(Ticket.centre_code == centre_code, Ticket.day == day, Ticket.number == number)
        .order_by(col(Ticket.issued_at).desc())
    ).all()
    if not found:
        raise NoVisitToRate(f"今天没有 {number} 号，请核对号票", f"kiosk rating: no {number} on {day}")
    for ticket, line_name, window_name in found:
        if ticket.status != FINISHED:
            continue
        if session.exec(select(Rating.id).where(Rating.ticket_id == ticket.id)).first() is not None:
            raise NoVisitToRate(f"{number} 号的这次服务已经评价过了，谢谢您", f"kiosk rating: {ticket.id} rated")
        if refusal := locked_out(ticket):
            raise NoVisitToRate(refusal, f"kiosk rating: {ticket.id} locked after wrong codes")
        return VisitToRate(ticket.id, number, line_name, window_name or "", needs_code=bool(ticket.rate_code))
    raise NoVisitToRate(f"{number} 号还没有办结，办结后再来评价", f"kiosk rating: {number} not finished")


def code_matches(session: Session, visit: VisitToRate, typed: str) -> VisitToRate | None:
    """The visit with its verified code, or None for a wrong one (the caller counts the miss)."""
    ticket = session.get(Ticket, visit.ticket_id)
    if ticket is None:
        raise NoVisitToRate("没有找到这张号票，请联系工作人员", f"kiosk rating: ticket {visit.ticket_id} gone")
    if refusal := locked_out(ticket):
        raise NoVisitToRate(refusal, f"kiosk rating: {ticket.id} locked after wrong codes")
    digits = "".join(ch for ch in typed if ch.isdigit())
    return replace(visit, rate_code=digits) if matches(ticket, digits) else None


def miss_refusal(session: Session, visit: VisitToRate) -> WrongRateCode:
    """After ``rating.code_miss`` was stored: how many tries are left, or that none are."""
    ticket = session.get(Ticket, visit.ticket_id)
    return WrongRateCode(after_miss(ticket), f"kiosk rating: wrong code for {visit.ticket_id}",
                         locked=bool(locked_out(ticket)))
