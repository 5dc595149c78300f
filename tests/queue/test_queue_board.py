"""Defect 6: the hall board's headline (正在呼叫) clears once nobody is awaited for it.

"正在呼叫 A008" stayed after A008 was finished, the day cleared or the counter revoked: the headline was simply
the latest call. It is now the latest call whose ticket is still called at that window.
"""

from __future__ import annotations

from clerk.central.display import board
from clerk.ids import new_id

CENTRE = "qc"
W1, W2 = f"{CENTRE}:1", f"{CENTRE}:2"
A = f"{CENTRE}:A"


def issue(bench):
    return bench.apply("ticket.issue", {"id": new_id(), "line_id": A})


def call(bench, ticket, window=W1, staff="s1"):
    return bench.apply("ticket.call", {"ticket_id": ticket.id, "window_id": window, "reason": "", "kind": "normal"},
                       staff)


def headline(store) -> str | None:
    with store.session() as s:
        current = board(s, CENTRE)["current"]
    return None if current is None else f"{current['number']}@{current['window']}"


def calls(store) -> list[str]:
    with store.session() as s:
        return [c["text"] for c in board(s, CENTRE)["calls"]]


def test_the_headline_clears_when_the_ticket_is_finished(bench, store, clock):
    t = issue(bench)
    call(bench, t)
    assert headline(store) == f"{t.number}@1"
    clock.advance(minutes=1)
    bench.apply("ticket.start", {"ticket_id": t.id, "window_id": W1}, "s1")
    assert headline(store) is None  # the visitor came: nobody is called any more
    bench.apply("ticket.finish", {"ticket_id": t.id, "window_id": W1}, "s1")
    assert headline(store) is None
    assert calls(store) == [f"请 {t.number} 号到 1 号窗口办理"]  # still among the recent calls


def test_the_headline_falls_back_to_a_call_still_awaited(bench, store, clock):
    first, second = issue(bench), issue(bench)
    call(bench, first, W1, "s1")
    clock.advance(seconds=30)
    call(bench, second, W2, "s2")
    assert headline(store) == f"{second.number}@2"
    bench.apply("ticket.finish", {"ticket_id": second.id, "window_id": W2}, "s2")
    assert headline(store) == f"{first.number}@1"  # window 1 still waits for its visitor


def test_the_headline_clears_when_the_day_is_cleared(bench, store, clock):
    t = issue(bench)
    call(bench, t)
    bench.apply("queue.end_of_day", {"centre_code": CENTRE, "day": clock.now().date().isoformat(), "rule": "cancel"}, "boss")
    assert headline(store) is None


def test_the_headline_clears_after_a_no_show(bench, store, clock):
    t = issue(bench)
    call(bench, t)
    bench.apply("ticket.no_show", {"ticket_id": t.id, "window_id": W1}, "s1")
    assert headline(store) is None


def counter_with_clerk(store, clock, device_id: str, staff_id: str) -> None:
    """An enrolled counter PC at which ``staff_id`` is signed in (as the central store records it)."""
    from clerk.store.central_tables import Device
    from clerk.store.operations import StaffSession

    with store.write() as s:
        s.add(Device(id=device_id, client_id=f"pc-{device_id}", centre_code=CENTRE, secret_hash="-",
                     enrolled_at=clock.now()))
        s.add(StaffSession(id=new_id(), staff_id=staff_id, client_id=f"pc-{device_id}", signed_at="-",
                           signature="-", started_at=clock.now()))


def test_the_headline_clears_when_the_calling_counter_is_revoked(bench, store, clock):
    from clerk.central.devices import revoke

    counter_with_clerk(store, clock, "d1", "s1")
    counter_with_clerk(store, clock, "d2", "s2")
    clock.advance(minutes=1)
    first, second = issue(bench), issue(bench)
    call(bench, first, W2, "s2")
    clock.advance(seconds=30)
    call(bench, second, W1, "s1")
    assert headline(store) == f"{second.number}@1"
    assert revoke(store, clock, "d1")  # window 1's PC is taken off the network: nobody calls there now
    assert headline(store) == f"{first.number}@2"  # window 2's counter still waits for its visitor
    assert revoke(store, clock, "d2")
    assert headline(store) is None
    assert len(calls(store)) == 2  # both calls stay among the recent calls
