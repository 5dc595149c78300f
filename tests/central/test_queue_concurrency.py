"""Ten windows calling the next ticket at once, over HTTP, against one central store process
set: SQLite behind one worker, PostgreSQL behind three (the real ``clerk serve --workers 3``).
No ticket is called twice and none is lost.

Each window makes 100 calls here (1,000 in all, about 15 s a database). The full 10 × 1,000
takes about two minutes a database on a two-core machine, so it runs when asked:
``CLERK_TEST_CALLS_PER_WINDOW=1000 ./test tests/central/test_queue_concurrency.py``.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from datetime import timedelta

import httpx
from harness import START, ServerProcess
from queue_helpers import Device, Q, enrol_device
from sqlalchemy import func, insert, select

from clerk.store.operations import Ticket
from clerk.store.queue_tables import TicketEvent
from clerk.store.reference import Window, WindowLine

WINDOWS = [f"c1:{n}" for n in range(1, 11)]
PER_WINDOW = int(os.environ.get("CLERK_TEST_CALLS_PER_WINDOW", "100"))
TICKETS = PER_WINDOW * len(WINDOWS)


def _fill(store) -> set[str]:
    """Seven more windows on line A and 1,000 waiting tickets (every seventh 绿色通道)."""
    ids = [str(uuid.uuid4()) for _ in range(TICKETS)]
    with store.write() as s:
        for n in range(4, 11):
            s.execute(insert(Window).values(id=f"c1:{n}", centre_code="c1", number=n, name=f"{n}号窗口", kind="general"))
            s.execute(insert(WindowLine).values(window_id=f"c1:{n}", line_id="c1:A"))
        s.execute(insert(Ticket), [
            {"id": tid, "centre_code": "c1", "line_id": "c1:A", "day": START.date(), "seq": n, "number": f"A{n:03d}",
             "priority": "green" if n % 7 == 0 else "normal", "priority_reason": "elderly" if n % 7 == 0 else "",
             "status": "waiting", "issued_at": START - timedelta(minutes=30) + timedelta(seconds=n)}
            for n, tid in enumerate(ids, 1)
        ])
    return set(ids)


def _post_retrying(http: httpx.Client, body: dict) -> httpx.Response:
    """A 5xx rolled back and claimed nothing (SQLite: a writer waited past its busy timeout on
    a loaded machine); the counter's client retries it, and so does this one."""
    for attempt in range(5):
        resp = http.post(f"{Q}/call-next", json=body)
        if resp.status_code < 500:
            return resp
        time.sleep(0.1 * 2**attempt)
    return resp


def _call_all(base_url: str, devices: list[Device]) -> tuple[list[tuple[str, str, int]], list[str]]:
    claims: list[tuple[str, str, int]] = []
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(len(WINDOWS))

    def window(wid: str, dev: Device) -> None:
        body = {"window_id": wid, "staff_id": "clerk1", "session": dev.session_of("clerk1")}
        with httpx.Client(base_url=base_url, timeout=60, headers=dev.headers) as http:
            start.wait()
            for _ in range(PER_WINDOW):
                resp = _post_retrying(http, body)
                with lock:
                    if resp.status_code != 200 or resp.json()["ticket"] is None:
                        errors.append(f"{wid}: {resp.status_code} {resp.text[:200]}")
                    else:
                        claims.append((resp.json()["ticket"]["id"], wid, resp.json()["fence"]))

    threads = [threading.Thread(target=window, args=(w, d)) for w, d in zip(WINDOWS, devices, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    return claims, errors


def test_ten_windows_never_share_or_lose_a_ticket(real_db, request):
    url, store = real_db
    ids = _fill(store)
    workers = 3 if store.engine.dialect.name == "postgresql" else 0  # 0: one uvicorn worker
    server = ServerProcess(url, cli_workers=workers).start()
    request.addfinalizer(server.stop)
    with httpx.Client(base_url=server.base_url, timeout=30) as http:
        devices = [enrol_device(http, store, f"window-{n}") for n in range(len(WINDOWS))]
    claims, errors = _call_all(server.base_url, devices)
    assert errors == []
    called = [tid for tid, _w, _f in claims]
    assert len(called) == TICKETS and set(called) == ids  # each ticket once, none lost
    assert {fence for _t, _w, fence in claims} == {1}
    with store.session() as s:
        assert s.execute(select(func.count()).select_from(Ticket).where(Ticket.status == "called")).scalar_one() == TICKETS
        per_ticket = s.execute(
            select(TicketEvent.ticket_id, func.count()).where(TicketEvent.kind == "called").group_by(TicketEvent.ticket_id)
        ).all()
        rows = {(t.id, t.window_id) for t in s.execute(select(Ticket)).scalars()}
    assert len(per_ticket) == TICKETS and {n for _t, n in per_ticket} == {1}
    assert rows == {(tid, w) for tid, w, _f in claims}  # the window each claim answered is the one stored
