"""Bring a database to the newest schema with Alembic, on SQLite or PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from clerk.store.engine import Store

MIGRATIONS = Path(__file__).parent / "migrations"


def _config(connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def upgrade(store: Store, revision: str = "head") -> None:
    with store.engine.begin() as conn:
        command.upgrade(_config(conn), revision)


def current_revision(store: Store) -> str | None:
    with store.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str:
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def autogenerate(store: Store, message: str) -> None:
    """Developer helper: write a new revision from the difference to the models."""
    with store.engine.begin() as conn:
        command.revision(_config(conn), message=message, autogenerate=True)
