"""A store with the demo hall's reference data and a few simulated days, built once."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_days import CENTRE, SIM_DAYS, fresh_store

from clerk.simulate.hall import DayPlan
from clerk.simulate.run import simulate
from clerk.store.engine import Store


@pytest.fixture(scope="session")
def reference_store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated store with the fixtures installed (argon2 for every demo staff: slow, so once)."""
    folder = tmp_path_factory.mktemp("reference")
    fresh_store(folder).dispose()
    return folder / "hall.sqlite3"


@pytest.fixture
def hall_store(reference_store_file: Path, tmp_path: Path) -> Store:
    """A copy of the reference store for one test to change."""
    target = tmp_path / "hall.sqlite3"
    target.write_bytes(reference_store_file.read_bytes())
    store = Store.sqlite(target)
    yield store
    store.dispose()


@pytest.fixture(scope="session")
def simulated_store(reference_store_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Store:
    folder = tmp_path_factory.mktemp("simulated")
    target = folder / "hall.sqlite3"
    target.write_bytes(reference_store_file.read_bytes())
    store = Store.sqlite(target)
    # Cases in three visits of five on the case lines, a ledger entry after one visit in
    # twelve: enough of every outcome and entry in five small days.
    plan = DayPlan(tickets=90, no_show_share=0.12, transfer_share=0.08, case_share=0.6, ledger_share=0.08)
    simulate(store, CENTRE, SIM_DAYS, plan, seed=7)
    yield store
    store.dispose()
