"""The centre and the days the report tests simulate (a module of its own: every test
folder has a conftest, so ``from conftest import`` would pick whichever loaded first)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from clerk.config import REPO_ROOT
from clerk.fixtures import load_fixtures
from clerk.reference_data import install
from clerk.store.engine import Store
from clerk.store.migrate import upgrade

CENTRE = "demo-county"
# A 调休 Saturday, two days of one 旬, the last day of the 中旬, a day of the next quarter.
SIM_DAYS = [date(2026, 2, 14), date(2026, 3, 9), date(2026, 3, 10), date(2026, 3, 20), date(2026, 4, 1)]
NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


def fresh_store(folder: Path) -> Store:
    store = Store.sqlite(folder / "hall.sqlite3")
    upgrade(store)
    install(store, load_fixtures(REPO_ROOT / "fixtures"))
    return store
