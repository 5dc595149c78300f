"""A case-test centre on a migrated temporary SQLite store, a frozen clock and a CaseDesk."""

from __future__ import annotations

import shutil

import pytest
from case_centre import CENTRE, EXCLUDED, MONDAY, install

from clerk.cases.desk import CaseDesk
from clerk.clock import FrozenClock
from clerk.outbox import Workbench
from clerk.store.engine import Store
from clerk.store.migrate import upgrade
from clerk.store.reference import ServiceItem


@pytest.fixture(scope="session")
def case_template(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("cases") / "template.sqlite3"
    store = Store.sqlite(path)
    upgrade(store)
    install(store)
    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    store.dispose()
    return str(path)


@pytest.fixture
def store(case_template, tmp_path):
    path = tmp_path / "counter.sqlite3"
    shutil.copy(case_template, path)
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
def desk(bench, store, clock) -> CaseDesk:
    return CaseDesk(bench, store, clock, CENTRE, None, public_base="https://zwfw.example.cn")


@pytest.fixture(autouse=True)
def excluded_items(monkeypatch):
    """Until the reference data carries 告知承诺 exclusions, give T-EXC one (test-local)."""
    monkeypatch.setattr(ServiceItem, "commitment_exclusion",
                        property(lambda self: EXCLUDED.get(self.code, "")), raising=False)
