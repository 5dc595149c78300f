"""Publish reference data on the central store: install it and log what changed.

Installers may delete and re-insert rows in bulk, which the flush recorder cannot
see, so publishing compares the reference tables before and after instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from clerk.central import audience
from clerk.central.changes import append
from clerk.fixtures import FixtureSet
from clerk.reference_data import install_into
from clerk.store.engine import Store
from clerk.store.reference import (
    CalendarDay,
    Centre,
    Department,
    ItemMaterial,
    OpeningHours,
    ServiceItem,
    ServiceLine,
    Staff,
    Window,
    WindowLine,
)
from clerk.store.signoff_tables import Authorisation
from clerk.sync.rows import key_of, row_to_json

REFERENCE_MODELS = (Department, ServiceItem, ItemMaterial, Centre, ServiceLine, Window, WindowLine, Staff, CalendarDay,
                    Authorisation, OpeningHours)

Snapshot = dict[tuple[str, str], tuple[str, list[Any], dict[str, Any]]]


def publish(store: Store, write: Callable[[Session], None]) -> int:
    """Run ``write`` and log every reference row it added, changed or removed; returns the count."""
    with store.write() as session:
        before = _snapshot(session)
        write(session)
        session.flush()
        after = _snapshot(session)
        changed = [k for k, v in after.items() if before.get(k) != v]
        rows = [*before.values(), *after.values()]  # a deleted row keeps the centre it had
        windows = {row["id"]: row["centre_code"] for t, _k, row in rows if t == Window.__tablename__}
        joined = _joined_families(before, after)
        changed += [k for k, (t, _key, row) in after.items() if _centre(t, row, windows) in joined]
        entries = [after[k] for k in dict.fromkeys(changed)]
        entries += [(table, key, None) for k, (table, key, _row) in before.items() if k not in after]
        widen = audience.of_reference(session)  # a township's rows reach its county too, and back
        centres = {(t, repr(k)): widen(_centre(t, row, windows)) for t, k, row in rows}
        return append(session, entries, lambda e: centres[(e[0], repr(e[1]))])


def _joined_families(before: Snapshot, after: Snapshot) -> set[str]:
    """Centres whose family (clerk.central.audience) this publish changes: a township given
    or moved to a county, with both counties. Their unchanged rows are logged again, so the
    counters newly in the family receive them (a county reviewer's name at the township)."""
    table = Centre.__tablename__
    out: set[str] = set()
    for key, (t, _k, row) in after.items():
        old = before.get(key)
        was = old[2].get("parent_code", "") if old else ""
        if t == table and row.get("parent_code", "") != was:
            out |= {row["code"], row.get("parent_code", ""), was} - {""}
    return out


def _centre(table: str, row: dict[str, Any], windows: dict[str, str]) -> str | None:
    """Whose counters need this reference row: its centre's, or every centre's (the catalogue,
    departments, the calendar)."""
    if table == Centre.__tablename__:
        return row["code"]
    if "centre_code" in row:
        return row["centre_code"]
    if "window_id" in row:  # window_line
        return windows[row["window_id"]]
    return None


def publish_fixtures(store: Store, fs: FixtureSet, reset_lines: bool = False) -> int:
    """Publish ``fs``; windows keep the lines 潮汐窗口 gave them unless ``reset_lines``."""
    return publish(store, lambda session: install_into(session, fs, reset_lines))


def _snapshot(session: Session) -> Snapshot:
    out: Snapshot = {}
    for model in REFERENCE_MODELS:
        table = model.__table__
        for values in session.execute(select(table)).mappings():
            key = key_of(table, values)
            out[(table.name, repr(key))] = (table.name, key, row_to_json(dict(values)))
    return out
