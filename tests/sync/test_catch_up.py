"""A counter many pull pages behind catches up, against a real server process, on SQLite and
PostgreSQL: pages whose rows reference rows of later pages land, and the tables end equal."""

from __future__ import annotations

import httpx
import pytest
from harness import FaultyTransport, ServerProcess, enrolled_counter
from sqlalchemy import select

from clerk.central import state
from clerk.ids import new_id
from clerk.store.engine import Store
from clerk.store.operations import Ticket
from clerk.store.queue_tables import TicketEvent
from clerk.sync import meta
from clerk.sync.agent import AgentSettings


@pytest.fixture
def server(real_db):
    url, _store = real_db
    srv = ServerProcess(url).start()
    yield srv
    srv.stop()


def _counter(tmp_path, name, central, template, server, pull_limit=2000):
    http = httpx.Client(transport=FaultyTransport(), timeout=10)
    c = enrolled_counter(tmp_path, name, central, template, http, server.base_url)
    c.agent.settings = AgentSettings(batch_size=300, pull_limit=pull_limit)
    return c


def serve_tickets(c, n: int, window: str = "c1:1", staff: str = "clerk1") -> list[str]:
    """Issue ``n`` tickets in this counter's band and serve each to the end, all unsent."""
    with c.store.session() as s:
        band = int(meta.get(s, meta.BAND) or 0)
    ids = []
    for _ in range(n):
        tid = new_id()
        c.bench.apply("ticket.issue", {"id": tid, "line_id": "c1:A", "band": band})
        c.clock.advance(seconds=30)
        for name in ("ticket.call", "ticket.start", "ticket.finish"):
            c.bench.apply(name, {"ticket_id": tid, "window_id": window}, actor_id=staff)
            c.clock.advance(seconds=20)
        ids.append(tid)
    return ids


def queue_rows(store: Store) -> tuple[dict, dict]:
    with store.session() as s:
        tickets = {t.id: (t.number, t.status, t.window_id) for t in s.execute(select(Ticket)).scalars()}
        evs = {e.id: (e.ticket_id, e.kind) for e in s.execute(select(TicketEvent)).scalars()}
    return tickets, evs


def test_a_counter_many_pages_behind_catches_up(real_db, server, template, tmp_path):
    _url, central = real_db
    a = _counter(tmp_path, "w1", central, template, server)
    b = _counter(tmp_path, "w2", central, template, server, pull_limit=7)
    ids = serve_tickets(a, 40)
    a.agent.sync_once()  # one push batch: each ticket's row sits after its first events
    report = b.agent.sync_once()
    assert report.pulled >= 40 * 5
    tickets, evs = queue_rows(b.store)
    assert set(ids) <= set(tickets) and all(tickets[t][1] == "finished" for t in ids)
    assert (tickets, evs) == queue_rows(central)
    with b.store.session() as s, central.session() as cs:
        assert int(meta.get(s, meta.SEQ)) == state.current(cs).last_seq
