"""Running a section's SQL with the period's bounds bound as the store binds its times."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, text

from clerk.reports.registry import Context
from clerk.store.types import UTCDateTime


def rows(ctx: Context, sql: str, **params: Any) -> list[Any]:
    """``sql`` with ``:centre``, ``:start``, ``:end`` and ``:key`` (the scope's) bound."""
    stmt = text(sql)
    names = set(stmt._bindparams)  # only bind what the statement names
    stmt = stmt.bindparams(*(bindparam(n, type_=UTCDateTime()) for n in ("start", "end") if n in names))
    values = {"centre": ctx.scope.centre_code, "start": ctx.period.start, "end": ctx.period.end,
              "key": ctx.scope.key, **params}
    return list(ctx.conn.execute(stmt, {k: v for k, v in values.items() if k in names}))


def scope_filter(ctx: Context, alias: str) -> str:
    """``AND <alias>.<column> = :key`` for a window, staff or line scope; empty for the centre."""
    column = ctx.scope.column
    return f" AND {alias}.{column} = :key" if column else ""


def aware(value) -> datetime | None:
    """A timestamp column's value as an aware datetime (SQLite hands back text, naive UTC)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)
