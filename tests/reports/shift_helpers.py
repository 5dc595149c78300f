"""Shift-signing tests: a supervisor's counter on the demo hall and a central store to push to."""

from __future__ import annotations

import json
import re
from contextlib import contextmanager
from datetime import UTC, date, datetime, time

import pytest
from report_days import CENTRE
from sqlmodel import select

from clerk import mutation
from clerk.clock import LOCAL_TZ, FrozenClock
from clerk.errors import UserFacingError
from clerk.outbox import Workbench
from clerk.shifts.service import ShiftDesk
from clerk.store.engine import Store
from clerk.store.local import Outbox

PASSWORD = "demo1234"
"""Every demo staff member's password (fixtures/staff.toml)."""
HOURS = (time(8, 30), time(17, 30))
NOW = datetime(2026, 6, 30, 10, 0, tzinfo=UTC)


def desk(store: Store) -> ShiftDesk:
    return ShiftDesk(Workbench(store, FrozenClock(NOW)), store, FrozenClock(NOW), CENTRE, HOURS, max_failures=3)


def serve_one(store: Store, day: date, ticket: str) -> None:
    """One walk-in served at window 1 during the shift of ``day``: a figure for the digest."""
    at = datetime.combine(day, time(10, 0), LOCAL_TZ).astimezone(UTC)
    bench = Workbench(store, FrozenClock(at))
    bench.apply("ticket.issue", {"id": ticket, "line_id": f"{CENTRE}:A", "band": 1, "source": "walk_in"}, "clerk01")
    bench.apply("ticket.call", {"ticket_id": ticket, "window_id": f"{CENTRE}:1"}, "clerk01")
    bench.apply("ticket.finish", {"ticket_id": ticket, "window_id": f"{CENTRE}:1"}, "clerk01")


def outbox(store: Store, prefix: str = "shift.") -> list[Outbox]:
    with store.session() as s:
        return list(s.exec(select(Outbox).where(Outbox.name.like(prefix + "%")).order_by(Outbox.mutation_id)).all())


def apply(central: Store, row: Outbox, *, client_id: str | None = None, actor: str | None = None,
          args: dict | None = None) -> None:
    """One pushed mutation, as clerk.central.apply runs it (one transaction here)."""
    ctx = mutation.MutationContext(client_id=client_id or row.client_id, mutation_id=row.mutation_id, hlc=row.hlc,
                                   at=row.created_at, actor_id=actor or row.actor_id)
    with central.write() as session:
        mutation.run(session, row.name, args if args is not None else json.loads(row.args), ctx)


@contextmanager
def refused(pattern: str, kind: type[UserFacingError] = UserFacingError):
    """Like pytest.raises(match=...), on the Chinese message the person sees."""
    with pytest.raises(kind) as caught:
        yield
    assert re.search(pattern, caught.value.message), caught.value.message
