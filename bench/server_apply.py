"""Server apply rate: pushed batches of 500 applied in-process (no HTTP) on PostgreSQL, beside
a bare COPY of the same rows into the same table (the physical limit); SQLite for comparison.

Target: at least 20,000 mutations/s on PostgreSQL.
Run: python bench/server_apply.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _sync_common import PASSWORD, drop_pg, pg_available, scratch_pg, seeded_central  # noqa: E402

from clerk import credentials  # noqa: E402
from clerk.central import devices  # noqa: E402
from clerk.central.apply import apply_batch  # noqa: E402
from clerk.clock import SystemClock  # noqa: E402
from clerk.ids import new_id  # noqa: E402
from clerk.staff.session_handlers import statement  # noqa: E402
from clerk.store.central_tables import Device  # noqa: E402
from clerk.store.engine import Store  # noqa: E402
from clerk.store.reference import Staff  # noqa: E402
from clerk.store.schema import SCHEMA_VERSION  # noqa: E402
from clerk.sync.protocol import PushMutation, PushRequest  # noqa: E402

TOTAL, BATCH, TARGET, ROUNDS = 20_000, 500, 20_000, 3


def _requests(client_id: str, start: int) -> list[PushRequest]:
    now = datetime.now(UTC)
    return [
        PushRequest(
            client_id=client_id, schema_version=SCHEMA_VERSION, client_time=now,
            mutations=[
                PushMutation(mutation_id=first + i, name="audit.record", args={"id": new_id(), "action": "note"},
                             actor_id="clerk1", hlc=f"{first + i:013d}-00000-bench", at=now,
                             schema_version=SCHEMA_VERSION)
                for i in range(BATCH)
            ],
        )
        for first in range(start, start + TOTAL, BATCH)
    ]


def _spread(rates: list[float]) -> str:
    return f"   [median of {len(rates)} rounds of {TOTAL:,}: " + ", ".join(f"{r:,.0f}" for r in rates) + "]"


def _sign_in(session, client_id: str) -> PushRequest:
    """Mutation 1: clerk1's signed sign-in, as a counter pushes it before any action."""
    key = credentials.unlock(session.get(Staff, "clerk1").signing_key, PASSWORD)
    sid, at, now = new_id(), datetime.now(UTC).isoformat(), datetime.now(UTC)
    args = {"session_id": sid, "signed_at": at, "signature": key.sign(statement(client_id, sid, "clerk1", at))}
    return PushRequest(client_id=client_id, schema_version=SCHEMA_VERSION, client_time=now, mutations=[
        PushMutation(mutation_id=1, name="staff.sign_in", args=args, actor_id="clerk1", hlc="0-00000-bench", at=now,
                     schema_version=SCHEMA_VERSION)])


def _verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def _apply_rates(url: str) -> tuple[list[float], Store]:
    """Mutations/s of each of ROUNDS rounds applying TOTAL audit.record mutations in batches
    of BATCH, in-process, one after another into the same database."""
    central = seeded_central(url)
    code = devices.make_enrol_code(central, SystemClock(), "c1")
    client_id = new_id()
    with central.write() as s:
        device_id = devices.enrol(s, datetime.now(UTC), code, client_id, "bench").device_id
    with central.write() as s:  # the clerk signs in at the counter first (not timed)
        apply_batch(s, s.get(Device, device_id), _sign_in(s, client_id), datetime.now(UTC))
    rates = []
    for n in range(ROUNDS):
        reqs = _requests(client_id, 2 + n * TOTAL)
        t0 = time.perf_counter()
        for req in reqs:
            with central.write() as s:
                apply_batch(s, s.get(Device, device_id), req, datetime.now(UTC))
        rates.append(TOTAL / (time.perf_counter() - t0))
    return rates, central


def _copy_rate(central: Store) -> float:
    """Rows/s of a bare COPY of TOTAL rows like the ones applied, into the same table."""
    raw = central.engine.raw_connection()
    try:
        cur = raw.cursor()
        rows = [(new_id(), datetime.now(UTC).replace(tzinfo=None), "clerk1", "note", "") for _ in range(TOTAL)]
        t0 = time.perf_counter()
        with cur.copy("COPY audit_entry (id, at, staff_id, action, subject) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        raw.commit()
        return TOTAL / (time.perf_counter() - t0)
    finally:
        raw.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        rates, central = _apply_rates(f"sqlite:///{Path(d) / 'central.sqlite3'}")
        central.dispose()
        print(f"sqlite     apply, batches of {BATCH}: {median(rates):8,.0f} mutations/s"
              f"   (no target; for comparison){_spread(rates)}")
    if not pg_available():
        print("postgresql not reachable: nothing to measure")
        return
    name, url = scratch_pg()
    try:
        rates, central = _apply_rates(url)
        copied = _copy_rate(central)
        central.dispose()
        applied = median(rates)
        print(f"postgresql apply, batches of {BATCH}: {applied:8,.0f} mutations/s   target ≥ {TARGET:,}"
              f"  {_verdict(applied >= TARGET)}{_spread(rates)}")
        # Each mutation writes 2 rows (the row and its change-log entry), plus one receipt per batch.
        print(f"postgresql bare COPY of the same rows: {copied:8,.0f} rows/s   apply/COPY = {applied / copied:.2f}"
              f" in mutations, {2 * applied / copied:.2f} in rows written")
    finally:
        drop_pg(name)


if __name__ == "__main__":
    main()
