"""One simulated working day of a hall, event by event, through ``Workbench.apply``.

Arrivals follow the usual two-peak curve of a county hall (morning and early afternoon);
each window serves its lines first come first served (绿色通道 first); a few visitors do not
come when called (requeued once, then 过号), a few are sent to another line, and handling
times vary by line. Nothing here writes a table directly: every change is a mutation, so
the report reads what a real day would leave.
"""

from __future__ import annotations

import heapq
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlmodel import select

from clerk.clock import LOCAL_TZ
from clerk.ids import new_id
from clerk.outbox import Workbench
from clerk.queue.rate_code import new_rate_code
from clerk.simulate import backoffice, cases, visits
from clerk.simulate.clock import SimClock
from clerk.simulate.office import Office
from clerk.store.reference import Staff, Window, WindowLine

# Relative arrivals per half hour from 08:30 (the curve of a county hall).
ARRIVAL_CURVE = (6, 10, 12, 11, 9, 7, 5, 4, 5, 8, 10, 10, 9, 7, 5, 3, 2, 1)
OPEN, LAST_TICKET = time(8, 30), time(17, 30)
BACK_OFFICE_MORNING, BACK_OFFICE_EVENING = time(8, 0), time(17, 45)
"""When the back office works the queue left by earlier days, and the day's own cases."""


@dataclass
class Hall:
    centre_code: str
    windows: dict[str, list[str]]
    """window id → the lines it serves."""
    staff: dict[str, str]
    """window id → the clerk who sits there."""
    supervisor: str
    lines: list[str]


@dataclass(frozen=True)
class DayPlan:
    tickets: int = 400
    appointment_share: float = 0.15
    green_share: float = 0.05
    no_show_share: float = 0.06
    transfer_share: float = 0.04
    mean_handling_min: float = 8.0
    case_share: float = 0.3
    """Of the visits served on ``case_lines``, those that take in a case (0: tickets only)."""
    case_lines: tuple[str, ...] = ("A", "B")
    """Line letters whose visits take in cases (综合受理, 市场准入); none of them in the hall: all lines."""
    rating_share: float = 0.5
    """Of the finished visits, those rated on the pad."""
    ledger_share: float = 0.03
    """Of the finished visits, those that leave a 首问负责 record or a 办不成事 complaint."""

    @property
    def after_visit(self) -> bool:
        """Whether anything beyond the tickets is simulated."""
        return bool(self.case_share or self.rating_share or self.ledger_share)


@dataclass
class _Waiting:
    at: datetime
    ticket_id: str
    line_id: str
    green: bool
    no_shows: int = 0


@dataclass
class _State:
    waiting: list[_Waiting] = field(default_factory=list)
    idle: set[str] = field(default_factory=set)
    issued: int = 0
    office: Office | None = None
    """The desks for what happens after a visitor sits down (None: tickets only)."""
    day: date | None = None
    any_case_line: bool = False
    """Whether the hall serves any of the plan's case lines (if not, every line takes cases)."""


def load_hall(bench: Workbench, centre_code: str) -> Hall:
    with bench.store.session() as s:
        lines_of: dict[str, list[str]] = {}
        for wl in s.exec(select(WindowLine)):
            lines_of.setdefault(wl.window_id, []).append(wl.line_id)
        windows = s.exec(select(Window).where(Window.centre_code == centre_code).order_by(Window.number)).all()
        staff = s.exec(select(Staff).where(Staff.centre_code == centre_code, Staff.active)).all()
    # The back office (reviewers, heads) works its queue, not a window.
    clerks = [p.id for p in staff if p.role in ("clerk", "chief")]
    supervisors = [p.id for p in staff if p.role == "supervisor"]
    if not clerks or not supervisors:
        raise ValueError(f"centre {centre_code} needs clerks and a supervisor to simulate")
    seated = [w for w in windows if lines_of.get(w.id)][: len(clerks)]
    return Hall(centre_code, {w.id: sorted(lines_of[w.id]) for w in seated},
                {w.id: clerks[i] for i, w in enumerate(seated)}, supervisors[0],
                sorted({x for w in seated for x in lines_of[w.id]}))


def _arrivals(day: date, plan: DayPlan, rng: random.Random) -> list[datetime]:
    start = datetime.combine(day, OPEN, LOCAL_TZ)
    total = sum(ARRIVAL_CURVE)
    out = []
    for slot, weight in enumerate(ARRIVAL_CURVE):
        for _ in range(round(plan.tickets * weight / total)):
            out.append(start + timedelta(minutes=30 * slot, seconds=rng.randrange(1800)))
    return sorted(out)


