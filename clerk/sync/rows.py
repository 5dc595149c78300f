"""Rows as JSON: which tables flow down from the central store, and how a row travels.

The server snapshots every row a mutation or a reference-data publish writes; the
counter upserts the snapshots. Both sides use these functions so a row survives the
trip unchanged.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import Date, Table

from clerk.store import central_tables, local
from clerk.store.schema import metadata
from clerk.store.types import UTCDateTime

_NOT_SYNCED = {
    model.__tablename__
    for model in (
        local.LocalMeta,
        local.Outbox,
        local.SyncConflict,
        local.SignInGuard,
        central_tables.ServerState,
        central_tables.Device,
        central_tables.EnrolCode,
        central_tables.ClientState,
        central_tables.PushReceipt,
        central_tables.RefusedMutation,
        central_tables.ChangeLog,
        central_tables.Notification,
    )
}


@cache
def synced_tables() -> tuple[Table, ...]:
    """Reference and operational tables, parents before children."""
    return tuple(t for t in metadata.sorted_tables if t.name not in _NOT_SYNCED)


@cache
def synced_table(name: str) -> Table | None:
    return next((t for t in synced_tables() if t.name == name), None)


def is_synced(name: str) -> bool:
    return synced_table(name) is not None


def to_json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def row_to_json(values: dict[str, Any]) -> dict[str, Any]:
    # to_json_value inlined: the central store snapshots every row it writes.
    return {k: v.isoformat() if isinstance(v, datetime | date) else v for k, v in values.items()}


def row_from_json(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    """Column values for ``table``; columns this version does not know are dropped, so a
    counter one schema version behind can take rows from a newer server."""
    out: dict[str, Any] = {}
    for col in table.columns:
        if col.name not in row:
            continue
        value = row[col.name]
        if value is not None and isinstance(value, str):
            if isinstance(col.type, UTCDateTime):
                value = datetime.fromisoformat(value)
            elif isinstance(col.type, Date):
                value = date.fromisoformat(value)
        out[col.name] = value
    return out


def key_of(table: Table, values: dict[str, Any]) -> list[Any]:
    return [to_json_value(values[name]) for name in _key_names(table)]


@cache
def _key_names(table: Table) -> tuple[str, ...]:
    # The central store keys every row it writes; iterating the table's key each time cost
    # more than the rest of the key (a tenth of a push's apply time).
    return tuple(c.name for c in table.primary_key.columns)
