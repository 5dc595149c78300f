"""The central store's queue API on SQLite and PostgreSQL: bands, online issue, claims, fences."""

from __future__ import annotations

from queue_helpers import Q, call, call_next, enrol_device, issue, push
from sqlalchemy import select

from clerk.central import devices
from clerk.clock import SystemClock
from clerk.store.central_tables import ChangeLog
from clerk.store.operations import Ticket
from clerk.store.queue_tables import TicketEvent


def test_each_device_of_a_centre_gets_its_own_offline_band(central, api):
    first = [enrol_device(api, central, f"k{n}") for n in range(5)]
    assert [d.band for d in first] == [1, 2, 3, 4, None]  # four bands; the fifth counter has none
    assert enrol_device(api, central, "far", centre="c2").band == 1  # bands are per centre
    # k2 is still enrolled: a second PC asking for its installation id is a copy of it, and
    # gets an id of its own and no shared band (none is free).
    copy = enrol_device(api, central, "k2")
    assert (copy.client_id != "k2", copy.band) == (True, None)
    revoked = next(d for d in devices.list_devices(central) if d.client_id == "k1")
    devices.revoke(central, SystemClock(), revoked.id)
    again = enrol_device(api, central, "k1")  # re-enrolled after its old registration was revoked
    assert (again.client_id, again.band) == ("k1", 2)  # it keeps its installation and its band
    devices.revoke(central, SystemClock(), next(d.id for d in devices.list_devices(central)
                                                if d.client_id == "k1" and d.revoked_at is None))
    assert enrol_device(api, central, "k9").band == 2  # a revoked device's band is free again


def test_online_tickets_are_numbered_in_the_central_band(central, api):
    kiosk = enrol_device(api, central, "kiosk")
    first, second = issue(api, kiosk), issue(api, kiosk, priority_reason="elderly")
    assert (first["number"], second["number"]) == ("A001", "A002")
    assert (first["people_ahead"], second["people_ahead"]) == (0, 0)  # 绿色通道 goes first
    assert first["line_name"] == "综合" and second["waiting"] == 2
    assert first["wait_minutes"] is None  # nobody is seated at a window of line A yet
    assert second["ticket"]["priority"] == "green" and second["events"][0]["kind"] == "issued"
    # A retried request (the answer was lost) returns the same ticket, not a new number.
    again = issue(api, kiosk, ticket_id=second["ticket"]["id"])
    assert again["number"] == "A002" and issue(api, kiosk)["number"] == "A003"


def test_an_online_ticket_is_told_its_own_wait(central, api):
    """Nobody ahead and a clerk at a window of the line: no wait, though the line now counts one."""
    kiosk = enrol_device(api, central, "kiosk")
    push(api, kiosk, "seat.take", {"id": "seat-1", "staff_id": "clerk1", "window_id": "c1:1"}, "clerk1")
    first = issue(api, kiosk)
    assert (first["people_ahead"], first["waiting"], first["wait_minutes"]) == (0, 1, 0)
    second = issue(api, kiosk)
    assert (second["people_ahead"], second["wait_minutes"]) == (1, 10)  # one ahead, the default 10 minutes


def test_online_issue_is_refused_for_a_line_of_another_centre(central, api):
    kiosk = enrol_device(api, central, "kiosk")
    resp = api.post(f"{Q}/tickets", json={"line_id": "c2:A"}, headers=kiosk.headers)
    assert resp.status_code == 404 and resp.json()["message"] == "本中心没有这个业务类别"
    assert api.post(f"{Q}/tickets", json={"line_id": "c1:A"}).status_code == 401


