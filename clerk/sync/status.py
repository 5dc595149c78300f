"""What the clerk sees of sync: online or not, what waits, since when, and conflicts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import select

from clerk.clock import Clock
from clerk.store.engine import Store
from clerk.store.local import Outbox, SyncConflict
from clerk.sync import meta

CLOCK_WARNING_MS = 5 * 60 * 1000
"""A counter clock this far from the server's gets a warning (deadlines are computed locally)."""


@dataclass(frozen=True)
class SyncStatus:
    configured: bool
    """Enrolled with a central store; False means this counter works alone."""
    online: bool
    """The last contact with the central store succeeded."""
    pending: int
    oldest_pending_age: timedelta | None
    last_ack_at: datetime | None
    conflicts: int
    """Conflicts not yet looked at."""
    clock_skew_ms: int | None = None
    clock_warning: bool = False
    error: str = ""
    """The last failure's message for the clerk, empty after a successful round."""
    failing: bool = False
    """Not online, and not because the central store is out of reach: it answered and the
    round still failed (a refusal, a pull that cannot land, a fault). Waiting will not fix it."""


def sync_status(store: Store, clock: Clock) -> SyncStatus:
    with store.session() as session:
        pending, oldest = session.exec(
            select(func.count(), func.min(Outbox.created_at)).where(Outbox.acked_at.is_(None))
        ).one()
        conflicts = session.exec(select(func.count()).select_from(SyncConflict).where(SyncConflict.seen.is_(False))).one()
        ok, fail = meta.get_time(session, meta.LAST_OK_AT), meta.get_time(session, meta.LAST_FAIL_AT)
        skew_raw = meta.get(session, meta.SKEW_MS)
        configured = meta.credential(session) is not None
        last_ack = meta.get_time(session, meta.LAST_ACK_AT)
        error = meta.get(session, meta.LAST_ERROR)
        kind = meta.get(session, meta.LAST_ERROR_KIND)
    if oldest is not None and oldest.tzinfo is None:  # func.min bypasses the column type
        oldest = datetime.fromisoformat(str(oldest)).replace(tzinfo=clock.now().tzinfo)
    skew = int(skew_raw) if skew_raw else None
    # The error is cleared by every successful round: equal times (a frozen test clock, a
    # coarse one) cannot make a failed round look online.
    online = ok is not None and not error and (fail is None or ok >= fail)
    return SyncStatus(
        configured=configured,
        online=online,
        pending=pending,
        oldest_pending_age=max(clock.now() - oldest, timedelta(0)) if oldest else None,
        last_ack_at=last_ack,
        conflicts=conflicts,
        clock_skew_ms=skew,
        clock_warning=skew is not None and abs(skew) > CLOCK_WARNING_MS,
        error=error,
        failing=not online and kind == "error",
    )
