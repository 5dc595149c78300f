"""The calling policy: given the waiting tickets, the window and the clock, which ticket and why.

Pure functions over plain frozen dataclasses; nothing here touches a database or a clock.

Order of the rules (first that applies wins):

1. a ticket transferred to this very window (the visitor was sent here by name);
2. the maximum-wait override: the normal ticket waiting longest, once it has waited more
   than ``max_wait_minutes`` — but at most ``max_wait_in_row`` such calls in a row while
   priority tickets wait, so the override cannot starve the priority classes in turn;
3. the ratio rule: after ``priority_per_normal`` priority calls in a row, one normal
   ticket if any waits;
4. priority tickets (绿色通道 and appointments inside their slot) first come, first served;
5. normal tickets by the time they joined the queue.

Appointments checked in later than their slot's end plus the late tolerance fall back to
the normal queue by their check-in time; appointments checked in early wait in the normal
queue until their slot opens (less the early tolerance), then become priority.
Green tickets and due appointments share one first-come queue, so neither class can keep
the other waiting for ever.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from statistics import median
from typing import Literal

from clerk.clock import local_time

# Codes stored in Ticket.priority_reason; the label is what a supervisor reads.
GREEN_REASONS = {
    "elderly": "老年人",
    "disabled": "残疾人",
    "pregnant": "孕妇",
    "military": "军人·退役军人",
}

EndOfDayRule = Literal["serve_today", "cancel", "carry_over"]


class CallKind(StrEnum):
    """What a call counted as, recorded with it: the ratio and cap rules count these."""

    PRIORITY = "priority"
    NORMAL = "normal"
    OVERDUE = "overdue"
    DIRECTED = "directed"
    SPECIFIC = "specific"


@dataclass(frozen=True)
class CallingPolicy:
    """Per-centre settings of queue calling; defaults suit a county hall."""

    priority_per_normal: int = 3
    """Ratio rule: after this many priority calls in a row, one normal ticket (0 = off)."""
    max_wait_minutes: int = 45
    """A normal ticket waiting longer than this goes first (0 = off)."""
    max_wait_in_row: int = 2
    """Cap: at most this many max-wait calls in a row while priority tickets wait."""
    appointment_early_minutes: int = 15
    """An appointment becomes due this long before its slot starts."""
    appointment_late_minutes: int = 10
    """Check-in up to this long after the slot ends still counts as on time."""
    recall_limit: int = 2
    """How many times a called ticket may be called again."""
    recall_min_gap_seconds: int = 30
    """Minimum time between two calls of the same ticket."""
    no_show_requeue_limit: int = 1
    """No-shows that put the ticket back in the queue; the next one is 过号."""
    end_of_day: EndOfDayRule = "serve_today"
    """Tickets left at closing: serve them all today (延时服务, 当日号当日办结: the day closes
    once none is left), cancel them (with a record) or carry them to the next day."""
    default_handling_minutes: float = 10.0
    """Handling time assumed for a wait estimate before a line has any history."""
    handling_sample_size: int = 20
    """How many recent finished tickets the median handling time is taken over."""
    closes_at: str = "17:00"
    """Local closing time (HH:MM) of a centre without opening hours in its reference data
    (clerk.hours gives it otherwise): 日终清号 before it needs a second, explicit step."""
    handling_min_samples: int = 5
    """Fewer finished tickets than this are not trusted alone: the default handling time
    fills the missing samples (one quick ticket must not make 14 waiting look like a minute)."""

    def __post_init__(self) -> None:
        for name in (
            "priority_per_normal",
            "max_wait_minutes",
            "max_wait_in_row",
            "appointment_early_minutes",
            "appointment_late_minutes",
            "recall_limit",
            "recall_min_gap_seconds",
            "no_show_requeue_limit",
        ):
            if getattr(self, name) < 0:
                raise ValueError(f"CallingPolicy.{name} must not be negative")
        if self.max_wait_minutes and self.max_wait_in_row < 1:
            raise ValueError("CallingPolicy.max_wait_in_row must be at least 1 when max wait is on")
        if self.handling_sample_size < 1 or self.default_handling_minutes <= 0 or self.handling_min_samples < 0:
            raise ValueError("CallingPolicy handling estimate settings must be positive")
        if not _is_hhmm(self.closes_at):
            raise ValueError("CallingPolicy.closes_at must be HH:MM")
        if self.end_of_day not in ("serve_today", "cancel", "carry_over"):
            raise ValueError("CallingPolicy.end_of_day must be 'serve_today', 'cancel' or 'carry_over'")


def _is_hhmm(text: str) -> bool:
    hours, _, minutes = text.partition(":")
    return hours.isdigit() and minutes.isdigit() and int(hours) < 24 and int(minutes) < 60 and len(minutes) == 2


def closing_time(policy: CallingPolicy) -> time:
    hours, minutes = policy.closes_at.split(":")
    return time(int(hours), int(minutes))


@dataclass(frozen=True)
class WaitingTicket:
    """A waiting ticket as the policy sees it."""

    id: str
    number: str
    line_id: str
    seq: int
    priority: str  # normal / green / appointment
    issued_at: datetime
    queued_at: datetime
    """When it joined the queue: issue (or check-in) time, or when a no-show put it back."""
    priority_reason: str = ""
    appointment_start: datetime | None = None
    appointment_end: datetime | None = None
    target_window_id: str | None = None
    """Set when the ticket was transferred to one window: only that window may call it."""


@dataclass(frozen=True)
class CallDecision:
    ticket_id: str
    reason: str
    """One line a supervisor can read, stored with the call."""
    kind: CallKind


class _Class(StrEnum):
    PRIORITY = "priority"
    NORMAL = "normal"


def appointment_due_at(t: WaitingTicket, policy: CallingPolicy) -> datetime | None:
    """When an on-time appointment becomes priority; None if not an on-time appointment."""
    if t.priority != "appointment" or t.appointment_start is None:
        return None
    end = t.appointment_end or t.appointment_start
    if t.issued_at > end + timedelta(minutes=policy.appointment_late_minutes):
        return None  # checked in late: normal queue by check-in time
    return t.appointment_start - timedelta(minutes=policy.appointment_early_minutes)


def _class_of(t: WaitingTicket, now: datetime, policy: CallingPolicy) -> _Class:
    if t.priority == "green":
        return _Class.PRIORITY
    due = appointment_due_at(t, policy)
    if due is not None and now >= due:
        return _Class.PRIORITY
    return _Class.NORMAL


def ticket_kind(t: WaitingTicket, now: datetime, policy: CallingPolicy) -> CallKind:
    """Priority or normal, for a ticket called by hand (it still counts for the ratio rule)."""
    return CallKind(_class_of(t, now, policy).value)


def _priority_key(t: WaitingTicket, policy: CallingPolicy) -> tuple:
    due = appointment_due_at(t, policy)
    joined = max(t.queued_at, due) if due is not None else t.queued_at
    return (joined, t.queued_at, t.seq, t.id)


def _normal_key(t: WaitingTicket) -> tuple:
    return (t.queued_at, t.seq, t.id)


def streak(recent: Sequence[str], kinds: Iterable[str]) -> int:
    """How many of the most recent calls (last item newest) were of ``kinds`` in a row.

    Directed and hand-picked calls are transparent: they neither count nor break a streak.
    """
    wanted = set(kinds)
    count = 0
    for kind in reversed(recent):
        if kind in (CallKind.DIRECTED, CallKind.SPECIFIC):
            continue
        if kind not in wanted:
            break
        count += 1
    return count


def eligible(tickets: Iterable[WaitingTicket], window_id: str, line_ids: Iterable[str]) -> list[WaitingTicket]:
    """Tickets this window may call: its lines' open tickets and those sent to it by name."""
    lines = set(line_ids)
    return [
        t
        for t in tickets
        if t.target_window_id == window_id or (t.target_window_id is None and t.line_id in lines)
    ]


