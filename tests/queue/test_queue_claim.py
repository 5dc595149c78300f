"""The central store's claim: ten windows calling at once never share or lose a ticket.

Runs against a SQLite file and against the PostgreSQL on 127.0.0.1:5432 (database
``test``). Without PostgreSQL the second case is skipped, except under CI=true, where
it fails: the production path must not go untested there.
"""

from __future__ import annotations

import os
import shutil
import threading
import uuid
from collections import Counter
from datetime import datetime, timedelta

import pytest
from sqlalchemy import create_engine, func, select, text, update
from sqlalchemy.exc import OperationalError

from clerk.clock import LOCAL_TZ
from clerk.mutation import MutationRefused
from clerk.queue.claim import StaleFence, check_fence, claim_next, claim_ticket
from clerk.queue.policy import CallingPolicy
from clerk.store.engine import Store
from clerk.store.migrate import upgrade
from clerk.store.operations import Ticket
from clerk.store.queue_tables import TicketEvent

CENTRE = "qc"
LINE_A = f"{CENTRE}:A"
WINDOWS = [f"{CENTRE}:{n}" for n in range(1, 11)]
TICKETS = 1000
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=LOCAL_TZ)
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def fill_queue(store: Store, count: int = TICKETS) -> set[str]:
    """``count`` waiting tickets on line A, every seventh a 绿色通道 one."""
    ids = set()
    with store.write() as s:
        for n in range(1, count + 1):
            tid = str(uuid.uuid4())
            ids.add(tid)
            green = n % 7 == 0
            s.add(Ticket(
                id=tid, centre_code=CENTRE, line_id=LINE_A, day=NOW.date(), seq=n, number=f"A{n:03d}",
                priority="green" if green else "normal", priority_reason="elderly" if green else "",
                issued_at=NOW - timedelta(minutes=30) + timedelta(seconds=n),
            ))
    return ids


def claim_concurrently(store: Store) -> list[tuple[str, str, int]]:
    """Ten threads, one per window, claim until the queue is empty."""
    claims: list[tuple[str, str, int]] = []
    lock = threading.Lock()
    errors: list[BaseException] = []
    start = threading.Barrier(len(WINDOWS))

    def window(wid: str, staff: str) -> None:
        try:
            start.wait()
            while True:
                with store.write() as s:
                    claim = claim_next(s, wid, [LINE_A], staff, NOW, CallingPolicy())
                if claim is None:
                    return
                with lock:
                    claims.append((claim.ticket_id, wid, claim.fence))
        except BaseException as exc:  # surfaced in the main thread below
            errors.append(exc)

    threads = [threading.Thread(target=window, args=(w, f"s{i}")) for i, w in enumerate(WINDOWS, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    return claims


def assert_one_ticket_one_window(store: Store, ids: set[str], claims) -> None:
    claimed = Counter(tid for tid, _, _ in claims)
    assert len(claims) == len(ids), "a ticket was lost or claimed twice"
    assert set(claimed) == ids and max(claimed.values()) == 1
    assert len({w for _, w, _ in claims}) > 1, "only one window ever got a ticket"
    with store.session() as s:
        rows = s.execute(select(Ticket.status, Ticket.fence, Ticket.window_id, Ticket.id)).all()
        assert {(st, f) for st, f, _, _ in rows} == {("called", 1)}
        assert {tid: w for _, _, w, tid in rows} == {tid: w for tid, w, _ in claims}
        calls = s.execute(select(func.count()).select_from(TicketEvent).where(TicketEvent.kind == "called"))
        assert calls.scalar_one() == len(ids)


def test_concurrent_claims_on_sqlite(template_db, tmp_path):
    path = tmp_path / "central.sqlite3"
    shutil.copy(template_db, path)
    store = Store.sqlite(path, busy_timeout_ms=30000)
    try:
        ids = fill_queue(store)
        assert_one_ticket_one_window(store, ids, claim_concurrently(store))
    finally:
        store.dispose()


@pytest.fixture
def pg_store(centre_installer):
    """A migrated PostgreSQL schema of its own, dropped afterwards."""
    schema = f"queue_claim_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as exc:
        admin.dispose()
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required under CI: {exc}")
        pytest.skip(f"no PostgreSQL on 127.0.0.1:5432: {exc.orig}")
    # Commits need not wait for the disk here: what is tested is locking, not durability.
    options = f"-csearch_path={schema} -csynchronous_commit=off"
    engine = create_engine(PG_URL, pool_size=12, connect_args={"options": options})
    store = Store(engine)
    try:
        upgrade(store)
        centre_installer(store, windows=10)
        yield store
    finally:
        store.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_concurrent_claims_on_postgresql(pg_store):
    ids = fill_queue(pg_store)
    assert_one_ticket_one_window(pg_store, ids, claim_concurrently(pg_store))


def test_claim_ticket_and_fence(template_db, tmp_path):
    path = tmp_path / "central.sqlite3"
    shutil.copy(template_db, path)
    store = Store.sqlite(path)
    try:
        first, second = sorted(fill_queue(store, 2))
        with store.write() as s:
            claim = claim_ticket(s, first, WINDOWS[0], "s1", NOW)
            assert (claim.fence, claim.reason, claim.kind) == (1, "指定叫号", "specific")
        with store.write() as s, pytest.raises(MutationRefused) as refused:
            claim_ticket(s, first, WINDOWS[1], "s2", NOW)
        assert "已叫号" in refused.value.message
        with store.write() as s:
            assert check_fence(s, first, 1).window_id == WINDOWS[0]
            # Called again elsewhere (say, after a requeue): the old token is stale.
            s.execute(update(Ticket).where(Ticket.id == first).values(status="waiting"))
            assert claim_ticket(s, first, WINDOWS[1], "s2", NOW).fence == 2
        with store.write() as s, pytest.raises(StaleFence):
            check_fence(s, first, 1)
        with store.write() as s:
            nxt = claim_next(s, WINDOWS[2], [LINE_A], "s3", NOW, CallingPolicy())
            assert nxt.ticket_id == second and nxt.reason == "按取号顺序"
            assert claim_next(s, WINDOWS[2], [LINE_A], "s3", NOW, CallingPolicy()) is None
    finally:
        store.dispose()
