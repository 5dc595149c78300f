"""A centre's hours from the store: the rows reference data installed, and the calendar."""

from __future__ import annotations

from datetime import time

from sqlalchemy import select
from sqlmodel import Session

from clerk.calendar import WorkCalendar
from clerk.hours.rules import CentreHours, HoursRule, Interval
from clerk.store.reference import CalendarDay, OpeningHours


def parse_hhmm(hhmm: str) -> time:
    hours, minutes = hhmm.split(":")
    return time(int(hours), int(minutes))


def to_rule(row: OpeningHours) -> HoursRule:
    lunch = Interval(parse_hhmm(row.lunch_from), parse_hhmm(row.lunch_to)) if row.lunch_from else None
    return HoursRule(
        frozenset(row.days), parse_hhmm(row.opens), parse_hhmm(row.closes), lunch,
        frozenset(row.lunch_windows), frozenset(row.lines),
    )


def centre_hours(session: Session, centre_code: str) -> CentreHours | None:
    """The centre's hours, or None when it has none (then nothing is limited by hours)."""
    rows = session.execute(
        select(OpeningHours).where(OpeningHours.centre_code == centre_code).order_by(OpeningHours.id)
    ).scalars().all()
    if not rows:
        return None
    calendar = WorkCalendar.from_rows(session.execute(select(CalendarDay)).scalars().all())
    return CentreHours(tuple(to_rule(r) for r in rows), calendar)
