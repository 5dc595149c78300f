"""The counter's side of pull: upsert the server's row snapshots and advance the cursor,
in one local transaction, without writing outbox rows."""

from __future__ import annotations

import itertools
from functools import cache
from typing import Any

from sqlalchemy import Table, delete
from sqlalchemy.dialects.sqlite import Insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from clerk.outbox import CLIENT_ID_KEY
from clerk.store.engine import Store
from clerk.store.queue_conflicts import CallConflict
from clerk.sync import meta
from clerk.sync.call_notes import note_call_conflicts
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
        _apply_all(session, changes)
        arrived = [c.key[0] for c in changes if c.table == CallConflict.__tablename__ and c.row is not None]
        if arrived:
            note_call_conflicts(session, meta.get(session, CLIENT_ID_KEY), arrived)
        meta.put(session, meta.EPOCH, epoch)
        meta.put(session, meta.SEQ, str(seq))
        if reset:
            meta.put(session, meta.RESYNC, "")
    return True


Write = tuple[Table, dict[str, Any], dict[str, Any] | None]
"""(table, primary key, column values or None for a delete), as Python values."""


def _apply_all(session: Session, changes: list[Change]) -> None:
    """Apply in server order; each run of upserts into one table (with one column set) is
    a single executemany of one cached statement, not a statement built per row."""
    known = ((synced_table(c.table), c) for c in changes)
    # A table this counter does not know belongs to a newer schema version: no use for it yet.
    writes = [(table, *_values(table, c)) for table, c in known if table is not None]
    for (table, columns), run in itertools.groupby(writes, key=_run_key):
        if columns is None:  # deletes are rare: one statement each
            for _table, key, _none in run:
                session.execute(delete(table).where(*(c == key[c.name] for c in table.primary_key.columns)))
        else:
            session.execute(_upsert(table, columns), [values for _table, _key, values in run])


def _run_key(write: Write) -> tuple[Table, tuple[str, ...] | None]:
    table, _key, values = write
    return table, None if values is None else tuple(values)


def _values(table: Table, change: Change) -> tuple[dict[str, Any], dict[str, Any] | None]:
    if change.row is None:
        pk = table.primary_key.columns
        return row_from_json(table, {c.name: v for c, v in zip(pk, change.key, strict=True)}), None
    return {}, row_from_json(table, change.row)


@cache
def _upsert(table: Table, columns: tuple[str, ...]) -> Insert:
    pk = [c.name for c in table.primary_key.columns]
    stmt = sqlite_insert(table)
    rest = {k: stmt.excluded[k] for k in columns if k not in pk}
    return stmt.on_conflict_do_update(index_elements=pk, set_=rest) if rest else stmt.on_conflict_do_nothing()
