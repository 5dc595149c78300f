"""A central store restored from an older backup: counters resync and re-send what it lost."""

from __future__ import annotations

import sqlite3

import httpx
import pytest
from harness import PG_URL, FaultyTransport, ServerProcess, assert_exactly_once, enrolled_counter
from sqlalchemy import create_engine, text

from clerk.central import state


def _backup(url: str, store) -> str:
    store.dispose()
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[1]
        with sqlite3.connect(path) as src, sqlite3.connect(path + ".bak") as dst:
            src.backup(dst)
        return path + ".bak"
    name = url.rsplit("/", 1)[1]
    _pg(f'CREATE DATABASE "{name}_bak" TEMPLATE "{name}"')
    return f"{name}_bak"


def _restore(url: str, store, backup: str) -> None:
    store.dispose()
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[1]
        with sqlite3.connect(backup) as src, sqlite3.connect(path) as dst:
            src.backup(dst)
        return
    name = url.rsplit("/", 1)[1]
    _pg(f'DROP DATABASE "{name}" WITH (FORCE)')
    _pg(f'CREATE DATABASE "{name}" TEMPLATE "{backup}"')
    _pg(f'DROP DATABASE "{backup}"')


def _pg(sql: str) -> None:
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(sql))
    admin.dispose()


@pytest.mark.parametrize("admin_starts_new_epoch", [True, False], ids=["new-epoch", "forgot-new-epoch"])
def test_server_restored_from_an_older_backup(real_db, template, tmp_path, admin_starts_new_epoch):
    url, central = real_db
    srv = ServerProcess(url).start()
    try:
        counters = [
            enrolled_counter(tmp_path, n, central, template, httpx.Client(transport=FaultyTransport()), srv.base_url)
            for n in ("w1", "w2")
        ]
        ids = {c.note() for c in counters for _ in range(30)}
        for c in counters:
            c.agent.sync_once()
        srv.kill()  # the server goes down hard; no graceful shutdown needed for a backup copy
        backup = _backup(url, central)
        srv.start()
        ids |= {c.note() for c in counters for _ in range(20)}
        for c in counters:
            c.agent.sync_once()
        srv.kill()
        _restore(url, central, backup)  # the last 20 of each counter are gone from the server
        if admin_starts_new_epoch:
            state.new_epoch(central)
        srv.start()
        for c in counters:
            c.agent.sync_once()
        for c in counters:  # the second round brings down what the other re-sent
            c.agent.sync_once()
        assert_exactly_once(central, counters, ids)
        for c in counters:
            assert c.local_audit_ids() == ids
    finally:
        srv.stop()
