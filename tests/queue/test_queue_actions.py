"""Queue-calling mutations through the Workbench on a real migrated SQLite store."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import literal_column
from sqlmodel import select

from clerk.ids import new_id
from clerk.mutation import MutationRefused
from clerk.queue import settings
from clerk.queue.load import decide_next, handling_times, line_wait, people_ahead
from clerk.queue.policy import CallingPolicy
from clerk.store.local import Outbox
from clerk.store.operations import Ticket
from clerk.store.queue_tables import TicketEvent

CENTRE = "qc"  # the centre tests/queue/conftest.py installs
W1, W2, W3 = f"{CENTRE}:1", f"{CENTRE}:2", f"{CENTRE}:3"
LINE_A, LINE_B, LINE_C = f"{CENTRE}:A", f"{CENTRE}:B", f"{CENTRE}:C"
STAFF = {W1: "s1", W2: "s2", W3: "s3"}


@contextmanager
def refused(text: str):
    """The action is refused with a Chinese message containing ``text``."""
    with pytest.raises(MutationRefused) as caught:
        yield
    assert text in caught.value.message, caught.value.message


def issue(bench, line=LINE_A, **kw) -> Ticket:
    return bench.apply("ticket.issue", {"id": new_id(), "line_id": line, **kw})


def call_next(bench, window=W1) -> Ticket:
    with bench.store.session() as s:
        d = decide_next(s, window, bench.clock.now(), CallingPolicy())
    assert d is not None, "nobody to call"
    args = {"ticket_id": d.ticket_id, "window_id": window, "reason": d.reason, "kind": d.kind.value}
    return bench.apply("ticket.call", args, STAFF[window])


def act(bench, name, ticket, window=W1, **kw):
    return bench.apply(name, {"ticket_id": ticket.id, "window_id": window, **kw}, STAFF.get(window))


def events(store, ticket) -> list[str]:
    with store.session() as s:
        stmt = select(TicketEvent).where(TicketEvent.ticket_id == ticket.id)
        rows = s.exec(stmt.order_by(TicketEvent.at, literal_column("rowid")))
        return [e.kind for e in rows]


def load(store, ticket) -> Ticket:
    with store.session() as s:
        return s.get(Ticket, ticket.id)


def test_issue_call_start_finish(bench, store, clock):
    t = issue(bench)
    assert (t.number, t.status, t.priority) == ("A001", "waiting", "normal")
    clock.advance(minutes=3)
    called = call_next(bench)
    assert (called.id, called.status, called.window_id, called.called_by) == (t.id, "called", W1, "s1")
    assert called.call_reason == "按取号顺序" and called.fence == 1
    clock.advance(seconds=40)
    act(bench, "ticket.start", t)
    clock.advance(minutes=8)
    done = act(bench, "ticket.finish", t)
    assert done.status == "finished" and done.first_contact_staff_id == "s1"
    assert events(store, t) == ["issued", "called", "started", "finished"]
    with store.session() as s:
        names = [o.name for o in s.exec(select(Outbox).order_by(Outbox.mutation_id))]
        assert names == ["ticket.issue", "ticket.call", "ticket.start", "ticket.finish"]
        assert line_wait(s, LINE_A, CallingPolicy()).estimate == timedelta(0)


def test_green_ticket_is_called_first_with_its_reason(bench):
    issue(bench)
    g = issue(bench, priority_reason="disabled")
    assert g.priority == "green" and g.number == "A002"
    called = call_next(bench)
    assert (called.id, called.call_reason) == (g.id, "绿色通道优先（残疾人）")


def test_appointment_check_in(bench, clock):
    start = clock.now() + timedelta(minutes=10)
    t = issue(bench, source="appointment", appointment_code="Y123",
              appointment_start=start.isoformat(), appointment_end=(start + timedelta(minutes=30)).isoformat())
    assert t.priority == "appointment"
    issue(bench)
    assert call_next(bench).call_reason == "预约 09:10–09:40"
    with refused("预约码"):
        issue(bench, source="appointment")


def test_calling_a_ticket_already_called_is_refused(bench, store):
    t = issue(bench)
    act(bench, "ticket.call", t, W1)
    with refused("A001 号已由1 号窗口呼叫"):
        act(bench, "ticket.call", t, W2)
    assert load(store, t).window_id == W1
    assert events(store, t) == ["issued", "called"]


def test_call_checks_window_lines_pause_and_current_ticket(bench):
    a, b = issue(bench), issue(bench, line=LINE_B)
    with refused("本窗口不办理“社保”业务"):
        act(bench, "ticket.call", b, W1)
    act(bench, "ticket.call", a, W1)
    a2 = issue(bench)
    with refused("A001 号尚未办结"):
        act(bench, "ticket.call", a2, W1)
    bench.apply("window.pause", {"window_id": W2, "reason": "系统故障"}, "s2")
    with refused("已暂停（系统故障）"):
        act(bench, "ticket.call", a2, W2)
    with refused("已暂停"):
        bench.apply("window.pause", {"window_id": W2, "reason": "again"}, "s2")
    bench.apply("window.resume", {"window_id": W2}, "s2")
    assert act(bench, "ticket.call", a2, W2).status == "called"


def test_recall_limit_and_gap(bench, clock):
    settings.configure(lambda _c: CallingPolicy(recall_limit=2, recall_min_gap_seconds=30))
    t = issue(bench)
    act(bench, "ticket.call", t)
    with refused("秒后再重呼"):
        act(bench, "ticket.recall", t)
    for n in (1, 2):
        clock.advance(seconds=30)
        assert act(bench, "ticket.recall", t).recall_count == n
    clock.advance(minutes=5)
    with refused("已重呼 2 次，已达上限"):
        act(bench, "ticket.recall", t)
    with refused("不在本窗口"):
        act(bench, "ticket.recall", t, W2)


def test_no_show_requeues_then_passes(bench, store, clock):
    settings.configure(lambda _c: CallingPolicy(no_show_requeue_limit=1))
    t, later = issue(bench), None
    act(bench, "ticket.call", t)
    clock.advance(minutes=2)
    back = act(bench, "ticket.no_show", t)
    assert (back.status, back.window_id, back.no_show_count) == ("waiting", None, 1)
    later = issue(bench)  # joined at the same time as the requeue, but with a later number
    clock.advance(minutes=1)
    # The requeued ticket joined the queue again at the no-show: the earlier-queued one goes first.
    assert call_next(bench).id == t.id
    clock.advance(minutes=2)
    gone = act(bench, "ticket.no_show", t)
    assert gone.status == "no_show" and gone.no_show_count == 2
    assert events(store, t) == ["issued", "called", "requeued", "called", "no_show"]
    assert call_next(bench).id == later.id


def test_no_show_requeue_goes_behind_those_already_waiting(bench, clock):
    t = issue(bench)
    clock.advance(minutes=1)
    other = issue(bench)
    act(bench, "ticket.call", t)
    clock.advance(seconds=20)
    act(bench, "ticket.no_show", t)
    assert call_next(bench).id == other.id


def test_transfer_keeps_number_and_first_contact(bench, store, clock):
    t = issue(bench)
    act(bench, "ticket.call", t, W1)
    act(bench, "ticket.start", t, W1)
    moved = act(bench, "ticket.transfer", t, W1, to_line_id=LINE_B, reason="需办理社保业务")
    assert (moved.number, moved.line_id, moved.status, moved.first_contact_staff_id) == ("A001", LINE_B, "waiting", "s1")
    clock.advance(minutes=1)
    assert call_next(bench, W3).id == t.id
    act(bench, "ticket.start", t, W3)
    done = act(bench, "ticket.finish", t, W3)
    assert (done.number, done.first_contact_staff_id) == ("A001", "s1")


def test_a_transferred_number_is_never_issued_again_on_its_old_line(bench):
    t = issue(bench)
    act(bench, "ticket.call", t, W1)
    act(bench, "ticket.transfer", t, W1, to_line_id=LINE_B, reason="需办理社保业务")
    assert issue(bench).number == "A002"


def test_transfer_to_a_window_is_called_there_first(bench):
    first = issue(bench)
    t = issue(bench)
    act(bench, "ticket.call", t, W1)
    act(bench, "ticket.transfer", t, W1, to_window_id=W2, reason="专人办理")
    called = call_next(bench, W2)
    assert (called.id, called.call_reason) == (t.id, "转至本窗口")
    assert call_next(bench, W1).id == first.id


def test_transfer_to_a_line_no_window_serves_is_refused(bench, store):
    t = issue(bench)
    act(bench, "ticket.call", t)
    with refused("没有窗口办理“公积金”"):
        act(bench, "ticket.transfer", t, to_line_id=LINE_C, reason="公积金提取")
    with refused("2 号窗口不办理“社保”"):
        act(bench, "ticket.transfer", t, to_line_id=LINE_B, to_window_id=W2, reason="x")
    assert load(store, t).status == "called"
    with refused("暂无窗口办理"):
        issue(bench, line=LINE_C)


def test_transfer_to_a_window_not_serving_the_line_is_refused(bench, store):
    """Issue 9 #7: window 3 serves only B; an A ticket sent there could never be called."""
    t = issue(bench)
    act(bench, "ticket.call", t)
    with refused("3 号窗口不办理“综合”，不能转入"):
        act(bench, "ticket.transfer", t, to_window_id=W3, reason="专人办理")
    assert (load(store, t).status, load(store, t).window_id) == ("called", W1)


