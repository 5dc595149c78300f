"""The slots a line offers on a day: the one place that decides it.

Today a day's slots are the line's slot plans for that weekday, on days the working-day
calendar says the centre works (holidays and ordinary weekends are closed; a 调休 working
Saturday uses the Saturday plans). Opening hours, when they exist, bound this function
and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, select

from clerk.calendar import WorkCalendar
from clerk.clock import LOCAL_TZ
from clerk.store.booking_tables import SlotPlan
from clerk.store.reference import CalendarDay


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime
    capacity: int


def calendar(session: Session) -> WorkCalendar:
    return WorkCalendar.from_rows(session.exec(select(CalendarDay)).all())


def closed_reason(session: Session, day: date) -> str:
    """Why the centre takes no bookings on ``day`` (e.g. "国庆节"), or "" when it is open."""
    info = calendar(session).is_working_day(day)
    return "" if info.working else (info.name or "休息日")


def day_slots(session: Session, line_id: str, day: date) -> list[Slot]:
    """The slots of ``line_id`` on ``day`` in time order; none on a closed day."""
    if closed_reason(session, day):
        return []
    plans = session.exec(
        select(SlotPlan).where(SlotPlan.line_id == line_id, SlotPlan.weekday == day.isoweekday())
    ).all()
    slots: list[Slot] = []
    for plan in plans:
        start = datetime.combine(day, plan.start, LOCAL_TZ)
        end_of_plan = datetime.combine(day, plan.end, LOCAL_TZ)
        step = timedelta(minutes=plan.slot_minutes)
        while start + step <= end_of_plan:
            slots.append(Slot(start, start + step, plan.capacity))
            start += step
    return sorted(slots, key=lambda s: s.start)
