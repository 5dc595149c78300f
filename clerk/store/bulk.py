"""Insert many rows in one round trip: COPY on PostgreSQL, executemany elsewhere.

PITFALLS measures psycopg's pipelined executemany at ~30–75k rows/s on this machine and
COPY at ~110–185k. The central store writes two rows per pushed mutation (the row and its
change-log entry), so only COPY leaves room for 20k mutations/s on PostgreSQL. SQLite's
executemany is already close to its own limit.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Dialect, Table, insert, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session


def insert_many(session: Session, table: Table, rows: Iterable[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys) in the session's transaction.

    ``rows`` may be a generator: on PostgreSQL the COPY streams, so the database works
    on the first rows while Python still builds the rest (two cores, not one).
    Driver errors surface as SQLAlchemy's (IntegrityError, OperationalError…) on both
    paths, so callers tell a refused row from a lost connection the same way.
    """
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        _copy(conn, table, first, itertools.chain((first,), rows))
    else:
        conn.execute(insert(table), [first, *rows])


def _copy(conn: Connection, table: Table, first: dict[str, Any], rows: Iterable[dict[str, Any]]) -> None:
    names = tuple(first)
    plan = _copy_plan(conn, table, names)
    pick = itemgetter(*names) if len(names) > 1 else (lambda row: (row[names[0]],))
    cursor = conn.connection.cursor()
    try:
        with cursor.copy(plan.sql) as copy:
            if plan.oids:
                copy.set_types(plan.oids)
            # Rows often share a value (one applied_at for a whole batch): convert it once.
            last_in: list[Any] = [_NOTHING] * len(plan.procs)
            last_out: list[Any] = [None] * len(plan.procs)
            for row in rows:
                values = pick(row)
                if plan.procs:
                    values = list(values)
                    for n, (i, proc) in enumerate(plan.procs):
                        if values[i] is not last_in[n]:
                            last_in[n], last_out[n] = values[i], proc(values[i])
                        values[i] = last_out[n]
                copy.write_row(values)
    except conn.dialect.loaded_dbapi.Error as exc:
        raise DBAPIError.instance(plan.sql, None, exc, conn.dialect.loaded_dbapi.Error) from exc
    finally:
        cursor.close()


_NOTHING = object()


@dataclass(frozen=True)
class _Plan:
    sql: str
    oids: tuple[int, ...]
    """Column type OIDs for a binary COPY (~40% faster here); empty means text format."""
    procs: tuple[tuple[int, Callable[[Any], Any]], ...]
    """(position, bind conversion) of the columns that have one, e.g. UTCDateTime to naive
    UTC, exactly as SQLAlchemy would apply it to an INSERT."""


_plans: dict[tuple[Dialect, Table, tuple[str, ...]], _Plan] = {}


def _copy_plan(conn: Connection, table: Table, names: tuple[str, ...]) -> _Plan:
    key = (conn.dialect, table, names)
    if key not in _plans:
        dialect = conn.dialect
        quote = dialect.identifier_preparer
        procs = ((i, table.c[n].type.dialect_impl(dialect).bind_processor(dialect)) for i, n in enumerate(names))
        oids = _column_oids(conn, table)
        binary = all(oids.get(n) in _BINARY_OIDS for n in names)
        _plans[key] = _Plan(
            sql=f"COPY {quote.format_table(table)} ({', '.join(quote.quote(n) for n in names)}) FROM STDIN"
            + (" (FORMAT BINARY)" if binary else ""),
            oids=tuple(oids[n] for n in names) if binary else (),
            procs=tuple((i, p) for i, p in procs if p is not None),
        )
    return _plans[key]


def _column_oids(conn: Connection, table: Table) -> dict[str, int]:
    """The database's own column types: binary COPY must match them exactly."""
    rows = conn.execute(
        text("SELECT attname, atttypid::int FROM pg_attribute"
             " WHERE attrelid = CAST(:t AS regclass) AND attnum > 0 AND NOT attisdropped"),
        {"t": conn.dialect.identifier_preparer.format_table(table)},
    )
    return {name: oid for name, oid in rows}


# bool, int2/4/8, text, float8, varchar, date, timestamp, timestamptz: the types these tables
# use, which psycopg dumps in binary as is. Anything else (an enum, JSON) goes as text.
_BINARY_OIDS = frozenset({16, 20, 21, 23, 25, 701, 1043, 1082, 1114, 1184})
