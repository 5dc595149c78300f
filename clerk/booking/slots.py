"""The slots a line offers on a day: the one place that decides it.

A day's slots are the line's slot plans for that weekday (a 调休 working Saturday or Sunday
uses Monday's, as the opening hours do), bounded by the centre's opening hours where it has
them — a slot must start within the hours or their 早晚弹性 hour, which is for booked
matters (clerk.hours) — and otherwise by the working-day calendar alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, select

from clerk.calendar import WorkCalendar
from clerk.clock import LOCAL_TZ
from clerk.hours.load import centre_hours
from clerk.hours.rules import CentreHours, hours_on, within_flexible_hours
from clerk.store.booking_tables import SlotPlan
from clerk.store.reference import CalendarDay, ServiceLine


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime
    capacity: int


def calendar(session: Session) -> WorkCalendar:
    return WorkCalendar.from_rows(session.exec(select(CalendarDay)).all())


def closed_reason(session: Session, day: date, line_id: str) -> str:
    """Why the line takes no bookings on ``day`` (e.g. "国庆节"), or "" when it is open."""
    info = calendar(session).is_working_day(day)
    hours, letter = _hours_of(session, line_id)
    if hours is not None:
        return "" if hours_on(day, hours, letter) is not None else (info.name or "休息日")
    return "" if info.working else (info.name or "休息日")


def _hours_of(session: Session, line_id: str) -> tuple[CentreHours | None, str | None]:
    line = session.get(ServiceLine, line_id)
    return (None, None) if line is None else (centre_hours(session, line.centre_code), line.letter)


def _plan_weekday(session: Session, day: date) -> int:
    weekday = day.isoweekday()
    if weekday >= 6 and calendar(session).is_working_day(day).working:
        return 1  # 调休: a weekend working day keeps Monday's timetable
    return weekday


def day_slots(session: Session, line_id: str, day: date) -> list[Slot]:
    """The slots of ``line_id`` on ``day`` in time order; none on a closed day."""
    if closed_reason(session, day, line_id):
        return []
    plans = session.exec(
        select(SlotPlan).where(SlotPlan.line_id == line_id, SlotPlan.weekday == _plan_weekday(session, day))
    ).all()
    hours, letter = _hours_of(session, line_id)
    slots: list[Slot] = []
    for plan in plans:
        start = datetime.combine(day, plan.start, LOCAL_TZ)
        end_of_plan = datetime.combine(day, plan.end, LOCAL_TZ)
        step = timedelta(minutes=plan.slot_minutes)
        while start + step <= end_of_plan:
            if hours is None or within_flexible_hours(start, hours, letter):
                slots.append(Slot(start, start + step, plan.capacity))
            start += step
    return sorted(slots, key=lambda s: s.start)