def test_park_and_call_back(bench, clock):
    t = issue(bench)
    issue(bench)
    act(bench, "ticket.call", t)
    parked = act(bench, "ticket.park", t, reason="回去取身份证")
    assert parked.status == "parked"
    other = call_next(bench)  # the window serves someone else meanwhile
    assert other.id != t.id
    with refused("尚未办结"):
        act(bench, "ticket.resume", t)
    act(bench, "ticket.finish", other)
    back = act(bench, "ticket.resume", t)
    assert back.status == "called" and back.fence == 2


def test_stale_fence_is_refused(bench):
    t = issue(bench)
    called = act(bench, "ticket.call", t)
    act(bench, "ticket.park", t, fence=called.fence)
    act(bench, "ticket.resume", t, fence=called.fence)
    with refused("已被重新呼叫"):
        act(bench, "ticket.start", t, fence=called.fence)
    assert act(bench, "ticket.start", t, fence=called.fence + 1).status == "serving"


def test_call_with_the_central_claims_fence_is_idempotent(bench, store):
    t = issue(bench)
    first = act(bench, "ticket.call", t, fence=7, reason="按取号顺序")
    assert first.fence == 7
    again = act(bench, "ticket.call", t, fence=7)
    assert again.fence == 7 and events(store, t) == ["issued", "called"]


