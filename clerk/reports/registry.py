"""The ledger's sections: each record kind registers one builder, in its own module.

A section builder gets a read-only connection, the period and the scope and returns a
``Section`` of plain tables (and charts drawn from them). Screens, the PDF and the CSV
render any section the same way, so adding a record kind is one new module and one line
in ``clerk.reports.ledger.SECTION_MODULES``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from clerk.reports.periods import Period
from clerk.reports.scope import Scope

Cell = str | int | float | None


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    note: str = ""
    """How the figures were counted, printed under the table (e.g. the percentile method)."""


@dataclass(frozen=True)
class Chart:
    """A bar chart: one bar per label; ``unit`` names the values."""

    title: str
    labels: tuple[str, ...]
    values: tuple[float, ...]
    unit: str


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    tables: tuple[Table, ...]
    charts: tuple[Chart, ...] = ()
    figures: dict[str, Any] = field(default_factory=dict)
    """The section's headline numbers by name, for tests and other sections."""


@dataclass(frozen=True)
class Context:
    conn: Connection
    period: Period
    scope: Scope
    dialect: str
    """"sqlite" or "postgresql": the SQL helpers (clerk.reports.sql) need it."""
    now: datetime
    """The report's "now" (aware UTC): what is still open is open until then."""


Builder = Callable[[Context], Section]


@dataclass(frozen=True)
class Entry:
    key: str
    order: int
    build: Builder


SECTIONS: dict[str, Entry] = {}


def section(key: str, order: int) -> Callable[[Builder], Builder]:
    """Register ``build`` as section ``key``; sections are shown in ``order``."""

    def register(build: Builder) -> Builder:
        if key in SECTIONS:
            raise ValueError(f"report section {key!r} registered twice")
        SECTIONS[key] = Entry(key, order, build)
        return build

    return register


def ordered() -> list[Entry]:
    return sorted(SECTIONS.values(), key=lambda e: (e.order, e.key))
