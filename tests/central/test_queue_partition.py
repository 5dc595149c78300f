"""Counters through the central store: online claims and issue through the adapters, and two
windows that called one ticket while cut off — after reconnecting both see the conflict."""

from __future__ import annotations

import httpx
import pytest
from harness import FaultyTransport, enrolled_counter
from queue_helpers import enrol_device, issue
from sqlalchemy import select

from clerk.mutation import MutationRefused
from clerk.queue.caller import LocalCaller
from clerk.queue.issuer import LocalIssuer
from clerk.store.local import LocalMeta, Outbox, SyncConflict
from clerk.store.operations import Ticket
from clerk.store.queue_conflicts import CallConflict
from clerk.store.queue_tables import TicketEvent
from clerk.sync import meta
from clerk.sync.queue_remote import QueueLink, RemoteCaller, RemoteIssuer
from clerk.sync.status import sync_status


@pytest.fixture
def counters(central, api, template, tmp_path):
    """Two enrolled counters, each behind a link the test can cut."""
    made = []
    for name in ("w1", "w2"):
        link = FaultyTransport(api._transport)
        http = httpx.Client(transport=link)
        made.append((enrolled_counter(tmp_path, name, central, template, http, "http://central"), link))
    return made


def remote(counter):
    link = QueueLink(counter.store, counter.agent.client, offline_hold_s=0)
    local = LocalCaller(counter.bench, counter.store, counter.clock, tentative=True)
    return RemoteCaller(counter.store, counter.clock, counter.agent.client, local, link=link)


def issuer(counter):
    link = QueueLink(counter.store, counter.agent.client, offline_hold_s=0)
    local = LocalIssuer(counter.bench, counter.store, counter.clock)
    return RemoteIssuer(counter.store, counter.clock, counter.agent.client, local, link=link)


def local_ticket(counter, ticket_id) -> Ticket:
    with counter.store.session() as s:
        return s.get(Ticket, ticket_id)


def test_online_issue_and_call_show_at_once_without_a_pull(counters, central):
    (a, _), _ = counters
    issued = issuer(a).issue("c1:A", priority_reason="elderly", staff_id="clerk1")
    assert (issued.number, issued.offline, issued.people_ahead) == ("A001", False, 0)
    assert local_ticket(a, issued.ticket_id).status == "waiting"  # upserted, not pulled
    # The 评价码 is the central store's, made when it issued: on the slip, on both rows.
    assert len(issued.rate_code) == 4 and issued.rate_code.isdigit()
    assert local_ticket(a, issued.ticket_id).rate_code == issued.rate_code
    call = remote(a).call_next("c1:1", "clerk1")
    assert (call.ticket_id, call.fence, call.tentative) == (issued.ticket_id, 1, False)
    mine = local_ticket(a, issued.ticket_id)
    assert (mine.status, mine.window_id, mine.fence) == ("called", "c1:1", 1)
    with a.store.session() as s:
        unsent = select(Outbox).where(Outbox.acked_at.is_(None))
        assert [o.name for o in s.execute(unsent).scalars()] == ["ticket.call"]  # issue had no outbox row
    assert a.agent.sync_once().conflicts == 0  # the recorded claim is a no-op on the server
    with central.session() as s:
        assert (s.get(Ticket, issued.ticket_id).fence, s.get(Ticket, issued.ticket_id).rate_code) == (
            1, issued.rate_code)
        assert len(s.execute(select(TicketEvent).where(TicketEvent.kind == "called")).all()) == 1


def test_cut_off_the_issuer_numbers_in_the_counters_band(counters):
    (a, link), _ = counters
    link.offline = True
    issued = issuer(a).issue("c1:A")
    assert (issued.number, issued.offline) == ("A601", True)  # band 1: the first enrolled counter
    assert len(issued.rate_code) == 4 and local_ticket(a, issued.ticket_id).rate_code == issued.rate_code
    with a.store.write() as s:  # a counter enrolled when every band was taken has none
        s.delete(s.get(LocalMeta, meta.BAND))
    with pytest.raises(MutationRefused) as refused:
        issuer(a).issue("c1:A")
    assert "没有离线号段" in refused.value.message


def test_two_windows_that_called_one_ticket_apart_both_see_the_conflict(counters, central, api):
    (a, link_a), (b, link_b) = counters
    ticket = issue(api, enrol_device(api, central, "kiosk"))["ticket"]["id"]
    a.agent.sync_once()
    b.agent.sync_once()
    link_a.offline = link_b.offline = True
    a.clock.advance(seconds=1)  # called after it was issued (equal times left the log's order to the index)
    first = remote(a).call_next("c1:1", "clerk1")
    b.clock.advance(minutes=1)
    b.sign_in("clerk2")  # window 2's clerk signs in while cut off
    second = remote(b).call_next("c1:2", "clerk2")
    assert first.ticket_id == second.ticket_id == ticket and first.tentative and second.tentative

    link_a.offline = link_b.offline = False
    assert a.agent.sync_once().conflicts == 0  # first to reach the central store: kept
    assert b.agent.sync_once().conflicts == 1  # refused, a push conflict here only
    a.agent.sync_once()  # the shared record flows down to the kept side too

    story = "A001 号被两个窗口同时叫号（断网期间）：1号窗口 clerk1 09:00 的叫号有效；2号窗口 clerk2 09:01 的叫号未被中心库接受。"
    for counter, name in ((a, "call_conflict"), (b, "ticket.call")):  # both see it in their list (F6)
        with counter.store.session() as s:
            entries = s.execute(select(SyncConflict)).scalars().all()
        assert [(c.name, c.seen) for c in entries] == [(name, False)], counter.path.name
        assert entries[0].reason.startswith(story)
        assert sync_status(counter.store, counter.clock).conflicts == 1
    b.agent.sync_once(), a.agent.sync_once()  # pulled again: nothing doubles
    for counter in (a, b):
        assert sync_status(counter.store, counter.clock).conflicts == 1
    for counter in (a, b):
        with counter.store.session() as s:
            rows = s.execute(select(CallConflict)).scalars().all()
        assert len(rows) == 1, counter.path.name
        row = rows[0]
        assert (row.ticket_id, row.number) == (ticket, "A001")
        assert (row.kept_window_id, row.kept_staff_id, row.kept_at) == ("c1:1", "clerk1", a.clock.now())
        assert (row.refused_window_id, row.refused_staff_id, row.refused_at) == ("c1:2", "clerk2", b.clock.now())
        assert local_ticket(counter, ticket).window_id == "c1:1"  # the server's outcome everywhere
    with central.session() as s:
        log = s.execute(select(TicketEvent.kind, TicketEvent.window_id, TicketEvent.staff_id)
                        .where(TicketEvent.ticket_id == ticket).order_by(TicketEvent.at)).all()
    assert [tuple(r) for r in log] == [("issued", None, None), ("called", "c1:1", "clerk1"),
                                       ("call_refused", "c1:2", "clerk2")]
