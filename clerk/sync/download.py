"""The counter's side of pull: upsert the server's row snapshots and advance the cursor,
in one local transaction, without writing outbox rows."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from clerk.store.engine import Store
from clerk.sync import meta
from clerk.sync.protocol import Change
from clerk.sync.rows import row_from_json, synced_table, synced_tables
from clerk.sync.upload import pending_count


def apply_changes(store: Store, epoch: str, seq: int, changes: list[Change], reset: bool) -> bool:
    """Apply and advance to ``(epoch, seq)``; False (nothing done) if local actions are waiting.

    Server rows would overwrite the effects of local actions the server has not seen
    yet, so a pull only lands when the outbox is empty; the push goes first.
    """
    with store.write() as session:
        if pending_count(session):
            return False
        # Snapshots arrive in server order, not parent-before-child: check keys at commit.
        session.connection().exec_driver_sql("PRAGMA defer_foreign_keys=ON")
        if reset:
            for table in reversed(synced_tables()):
                session.execute(delete(table))
        for change in changes:
            _apply(session, change)
        meta.put(session, meta.EPOCH, epoch)
        meta.put(session, meta.SEQ, str(seq))
        if reset:
            meta.put(session, meta.RESYNC, "")
    return True


def _apply(session: Session, change: Change) -> None:
    table = synced_table(change.table)
    if table is None:
        return  # a table of a newer schema version: this counter has no use for it yet
    pk = list(table.primary_key.columns)
    if change.row is None:
        key = row_from_json(table, {c.name: v for c, v in zip(pk, change.key, strict=True)})
        session.execute(delete(table).where(*(c == key[c.name] for c in pk)))
        return
    values = row_from_json(table, change.row)
    stmt = sqlite_insert(table).values(values)
    rest = {k: stmt.excluded[k] for k in values if k not in {c.name for c in pk}}
    stmt = stmt.on_conflict_do_update(index_elements=pk, set_=rest) if rest else stmt.on_conflict_do_nothing()
    session.execute(stmt)