def test_call_next_claims_once_and_the_other_counters_pull_it(central, api):
    w1, w2 = enrol_device(api, central, "w1"), enrol_device(api, central, "w2")
    a, b = issue(api, w1)["ticket"]["id"], issue(api, w1)["ticket"]["id"]
    one = call_next(api, w1, "c1:1", "clerk1").json()
    assert (one["ticket"]["id"], one["ticket"]["status"], one["fence"]) == (a, "called", 1)
    assert one["ticket"]["window_id"] == "c1:1" and one["reason"]
    assert [e["kind"] for e in one["events"]] == ["called"]
    assert call_next(api, w2, "c1:2", "clerk2").json()["ticket"]["id"] == b
    assert call_next(api, w2, "c1:3", "clerk2").json() == {"ticket": None, "events": [], "fence": None,
                                                           "reason": "", "kind": ""}
    with central.session() as s:
        logged = s.execute(select(ChangeLog).where(ChangeLog.table_name == "ticket")).scalars().all()
    assert any('"status":"called"' in (r.row or "").replace(" ", "") and a in r.row_key for r in logged)


def test_a_named_ticket_taken_by_another_window_is_refused(central, api):
    w1, w2 = enrol_device(api, central, "w1"), enrol_device(api, central, "w2")
    ticket = issue(api, w1)["ticket"]["id"]
    assert call(api, w1, ticket, "c1:1", "clerk1").json()["fence"] == 1
    refused = call(api, w2, ticket, "c1:2", "clerk2")
    assert refused.status_code == 409 and refused.json()["message"] == "A001 号已由1 号窗口呼叫"


def test_callers_are_checked_like_a_push(central, api):
    w1 = enrol_device(api, central, "w1")
    issue(api, w1)
    assert call_next(api, w1, "c1:1", "far1").status_code == 403  # staff of another centre
    assert call_next(api, w1, "c2:1", "clerk1").status_code == 404  # window of another centre
    assert api.post(f"{Q}/call-next", json={"window_id": "c1:1", "staff_id": "clerk1"}).status_code == 401


def test_a_stale_fence_is_refused_on_push(central, api):
    w1, w2 = enrol_device(api, central, "w1"), enrol_device(api, central, "w2")
    ticket = issue(api, w1)["ticket"]["id"]
    assert call_next(api, w1, "c1:1", "clerk1").json()["fence"] == 1
    at = {"ticket_id": ticket, "window_id": "c1:1", "fence": 1}
    assert push(api, w1, "ticket.call", at, "clerk1")["conflicts"] == []  # recording the claim: a no-op
    assert push(api, w1, "ticket.no_show", at, "clerk1")["conflicts"] == []  # back in the queue
    assert call_next(api, w2, "c1:2", "clerk2").json()["fence"] == 2
    late = push(api, w1, "ticket.start", at, "clerk1")["conflicts"]
    assert [c["reason"] for c in late] == ["A001 号已被重新呼叫，本窗口的这次操作已失效"]
    again = push(api, w1, "ticket.call", at, "clerk1")["conflicts"]
    assert len(again) == 1 and "已失效" in again[0]["reason"]
    with central.session() as s:
        row = s.get(Ticket, ticket)
        calls = s.execute(select(TicketEvent.window_id).where(TicketEvent.ticket_id == ticket,
                                                              TicketEvent.kind == "called")).scalars().all()
    assert (row.window_id, row.fence, row.status) == ("c1:2", 2, "called")
    assert sorted(calls) == ["c1:1", "c1:2"]


def _values(node) -> list:
    if isinstance(node, dict):
        return [*node.keys(), *(v for value in node.values() for v in _values(value))]
    if isinstance(node, list):
        return [v for value in node for v in _values(value)]
    return [node]


def test_the_rate_code_goes_to_the_issuer_and_never_to_the_hall_board(central, api):
    kiosk = enrol_device(api, central, "kiosk")
    push(api, kiosk, "seat.take", {"id": "seat-1", "staff_id": "clerk1", "window_id": "c1:1"}, "clerk1")
    issued = issue(api, kiosk)
    code = issued["ticket"]["rate_code"]
    assert len(code) == 4 and code.isdigit()  # for the slip the kiosk prints
    assert call_next(api, kiosk, "c1:1", "clerk1").status_code == 200
    board = api.get("/display/c1/board").json()
    assert "A001" in _values(board)  # the call is on the board, its code is not
    assert code not in _values(board) and not [v for v in _values(board) if "rate" in str(v)]
