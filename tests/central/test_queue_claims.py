"""Online claims that stay right when the link misbehaves, on SQLite and PostgreSQL:

* a window back online is never handed a ticket it called and served while cut off (its
  offline calls reach the central store first, and the store refuses until they have);
* a claim is idempotent: a retry with the same claim id gets the same ticket;
* a store that answers late is not an outage: the counter does not call from its stale copy,
  and the claim it gave up on is the one its next call gets (no ticket left "called").
"""

from __future__ import annotations

import httpx
import pytest
from harness import FaultyTransport, enrolled_counter
from queue_helpers import Q, enrol_device, issue
from sqlalchemy import func, select

from clerk.mutation import MutationRefused
from clerk.queue.caller import LocalCaller
from clerk.store.operations import Ticket
from clerk.store.queue_tables import TicketEvent
from clerk.sync.queue_remote import LinkSettings, QueueLink, RemoteCaller, SlowCentral


class LateTransport(FaultyTransport):
    """Also: the next ``late`` requests reach the server, which acts, but their answers come
    too late (the client's read timeout)."""

    def __init__(self, inner) -> None:
        super().__init__(inner)
        self.late = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        if self.late and request.url.path.endswith(("/call-next", "/call")):
            self.late -= 1
            response.read()
            response.close()
            raise httpx.ReadTimeout("answer too late (test)", request=request)
        return response


@pytest.fixture
def counter(central, api, template, tmp_path):
    link = LateTransport(api._transport)
    made = enrolled_counter(tmp_path, "w1", central, template, httpx.Client(transport=link), "http://central")
    return made, link


def remote(counter, push: bool = True) -> RemoteCaller:
    link = QueueLink(counter.store, counter.agent.client, settings=LinkSettings(offline_hold_s=0))
    local = LocalCaller(counter.bench, counter.store, counter.clock, tentative=True)
    return RemoteCaller(counter.store, counter.clock, counter.agent.client, local, link=link,
                        push=counter.agent.push_pending if push else None)


def finish(counter, call) -> None:
    counter.bench.apply("ticket.finish", {"ticket_id": call.ticket_id, "window_id": "c1:1", "fence": call.fence},
                        "clerk1")


def local_status(counter, ticket_id: str) -> str:
    with counter.store.session() as s:
        return s.get(Ticket, ticket_id).status


def called_events(central) -> list[tuple[str, str]]:
    with central.session() as s:
        rows = s.execute(select(TicketEvent.ticket_id, TicketEvent.window_id).where(TicketEvent.kind == "called"))
        return [tuple(r) for r in rows]


def test_back_online_a_window_is_not_handed_tickets_it_served_while_cut_off(counter, central, api):
    c, link = counter
    kiosk = enrol_device(api, central, "kiosk")
    tickets = [issue(api, kiosk)["ticket"]["id"] for _ in range(4)]
    c.agent.sync_once()
    link.offline = True
    caller = remote(c)
    for expected in tickets[:2]:  # cut off: called and served from the counter's copy
        call = caller.call_next("c1:1", "clerk1")
        assert (call.ticket_id, call.tentative) == (expected, True)
        finish(c, call)
    link.offline = False
    back = caller.call_next("c1:1", "clerk1")  # the first online call, before any sync round
    assert (back.ticket_id, back.tentative) == (tickets[2], False)
    assert [local_status(c, t) for t in tickets[:3]] == ["finished", "finished", "called"]
    c.agent.sync_once()
    assert c.agent.sync_once().conflicts == 0
    with central.session() as s:
        assert [s.get(Ticket, t).status for t in tickets] == ["finished", "finished", "called", "waiting"]
    assert sorted(called_events(central)) == sorted((t, "c1:1") for t in tickets[:3])


def test_a_finish_not_yet_pushed_does_not_block_the_next_online_call(counter, central, api):
    """The clerk finishes and calls the next at once, online, before the sync agent has sent
    the finish: the finish goes up first, so the store does not say the window still holds
    the visitor who just left."""
    c, _link = counter
    kiosk = enrol_device(api, central, "kiosk")
    tickets = [issue(api, kiosk)["ticket"]["id"] for _ in range(2)]
    c.agent.sync_once()
    caller = remote(c)
    finish(c, caller.call_next("c1:1", "clerk1"))
    assert c.pending() == 2  # the call's record and the finish wait in the outbox
    call = caller.call_next("c1:1", "clerk1")
    assert (call.ticket_id, call.tentative) == (tickets[1], False)
    with central.session() as s:
        assert [s.get(Ticket, t).status for t in tickets] == ["finished", "called"]


