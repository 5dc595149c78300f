"""Deadlines in working days, counted on the calendar the store holds (PRODUCT.md §9)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from clerk.calendar import DueDate, WorkCalendar
from clerk.ledgers import settings
from clerk.store.reference import CalendarDay


def calendar(session: Session) -> WorkCalendar:
    """The working-day calendar of this store: the package, then the handed-down table."""
    rows = session.exec(select(CalendarDay)).all()
    return WorkCalendar.from_rows(rows, fallback=settings.calendar_fallback())  # type: ignore[arg-type]


def due(session: Session, start: date, days: int) -> DueDate:
    """``days`` working days after ``start`` (the starting day not counted)."""
    return calendar(session).add_working_days(start, days)


def is_overdue(due_date: date | None, today: date, open_: bool) -> bool:
    """Past its limit and still open: the day after the due date it is late."""
    return open_ and due_date is not None and today > due_date
