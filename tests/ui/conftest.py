"""Fixtures for the TUI tests: a store with the shipped fixtures, a frozen clock, an app factory."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from ui_helpers import MONDAY_9AM

from clerk.bootstrap import load_reference_data, open_store
from clerk.central import state
from clerk.central.reference import publish_fixtures
from clerk.clock import FrozenClock
from clerk.config import Settings, StoreSettings
from clerk.fixtures import load_fixtures
from clerk.outbox import client_id
from clerk.store.engine import Store
from clerk.sync import meta
from screens.app import ClerkApp, make_app


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's terminal settings must not change what the tests see."""
    for name in list(os.environ):
        if name.startswith("TEXTUAL_SNAPSHOT"):
            continue  # set by pytest-textual-snapshot itself
        if name.startswith("TEXTUAL") or name in ("NO_COLOR", "FORCE_COLOR", "COLORTERM"):
            monkeypatch.delenv(name)


@pytest.fixture
def anyio_backend() -> str:
    """Pilot tests run on anyio's pytest plugin, on asyncio (Textual's loop)."""
    return "asyncio"


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped fixtures loaded once (argon2-hashing every demo password takes a second)."""
    path = tmp_path_factory.mktemp("template") / "counter.sqlite3"
    settings = Settings(store=StoreSettings(path=str(path)))
    store = open_store(settings)
    load_reference_data(settings, store)
    with store.engine.connect() as conn:
        conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    store.dispose()
    return path


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(store=StoreSettings(path=str(tmp_path / "counter.sqlite3")))


@pytest.fixture
def store(settings: Settings, template_db: Path) -> Iterator[Store]:
    """A private copy of the template store for one test."""
    shutil.copyfile(template_db, settings.store_path())
    store = Store.sqlite(settings.store_path())
    yield store
    store.dispose()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(MONDAY_9AM)


@pytest.fixture
def app(settings: Settings, store: Store, clock: FrozenClock) -> ClerkApp:
    """The workstation on the prepared store, frozen clock, no cursor blink."""
    return make_app(settings, store, clock, cursor_blink=False)


@pytest.fixture
def build_app(settings: Settings, clock: FrozenClock) -> Callable[..., ClerkApp]:
    """For tests that need the app to open the store itself (store=None)."""

    def build(store: Store | None = None) -> ClerkApp:
        return make_app(settings, store, clock, cursor_blink=False)

    return build


@pytest.fixture
def enrolled_app(settings: Settings, store: Store, clock: FrozenClock) -> ClerkApp:
    """The workstation enrolled with a central store that is away (nothing listens on its port)."""
    sys.path.insert(0, str(Path(__file__).parents[1] / "sync"))
    from harness import free_port  # the sync tests' real-server helper

    with store.write() as session:
        client_id(session)
        meta.put(session, meta.URL, f"http://127.0.0.1:{free_port()}")
        meta.put(session, meta.DEVICE_ID, "dev-1")
        meta.put(session, meta.SECRET, "secret")
    return make_app(settings, store, clock, cursor_blink=False)


@pytest.fixture
def central(tmp_path: Path) -> Iterator[tuple[Store, str]]:
    """A real central store (uvicorn on 127.0.0.1) with the shipped fixtures published."""
    sys.path.insert(0, str(Path(__file__).parents[1] / "sync"))
    from harness import ServerProcess  # the sync tests' real-server helper

    path = tmp_path / "central.sqlite3"
    store = Store.sqlite(path)
    state.prepare(store)
    publish_fixtures(store, load_fixtures(Settings().fixtures_path()))
    server = ServerProcess(f"sqlite:///{path}").start()
    try:
        yield store, server.base_url
    finally:
        server.stop()
        store.dispose()
