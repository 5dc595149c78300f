"""The central store refuses the floor's actions pushed in a clerk's name: a real `clerk serve`
over HTTP, a device pushing raw mutations as a tampered counter could (the counter's own
check never runs). Nothing of a refused action is stored; a supervisor's same push is taken."""

from __future__ import annotations

import httpx
import pytest
from queue_helpers import call, enrol_device, issue, push
from sqlmodel import select

from clerk.ids import new_id
from clerk.store.operations import SeatSession, Ticket
from clerk.store.queue_tables import TicketEvent
from clerk.store.shift_tables import AccountUnlock

W1, W2 = "c1:1", "c1:2"


@pytest.fixture
def http(server):
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        yield client


def _floor_actions(ticket_id: str) -> list[tuple[str, dict]]:
    return [
        ("floor.free_window", {"window_id": W1, "reason": "工作人员临时离岗"}),
        ("floor.finish_ticket", {"ticket_id": ticket_id, "reason": "代为办结"}),
        ("floor.requeue_ticket", {"ticket_id": ticket_id, "reason": "重新排队"}),
        ("floor.reassign_ticket", {"ticket_id": ticket_id, "to_window_id": W2, "reason": "改派"}),
        ("floor.unlock_account", {"id": new_id(), "username": "clerk2", "reason": "同事求助"}),
    ]


def test_a_clerk_cannot_push_a_floor_action_a_supervisor_can(http, real_db):
    _url, central = real_db
    dev = enrol_device(http, central, "counter-w")
    seat = new_id()
    for staff, window in (("clerk1", W1), ("clerk2", W2)):
        assert push(http, dev, "seat.take", {"id": seat if staff == "clerk1" else new_id(), "staff_id": staff,
                                             "window_id": window}, staff)["conflicts"] == []
    ticket = issue(http, dev)["ticket"]["id"]
    assert call(http, dev, ticket, W1, "clerk1").status_code == 200
    for name, args in _floor_actions(ticket):
        conflicts = push(http, dev, name, args, "clerk2")["conflicts"]
        assert len(conflicts) == 1 and "无权" in conflicts[0]["reason"], (name, conflicts)
    with central.session() as s:
        assert s.get(SeatSession, seat).ended_at is None
        held = s.get(Ticket, ticket)
        assert (held.status, held.window_id) == ("called", W1)
        assert s.exec(select(TicketEvent).where(TicketEvent.staff_id == "clerk2")).all() == []
        assert s.exec(select(AccountUnlock)).all() == []
    # The same push in a supervisor's name is taken: the refusal was the role, not the push.
    assert push(http, dev, "floor.free_window", {"window_id": W1, "reason": "工作人员临时离岗"}, "sup1")["conflicts"] == []
    with central.session() as s:
        assert s.get(SeatSession, seat).ended_at is not None