def test_a_claim_answered_by_a_pull_is_still_the_windows_next_call(counter, central, api):
    """The claim's answer was lost, then a pull brought its ticket, held at this window: the
    clerk's next press gets that same ticket, not "the window still holds it"."""
    c, link = counter
    kiosk = enrol_device(api, central, "kiosk")
    tickets = [issue(api, kiosk)["ticket"]["id"] for _ in range(2)]
    c.agent.sync_once()
    caller = remote(c)
    link.late = caller.link.tries
    with pytest.raises(SlowCentral):
        caller.call_next("c1:1", "clerk1")
    c.agent.sync_once()
    assert local_status(c, tickets[0]) == "called"  # the pull brought the store's claim
    call = caller.call_next("c1:1", "clerk1")
    assert (call.ticket_id, call.tentative, call.fence) == (tickets[0], False, 1)
    assert called_events(central) == [(tickets[0], "c1:1")]


def test_the_central_store_refuses_a_call_until_the_windows_offline_calls_arrive(counter, central, api):
    c, link = counter
    kiosk = enrol_device(api, central, "kiosk")
    tickets = [issue(api, kiosk)["ticket"]["id"] for _ in range(2)]
    c.agent.sync_once()
    link.offline = True
    finish(c, remote(c).call_next("c1:1", "clerk1"))
    link.offline = False
    caller = remote(c, push=False)  # nobody pushes for it: the server must hold the line
    with pytest.raises(MutationRefused) as refused:
        caller.call_next("c1:1", "clerk1")
    assert "尚未上传到中心库" in refused.value.message
    with central.session() as s:
        assert [s.get(Ticket, t).status for t in tickets] == ["waiting", "waiting"]  # nothing claimed
    c.agent.sync_once()
    assert caller.call_next("c1:1", "clerk1").ticket_id == tickets[1]


def test_a_retried_claim_gets_the_same_ticket(central, api):
    w1 = enrol_device(api, central, "w1")
    a, b = issue(api, w1)["ticket"]["id"], issue(api, w1)["ticket"]["id"]
    body = {"window_id": "c1:1", "staff_id": "clerk1", "session": w1.session_of("clerk1"), "claim_id": "claim-1"}
    first = api.post(f"{Q}/call-next", json=body, headers=w1.headers).json()
    again = api.post(f"{Q}/call-next", json=body, headers=w1.headers).json()
    assert (first["ticket"]["id"], first["fence"]) == (again["ticket"]["id"], again["fence"]) == (a, 1)
    assert again["events"] == first["events"]
    assert called_events(central) == [(a, "c1:1")]  # one claim, not two
    other = api.post(f"{Q}/call", json={**body, "claim_id": "claim-2", "ticket_id": b, "window_id": "c1:2"},
                     headers=w1.headers).json()
    assert other["ticket"]["id"] == b
    named_again = api.post(f"{Q}/call", json={**body, "claim_id": "claim-2", "ticket_id": b, "window_id": "c1:2"},
                           headers=w1.headers)
    assert named_again.status_code == 200 and named_again.json()["fence"] == 1  # not "no longer waiting"


def test_a_late_answer_is_retried_with_the_same_claim_not_called_locally(counter, central, api):
    c, link = counter
    kiosk = enrol_device(api, central, "kiosk")
    tickets = [issue(api, kiosk)["ticket"]["id"] for _ in range(3)]
    c.agent.sync_once()
    link.late = 1  # the first try's answer is lost; the store did claim
    call = remote(c).call_next("c1:1", "clerk1")
    assert (call.ticket_id, call.tentative, call.fence) == (tickets[0], False, 1)
    assert called_events(central) == [(tickets[0], "c1:1")]


def test_a_claim_given_up_on_is_the_one_the_next_call_gets(counter, central, api):
    c, link = counter
    kiosk = enrol_device(api, central, "kiosk")
    tickets = [issue(api, kiosk)["ticket"]["id"] for _ in range(3)]
    c.agent.sync_once()
    caller = remote(c)
    link.late = caller.link.tries  # every try of this call answers too late
    with pytest.raises(SlowCentral) as slow:
        caller.call_next("c1:1", "clerk1")
    assert "响应缓慢" in slow.value.message
    assert [local_status(c, t) for t in tickets] == ["waiting"] * 3  # nothing called from the stale copy
    call = caller.call_next("c1:1", "clerk1")  # the clerk presses again: the store answers now
    assert (call.ticket_id, call.tentative) == (tickets[0], False)
    assert called_events(central) == [(tickets[0], "c1:1")]  # nobody stranded "called" at the window
    c.agent.sync_once()
    with central.session() as s:
        called = s.execute(select(func.count()).select_from(Ticket).where(Ticket.status == "called")).scalar_one()
    assert called == 1 and local_status(c, tickets[0]) == "called"
