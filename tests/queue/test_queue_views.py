"""The calling screen's read model against a plain reading of every ticket in the store.

The desk view reads the waiting list in pieces (by class, LIMIT, grouped counts); here a
hall with every kind of ticket is read whole in Python and the two must agree.
"""

from __future__ import annotations

import random
import uuid
from datetime import timedelta

import pytest
from queue_centre import CENTRE, OPENING
from sqlalchemy import insert

from clerk.central.display import board_lines
from clerk.ids import new_id
from clerk.outbox import Workbench
from clerk.queue.load import decide_next, line_wait
from clerk.queue.policy import CallingPolicy, WaitingTicket, calling_order, describe_wait
from clerk.queue.views import LIST_HEAD, centre_lines, desk_view
from clerk.store.operations import Ticket
from clerk.store.queue_tables import WindowState
from clerk.store.reference import WindowLine

W1, W2 = f"{CENTRE}:1", f"{CENTRE}:2"
A, B, C = (f"{CENTRE}:{x}" for x in "ABC")


def hall(seed: int) -> list[dict]:
    """Tickets of every status, class and line, some sent to a window by name."""
    rng = random.Random(seed)
    rows = []
    for n in range(1, 160):
        status = rng.choice(["waiting"] * 6 + ["finished", "no_show", "parked"])
        priority = rng.choice(["normal"] * 5 + ["green", "appointment"])
        rows.append(dict(
            id=str(uuid.uuid4()), centre_code=CENTRE, line_id=rng.choice([A, A, B, C]), day=OPENING.date(),
            seq=n, number=f"X{n:03d}", priority=priority, priority_reason="elderly" if priority == "green" else "",
            status=status, issued_at=OPENING + timedelta(seconds=rng.randrange(3600)),
            window_id=rng.choice([None] * 8 + [W1, W2]) if status != "finished" else None,
            no_show_count=rng.choice([0, 0, 0, 1]),
        ))
    rows.append(dict(rows[0], id=str(uuid.uuid4()), number="CUR", seq=999, status="called", window_id=W1))
    return rows


@pytest.mark.parametrize(("seed", "head"), [(1, LIST_HEAD), (2, LIST_HEAD), (3, 60)])
def test_desk_view_agrees_with_every_ticket_read_plainly(store, seed, head):
    rows = hall(seed)
    with store.write() as s:
        s.execute(insert(Ticket), rows)
        s.add(WindowLine(window_id=W1, line_id=B))  # window 1 serves A and B
    now = OPENING + timedelta(minutes=70)  # some normal tickets waited past the 45-minute cap
    with store.session() as s:
        view = desk_view(s, W1, CallingPolicy(), head=head, now=now)
        light = desk_view(s, W1, CallingPolicy(), head=head, with_lines=False, now=now)
    lines = [A, B]
    waiting = [r for r in rows if r["status"] == "waiting"]
    mine = [r for r in waiting if r["window_id"] == W1 or (r["window_id"] is None and r["line_id"] in lines)]
    assert view.waiting == light.waiting == len(mine)

    # The policy over every waiting ticket read plainly: the list is its calling order.
    plain = [WaitingTicket(
        id=r["id"], number=r["number"], line_id=r["line_id"], seq=r["seq"], priority=r["priority"],
        issued_at=r["issued_at"], queued_at=r["issued_at"], priority_reason=r["priority_reason"],
        target_window_id=r["window_id"]) for r in waiting]
    expected = [d.ticket_id for d in calling_order(plain, W1, lines, now, CallingPolicy(), limit=head)]
    by_id = {r["id"]: r for r in rows}
    assert [q.id for q in view.head] == expected
    assert [q.number for q in light.head] == [q.number for q in view.head]
    assert [q.directed for q in view.head] == [by_id[i]["window_id"] == W1 for i in expected]
    counts = {line: sum(r["line_id"] == line for r in waiting) for line in lines}
    assert {x.id: x.waiting for x in view.lines} == {x.id: x.waiting for x in light.lines} == counts
    assert [x.letter for x in view.lines] == ["A", "B"] and all(x.mapped for x in view.lines)
    parked = sorted((r for r in rows if r["status"] == "parked" and r["window_id"] == W1), key=lambda r: r["issued_at"])
    assert [q.number for q in view.parked] == [r["number"] for r in parked]
    assert view.current.number == "CUR" and view.current.line_name.endswith(("综合", "社保", "公积金"))


