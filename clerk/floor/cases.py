"""Open cases of the centre whose next deadline is near or past, for the live floor.

The deadlines are the case desk's (``clerk.cases``): 一次性告知 within its days of receipt,
the 补正 deadline, the date owed materials are due, the promised completion date. The
calendar is read once per refresh, not once per case. A hall keeps tens of thousands of
cases open and, on a bad day, thousands past their date: the floor counts them all but
reads and lists only the SHOWN most pressing.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import case as sa_case
from sqlalchemy import func, or_, select
from sqlmodel import Session

from clerk.calendar import WorkCalendar
from clerk.cases import states
from clerk.cases.rules import next_deadline
from clerk.floor.view import FloorCase
from clerk.store.operations import Case
from clerk.store.reference import CalendarDay, ServiceItem, Staff

NEAR_DAYS = 1
"""Working days left at which a deadline counts as near (the case desk's default)."""


def near_until(cal: WorkCalendar, today: date) -> date:
    """The first day not near: up to the day before it at most NEAR_DAYS working days are left."""
    # working_days_between(today, d) grows with d and reaches NEAR_DAYS + 1 on this day.
    return cal.add_working_days(today, NEAR_DAYS + 1).date


SHOWN = 50
"""The floor lists this many of the most pressing; the totals say how many there are."""

# What next_deadline and a FloorCase read: plain columns load many times faster than cases.
_COLUMNS = (Case.id, Case.item_code, Case.status, Case.received_on, Case.supplement_due, Case.owed_due,
            Case.due_date)
# Whose deadline is not the promised completion date (next_deadline); usually few.
_OWN_DEADLINE = (states.RECEIVED, states.SUPPLEMENT, states.DEFERRED, states.COMMITTED, states.RETURNED)
_BY_DUE = sorted((states.OPEN | states.BACK_OFFICE) - set(_OWN_DEADLINE))


def _read(*conditions):
    return (select(*_COLUMNS, ServiceItem.name.label("item_name"), Staff.name.label("handler_name"))
            .outerjoin(ServiceItem, ServiceItem.code == Case.item_code)
            .outerjoin(Staff, Staff.id == Case.handler_id)
            .where(*conditions))


def _floor_case(row, deadline: date, label: str, today: date) -> FloorCase:
    return FloorCase(row.id, row.item_name or row.item_code, row.handler_name or "",
                     states.LABELS.get(row.status, row.status), deadline.isoformat(), label,
                     "past" if deadline < today else "near")


def _waiting(session: Session, cal: WorkCalendar, centre: str, today: date, until: date) -> list[FloorCase]:
    """The cases in a waiting state whose deadline is before ``until`` (next_deadline decides)."""
    found = session.execute(_read(
        Case.centre_code == centre, Case.status.in_(_OWN_DEADLINE),
        or_(Case.status.in_(states.INTAKE), Case.owed_due < until, Case.due_date < until))).all()
    out = []
    for row in found:
        deadline, label = next_deadline(cal, row)
        if deadline is not None and deadline < until:
            out.append(_floor_case(row, deadline, label, today))
    return out


def _promised(session: Session, centre: str, today: date, until: date) -> tuple[list[FloorCase], int, int]:
    """The others, by their promised date: the first SHOWN (earliest is most pressing), and
    how many are past and near, counted by the (centre, status, due_date) index."""
    where = (Case.centre_code == centre, Case.status.in_(_BY_DUE), Case.due_date < until)
    past, total = session.execute(
        select(func.count(sa_case((Case.due_date < today, 1))), func.count()).where(*where)).one()
    # The first SHOWN are chosen inside the index (it holds the id), then only those are read.
    first = select(Case.id).where(*where).order_by(Case.due_date, Case.id).limit(SHOWN)
    found = session.execute(_read(Case.id.in_(first)).order_by(Case.due_date, Case.id)).all()
    return [_floor_case(row, row.due_date, "承诺办结期限", today) for row in found], past, total - past


def at_limit(session: Session, centre: str, today: date) -> tuple[list[FloorCase], int, int]:
    """The SHOWN most pressing (past first, then near, each by deadline), and how many are
    past and near in all."""
    cal = WorkCalendar.from_rows(session.execute(select(CalendarDay)).scalars().all())
    until = near_until(cal, today)
    waiting = _waiting(session, cal, centre, today, until)
    promised, past, near = _promised(session, centre, today, until)
    past += sum(c.urgency == "past" for c in waiting)
    near += sum(c.urgency == "near" for c in waiting)
    shown = sorted(waiting + promised, key=lambda c: (c.urgency != "past", c.deadline, c.case_id))[:SHOWN]
    return shown, past, near
