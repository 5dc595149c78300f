"""Run migrations on a local file, turning driver errors into messages for the clerk."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.exc import DatabaseError, OperationalError

from clerk.store import migrate
from clerk.store.engine import Store, describe_sqlite_error


def upgrade(store: Store, path: Path) -> None:
    try:
        migrate.upgrade(store)
    except (DatabaseError, OperationalError) as exc:
        raise describe_sqlite_error(exc, path) from exc
