"""Fault tests against a real uvicorn server: every one ends with all outboxes drained and
every action applied on the server exactly once."""

from __future__ import annotations

import contextlib
import threading
import time
from pathlib import Path

import httpx
import pytest
from harness import (
    FaultyTransport,
    ServerProcess,
    assert_exactly_once,
    enrolled_counter,
    server_audit_ids,
)

from clerk.sync.client import SyncError, Unreachable
from clerk.sync.status import sync_status


def _counter(tmp_path: Path, name: str, central, template, server: ServerProcess, transport=None):
    http = httpx.Client(transport=transport or FaultyTransport(), timeout=5)
    return enrolled_counter(tmp_path, name, central, template, http, server.base_url)


def _drain(*counters, attempts: int = 50) -> None:
    """Sync until nothing waits; transport faults along the way are expected."""
    for c in counters:
        for _ in range(attempts):
            try:
                c.agent.sync_once()
                if c.pending() == 0:
                    break
            except SyncError:
                time.sleep(0.01)
        assert c.pending() == 0


@pytest.fixture
def server(real_db):
    url, _store = real_db
    srv = ServerProcess(url).start()
    yield srv
    srv.stop()


def test_counter_killed_between_server_commit_and_response(real_db, server, template, tmp_path):
    _url, central = real_db
    transport = FaultyTransport()
    c = _counter(tmp_path, "w1", central, template, server, transport)
    ids = {c.note() for _ in range(40)}
    transport.drop_after.append("push")
    with pytest.raises(Unreachable):
        c.agent.sync_once()
    assert set(server_audit_ids(central)) == ids  # the server did commit …
    assert c.pending() == 40  # … but the counter never heard
    c.crash()  # and the counter process dies there
    ids |= {c.note() for _ in range(5)}
    c.agent.sync_once()  # the replay of the first 40 applies nothing
    assert_exactly_once(central, [c], ids)


def test_server_killed_in_the_middle_of_a_batch(real_db, template, tmp_path):
    url, central = real_db
    marker = tmp_path / "marker"
    srv = ServerProcess(url, env={"CLERK_TEST_HANG_AT": "150", "CLERK_TEST_MARKER": str(marker)}).start()
    try:
        c = _counter(tmp_path, "w1", central, template, srv)
        ids = {c.note() for _ in range(300)}
        errors: list[Exception] = []
        pusher = threading.Thread(target=lambda: _expect_failure(c, errors))
        pusher.start()
        for _ in range(400):
            if marker.exists():
                break
            time.sleep(0.025)
        assert marker.exists(), "the server never reached the middle of the batch"
        srv.kill()
        pusher.join(30)
        assert errors and isinstance(errors[0], Unreachable)
        assert server_audit_ids(central) == []  # half a batch is never visible
        srv.env = {}
        srv.start()
        c.agent.sync_once()
        assert_exactly_once(central, [c], ids)
    finally:
        srv.stop()


def _expect_failure(c, errors: list) -> None:
    try:
        c.agent.sync_once()
    except SyncError as exc:
        errors.append(exc)


def test_dropped_lost_and_delayed_responses(real_db, server, template, tmp_path):
    _url, central = real_db
    transport = FaultyTransport()
    c = _counter(tmp_path, "w1", central, template, server, transport)
    c.settings = c.agent.settings = type(c.agent.settings)(batch_size=25)
    ids = set()
    for round_ in range(6):
        ids |= {c.note() for _ in range(30)}
        transport.drop_after += ["push"] if round_ % 2 == 0 else ["pull"]
        transport.drop_before += ["push"] if round_ % 3 == 0 else []
        transport.delay_s = 0.2 if round_ == 4 else 0.0
        _drain(c)
    transport.delay_s = 0.0
    assert_exactly_once(central, [c], ids)


def test_several_counters_at_once_with_forced_sync_racing_the_timer(real_db, template, tmp_path):
    url, central = real_db
    # PostgreSQL through the real `clerk serve` with several workers; SQLite with one.
    srv = ServerProcess(url, cli_workers=2 if url.startswith("postgresql") else 1).start()
    try:
        counters = [_counter(tmp_path, f"w{i}", central, template, srv) for i in range(3)]
        ids: set[str] = set()
        lock = threading.Lock()
        stop = threading.Event()

        def work(c) -> None:
            for i in range(150):
                aid = c.note(actor="clerk1" if i % 2 else "clerk2")
                with lock:
                    ids.add(aid)
                if i % 40 == 0:
                    c.agent.nudge()

        def force(c) -> None:
            while not stop.is_set():
                with contextlib.suppress(SyncError):
                    c.agent.sync_once()

        for c in counters:
            c.agent.start()
        threads = [threading.Thread(target=work, args=(c,)) for c in counters]
        threads += [threading.Thread(target=force, args=(c,)) for c in counters]
        for t in threads:
            t.start()
        for t in threads[:3]:
            t.join()
        stop.set()
        for t in threads[3:]:
            t.join()
        for c in counters:
            c.agent.stop()
        _drain(*counters)
        assert_exactly_once(central, counters, ids)
        for c in counters:  # and every counter sees every counter's actions
            c.agent.sync_once()
            assert ids <= c.local_audit_ids()
    finally:
        srv.stop()


def test_counter_offline_for_three_days_then_reconnects(real_db, server, template, tmp_path):
    from clerk.ids import new_id

    _url, central = real_db
    transport = FaultyTransport()
    c = _counter(tmp_path, "w1", central, template, server, transport)
    transport.offline = True
    ids = set()
    for _day in range(3):
        seat = new_id()
        c.bench.apply("seat.take", {"id": seat, "staff_id": "clerk1", "window_id": "c1:2"}, actor_id="clerk1")
        for _ in range(700):  # a busy township window: one action every 40 s or so
            c.clock.advance(seconds=40)
            ids.add(c.note())
        c.bench.apply("seat.leave", {"id": seat}, actor_id="clerk1")
        with pytest.raises(Unreachable):
            c.agent.sync_once()
        c.clock.advance(hours=16)
    status = sync_status(c.store, c.clock)
    assert not status.online and status.pending == 3 * 702
    assert status.oldest_pending_age.days >= 2
    transport.offline = False
    c.agent.sync_once()
    assert_exactly_once(central, [c], ids)
    assert sync_status(c.store, c.clock).online
