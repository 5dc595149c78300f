"""Which offline ticket-number band an enrolled counter issues in (clerk.queue.numbering).

Each active device of a centre gets its own band 1–4, so tickets issued while cut off can
never share a number. A re-enrolled installation keeps its band if it is still free, so
the tickets it issued before keep counting on in the same band.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from clerk.queue.numbering import OFFLINE_BANDS
from clerk.store.central_tables import Device
from clerk.store.reference import Centre


def free_band(session: Session, centre_code: str, client_id: str) -> int | None:
    """The band for a device of ``client_id`` enrolling now; None if all four are taken.

    Locks the centre's row (PostgreSQL) so two counters enrolling at once cannot get the
    same band; on SQLite the enrolment's write transaction is already the only writer.
    """
    session.execute(select(Centre.code).where(Centre.code == centre_code).with_for_update())
    rows = session.execute(
        select(Device.client_id, Device.band, Device.revoked_at).where(
            Device.centre_code == centre_code, Device.band.is_not(None)
        )
    ).all()
    taken = {r.band for r in rows if r.revoked_at is None and r.client_id != client_id}
    before = [r.band for r in rows if r.client_id == client_id and r.band not in taken]
    if before:
        return before[-1]
    return next((b for b in OFFLINE_BANDS if b not in taken), None)
