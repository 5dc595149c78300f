"""The central store gave this counter a fresh installation id at enrolment: take it.

That happens when the id it had belongs to another active counter: this PC was copied from
it (disk image, restored backup) or given its id. The copy's actions not yet acknowledged
stay and are numbered afresh from 1 under the new id, so nothing done here is lost; any of
them the other PC also pushes are refused by the central store as conflicts (same ids),
never applied twice. Acknowledged rows are the other installation's history and go.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlmodel import Session

from clerk.outbox import CHAIN_KEY, CLIENT_ID_KEY, chain_of
from clerk.store.local import Outbox
from clerk.sync import meta


def adopt_installation(session: Session, new_client_id: str) -> int:
    """Become installation ``new_client_id``; returns how many pending actions were renumbered."""
    t = Outbox.__table__
    pending = session.execute(select(t).where(t.c.acked_at.is_(None)).order_by(t.c.mutation_id)).mappings().all()
    session.execute(delete(t))
    chain = ""
    for n, row in enumerate(pending, start=1):
        chain = chain_of(chain, n, row["name"], row["args"], row["actor_id"], row["hlc"])
        session.execute(t.insert().values({**row, "mutation_id": n, "client_id": new_client_id, "chain": chain}))
    meta.put(session, CLIENT_ID_KEY, new_client_id)
    meta.put(session, CHAIN_KEY, chain)
    meta.put(session, meta.LAST_PRUNED, "0")
    meta.put(session, meta.LAST_PRUNED_CHAIN, "")
    return len(pending)