@pytest.mark.parametrize("rule", ["cancel", "carry_over"])
def test_end_of_day(bench, store, clock, rule):
    waiting, called, serving, parked = issue(bench), issue(bench), issue(bench), issue(bench)
    act(bench, "ticket.call", serving, W1)
    act(bench, "ticket.start", serving, W1)
    act(bench, "ticket.call", called, W2)
    act(bench, "ticket.park", called, W2, reason="取材料")
    act(bench, "ticket.call", parked, W2)
    clock.advance(hours=8)
    report = bench.apply("queue.end_of_day", {"centre_code": CENTRE, "day": "2026-03-02", "rule": rule}, "boss")
    left = [waiting, called, parked]
    if rule == "cancel":
        assert (report.cancelled, report.carried_over, report.still_serving) == (3, 0, 1)
        assert {load(store, t).status for t in left} == {"cancelled"}
        assert events(store, waiting)[-1] == "cancelled"
        return
    assert (report.cancelled, report.carried_over, report.still_serving) == (0, 3, 1)
    assert {load(store, t).status for t in left} == {"waiting"}
    assert {load(store, t).window_id for t in left} == {None}
    clock.advance(hours=16)  # next morning: carried tickets come first, numbering restarts
    fresh = issue(bench)
    assert fresh.number == "A001" and fresh.day.isoformat() == "2026-03-03"
    assert call_next(bench, W2).id == waiting.id
    again = bench.apply("queue.end_of_day", {"centre_code": CENTRE, "day": "2026-03-03", "rule": rule}, "boss")
    # Yesterday's carried tickets are cancelled (carried once only); today's is carried.
    assert (again.cancelled, again.carried_over) == (3, 1)


