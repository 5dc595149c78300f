"""A small centre on a migrated temporary SQLite store, and a workbench with a frozen clock.

Centre ``qc``: lines A 综合 (windows 1, 2, 4–10), B 社保 (window 3), C 公积金 (no window);
staff s1–s3 at windows 1–3 and a supervisor.
"""

from __future__ import annotations

import shutil

import pytest
from queue_centre import OPENING, install_centre  # noqa: E402

from clerk.clock import FrozenClock
from clerk.outbox import Workbench
from clerk.queue import settings
from clerk.store.engine import Store
from clerk.store.migrate import upgrade


@pytest.fixture(scope="session")
def template_db(tmp_path_factory) -> str:
    """Migrate once; each test copies the file (a migration per test would be slow)."""
    path = tmp_path_factory.mktemp("queue") / "template.sqlite3"
    store = Store.sqlite(path)
    upgrade(store)
    install_centre(store, windows=10)
    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    store.dispose()
    return str(path)


@pytest.fixture
def store(template_db, tmp_path):
    path = tmp_path / "counter.sqlite3"
    shutil.copy(template_db, path)
    s = Store.sqlite(path)
    yield s
    s.dispose()


@pytest.fixture(scope="session")
def centre_installer():
    """``install_centre`` for tests that build their own store (e.g. on PostgreSQL)."""
    return install_centre


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(OPENING)


@pytest.fixture
def bench(store, clock) -> Workbench:
    return Workbench(store, clock)


@pytest.fixture(autouse=True)
def default_policy():
    settings.configure(None)
    yield
    settings.configure(None)
