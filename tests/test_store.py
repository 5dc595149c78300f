"""The local store: migrations on both databases, durability settings, and damaged files."""

import sqlite3

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from clerk.store.engine import Store, StoreError
from clerk.store.local import LocalMeta
from clerk.store.migrate import current_revision, head_revision, upgrade
from clerk.store.schema import metadata


def _assert_at_head_and_complete(store: Store) -> None:
    assert current_revision(store) == head_revision()
    tables = set(inspect(store.engine).get_table_names())
    assert set(metadata.tables) <= tables
    # The migrations create exactly what the models describe: nothing forgotten.
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    assert diff == []


def test_empty_sqlite_migrates_to_head(tmp_path):
    store = Store.sqlite(tmp_path / "a.sqlite3")
    upgrade(store)
    _assert_at_head_and_complete(store)
    upgrade(store)  # a second run is a no-op
    assert current_revision(store) == head_revision()


def test_empty_postgresql_migrates_to_head(pg_database_url):
    store = Store.url(pg_database_url)
    upgrade(store)
    _assert_at_head_and_complete(store)
    store.dispose()


def test_sqlite_is_durable_wal(sqlite_store):
    with sqlite_store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_corrupt_file_gets_a_clear_message_and_is_left_alone(tmp_path):
    path = tmp_path / "broken.sqlite3"
    garbage = b"this is not a database at all " * 200
    path.write_bytes(garbage)
    with pytest.raises(StoreError) as err:
        Store.sqlite(path)
    assert "已损坏" in err.value.message
    assert path.read_bytes() == garbage


def test_locked_file_gets_a_clear_message_and_loses_nothing(tmp_path):
    path = tmp_path / "locked.sqlite3"
    store = Store.sqlite(path, busy_timeout_ms=50)
    upgrade(store)
    with store.write() as session:
        session.add(LocalMeta(key="kept", value="1"))
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        with pytest.raises(StoreError) as err, store.write() as session:
            session.add(LocalMeta(key="new", value="2"))
        assert "占用" in err.value.message
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with store.session() as session:
        assert session.get(LocalMeta, "kept").value == "1"
        assert session.get(LocalMeta, "new") is None
    with store.write() as session:  # the lock is gone: writing works again
        session.add(LocalMeta(key="new", value="2"))


def _upgrade_keeps_pushed_history(store: Store) -> None:
    """0006 replaced the per-mutation applied_mutation rows by receipts and refusals:
    a central store upgraded in place keeps its refusals and the ranges it applied."""
    upgrade(store, "0005")
    row = ("INSERT INTO applied_mutation (client_id, mutation_id, name, actor_id, hlc, at, applied_at,"
           " refused, reason) VALUES (:c, :m, 'audit.record', 'clerk1', 'h', :at, :applied, :r, :why)")
    with store.engine.begin() as conn:
        for m in range(1, 6):
            conn.execute(text(row), {"c": "counter-a", "m": m, "at": f"2026-11-0{m} 09:00:00",
                                     "applied": "2026-11-06 10:00:00", "r": m == 3, "why": "已过号" if m == 3 else ""})
    upgrade(store)
    with store.engine.connect() as conn:
        refused = conn.execute(text("SELECT client_id, mutation_id, reason FROM refused_mutation")).all()
        receipts = conn.execute(
            text("SELECT client_id, first_mutation_id, last_mutation_id, refused FROM push_receipt")
        ).all()
    assert [tuple(r) for r in refused] == [("counter-a", 3, "已过号")]
    assert [tuple(r) for r in receipts] == [("counter-a", 1, 5, 1)]
    _assert_at_head_and_complete(store)


def test_sqlite_upgrade_keeps_pushed_history(tmp_path):
    _upgrade_keeps_pushed_history(Store.sqlite(tmp_path / "central.sqlite3"))


def test_postgresql_upgrade_keeps_pushed_history(pg_database_url):
    store = Store.url(pg_database_url)
    _upgrade_keeps_pushed_history(store)
    store.dispose()


def test_upgrade_links_a_shift_note_stored_twice_to_the_first(tmp_path):
    """0028 makes a shift's first note unique: a pair stored before it keeps every word,
    the signed one stays the shift's note and the other becomes a note linked to it."""
    store = Store.sqlite(tmp_path / "central.sqlite3")
    upgrade(store, "0027_voided")
    row = ("INSERT INTO shift_note (id, centre_code, day, shift, scope_kind, scope_key, supervisor_id, note,"
           " written_at, figures_digest, signed_at, signature, signed_client)"
           " VALUES (?, 'c1', '2026-03-02', '08:30-17:30', 'centre', 'c1', ?, ?, ?, '', '', ?, '')")
    raw = sqlite3.connect(tmp_path / "central.sqlite3")  # foreign keys off: the notes without centre and staff
    raw.execute(row, ("n1", "sup1", "先写的", "2026-03-02 01:00:00", ""))
    raw.execute(row, ("n2", "sup2", "后写并签名", "2026-03-02 01:00:01", "s"))
    raw.commit()
    raw.close()
    upgrade(store)
    with store.engine.connect() as conn:
        notes = conn.execute(text("SELECT id, corrects, note FROM shift_note ORDER BY id")).all()
    assert [tuple(n) for n in notes] == [("n1", "n2", "先写的"), ("n2", None, "后写并签名")]
    _assert_at_head_and_complete(store)
    store.dispose()
