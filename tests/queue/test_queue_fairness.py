"""Hypothesis properties of the calling policy under continuous service with a frozen clock.

Each step the clock moves on, at most one visitor arrives (any class: normal, 绿色通道,
an appointment early, on time or late) and the window calls one ticket. Properties:
nobody who waits is ever skipped for ever (the number of calls made while a ticket waits
is bounded by the queue length), and once arrivals stop, everyone gets called.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from clerk.clock import LOCAL_TZ, FrozenClock
from clerk.queue.policy import CallingPolicy, WaitingTicket, decide

W = "c:1"
LINES = ["c:A", "c:B"]
T0 = datetime(2026, 3, 2, 8, 30, tzinfo=LOCAL_TZ)

arrival = st.one_of(
    st.none(),
    st.tuples(
        st.sampled_from(["normal", "normal", "green", "appointment"]),
        st.sampled_from(LINES),
        st.integers(min_value=-120, max_value=90),  # slot start relative to check-in, minutes
    ),
)

policies = st.builds(
    CallingPolicy,
    priority_per_normal=st.integers(1, 4),
    max_wait_minutes=st.sampled_from([0, 20, 45]),
    max_wait_in_row=st.integers(1, 3),
    appointment_early_minutes=st.sampled_from([0, 15]),
    appointment_late_minutes=st.sampled_from([0, 10]),
)


def _ticket(n: int, kind: str, line: str, slot: int, now: datetime) -> WaitingTicket:
    start = now + timedelta(minutes=slot) if kind == "appointment" else None
    return WaitingTicket(
        id=f"t{n}", number=f"A{n:03d}", line_id=line, seq=n, priority=kind,
        priority_reason="elderly" if kind == "green" else "",
        issued_at=now, queued_at=now, appointment_start=start,
        appointment_end=start + timedelta(minutes=30) if start else None,
    )


def simulate(policy: CallingPolicy, arrivals: list, gaps: list[int]):
    """Run the hall; return, per ticket, (calls made while it waited, queue length it met)."""
    clock = FrozenClock(T0)
    waiting: dict[str, WaitingTicket] = {}
    recent: list[str] = []
    waited_calls: dict[str, int] = {}
    met: dict[str, int] = {}
    called: list[str] = []
    steps = len(arrivals) + 4 * len(arrivals) + 10
    for step in range(steps):
        clock.advance(minutes=gaps[step % len(gaps)])
        if step < len(arrivals) and arrivals[step] is not None:
            t = _ticket(step, *arrivals[step], clock.now())
            waiting[t.id] = t
            waited_calls[t.id] = 0
            met[t.id] = len(waiting)
        decision = decide(waiting.values(), W, LINES, clock.now(), policy, recent)
        if decision is None:
            assert not waiting, "a ticket waits but the policy calls nobody"
            continue
        del waiting[decision.ticket_id]
        called.append(decision.ticket_id)
        recent.append(decision.kind)
        for tid in waiting:
            waited_calls[tid] += 1
    return waited_calls, met, called, waiting


@settings(max_examples=150, deadline=None)
@given(
    policy=policies,
    arrivals=st.lists(arrival, min_size=1, max_size=80),
    gaps=st.lists(st.integers(1, 12), min_size=1, max_size=5),
)
def test_every_waiting_ticket_is_called_and_none_is_skipped_for_ever(policy, arrivals, gaps):
    waited_calls, met, called, still_waiting = simulate(policy, arrivals, gaps)
    assert not still_waiting
    assert sorted(called) == sorted(waited_calls)
    assert len(set(called)) == len(called)
    queue_max = max(met.values(), default=0)
    rotation = max(policy.priority_per_normal, policy.max_wait_in_row) + 1
    for tid, calls in waited_calls.items():
        # Within its class a ticket is first come, first served, and the ratio rule and the
        # max-wait cap guarantee each class a call at least every `rotation` calls.
        assert calls <= 2 * rotation * (queue_max + 1), (tid, calls, queue_max)


@settings(max_examples=60, deadline=None)
@given(
    arrivals=st.lists(arrival, min_size=1, max_size=60),
    gaps=st.lists(st.integers(1, 12), min_size=1, max_size=5),
    max_wait=st.sampled_from([20, 45]),
)
def test_max_wait_alone_still_reaches_every_normal_ticket(arrivals, gaps, max_wait):
    policy = CallingPolicy(priority_per_normal=0, max_wait_minutes=max_wait, max_wait_in_row=1)
    _, _, called, still_waiting = simulate(policy, arrivals, gaps)
    assert not still_waiting
    assert len(set(called)) == len(called)


def test_a_flood_of_priority_tickets_does_not_starve_a_normal_one():
    policy = CallingPolicy(priority_per_normal=3, max_wait_minutes=0)
    arrivals = [("normal", "c:A", 0)] + [("green", "c:B", 0)] * 40
    waited_calls, _, called, _ = simulate(policy, arrivals, [1])
    assert called.index("t0") <= 4
    assert waited_calls["t0"] <= 3