def decide(
    tickets: Iterable[WaitingTicket],
    window_id: str,
    line_ids: Iterable[str],
    now: datetime,
    policy: CallingPolicy,
    recent: Sequence[str] = (),
) -> CallDecision | None:
    """The ticket ``window_id`` should call next and why, or None if nobody waits for it.

    ``recent`` is what this window called lately, oldest first, as CallKind values.
    """
    pool = eligible(tickets, window_id, line_ids)
    if not pool:
        return None
    directed = [t for t in pool if t.target_window_id == window_id]
    if directed:
        return CallDecision(min(directed, key=_normal_key).id, "转至本窗口", CallKind.DIRECTED)
    priority, normal = _split(pool, now, policy)
    overdue = _overdue(normal, now, policy)
    if overdue and (not priority or streak(recent, [CallKind.OVERDUE]) < policy.max_wait_in_row):
        return CallDecision(overdue.id, f"等待超过 {policy.max_wait_minutes} 分钟", CallKind.OVERDUE)
    n = policy.priority_per_normal
    if priority and normal and n and streak(recent, [CallKind.PRIORITY]) >= n:
        return CallDecision(normal[0].id, f"优先与普通按 {n}:1 轮换", CallKind.NORMAL)
    if priority:
        return CallDecision(priority[0].id, priority_reason_text(priority[0], policy), CallKind.PRIORITY)
    return CallDecision(normal[0].id, "按取号顺序", CallKind.NORMAL)