def test_line_loads_count_serving_windows_and_unserved_lines(store):
    waiting = [r for r in hall(4) if r["status"] == "waiting"]
    with store.write() as s:
        s.execute(insert(Ticket), waiting)
        s.add(WindowState(window_id=W2, paused=True, reason="午间休息", since=OPENING))
    with store.session() as s:
        loads = {x.id: x for x in centre_lines(s, CENTRE, CallingPolicy())}
    assert {x.id: x.waiting for x in loads.values()} == {line: sum(r["line_id"] == line for r in waiting) for line in (A, B, C)}
    assert [x.letter for x in loads.values()] == ["A", "B", "C"]
    assert not loads[C].mapped and loads[C].wait_minutes < 0  # no window serves C
    # No handling times yet: the default per person. A: windows 1, 2, 4-10 are seated
    # and 2 is paused, so 8 serve it; B: window 3 alone.
    per_head = CallingPolicy().default_handling_minutes
    assert loads[A].mapped and loads[A].wait_minutes == pytest.approx(per_head * loads[A].waiting / 8)
    assert loads[B].mapped and loads[B].wait_minutes == pytest.approx(per_head * loads[B].waiting / 1)


@pytest.mark.parametrize("seed", range(6))
def test_every_screen_shows_the_same_wait_for_a_line(store, seed):
    """Defect 2: the kiosk and the board (line_wait, the board's lines) and the calling, 潮汐
    and floor screens (centre_lines) show one figure for each line, in any state of the hall
    — finished tickets giving handling samples, a paused window, a line nobody serves."""
    rows = hall(seed)
    with store.write() as s:
        s.execute(insert(Ticket), rows)
        if seed % 2:
            s.add(WindowState(window_id=W2, paused=True, reason="午间休息", since=OPENING))
    policy = CallingPolicy(handling_min_samples=2)
    with store.session() as s:
        loads = {x.id: x for x in centre_lines(s, CENTRE, policy)}
        waits = {line: line_wait(s, line, policy) for line in (A, B, C)}
        board = {x["letter"]: x for x in board_lines(s, CENTRE)}
    for line, wait in waits.items():
        shown = -1.0 if wait.estimate is None else wait.estimate.total_seconds() / 60
        assert (loads[line].waiting, loads[line].wait_minutes) == (wait.waiting, pytest.approx(shown))
        if loads[line].letter in board:
            assert board[loads[line].letter]["wait"] == describe_wait(wait.estimate)


def test_a_ticket_requeued_after_a_no_show_is_listed_where_it_will_be_called(store, clock):
    """Defect 3: the list put the requeued ticket first (by issue time), the policy called it last."""
    bench = Workbench(store, clock)
    first = bench.apply("ticket.issue", {"id": new_id(), "line_id": A})
    clock.advance(minutes=1)
    others = [bench.apply("ticket.issue", {"id": new_id(), "line_id": A}) for _ in range(3)]
    bench.apply("ticket.call", {"ticket_id": first.id, "window_id": W1, "reason": "", "kind": "normal"}, "s1")
    clock.advance(minutes=1)
    bench.apply("ticket.no_show", {"ticket_id": first.id, "window_id": W1}, "s1")  # back in the queue, at the end
    with store.session() as s:
        listed = [r.number for r in desk_view(s, W1, CallingPolicy(), now=clock.now()).head]
    called = []
    for _ in range(4):
        with store.session() as s:
            d = decide_next(s, W1, clock.now(), CallingPolicy())
        t = bench.apply("ticket.call", {"ticket_id": d.ticket_id, "window_id": W1, "reason": d.reason,
                                        "kind": d.kind.value}, "s1")
        called.append(t.number)
        bench.apply("ticket.finish", {"ticket_id": t.id, "window_id": W1}, "s1")
    assert listed == called == [*(t.number for t in others), first.number]


def test_the_list_follows_the_ratio_rule_like_the_calls(store, clock):
    bench = Workbench(store, clock)
    normal = bench.apply("ticket.issue", {"id": new_id(), "line_id": A})
    green = [bench.apply("ticket.issue", {"id": new_id(), "line_id": A,
                                          "priority_reason": "elderly"}) for _ in range(4)]
    with store.session() as s:
        listed = [r.number for r in desk_view(s, W1, CallingPolicy(priority_per_normal=3), now=clock.now()).head]
    # Three 绿色通道, then the normal ticket by the 3:1 rule, then the fourth 绿色通道.
    assert listed == [green[0].number, green[1].number, green[2].number, normal.number, green[3].number]
