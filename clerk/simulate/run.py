"""Simulate the N working days before today on a store."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func
from sqlmodel import col, select

from clerk.calendar import WorkCalendar
from clerk.outbox import Workbench
from clerk.simulate.clock import SimClock
from clerk.simulate.hall import DayPlan, load_hall, simulate_day
from clerk.simulate.office import DEMO_PASSWORD, load_office
from clerk.store.engine import Store
from clerk.store.operations import Case


@dataclass(frozen=True)
class Simulated:
    days: list[date]
    tickets: int
    cases: int = 0
    """Cases taken in on those days."""


def working_days_before(today: date, n: int, work_calendar: WorkCalendar) -> list[date]:
    days, d = [], today
    while len(days) < n:
        d -= timedelta(days=1)
        if work_calendar.is_working_day(d).working:
            days.append(d)
    return sorted(days)


def simulate(store: Store, centre_code: str, days: list[date], plan: DayPlan | None = None, seed: int = 1,
             password: str = DEMO_PASSWORD) -> Simulated:
    """Fill ``store`` with ``days`` of the centre's hall through the real mutations.

    ``password`` unlocks the chief representatives' signing keys (their sign-offs are signed
    as at a counter); a chief it does not unlock signs nothing."""
    plan = plan or DayPlan()
    clock = SimClock(datetime.now(UTC))
    bench = Workbench(store, clock)
    hall = load_hall(bench, centre_code)
    office = None
    if plan.after_visit:
        office = load_office(bench, centre_code, sorted(set(hall.staff.values())), hall.supervisor, password)
    rng = random.Random(seed)
    total = sum(simulate_day(bench, clock, hall, day, plan, rng, office) for day in days)
    return Simulated(days, total, _cases_received(store, centre_code, days))


def _cases_received(store: Store, centre_code: str, days: list[date]) -> int:
    with store.session() as s:
        return s.exec(select(func.count()).select_from(Case).where(
            Case.centre_code == centre_code, col(Case.received_on).in_(days))).one()