def calling_order(
    tickets: Iterable[WaitingTicket],
    window_id: str,
    line_ids: Iterable[str],
    now: datetime,
    policy: CallingPolicy,
    recent: Sequence[str] = (),
    limit: int = 12,
) -> list[CallDecision]:
    """The first ``limit`` calls ``window_id`` would make now if nobody else joined or called:
    :func:`decide` again and again, each pick counted in the recent calls. The waiting list
    shows this, so it is the order the policy will call (a requeued ticket included)."""
    left = eligible(tickets, window_id, line_ids)
    lines = list(line_ids)
    history = list(recent)
    order: list[CallDecision] = []
    while left and len(order) < limit:
        pick = decide(left, window_id, lines, now, policy, history)
        if pick is None:
            break
        order.append(pick)
        history.append(pick.kind)
        left = [t for t in left if t.id != pick.ticket_id]
    return order


def _split(
    pool: list[WaitingTicket], now: datetime, policy: CallingPolicy
) -> tuple[list[WaitingTicket], list[WaitingTicket]]:
    """Priority tickets in first-come order, and normal tickets in queue order."""
    priority: list[WaitingTicket] = []
    normal: list[WaitingTicket] = []
    for t in pool:
        (priority if _class_of(t, now, policy) is _Class.PRIORITY else normal).append(t)
    priority.sort(key=lambda t: _priority_key(t, policy))
    normal.sort(key=_normal_key)
    return priority, normal


def _overdue(normal: list[WaitingTicket], now: datetime, policy: CallingPolicy) -> WaitingTicket | None:
    if not normal or not policy.max_wait_minutes:
        return None
    head = normal[0]  # normal is sorted by queue time, so the head has waited longest
    if now - head.queued_at > timedelta(minutes=policy.max_wait_minutes):
        return head
    return None


def priority_reason_text(t: WaitingTicket, policy: CallingPolicy) -> str:
    """"绿色通道优先（老年人）" or "预约 09:30–10:00"."""
    if t.priority == "green":
        label = GREEN_REASONS.get(t.priority_reason)
        return f"绿色通道优先（{label}）" if label else "绿色通道优先"
    return appointment_text(t.appointment_start, t.appointment_end)


def appointment_text(start: datetime | None, end: datetime | None) -> str:
    if start is None:
        return "预约"
    begin = local_time(start).strftime("%H:%M")
    if end is None:
        return f"预约 {begin}"
    return f"预约 {begin}–{local_time(end).strftime('%H:%M')}"


def estimate_wait(
    people_ahead: int,
    handling_times: Sequence[timedelta],
    serving_windows: int,
    policy: CallingPolicy,
) -> timedelta | None:
    """People ahead × handling time per person ÷ windows serving the line.

    The one estimate every screen shows (kiosk, board, calling and 潮汐 screens, the slip).
    None when no open window serves the line: no honest estimate exists then.
    """
    if serving_windows <= 0:
        return None
    if people_ahead <= 0:
        return timedelta(0)
    return per_person(handling_times, policy) * people_ahead / serving_windows


def per_person(handling_times: Sequence[timedelta], policy: CallingPolicy) -> timedelta:
    """Median of the recent handling times; with fewer than ``handling_min_samples`` of them,
    the missing ones count as the default handling time (so a single short sample moves
    the estimate a little, not all the way)."""
    recent = list(handling_times)[-policy.handling_sample_size :]
    missing = policy.handling_min_samples - len(recent)
    if missing > 0:
        recent += [timedelta(minutes=policy.default_handling_minutes)] * missing
    return median(recent) if recent else timedelta(minutes=policy.default_handling_minutes)


def describe_wait(estimate: timedelta | None) -> str:
    """The estimate as the kiosk and the board show it."""
    if estimate is None:
        return "暂无窗口办理"
    minutes = round(estimate.total_seconds() / 60)
    if minutes < 1:
        return "无需等待"
    return f"约 {minutes} 分钟"
