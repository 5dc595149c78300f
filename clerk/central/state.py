"""The server's epoch and change-log sequence (one row in ``server_state``)."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from clerk.ids import new_id
from clerk.store import migrate
from clerk.store.central_tables import ServerState
from clerk.store.engine import Store


def prepare(store: Store) -> str:
    """Migrate the central database and make sure it has an epoch; returns the epoch."""
    migrate.upgrade(store)
    return ensure_state(store)


def ensure_state(store: Store) -> str:
    try:
        with store.write() as session:
            row = session.get(ServerState, 1)
            if row is None:
                row = ServerState(id=1, epoch=new_id(), last_seq=0)
                session.add(row)
            return row.epoch
    except IntegrityError:  # another worker made it at the same moment
        with store.session() as session:
            return session.get(ServerState, 1).epoch


def current(session: Session) -> ServerState:
    return session.get(ServerState, 1)


def new_epoch(store: Store) -> str:
    """Start a new epoch, e.g. after restoring a backup: every counter does a full resync
    and re-sends what this database no longer has."""
    epoch = new_id()
    with store.write() as session:
        session.execute(update(ServerState).where(ServerState.id == 1).values(epoch=epoch))
    return epoch


def allocate_seqs(session: Session, count: int) -> int:
    """Reserve ``count`` sequence numbers; returns the first. The row lock taken here is
    held until commit, so change-log rows become visible in sequence order."""
    table = ServerState.__table__
    last = session.execute(
        update(table).where(table.c.id == 1).values(last_seq=table.c.last_seq + count).returning(table.c.last_seq)
    ).scalar_one()
    return last - count + 1
