"""A small centre on a migrated temporary SQLite store, and a workbench with a frozen clock.

Centre ``qc``: lines A 综合 (windows 1, 2, 4–10), B 社保 (window 3), C 公积金 (no window);
staff s1–s3 at windows 1–3 and a supervisor.
"""

from __future__ import annotations

import shutil
from datetime import datetime

import pytest

from clerk.clock import LOCAL_TZ, FrozenClock
from clerk.outbox import Workbench
from clerk.queue import settings
from clerk.store.engine import Store
from clerk.store.migrate import upgrade
from clerk.store.operations import SeatSession
from clerk.store.reference import Centre, ServiceLine, Staff, Window, WindowLine

CENTRE = "qc"
OPENING = datetime(2026, 3, 2, 9, 0, tzinfo=LOCAL_TZ)


def install_centre(store: Store, windows: int = 3) -> None:
    """Reference data of the test centre: lines A/B/C, ``windows`` windows, one clerk each."""
    with store.write() as s:
        s.add(Centre(code=CENTRE, name="测试政务服务中心", level="county"))
        for letter, name in (("A", "综合"), ("B", "社保"), ("C", "公积金")):
            s.add(ServiceLine(id=f"{CENTRE}:{letter}", centre_code=CENTRE, letter=letter, name=name))
        s.add(Staff(id="boss", username="boss", name="值班长", role="supervisor", centre_code=CENTRE, password_hash="x"))
        s.flush()
        for n in range(1, windows + 1):
            wid = f"{CENTRE}:{n}"
            s.add(Window(id=wid, centre_code=CENTRE, number=n, name=f"{n}号窗口", kind="general"))
            s.add(Staff(id=f"s{n}", username=f"s{n}", name=f"工作人员{n}", role="clerk", centre_code=CENTRE, password_hash="x"))
            s.flush()
            s.add(WindowLine(window_id=wid, line_id=f"{CENTRE}:{'B' if n == 3 else 'A'}"))
            s.add(SeatSession(id=f"seat{n}", staff_id=f"s{n}", window_id=wid, started_at=OPENING))


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