def test_end_of_day_uses_the_centre_rule(bench, store):
    settings.configure(lambda _c: CallingPolicy(end_of_day="carry_over"))
    t = issue(bench)
    report = bench.apply("queue.end_of_day", {"centre_code": CENTRE, "day": "2026-03-02"}, "boss")
    assert report.carried_over == 1 and load(store, t).status == "waiting"


def test_numbers_restart_each_day_per_line(bench, clock):
    assert [issue(bench).number for _ in range(3)] == ["A001", "A002", "A003"]
    assert issue(bench, line=LINE_B).number == "B001"
    clock.advance(days=1)
    assert issue(bench).number == "A001"


def test_local_day_decides_the_numbering_day(bench, clock):
    clock.advance(hours=14, minutes=59)  # 23:59 Beijing time, still 2 March
    assert issue(bench).day.isoformat() == "2026-03-02"
    clock.advance(minutes=2)  # 00:01 on 3 March: the UTC date is still 2 March
    t = issue(bench)
    assert (t.number, t.day.isoformat()) == ("A001", "2026-03-03")


def test_offline_band_numbers_never_collide_with_online_ones(bench, store):
    online = [issue(bench, band=0).number for _ in range(3)]
    band1 = [issue(bench, band=1).number for _ in range(3)]
    band2 = [issue(bench, band=2).number for _ in range(2)]
    online.append(issue(bench, band=0).number)
    assert online == ["A001", "A002", "A003", "A004"]
    assert band1 == ["A601", "A602", "A603"]
    assert band2 == ["A701", "A702"]
    with store.session() as s:
        numbers = [t.number for t in s.exec(select(Ticket))]
    assert len(numbers) == len(set(numbers))


def test_people_ahead_and_wait_estimate(bench, store):
    tickets = [issue(bench) for _ in range(4)]
    with store.session() as s:
        assert people_ahead(s, s.get(Ticket, tickets[2].id)) == 2
        wait = line_wait(s, LINE_A, CallingPolicy(default_handling_minutes=10))
    # 4 waiting, 9 seated windows serve line A, no history yet: 4 × 10 min ÷ 9.
    assert (wait.waiting, wait.serving_windows) == (4, 9)
    assert wait.estimate == timedelta(minutes=40) / 9


def test_wait_estimate_uses_recent_handling_times(bench, store, clock):
    for minutes in (6, 8, 30):
        t = issue(bench)
        act(bench, "ticket.call", t)
        clock.advance(minutes=1)
        act(bench, "ticket.start", t)
        clock.advance(minutes=minutes)
        act(bench, "ticket.finish", t)
    issue(bench), issue(bench)
    with store.session() as s:
        assert handling_times(s, LINE_A, 10) == [timedelta(minutes=m) for m in (6, 8, 30)]
        wait = line_wait(s, LINE_A, CallingPolicy(handling_min_samples=3))
    assert wait.estimate == timedelta(minutes=8) * 2 / 9


def test_green_ticket_counts_only_priority_tickets_ahead(bench, store):
    """Issue 9 #2: a 绿色通道 ticket is called before the normal ones, and says so."""
    for _ in range(14):
        issue(bench)
    green = issue(bench, priority_reason="elderly")
    second = issue(bench, priority_reason="disabled")
    with store.session() as s:
        assert people_ahead(s, s.get(Ticket, green.id)) == 0
        assert people_ahead(s, s.get(Ticket, second.id)) == 1
        assert decide_next(s, W1, bench.clock.now(), CallingPolicy()).ticket_id == green.id
