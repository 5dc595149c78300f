"""The live floor read model and the supervisor's floor actions, on a real SQLite store."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select
from test_queue_actions import (
    LINE_B,
    W1,
    W2,
    W3,
    call_next,
    events,
    issue,
    load,
    refused,
)

from clerk import mutation
from clerk.floor.service import FloorDesk, NotSupervisor
from clerk.staff.auth import SignedIn
from clerk.store.local import Outbox
from clerk.store.operations import SeatSession
from clerk.store.queue_tables import TicketEvent
from clerk.sync import meta

BOSS = SignedIn(staff_id="boss", username="boss", name="值班长", role="supervisor", centre_code="qc", department_code=None)
CLERK = SignedIn(staff_id="s1", username="s1", name="工作人员1", role="clerk", centre_code="qc", department_code=None)


@pytest.fixture
def desk(bench, store, clock) -> FloorDesk:
    return FloorDesk(bench, store, clock, "qc")


def by_number(floor, n):
    return next(w for w in floor.windows if w.number == n)


def test_floor_shows_each_window_state_and_each_line(desk, bench, clock):
    with bench.store.write() as s:  # enrolled: its own link to the central store is on the floor
        meta.put(s, meta.DEVICE_ID, "dev-1")
    first = issue(bench)
    clock.advance(minutes=4)
    issue(bench)
    issue(bench, line=LINE_B)
    clock.advance(minutes=3)
    call_next(bench, W1)
    bench.apply("window.pause", {"window_id": W2, "reason": "系统故障"}, "s2")
    clock.advance(minutes=2)
    floor = desk.floor()
    w1, w2, w3 = by_number(floor, 1), by_number(floor, 2), by_number(floor, 3)
    assert (w1.state, w1.ticket_number, w1.staff_name) == ("called", load(bench.store, first).number, "工作人员1")
    assert w1.since == clock.now() - timedelta(minutes=2)
    assert (w2.state, w2.paused_reason) == ("paused", "系统故障")
    assert w3.state == "idle" and w3.letters == ("B",)
    a = next(x for x in floor.lines if x.letter == "A")
    b = next(x for x in floor.lines if x.letter == "B")
    assert a.waiting == 1 and a.longest == timedelta(minutes=5)  # the second A ticket, issued 5 minutes ago
    assert b.waiting == 1 and b.longest == timedelta(minutes=5) and b.estimate_minutes >= 0
    c = next(x for x in floor.lines if x.letter == "C")
    assert c.waiting == 0 and c.longest is None and c.estimate_minutes < 0  # no window serves C
    (counter,) = floor.counters
    assert counter.name == "本机" and counter.offline_since is not None  # nothing acknowledged for minutes


def test_a_counter_never_enrolled_has_no_link_to_report(desk, bench, clock):
    """Working alone (no central store), the floor does not call it an offline counter."""
    issue(bench)
    clock.advance(minutes=10)
    assert desk.floor().counters == ()


def test_a_window_with_nobody_seated_is_shown_empty(desk, store):
    with store.write() as s:
        seat = s.get(SeatSession, "seat4")
        s.delete(seat)
    assert by_number(desk.floor(), 4).state == "closed"


def test_free_a_stuck_window_and_reassign_its_ticket(desk, bench, store):
    issue(bench)
    ticket = call_next(bench, W1)
    desk.free_window(BOSS, W1, "工作人员临时离岗")
    with store.session() as s:
        assert s.get(SeatSession, "seat1").ended_at is not None
    floor = desk.floor()
    assert by_number(floor, 1).staff_name == ""  # freed; the ticket is still left there
    assert by_number(floor, 1).ticket_id == ticket.id
    desk.reassign_ticket(BOSS, ticket.id, W2, "原窗口无人")
    t = load(store, ticket)
    assert (t.status, t.window_id) == ("waiting", W2)
    assert call_next(bench, W2).id == ticket.id  # window 2 calls it next
    with store.session() as s:
        moved = s.exec(select(TicketEvent).where(TicketEvent.ticket_id == ticket.id,
                                                 TicketEvent.kind == "transferred")).one()
        names = [r.name for r in s.exec(select(Outbox).where(Outbox.actor_id == "boss"))]
    assert moved.staff_id == "boss" and "值班长改派至2号窗口" in moved.reason
    assert names == ["floor.free_window", "floor.reassign_ticket"]


def test_finish_and_requeue_a_ticket_left_open(desk, bench, store):
    issue(bench)
    done = call_next(bench, W1)
    desk.finish_ticket(BOSS, done.id, "已办完未点办结")
    assert load(store, done).status == "finished"
    again = issue(bench)
    call_next(bench, W2)
    desk.requeue_ticket(BOSS, again.id, "群众稍后再来")
    t = load(store, again)
    assert (t.status, t.window_id) == ("waiting", None)
    assert events(store, again)[-1] == "released"  # not a no-show requeue in the ledger
    assert call_next(bench, W1).id == again.id  # any window of the line may call it


def test_floor_actions_refused_in_chinese_and_nothing_recorded(desk, bench, store):
    issue(bench)
    ticket = call_next(bench, W1)
    with pytest.raises(NotSupervisor):
        desk.free_window(CLERK, W1, "x")
    with refused("无需处理"):
        desk.finish_ticket(BOSS, issue(bench).id, "x")
    with refused("不办理"):
        desk.reassign_ticket(BOSS, ticket.id, W3, "x")
    with refused("就是原窗口"):
        desk.reassign_ticket(BOSS, ticket.id, W1, "x")
    with store.write() as s:
        s.get(SeatSession, "seat5").ended_at = bench.clock.now()
    with refused("没有人就座"):
        desk.free_window(BOSS, "qc:5", "x")
    for name in ("floor.free_window", "floor.finish_ticket", "floor.requeue_ticket", "floor.reassign_ticket"):
        # The central store re-checks the role of whoever pushes these.
        assert not mutation.lookup(name).allows("clerk") and mutation.lookup(name).allows("supervisor")
    with store.session() as s:
        assert not s.exec(select(Outbox).where(Outbox.name.like("floor.%"))).all()
    assert load(store, ticket).status == "called"


def test_cases_near_and_past_their_limits(desk, store, clock):
    from clerk.store.operations import Case
    from clerk.store.reference import Department, ServiceItem

    today = clock.now().date()
    with store.write() as s:
        s.add(Department(code="d", name="测试局"))
        s.flush()
        s.add(ServiceItem(code="x", name="测试事项", kind="行政许可", case_type="承诺件", department_code="d",
                          legal_limit_days=20, promised_limit_days=5))
        s.flush()
        for i, (status, extra) in enumerate((
            ("supplement", {"supplement_due": today - timedelta(days=2)}),
            ("deferred", {"owed_due": today}),
            ("deferred", {"owed_due": today + timedelta(days=30)}),
            ("accepted", {"due_date": today - timedelta(days=9)}),  # in the back office, past its date
            ("finished", {"due_date": today - timedelta(days=9)}),  # ended: not on the floor
        )):
            s.add(Case(id=f"c{i}", centre_code="qc", item_code="x", applicant_name="张三", status=status,
                       received_at=clock.now(), handler_id="s1", **extra))
    found = desk.floor().cases
    assert [(c.case_id, c.urgency, c.handler) for c in found] == [
        ("c3", "past", "工作人员1"), ("c0", "past", "工作人员1"), ("c1", "near", "工作人员1")]


def test_cases_at_limit_match_a_day_by_day_recount_across_a_holiday(bench, store, monkeypatch):
    """Every open state and deadlines from 3 days past to 14 ahead, on the eve of 国庆节:
    past / near as the case desk counts them (working days left, one at most is near)."""
    from datetime import date, datetime

    from clerk.calendar import WorkCalendar
    from clerk.cases.rules import next_deadline
    from clerk.clock import LOCAL_TZ, FrozenClock
    from clerk.floor import cases
    from clerk.floor.cases import NEAR_DAYS

    monkeypatch.setattr(cases, "SHOWN", 1000)  # every one listed, to compare
    from clerk.store.operations import Case
    from clerk.store.reference import CalendarDay, Department, ServiceItem

    clock = FrozenClock(datetime(2026, 9, 29, 9, 0, tzinfo=LOCAL_TZ))
    today = date(2026, 9, 29)
    date_of = {"received": "received_on", "supplement": "supplement_due", "deferred": "owed_due",
               "committed": "owed_due", "accepted": "due_date", "reviewed": "due_date", "ready": "due_date"}
    with store.write() as s:
        s.add(Department(code="d", name="测试局"))
        s.flush()
        s.add(ServiceItem(code="x", name="测试事项", kind="行政许可", case_type="承诺件", department_code="d",
                          legal_limit_days=20, promised_limit_days=5))
        s.flush()
        for status, column in date_of.items():
            for k in range(-10 if status == "received" else -3, 15):
                extra = {column: today + timedelta(days=k)}
                if status in ("deferred", "committed") and k % 2:
                    extra = {"due_date": today + timedelta(days=k)}  # nothing owed: the promised date
                s.add(Case(id=f"{status}{k}", centre_code="qc", item_code="x", applicant_name="张三", status=status,
                           received_at=clock.now(), handler_id="s1", **extra))
    with store.session() as s:
        cal = WorkCalendar.from_rows(s.exec(select(CalendarDay)).all())
        expected = []
        for case in s.exec(select(Case)).all():
            deadline, _ = next_deadline(cal, case)
            if deadline is None:
                continue
            if deadline < today:
                expected.append((case.id, "past"))
            elif cal.working_days_between(today, deadline).days <= NEAR_DAYS:
                expected.append((case.id, "near"))
    floor = FloorDesk(bench, store, clock, "qc").floor()
    assert sorted((c.case_id, c.urgency) for c in floor.cases) == sorted(expected)
    assert (floor.cases_past, floor.cases_near) == (sum(u == "past" for _, u in expected),
                                                    sum(u == "near" for _, u in expected))
    # 9-30 is the one working day left before the holiday; 10-08, after it, is the second.
    assert {"accepted8", "received-7", "deferred1", "committed8"} <= {c for c, u in expected if u == "near"}
    assert not {"accepted9", "received-6", "committed9"} & {c for c, _ in expected}


def test_the_floor_lists_the_most_pressing_cases_and_counts_them_all(bench, store, monkeypatch):
    """Thousands past their date on a bad day: the floor counts every one, lists the first few."""
    from datetime import date, datetime

    from clerk.clock import LOCAL_TZ, FrozenClock
    from clerk.floor import cases
    from clerk.store.operations import Case
    from clerk.store.reference import Department, ServiceItem

    monkeypatch.setattr(cases, "SHOWN", 3)
    clock = FrozenClock(datetime(2026, 9, 29, 9, 0, tzinfo=LOCAL_TZ))
    today = date(2026, 9, 29)
    with store.write() as s:
        s.add(Department(code="d", name="测试局"))
        s.flush()
        s.add(ServiceItem(code="x", name="测试事项", kind="行政许可", case_type="承诺件", department_code="d",
                          legal_limit_days=20, promised_limit_days=5))
        s.flush()
        for i, (status, extra) in enumerate((
            ("accepted", {"due_date": today - timedelta(days=3)}),
            ("reviewed", {"due_date": today - timedelta(days=5)}),
            ("accepted", {"due_date": today - timedelta(days=5)}),  # same day: by id
            ("accepted", {"due_date": today}),
            ("supplement", {"supplement_due": today - timedelta(days=4)}),
            ("deferred", {"owed_due": today + timedelta(days=1)}),
            ("accepted", {"due_date": today + timedelta(days=30)}),  # not near
        )):
            s.add(Case(id=f"c{i}", centre_code="qc", item_code="x", applicant_name="张三", status=status,
                       received_at=clock.now(), handler_id="s1", **extra))
    floor = FloorDesk(bench, store, clock, "qc").floor()
    assert [(c.case_id, c.urgency) for c in floor.cases] == [("c1", "past"), ("c2", "past"), ("c4", "past")]
    assert (floor.cases_past, floor.cases_near) == (4, 2)
