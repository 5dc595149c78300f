"""The bulk path for insert-only mutations: a run of them costs one Core INSERT per table.

A mutation registered with ``mutation.insert_only`` declares the rows it adds, and its
ORM handler is derived from that declaration. Here the same declaration becomes plain
column dicts instead of ORM objects and a flush, which PITFALLS measures at 5–6× the
cost. The rows and change-log entries are exactly those the handler would give
(tests/central/test_bulk.py applies the same mutations both ways and compares).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Table, inspect
from sqlmodel import Session

from clerk.central.changes import Entry, entry
from clerk.mutation import Mutation, MutationArgs, MutationContext
from clerk.store.bulk import insert_many
from clerk.sync.rows import is_synced


@dataclass(frozen=True)
class _Shape:
    """How a model's attributes map to its table's columns, and what an unset one holds."""

    table: Table
    columns: tuple[tuple[str, str], ...]
    """(column name, attribute name), in table order."""
    defaults: dict[str, Callable[[], Any]]
    """Attribute name → the value the model's constructor gives it when not passed."""
    synced: bool


@cache
def _shape(model: type) -> _Shape:
    mapper = inspect(model)
    table = mapper.local_table
    columns = tuple((col.name, mapper.get_property_by_column(col).key) for col in table.columns)
    fields = getattr(model, "model_fields", {})
    defaults = {attr: _default(fields.get(attr)) for _col, attr in columns}
    return _Shape(table, columns, defaults, is_synced(table.name))


Written = tuple[_Shape, dict[str, Any]]
"""One row to insert: its table's shape and every column's value."""


def _default(field: Any) -> Callable[[], Any]:
    """Mirror SQLModel's constructor: a field's default (or factory); None when it has none."""
    if field is None or field.is_required():
        return lambda: None
    return lambda: field.get_default(call_default_factory=True)


def rows_of(mut: Mutation, args: MutationArgs, ctx: MutationContext) -> list[Written]:
    """Column values of each row, as the ORM object built by the handler would hold them."""
    out = []
    for model, values in mut.rows(args, ctx):
        shape = _shape(model)
        out.append((shape, {col: values[attr] if attr in values else shape.defaults[attr]() for col, attr in shape.columns}))
    return out


def insert_rows(session: Session, written: list[Written]) -> list[Entry]:
    """Insert ``written`` with one statement per table (tables in order of first
    appearance, so a parent declared before its child goes first); returns their
    change-log entries in order."""
    by_table: dict[Table, list[dict[str, Any]]] = {}
    for shape, values in written:
        by_table.setdefault(shape.table, []).append(values)
    for table, values in by_table.items():
        insert_many(session, table, values)
    return [entry(shape.table, values) for shape, values in written if shape.synced]
