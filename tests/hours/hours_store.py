"""A migrated store with the demo centres (their lines, windows and hours), no staff."""

from __future__ import annotations

from pathlib import Path

from clerk.fixtures import FixtureSet, load_fixtures
from clerk.reference_data import install
from clerk.store import migrate
from clerk.store.engine import Store

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def demo_store(path: Path) -> Store:
    fs = load_fixtures(FIXTURES)
    store = Store.sqlite(path)
    migrate.upgrade(store)
    install(store, FixtureSet(departments=fs.departments, centres=fs.centres))
    return store