def simulate_day(bench: Workbench, clock: SimClock, hall: Hall, day: date, plan: DayPlan, rng: random.Random,
                 office: Office | None = None) -> int:
    """Run one day; returns the number of tickets issued. With ``office`` (and a plan that
    asks for it), the visits also take in cases, rate and leave ledger entries, and the back
    office works before the doors open and after they close."""
    events: list[tuple[datetime, int, str, str]] = []
    counter = 0

    def push(at: datetime, kind: str, what: str) -> None:
        nonlocal counter
        counter += 1
        heapq.heappush(events, (at, counter, kind, what))

    state = _State(office=office if plan.after_visit else None, day=day,
                   any_case_line=any(_letter(x) in plan.case_lines for x in hall.lines))
    seats = {}
    _back_office(state, rng, datetime.combine(day, BACK_OFFICE_MORNING, LOCAL_TZ))
    clock.at = datetime.combine(day, time(8, 20), LOCAL_TZ)
    for window_id, staff_id in hall.staff.items():
        seats[window_id] = new_id()
        bench.apply("seat.take", {"id": seats[window_id], "staff_id": staff_id, "window_id": window_id}, staff_id)
        state.idle.add(window_id)
    for at in _arrivals(day, plan, rng):
        push(at, "arrive", "")
    while events:
        at, _n, kind, what = heapq.heappop(events)
        clock.at = at
        if kind == "arrive":
            _issue(bench, hall, state, plan, rng, at)
        elif kind == "free":
            state.idle.add(what)
        for window_id in sorted(state.idle):
            clock.at = at  # each window acts at the event's time
            _serve_next(bench, hall, state, plan, rng, window_id, push)
    clock.at = clock.at + timedelta(minutes=5)
    for window_id, staff_id in hall.staff.items():
        bench.apply("seat.leave", {"id": seats[window_id]}, staff_id)
    _back_office(state, rng, max(clock.at, datetime.combine(day, BACK_OFFICE_EVENING, LOCAL_TZ)))
    return state.issued


def _back_office(state: _State, rng: random.Random, at: datetime) -> None:
    if state.office is None or state.day is None:
        return
    state.office.cases.clock.at = at
    backoffice.work(state.office, rng, state.day)
    visits.follow_through(state.office, rng, state.day)


def _issue(bench: Workbench, hall: Hall, state: _State, plan: DayPlan, rng: random.Random, at: datetime) -> None:
    line_id = rng.choice(hall.lines)
    ticket_id = new_id()
    args: dict = {"id": ticket_id, "line_id": line_id, "band": 1, "rate_code": new_rate_code()}
    green = rng.random() < plan.green_share
    if green:
        args["priority_reason"] = rng.choice(["elderly", "disabled", "pregnant", "military"])
    elif rng.random() < plan.appointment_share:
        slot = at.replace(minute=(at.minute // 30) * 30, second=0, microsecond=0)
        args |= {"source": "appointment", "appointment_code": new_id()[-8:],
                 "appointment_start": slot.isoformat(), "appointment_end": (slot + timedelta(minutes=30)).isoformat()}
    bench.apply("ticket.issue", args)
    state.waiting.append(_Waiting(at, ticket_id, line_id, green))
    state.issued += 1


def _serve_next(bench, hall, state, plan, rng, window_id, push) -> None:
    lines = hall.windows[window_id]
    now = bench.clock.now()
    mine = [w for w in state.waiting if w.line_id in lines and w.at <= now]
    if not mine:
        return
    pick = min(mine, key=lambda w: (not w.green, w.at))
    state.waiting.remove(pick)
    state.idle.discard(window_id)
    staff_id = hall.staff[window_id]
    at_window = {"ticket_id": pick.ticket_id, "window_id": window_id}
    bench.apply("ticket.call", at_window, staff_id)
    roll = rng.random()
    if roll < plan.no_show_share:
        bench.clock.at = now + timedelta(seconds=90)
        bench.apply("ticket.no_show", at_window, staff_id)
        pick.no_shows += 1
        if pick.no_shows == 1:
            pick.at = bench.clock.at
            state.waiting.append(pick)
            push(pick.at, "ready", "")
        push(bench.clock.at, "free", window_id)
        return
    bench.clock.at = now + timedelta(seconds=rng.randrange(20, 60))
    bench.apply("ticket.start", at_window, staff_id)
    started = bench.clock.at
    minutes = max(1.0, rng.lognormvariate(0, 0.5) * plan.mean_handling_min)
    bench.clock.at = bench.clock.at + timedelta(seconds=int(minutes * 60))
    others = [x for x in hall.lines if x != pick.line_id]
    if others and roll < plan.no_show_share + plan.transfer_share:
        to_line = rng.choice(others)
        bench.apply("ticket.transfer", at_window | {"to_line_id": to_line, "reason": "需到其他业务窗口办理"}, staff_id)
        state.waiting.append(_Waiting(bench.clock.at, pick.ticket_id, to_line, pick.green, pick.no_shows))
        push(bench.clock.at, "ready", "")
    else:
        finish_at = bench.clock.at
        bench.clock.at = started + timedelta(seconds=30)
        _during_visit(state, plan, rng, staff_id, window_id, pick)
        bench.clock.at = max(finish_at, bench.clock.at)
        bench.apply("ticket.finish", at_window, staff_id)
        _after_visit(state, plan, rng, staff_id, window_id, pick.ticket_id)
    push(bench.clock.at, "free", window_id)


def _during_visit(state: _State, plan: DayPlan, rng: random.Random, staff_id: str, window_id: str,
                  pick: _Waiting) -> None:
    office = state.office
    if office is None or state.day is None or not office.items or not plan.case_share:
        return
    on_case_line = _letter(pick.line_id) in plan.case_lines or not state.any_case_line
    if on_case_line and rng.random() < plan.case_share:
        cases.take_in(office, rng, staff_id, window_id, pick.ticket_id, state.day)


def _after_visit(state: _State, plan: DayPlan, rng: random.Random, staff_id: str, window_id: str,
                 ticket_id: str) -> None:
    if state.office is not None and state.day is not None:
        visits.after_service(state.office, rng, plan.rating_share, plan.ledger_share, staff_id, window_id,
                             ticket_id, state.day)


def _letter(line_id: str) -> str:
    return line_id.rsplit(":", 1)[-1]
