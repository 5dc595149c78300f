"""Open cases of the centre whose next deadline is near or past, for the live floor.

The deadlines are the case desk's (``clerk.cases``): 一次性告知 within its days of receipt,
the 补正 deadline, the date owed materials are due, the promised completion date. The
calendar is read once per refresh, not once per case, and only the cases whose deadline
can fall before the end of "near" are read (a hall keeps a hundred thousand open cases).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select
from sqlmodel import Session

from clerk.calendar import WorkCalendar
from clerk.cases import rules, states
from clerk.floor.view import FloorCase
from clerk.store.operations import Case
from clerk.store.reference import CalendarDay, ServiceItem, Staff

NEAR_DAYS = 1
"""Working days left at which a deadline counts as near (the case desk's default)."""


def next_deadline(cal: WorkCalendar, case) -> tuple[date | None, str]:
    """``case``: a Case or a row with its status and date columns."""
    if case.status == states.RECEIVED and case.received_on:
        return rules.notify_by(cal, case.received_on), "一次性告知期限"
    if case.status == states.SUPPLEMENT:
        return case.supplement_due, "补正期限"
    if case.status in (states.DEFERRED, states.COMMITTED) and case.owed_due:
        return case.owed_due, "容缺材料补齐期限"
    if case.due_date:
        return case.due_date, "承诺办结期限"
    return None, ""


def near_until(cal: WorkCalendar, today: date) -> date:
    """The first day not near: up to the day before it at most NEAR_DAYS working days are left."""
    # working_days_between(today, d) grows with d and reaches NEAR_DAYS + 1 on this day.
    return cal.add_working_days(today, NEAR_DAYS + 1).date


# What next_deadline and a FloorCase read: plain columns load many times faster than cases.
_COLUMNS = (Case.id, Case.item_code, Case.status, Case.received_on, Case.supplement_due, Case.owed_due,
            Case.due_date)
# Whose deadline is not the promised completion date (next_deadline); usually few.
_OWN_DEADLINE = (states.RECEIVED, states.SUPPLEMENT, states.DEFERRED, states.COMMITTED)


def _candidates(session: Session, centre: str, until: date) -> list:
    """Every open case whose next deadline may be before ``until``; next_deadline decides.

    Two reads so each uses an index: the cases in a waiting state (by status), and the
    others by their promised date (centre, status, due_date).
    """
    base = (select(*_COLUMNS, ServiceItem.name.label("item_name"), Staff.name.label("handler_name"))
            .outerjoin(ServiceItem, ServiceItem.code == Case.item_code)
            .outerjoin(Staff, Staff.id == Case.handler_id)
            .where(Case.centre_code == centre))
    by_due = sorted((states.OPEN | states.BACK_OFFICE) - set(_OWN_DEADLINE))
    waiting = base.where(Case.status.in_(_OWN_DEADLINE),
                         or_(Case.status.in_(states.INTAKE), Case.owed_due < until, Case.due_date < until))
    return [*session.execute(waiting).all(),
            *session.execute(base.where(Case.status.in_(by_due), Case.due_date < until)).all()]


def at_limit(session: Session, centre: str, today: date) -> list[FloorCase]:
    """Past first, then near, each by deadline."""
    cal = WorkCalendar.from_rows(session.execute(select(CalendarDay)).scalars().all())
    until = near_until(cal, today)
    out = []
    for case in _candidates(session, centre, until):
        deadline, label = next_deadline(cal, case)
        if deadline is None or deadline >= until:
            continue
        urgency = "past" if deadline < today else "near"
        out.append(FloorCase(case.id, case.item_name or case.item_code, case.handler_name or "", states.LABELS.get(case.status, case.status),
                             deadline.isoformat(), label, urgency))
    return sorted(out, key=lambda c: (c.urgency != "past", c.deadline, c.case_id))
