"""A migrated SQLite store with the ledger test centre, a frozen clock and the ledger desk."""

from __future__ import annotations

import shutil

import pytest
from ledger_centre import MONDAY, install_centre

from clerk.clock import FrozenClock
from clerk.ledgers import settings
from clerk.ledgers.service import LedgerDesk
from clerk.outbox import Workbench
from clerk.store.engine import Store
from clerk.store.migrate import upgrade


@pytest.fixture(scope="session")
def ledger_template(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("ledgers") / "template.sqlite3"
    store = Store.sqlite(path)
    upgrade(store)
    install_centre(store)
    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    store.dispose()
    return str(path)


@pytest.fixture
def store(ledger_template, tmp_path):
    path = tmp_path / "counter.sqlite3"
    shutil.copy(ledger_template, path)
    s = Store.sqlite(path)
    yield s
    s.dispose()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(MONDAY)


@pytest.fixture
def bench(store, clock) -> Workbench:
    return Workbench(store, clock)


@pytest.fixture
def ledgers(bench, store, clock) -> LedgerDesk:
    return LedgerDesk(bench, store, clock)


@pytest.fixture(autouse=True)
def default_limits():
    settings.configure(None)
    yield
    settings.configure(None)
