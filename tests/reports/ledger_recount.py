"""A plain recount of the queue figures from the ORM rows, for checking the SQL against.

Deliberately the obvious way: load every ticket and event, loop, sort, index.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from datetime import datetime

from sqlmodel import select

from clerk.clock import local_time
from clerk.store.engine import Store
from clerk.store.operations import Ticket
from clerk.store.queue_tables import TicketEvent


def load(store: Store) -> tuple[dict[str, Ticket], list[TicketEvent]]:
    with store.session() as s:
        tickets = {t.id: t for t in s.exec(select(Ticket))}
        events = list(s.exec(select(TicketEvent)))
    return tickets, events


def nearest_rank(values: list[int], p: int) -> int | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[math.ceil(p * len(ordered) / 100) - 1]


def stats(values: list[int]) -> tuple | None:
    if not values:
        return None
    return (len(values), nearest_rank(values, 50), nearest_rank(values, 90), max(values), sum(values))


def _in(at: datetime, start: datetime, end: datetime) -> bool:
    return start <= at < end


def _matches(event: TicketEvent, column: str | None, key: str) -> bool:
    return column is None or getattr(event, column) == key


def counts(tickets, events, start, end, column, key) -> dict[str, int]:
    return dict(Counter(e.kind for e in events if _in(e.at, start, end) and _matches(e, column, key)))


def waits(tickets, events, start, end, column, key) -> dict[str, tuple]:
    first: dict[str, TicketEvent] = {}
    for e in sorted((e for e in events if e.kind == "called"), key=lambda e: (e.at, e.id)):
        first.setdefault(e.ticket_id, e)
    groups: dict[str, list[int]] = defaultdict(list)
    for ticket_id, call in first.items():
        t = tickets[ticket_id]
        if not _in(t.issued_at, start, end) or not _matches(call, column, key):
            continue
        wait = round((call.at - t.issued_at).total_seconds())
        kind = "appointment" if t.source == "appointment" else "walk_in"
        for grp in ("all", f"h:{local_time(t.issued_at).hour}", f"s:{kind}"):
            groups[grp].append(wait)
    return {g: stats(v) for g, v in groups.items()}


def handling(tickets, events, start, end, column, key) -> dict[str, tuple]:
    by_ticket: dict[str, list[TicketEvent]] = defaultdict(list)
    for e in events:
        by_ticket[e.ticket_id].append(e)
    groups: dict[str, list[int]] = defaultdict(list)
    for e in events:
        if e.kind != "finished" or not _in(e.at, start, end) or not _matches(e, column, key):
            continue
        began = max(b.at for b in by_ticket[e.ticket_id] if b.kind in ("called", "started", "resumed") and b.at <= e.at)
        secs = round((e.at - began).total_seconds())
        groups["all"].append(secs)
        groups[e.line_id].append(secs)
    return {g: stats(v) for g, v in groups.items()}


def overtime(tickets, events, start, end, column, key) -> tuple[int, int]:
    """(tickets, seconds) served after closing: each 办结 in the period of a ticket with overtime."""
    late = [tickets[e.ticket_id].overtime_s for e in events
            if e.kind == "finished" and _in(e.at, start, end) and _matches(e, column, key)
            and tickets[e.ticket_id].overtime_s > 0]
    return len(late), sum(late)
