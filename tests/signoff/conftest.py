"""Sign-off tests: the case-test centre with chiefs (signoff_centre), desks on a SQLite copy."""

from __future__ import annotations

import os
import shutil
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent / "cases"))
sys.path.insert(0, str(Path(__file__).parent.parent / "sync"))

import pytest  # noqa: E402
from case_centre import CENTRE, MONDAY  # noqa: E402
from harness import drop_pg_database, require_pg, scratch_pg_database  # noqa: E402
from signoff_centre import install_signoff  # noqa: E402

from clerk.cases.desk import CaseDesk  # noqa: E402
from clerk.clock import FrozenClock  # noqa: E402
from clerk.outbox import Workbench  # noqa: E402
from clerk.signoff.service import SignOffDesk  # noqa: E402
from clerk.store.engine import Store  # noqa: E402
from clerk.store.migrate import upgrade  # noqa: E402
from clerk.workflows import install  # noqa: E402

install()


@pytest.fixture(scope="session")
def signoff_template(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("signoff") / "template.sqlite3"
    store = Store.sqlite(path)
    upgrade(store)
    install_signoff(store)
    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    store.dispose()
    return str(path)


@pytest.fixture
def store(signoff_template, tmp_path):
    path = tmp_path / "counter.sqlite3"
    shutil.copy(signoff_template, path)
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
def cases(bench, store, clock) -> CaseDesk:
    return CaseDesk(bench, store, clock, CENTRE, None)


@pytest.fixture
def signoff(bench, store, clock) -> SignOffDesk:
    return SignOffDesk(bench, store, clock, CENTRE, None, max_failures=3, lockout_minutes=15)


@pytest.fixture(scope="module")
def pg_central_url() -> Iterator[str]:
    require_pg()
    name = f"clerk_signoff_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    url = scratch_pg_database(name)
    s = Store.url(url)
    upgrade(s)
    s.dispose()
    yield url
    drop_pg_database(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def central(request, tmp_path) -> Iterator[Store]:
    if request.param == "sqlite":
        s = Store.sqlite(tmp_path / "central.sqlite3")
        upgrade(s)
    else:
        from harness import truncate_all

        s = Store.url(request.getfixturevalue("pg_central_url"))
        truncate_all(s)
    install_signoff(s)
    yield s
    s.dispose()
