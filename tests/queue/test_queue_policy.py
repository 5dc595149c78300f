"""The calling policy as pure functions: which ticket and why."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from clerk.clock import LOCAL_TZ
from clerk.queue.policy import (
    CallingPolicy,
    CallKind,
    WaitingTicket,
    decide,
    describe_wait,
    estimate_wait,
    streak,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=LOCAL_TZ)
W = "c:1"
LINES = ["c:A"]


def tk(n: int, minute: float, priority: str = "normal", **kw) -> WaitingTicket:
    at = T0 + timedelta(minutes=minute)
    return WaitingTicket(
        id=f"t{n}", number=f"A{n:03d}", line_id=kw.pop("line_id", "c:A"), seq=n,
        priority=priority, issued_at=at, queued_at=kw.pop("queued_at", at), **kw,
    )


DEFAULT = CallingPolicy()


def pick(tickets, minute=0.0, policy=DEFAULT, recent=()):
    return decide(tickets, W, LINES, T0 + timedelta(minutes=minute), policy, recent)


def test_nobody_waiting_gives_none():
    assert pick([]) is None
    assert pick([tk(1, 0, line_id="c:B")]) is None


def test_normal_tickets_in_issue_order():
    d = pick([tk(2, 1), tk(1, 0)], minute=2)
    assert (d.ticket_id, d.reason, d.kind) == ("t1", "按取号顺序", CallKind.NORMAL)


def test_green_before_normal_with_readable_reason():
    d = pick([tk(1, 0), tk(2, 1, "green", priority_reason="elderly")], minute=2)
    assert (d.ticket_id, d.reason, d.kind) == ("t2", "绿色通道优先（老年人）", CallKind.PRIORITY)


def test_ratio_rule_calls_a_normal_after_n_priority_calls():
    tickets = [tk(1, 0), tk(2, 1, "green", priority_reason="military")]
    recent = [CallKind.PRIORITY] * 3
    d = pick(tickets, minute=2, recent=recent)
    assert (d.ticket_id, d.reason) == ("t1", "优先与普通按 3:1 轮换")
    assert pick(tickets, minute=2, recent=recent[:2]).ticket_id == "t2"
    # With no normal ticket waiting, priority goes on.
    assert pick(tickets[1:], minute=2, recent=recent).ticket_id == "t2"


def test_ratio_streak_ignores_hand_picked_and_directed_calls():
    recent = [CallKind.PRIORITY, CallKind.SPECIFIC, CallKind.PRIORITY, CallKind.DIRECTED, CallKind.PRIORITY]
    assert streak(recent, [CallKind.PRIORITY]) == 3
    assert streak([CallKind.PRIORITY, CallKind.NORMAL], [CallKind.PRIORITY]) == 0


def test_ratio_setting_changes_the_rotation():
    policy = CallingPolicy(priority_per_normal=1)
    d = pick([tk(1, 0), tk(2, 1, "green")], minute=2, policy=policy, recent=[CallKind.PRIORITY])
    assert d.reason == "优先与普通按 1:1 轮换"


def appt(n, minute, start_min, end_min):
    return tk(n, minute, "appointment", appointment_start=T0 + timedelta(minutes=start_min),
              appointment_end=T0 + timedelta(minutes=end_min))


def test_appointment_on_time_is_priority_with_its_slot():
    d = pick([tk(1, 0), appt(2, 25, 30, 60)], minute=31)
    assert (d.ticket_id, d.reason, d.kind) == ("t2", "预约 09:30–10:00", CallKind.PRIORITY)


def test_appointment_inside_early_tolerance_is_due():
    # Slot 09:30, 15 minutes early tolerance: due from 09:15.
    assert pick([tk(1, 0), appt(2, 10, 30, 60)], minute=16).ticket_id == "t2"


def test_early_appointment_waits_in_the_normal_queue_until_due():
    tickets = [tk(1, 0), appt(2, 5, 60, 90)]
    d = pick(tickets, minute=10)
    assert d.ticket_id == "t1"
    # Alone, it is served as a normal ticket by check-in time rather than left idle.
    d = pick(tickets[1:], minute=10)
    assert (d.ticket_id, d.reason) == ("t2", "按取号顺序")


def test_late_appointment_falls_back_to_normal_queue_by_check_in_time():
    # Slot 09:30–10:00, late tolerance 10 minutes: a 10:20 check-in is late.
    late = appt(3, 80, 30, 60)
    d = pick([late, tk(4, 85)], minute=90)
    assert (d.ticket_id, d.reason, d.kind) == ("t3", "按取号顺序", CallKind.NORMAL)
    assert pick([late, tk(1, 75)], minute=90).ticket_id == "t1"


def test_check_in_inside_late_tolerance_is_still_an_appointment():
    d = pick([tk(1, 50), appt(2, 68, 30, 60)], minute=70)
    assert (d.ticket_id, d.reason) == ("t2", "预约 09:30–10:00")


def test_green_and_due_appointments_share_one_first_come_queue():
    green = tk(5, 40, "green", priority_reason="pregnant")
    due = appt(2, 10, 30, 60)  # due since 09:15, before the green ticket came
    assert pick([green, due], minute=45).ticket_id == "t2"
    assert pick([tk(6, 5, "green"), due], minute=45).ticket_id == "t6"


def test_max_wait_override_takes_the_longest_waiting_normal():
    tickets = [tk(1, 0), tk(2, 50, "green")]
    d = pick(tickets, minute=46)
    assert (d.ticket_id, d.reason, d.kind) == ("t1", "等待超过 45 分钟", CallKind.OVERDUE)


def test_within_max_wait_priority_goes_first():
    tickets = [tk(1, 0), tk(2, 10, "green")]
    assert pick(tickets, minute=44).ticket_id == "t2"


def test_max_wait_cap_lets_priority_through():
    tickets = [tk(1, 0), tk(2, 1), tk(3, 30, "green")]
    recent = [CallKind.OVERDUE, CallKind.OVERDUE]
    d = pick(tickets, minute=60, recent=recent)
    assert d.ticket_id == "t3"
    assert pick(tickets, minute=60, recent=recent[:1]).kind == CallKind.OVERDUE
    # Without priority tickets waiting the cap does not hold normals back.
    assert pick(tickets[:2], minute=60, recent=recent).kind == CallKind.OVERDUE


def test_max_wait_counts_from_requeue():
    requeued = tk(1, 0, queued_at=T0 + timedelta(minutes=40))
    d = pick([requeued, tk(2, 41, "green")], minute=50)
    assert d.ticket_id == "t2"


def test_directed_ticket_first_and_only_at_its_window():
    sent = tk(7, 30, target_window_id=W)
    other = tk(8, 0, target_window_id="c:9")
    d = pick([tk(1, 0, "green"), sent, other], minute=31)
    assert (d.ticket_id, d.reason, d.kind) == ("t7", "转至本窗口", CallKind.DIRECTED)
    assert pick([other], minute=31) is None


def test_settings_off():
    policy = CallingPolicy(priority_per_normal=0, max_wait_minutes=0)
    tickets = [tk(1, 0), tk(2, 1, "green")]
    assert pick(tickets, minute=500, policy=policy, recent=[CallKind.PRIORITY] * 9).ticket_id == "t2"


def test_policy_rejects_nonsense():
    with pytest.raises(ValueError):
        CallingPolicy(recall_limit=-1)
    with pytest.raises(ValueError):
        CallingPolicy(end_of_day="forget")


def test_estimate_wait():
    p = CallingPolicy(default_handling_minutes=10)
    assert estimate_wait(6, [], 2, p) == timedelta(minutes=30)
    times = [timedelta(minutes=m) for m in (4, 5, 100)]
    trusting = CallingPolicy(default_handling_minutes=10, handling_min_samples=0)
    assert estimate_wait(4, times, 1, trusting) == timedelta(minutes=20)  # the median shrugs off an outlier
    assert estimate_wait(0, times, 1, p) == timedelta(0)
    assert estimate_wait(4, times, 1, p) == timedelta(minutes=40)  # three samples: defaults fill two
    assert estimate_wait(3, times, 0, p) is None
    assert describe_wait(None) == "暂无窗口办理"
    assert describe_wait(timedelta(0)) == "无需等待"
    assert describe_wait(timedelta(minutes=14, seconds=40)) == "约 15 分钟"


def test_one_short_sample_does_not_collapse_the_estimate():
    """Issue 9 #2: one ticket finished in 40 s must not make 14 waiting look like a minute."""
    p = CallingPolicy(default_handling_minutes=10)
    estimate = estimate_wait(14, [timedelta(seconds=40)], 2, p)
    assert estimate == timedelta(minutes=70)
    assert describe_wait(estimate) == "约 70 分钟"
    many = [timedelta(minutes=3)] * 6
    assert estimate_wait(14, many, 2, p) == timedelta(minutes=21)  # enough history is trusted
