"""A counter 100,000 changes behind catches up: a fresh counter enrols while the central
store holds 100,000 change-log entries for its centre, and one sync round lands them all,
over HTTP from a real server, on SQLite and PostgreSQL.

Target: under 30 s on each backend.
Run: python bench/catch_up.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _sync_common import drop_pg, pg_available, scratch_pg, seeded_central, start_server  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from clerk.central import changes, devices  # noqa: E402
from clerk.clock import SystemClock  # noqa: E402
from clerk.ids import new_id  # noqa: E402
from clerk.store import migrate  # noqa: E402
from clerk.store.bulk import insert_many  # noqa: E402
from clerk.store.engine import Store  # noqa: E402
from clerk.store.operations import AuditEntry  # noqa: E402
from clerk.sync.agent import AgentSettings, SyncAgent  # noqa: E402
from clerk.sync.client import CentralClient  # noqa: E402
from clerk.sync.enrol import enrol  # noqa: E402

CHANGES = 100_000
TARGET_S = 30.0


def _backlog(central: Store) -> None:
    """100,000 rows written on the central store, each with its change-log entry (as a push
    of audit notes from another counter of the centre would leave them)."""
    at = datetime.now(UTC)
    rows = [{"id": new_id(), "at": at, "staff_id": "clerk1", "action": "note", "subject": str(i)}
            for i in range(CHANGES)]
    table = AuditEntry.__table__
    with central.write() as s:
        insert_many(s, table, rows)
        changes.append(s, [changes.entry(table, {c.name: r.get(c.name, "") for c in table.columns}) for r in rows], "c1")


def _count(store: Store) -> int:
    with store.session() as s:
        return s.execute(select(func.count()).select_from(AuditEntry)).scalar_one()


def run(backend: str, url: str, tmp: Path) -> float:
    central = seeded_central(url)
    _backlog(central)
    proc, base = start_server(url)
    try:
        counter = Store.sqlite(tmp / f"counter-{backend}.sqlite3")
        migrate.upgrade(counter)
        client = CentralClient(base)
        enrol(counter, client, devices.make_enrol_code(central, SystemClock(), "c1"), "bench")
        agent = SyncAgent(counter, SystemClock(), client, AgentSettings(pull_limit=2000))
        t0 = time.perf_counter()
        report = agent.sync_once()
        took = time.perf_counter() - t0
        assert _count(counter) == CHANGES, (report, _count(counter))
        verdict = "OK" if took < TARGET_S else "MISSED"
        print(f"{backend:10s} catch-up of {report.pulled:,} changes: {took:6.1f} s  (target < {TARGET_S:.0f} s) {verdict}")
        return took
    finally:
        proc.terminate()
        proc.wait(10)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        run("sqlite", f"sqlite:///{tmp / 'central.sqlite3'}", tmp)
        if pg_available():
            name, url = scratch_pg()
            try:
                run("postgresql", url, tmp)
            finally:
                drop_pg(name)
        else:
            print("postgresql: not available, skipped")


if __name__ == "__main__":
    main()
