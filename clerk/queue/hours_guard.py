"""Issuing by the hours: the kiosk issues in the open hours only; a booked matter (an
appointment check-in) also in 早晚弹性, an hour either side; a clerk's walk-in at any time
(the clerk decides, e.g. during 延时服务). Centres without hours data are not limited.

Checked inside ``ticket.issue``, so the counter and the central store refuse alike.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from clerk.clock import LOCAL_TZ, local_time
from clerk.hours.load import centre_hours
from clerk.hours.notice import closed_reason
from clerk.hours.rules import CentreHours, closing_on, within_flexible_hours
from clerk.mutation import MutationRefused
from clerk.store.operations import Ticket
from clerk.store.reference import ServiceLine

BOOKED_HINT = "已预约的事项可在办公时间前后一小时内办理"


def refusal(hours: CentreHours | None, line: ServiceLine, source: str, at: datetime) -> str | None:
    """Why a ticket of ``source`` for ``line`` cannot be issued at ``at``; None if it can."""
    if hours is None or source == "walk_in":
        return None
    local = local_time(at)
    reason = closed_reason(local, hours, line.letter, line.name)
    if reason is None:
        return None
    if source == "appointment":
        return None if within_flexible_hours(local, hours, line.letter) else f"{reason}（{BOOKED_HINT}）"
    return reason


def overtime_seconds(session: Session, ticket: Ticket, finished_at: datetime) -> int:
    """延时服务: how long this ticket was served after the closing time of its day (0 when
    finished in time, on a closed day, or in a centre without hours data)."""
    hours = centre_hours(session, ticket.centre_code)
    closes = closing_on(ticket.day, hours) if hours else None
    if closes is None:
        return 0
    closing = datetime.combine(ticket.day, closes, LOCAL_TZ)
    began = max(closing, ticket.called_at or closing)
    return max(0, int((finished_at - began).total_seconds()))


def refuse_outside_hours(session: Session, line: ServiceLine, source: str, at: datetime) -> None:
    reason = refusal(centre_hours(session, line.centre_code), line, source, at)
    if reason is not None:
        raise MutationRefused(reason, f"{line.id} closed at {at.isoformat()} for {source}")
