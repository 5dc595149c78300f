"""Failure 2 of the sync issue with real processes: the central store's server is killed while
a counter's two windows call and finish from their own copy, then started again — and the
first online calls must not hand the windows tickets they already served while cut off.
On SQLite and PostgreSQL (the real ``clerk serve --workers 3``)."""

from __future__ import annotations

import httpx
from harness import ServerProcess, enrolled_counter
from queue_helpers import enrol_device, issue
from sqlalchemy import func, select

from clerk.queue.caller import LocalCaller
from clerk.store.central_tables import RefusedMutation
from clerk.store.operations import Ticket
from clerk.store.queue_tables import TicketEvent
from clerk.sync.queue_remote import LinkSettings, QueueLink, RemoteCaller

TICKETS = 30
WINDOWS = {"c1:1": "clerk1", "c1:2": "clerk2"}


def _caller(counter) -> RemoteCaller:
    link = QueueLink(counter.store, counter.agent.client, settings=LinkSettings(timeout_s=2, offline_hold_s=0))
    local = LocalCaller(counter.bench, counter.store, counter.clock, tentative=True)
    return RemoteCaller(counter.store, counter.clock, counter.agent.client, local, link=link,
                        push=counter.agent.push_pending)


def _serve(counter, caller, window: str, staff: str) -> tuple[str, bool] | None:
    call = caller.call_next(window, staff)
    if call is None:
        return None
    counter.bench.apply("ticket.finish", {"ticket_id": call.ticket_id, "window_id": window, "fence": call.fence}, staff)
    return call.ticket_id, call.tentative


def test_after_an_outage_no_window_is_handed_what_it_served_offline(real_db, template, tmp_path, request):
    url, central = real_db
    server = ServerProcess(url, cli_workers=3 if central.engine.dialect.name == "postgresql" else 0).start()
    request.addfinalizer(server.stop)
    with httpx.Client(base_url=server.base_url, timeout=30) as http:
        kiosk = enrol_device(http, central, "kiosk")
        ids = {issue(http, kiosk)["ticket"]["id"] for _ in range(TICKETS)}
    counter = enrolled_counter(tmp_path, "w", central, template, httpx.Client(timeout=5), server.base_url)
    counter.sign_in("clerk2")
    counter.agent.sync_once()
    caller = _caller(counter)

    server.kill()  # the central store goes away mid-morning
    offline = [_serve(counter, caller, w, s) for _ in range(3) for w, s in WINDOWS.items()]
    assert all(tentative for _tid, tentative in offline)
    server.start()  # back, before the sync agent's next round
    online = []
    while True:
        served = [_serve(counter, caller, w, s) for w, s in WINDOWS.items()]
        online += [x for x in served if x is not None]
        if None in served:
            break
    for _ in range(3):
        counter.agent.sync_once()

    offline_ids = {tid for tid, _t in offline}
    online_ids = [tid for tid, tentative in online]
    assert not any(tentative for _tid, tentative in online)
    assert offline_ids.isdisjoint(online_ids) and len(online_ids) == len(set(online_ids))
    assert offline_ids | set(online_ids) == ids
    with central.session() as s:
        per_ticket = dict(s.execute(select(TicketEvent.ticket_id, func.count())
                                    .where(TicketEvent.kind == "called").group_by(TicketEvent.ticket_id)).all())
        statuses = dict(s.execute(select(Ticket.status, func.count()).group_by(Ticket.status)).all())
        refused = s.execute(select(func.count()).select_from(RefusedMutation)).scalar_one()
    assert set(per_ticket.values()) == {1} and set(per_ticket) == ids
    assert statuses == {"finished": TICKETS} and refused == 0
    assert counter.pending() == 0
