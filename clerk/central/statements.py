"""Change capture for statements: the rows an INSERT, UPDATE or DELETE run through a session
touched, as change-log entries (the flush listener sees only ORM objects).

The keys of the rows a statement will touch are read first (an UPDATE or DELETE: by its
WHERE clause; an INSERT: from its values), the statement runs, and those rows are read
back by key: present, their whole row goes to the log; gone, a delete.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, select, tuple_
from sqlalchemy.orm import ORMExecuteState

from clerk.sync.rows import is_synced, key_of, to_json_value

_CHUNK = 500


def run_captured(state: ORMExecuteState, entries: list) -> Any:
    """do_orm_execute hook: run a write on a synced table and add its rows to ``entries``;
    None (run as usual) for anything else."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return None
    table = _table(state.statement)
    if table is None or not is_synced(table.name):
        return None
    conn = state.session.connection()
    pk = tuple(table.primary_key.columns)
    if state.is_insert:
        result = state.invoke_statement()
        keys = _inserted_keys(state, pk)
    else:
        keys = [tuple(r) for r in conn.execute(select(*pk).where(*_where(state.statement)), _params(state))]
        result = state.invoke_statement()
    entries.extend(_entries(conn, table, pk, keys))
    return result


def _table(stmt: Any) -> Table | None:
    table = getattr(stmt, "table", None)
    return table if isinstance(table, Table) else getattr(table, "__table__", None) if table is not None else None


def _where(stmt: Any) -> tuple:
    clause = stmt.whereclause
    return () if clause is None else (clause,)


def _params(state: ORMExecuteState) -> dict:
    params = state.parameters
    return params if isinstance(params, dict) else {}


def _inserted_keys(state: ORMExecuteState, pk: tuple) -> list[tuple]:
    """Keys from the statement's parameters (executemany) or its VALUES."""
    params = state.parameters
    rows = params if isinstance(params, list) else [params] if params else []
    stmt = state.statement
    if not rows and getattr(stmt, "_multi_values", None):
        rows = [{_name(k): v for k, v in row.items()} for values in stmt._multi_values for row in values]
    elif not rows and getattr(stmt, "_values", None):
        rows = [{_name(k): getattr(v, "value", v) for k, v in stmt._values.items()}]
    return [tuple(row.get(c.name, row.get(c.key)) for c in pk) for row in rows]


def _name(key: Any) -> str:
    return key if isinstance(key, str) else getattr(key, "name", str(key))


def _entries(conn, table: Table, pk: tuple, keys: list[tuple]) -> list:
    found: dict[tuple, dict] = {}
    for i in range(0, len(keys), _CHUNK):
        chunk = keys[i:i + _CHUNK]
        cond = tuple_(*pk).in_(chunk) if len(pk) > 1 else pk[0].in_([k[0] for k in chunk])
        for row in conn.execute(select(table).where(cond)).mappings():
            found[tuple(row[c.name] for c in pk)] = dict(row)
    out = []
    for key in dict.fromkeys(keys):
        row = found.get(key)
        if row is None:
            out.append((table.name, [to_json_value(v) for v in key], None))
        else:
            out.append((table.name, key_of(table, row), row))
    return out
