"""A counter many pull pages behind catches up, against a real server process, on SQLite and
PostgreSQL: pages whose rows reference rows of later pages land, and the tables end equal."""

from __future__ import annotations

import httpx
import pytest
from harness import FaultyTransport, ServerProcess, enrolled_counter
from sqlalchemy import func, select

from clerk.central import state
from clerk.ids import new_id
from clerk.store.central_tables import ChangeLog
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


def _log_counts(central: Store) -> tuple[int, int]:
    """(entries in the change log, distinct rows they are of)."""
    with central.session() as s:
        total = s.execute(select(func.count()).select_from(ChangeLog)).scalar_one()
        rows = s.execute(select(func.count()).select_from(
            select(ChangeLog.table_name, ChangeLog.row_key).distinct().subquery())).scalar_one()
    return total, rows


def test_the_change_log_keeps_only_each_rows_last_version(real_db, server, template, tmp_path):
    _url, central = real_db
    a = _counter(tmp_path, "w1", central, template, server)
    tid = new_id()
    with a.store.session() as s:
        band = int(meta.get(s, meta.BAND) or 0)
    a.bench.apply("ticket.issue", {"id": tid, "line_id": "c1:A", "band": band})
    a.agent.sync_once()
    for name in ("ticket.call", "ticket.start", "ticket.finish"):  # one push per write of the row
        a.clock.advance(seconds=20)
        a.bench.apply(name, {"ticket_id": tid, "window_id": "c1:1"}, actor_id="clerk1")
        a.agent.sync_once()
    serve_tickets(a, 3)
    a.agent.sync_once()
    total, rows = _log_counts(central)
    assert total == rows  # one entry per row, however often it was written
    with central.session() as s:
        ticket_entries = s.execute(select(ChangeLog).where(
            ChangeLog.table_name == "ticket", ChangeLog.row_key == f'["{tid}"]')).scalars().all()
    assert len(ticket_entries) == 1 and '"finished"' in ticket_entries[0].row  # the superseded ones are gone

    fresh = _counter(tmp_path, "w3", central, template, server)  # a full resync replays no history
    with fresh.store.write() as s:
        meta.put(s, meta.RESYNC, "1")
    report = fresh.agent.sync_once()
    assert report.reset and report.pulled <= rows  # each row once (less: other centres' rows)
    assert queue_rows(fresh.store) == queue_rows(central)
    assert queue_rows(fresh.store)[0][tid][1] == "finished"


def test_a_counter_whose_old_entries_were_compacted_away_still_gets_the_new(real_db, server, template, tmp_path):
    """A counter behind the compaction: the version it lacks is further on, never lost."""
    _url, central = real_db
    a = _counter(tmp_path, "w1", central, template, server)
    b = _counter(tmp_path, "w2", central, template, server, pull_limit=3)
    ids = serve_tickets(a, 5)
    a.agent.sync_once()
    b.agent.sync_once()
    with a.store.session() as s:
        band = int(meta.get(s, meta.BAND) or 0)
    more = []
    for _ in range(4):  # b stays behind while every ticket it has is written again and again
        tid = new_id()
        a.bench.apply("ticket.issue", {"id": tid, "line_id": "c1:A", "band": band})
        a.agent.sync_once()
        for name in ("ticket.call", "ticket.start", "ticket.finish"):
            a.clock.advance(seconds=20)
            a.bench.apply(name, {"ticket_id": tid, "window_id": "c1:1"}, actor_id="clerk1")
            a.agent.sync_once()
        more.append(tid)
    b.agent.sync_once()
    tickets, _evs = queue_rows(b.store)
    assert all(tickets[t][1] == "finished" for t in more) and set(ids) <= set(tickets)
    assert queue_rows(b.store) == queue_rows(central)


def test_the_migration_drops_entries_already_superseded(tmp_path):
    from clerk.store import migrate

    store = Store.sqlite(tmp_path / "central.sqlite3")
    migrate.upgrade(store, "0014")
    with store.write() as s:
        for seq, key, row in ((1, '["t1"]', '{"v":1}'), (2, '["t2"]', '{"v":1}'), (3, '["t1"]', '{"v":2}')):
            s.execute(ChangeLog.__table__.insert().values(seq=seq, table_name="ticket", row_key=key, row=row))
    migrate.upgrade(store)
    with store.session() as s:
        left = s.execute(select(ChangeLog.seq, ChangeLog.row).order_by(ChangeLog.seq)).all()
    assert [(r.seq, r.row) for r in left] == [(2, '{"v":1}'), (3, '{"v":2}')]
