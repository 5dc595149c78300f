"""Fixtures for the sync and central-store tests (imported by both conftest files)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from harness import (
    START,
    ServerProcess,
    drop_pg_database,
    make_template,
    migrated_copy,
    require_pg,
    scratch_pg_database,
    seed_hall,
    truncate_all,
)

from clerk.central import state
from clerk.central.app import create_app
from clerk.clock import FrozenClock
from clerk.store import migrate
from clerk.store.engine import Store


@pytest.fixture(scope="session")
def template(tmp_path_factory) -> Path:
    """A migrated empty SQLite file; copying it is much faster than migrating again."""
    return make_template(tmp_path_factory.mktemp("tpl") / "template.sqlite3")


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    require_pg()
    name = f"clerk_sync_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    url = scratch_pg_database(name)
    store = Store.url(url)
    migrate.upgrade(store)
    store.dispose()
    yield url
    drop_pg_database(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def central(request, tmp_path, template) -> Iterator[Store]:
    """An empty, migrated central store with the hall seeded, on each backend."""
    if request.param == "sqlite":
        store = migrated_copy(template, tmp_path / "central.sqlite3")
    else:
        store = Store.url(request.getfixturevalue("pg_url"))
        truncate_all(store)
    state.ensure_state(store)
    seed_hall(store)
    yield store
    store.dispose()


@pytest.fixture
def server_clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture
def api(central, server_clock) -> Iterator[TestClient]:
    with TestClient(create_app(central, clock=server_clock), base_url="http://central") as client:
        yield client


@pytest.fixture(scope="session")
def pg_template(pg_url) -> Iterator[str]:
    """A migrated PostgreSQL database to clone per test (CREATE DATABASE … TEMPLATE)."""
    name = f"clerk_tpl_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    url = scratch_pg_database(name)
    store = Store.url(url)
    migrate.upgrade(store)
    store.dispose()
    yield name
    drop_pg_database(name)


def clone_pg(template_name: str) -> tuple[str, str]:
    from harness import PG_URL
    from sqlalchemy import create_engine, text

    name = f"clerk_t_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"'))
    admin.dispose()
    return name, PG_URL.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(params=["sqlite", "postgresql"])
def real_db(request, tmp_path, template) -> Iterator[tuple[str, Store]]:
    """A seeded central database of its own (URL and store) for a server subprocess."""
    name = None
    if request.param == "sqlite":
        store = migrated_copy(template, tmp_path / "central.sqlite3")
        url = f"sqlite:///{tmp_path / 'central.sqlite3'}"
    else:
        name, url = clone_pg(request.getfixturevalue("pg_template"))
        store = Store.url(url)
    state.ensure_state(store)
    seed_hall(store)
    yield url, store
    store.dispose()
    if name:
        drop_pg_database(name)


@pytest.fixture
def server(real_db):
    """The real `clerk serve` (one worker) on ``real_db``; a test module may define its own."""
    url, _store = real_db
    srv = ServerProcess(url, cli_workers=1).start()
    yield srv
    srv.stop()
