"""The kiosk's check of a ticket's 评价码 (clerk.queue.rate_code), and its wrong tries.

The code is kept on the ticket row, which every counter and kiosk of the centre receives,
so any kiosk verifies it, also offline. ``rating.give`` from the kiosk checks it again in
the handler, so the central store refuses a kiosk rating without the slip's code too.

Wrong tries are counted on the ticket by ``rating.code_miss``, a mutation like any other:
the count reaches every kiosk with the next sync, so a guesser does not get five more tries
at the next kiosk (only until it has synced). At :data:`MISS_LIMIT` the number cannot be
rated at any kiosk that day; a clerk at the 咨询台 can still record the visitor's rating.

Tickets issued before the code existed have none: they are rated by the number alone, as
they were. Their slips carry no code the visitor could type, and only today's visits can be
rated at the kiosk, so the old gap closes by itself at the end of the day of the upgrade;
refusing them would take their 一次一评 from visitors who did nothing wrong.
"""

from __future__ import annotations

import secrets

from sqlmodel import Session

from clerk.errors import UserFacingError
from clerk.mutation import MutationArgs, MutationContext, MutationRefused, mutation
from clerk.store.operations import Ticket

MISS_LIMIT = 5

WRONG_CODE = "评价码不正确，请核对号票上的评价码"


class WrongRateCode(UserFacingError):
    """The 评价码 typed at the kiosk is not the slip's; ``locked`` when it was the last try."""

    def __init__(self, message: str, detail: str = "", locked: bool = False) -> None:
        super().__init__(message, detail)
        self.locked = locked


def locked_out(ticket: Ticket) -> str:
    """Why ``ticket`` cannot be rated at a kiosk any more today, or ""."""
    if ticket.rate_code and ticket.rate_code_misses >= MISS_LIMIT:
        return (f"{ticket.number} 号的评价码已输错 {MISS_LIMIT} 次，今天不能在自助机评价，"
                "请到咨询台由工作人员协助评价")
    return ""


def matches(ticket: Ticket, typed: str) -> bool:
    """The slip's code, typed (digits only; a ticket without a code needs none)."""
    if not ticket.rate_code:
        return True
    digits = "".join(ch for ch in typed if ch.isdigit())
    return secrets.compare_digest(digits.encode(), ticket.rate_code.encode())


def after_miss(ticket: Ticket) -> str:
    """What the visitor is told after a wrong code (the ticket's count already includes it)."""
    left = MISS_LIMIT - ticket.rate_code_misses
    return locked_out(ticket) or f"{WRONG_CODE}（还可再试 {left} 次）"


class MissArgs(MutationArgs):
    ticket_id: str


@mutation("rating.code_miss", MissArgs)
def miss(session: Session, args: MissArgs, ctx: MutationContext) -> Ticket:
    """One more wrong 评价码 for the ticket (the typed code itself is not kept anywhere)."""
    ticket = session.get(Ticket, args.ticket_id)
    if ticket is None:
        raise MutationRefused("没有这张号票", f"no ticket {args.ticket_id}")
    ticket.rate_code_misses += 1  # counted also past the limit: each kiosk's tries add up on replay
    session.add(ticket)
    return ticket
