"""Open the counter's local store: settings → SQLite file → migrations → reference data."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import DatabaseError, OperationalError
from sqlmodel import select

from clerk.config import Settings
from clerk.fixtures import load_fixtures
from clerk.reference_data import install
from clerk.store import migrate
from clerk.store.engine import Store, describe_sqlite_error
from clerk.store.private import private_dir, restrict
from clerk.store.reference import Centre

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class InitReport:
    store_path: Path
    items: int
    centres: int
    staff: int


def open_store(settings: Settings) -> Store:
    """Open (creating if needed) and migrate the local store; raise StoreError with a Chinese message."""
    path = settings.store_path()
    if not settings.store.path:  # the app's own data directory (not a folder the user chose)
        private_dir(path.parent)
        restrict(path.parent)
    store = Store.sqlite(path, settings.store.busy_timeout_ms)
    try:
        migrate.upgrade(store)
    except (DatabaseError, OperationalError) as exc:
        raise describe_sqlite_error(exc, path) from exc
    return store


def load_reference_data(settings: Settings, store: Store, reset_lines: bool = False) -> InitReport:
    """Validate the fixture files and install them; the store is untouched if any file is wrong."""
    fs = load_fixtures(settings.fixtures_path())
    install(store, fs, reset_lines)
    return InitReport(settings.store_path(), len(fs.items), len(fs.centres), len(fs.staff))


def has_reference_data(store: Store) -> bool:
    with store.session() as session:
        return session.exec(select(Centre).limit(1)).first() is not None
