"""Open cases of the centre whose next deadline is near or past, for the live floor.

The deadlines are the case desk's (``clerk.cases``): 一次性告知 within its days of receipt,
the 补正 deadline, the date owed materials are due, the promised completion date. The
calendar is read once per refresh, not once per case.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from clerk.calendar import WorkCalendar
from clerk.cases import rules, states
from clerk.floor.view import FloorCase
from clerk.store.operations import Case
from clerk.store.reference import CalendarDay, ServiceItem, Staff

NEAR_DAYS = 1
"""Working days left at which a deadline counts as near (the case desk's default)."""


def next_deadline(cal: WorkCalendar, case: Case) -> tuple[date | None, str]:
    if case.status == states.RECEIVED and case.received_on:
        return rules.notify_by(cal, case.received_on), "一次性告知期限"
    if case.status == states.SUPPLEMENT:
        return case.supplement_due, "补正期限"
    if case.status in (states.DEFERRED, states.COMMITTED) and case.owed_due:
        return case.owed_due, "容缺材料补齐期限"
    if case.due_date:
        return case.due_date, "承诺办结期限"
    return None, ""


def at_limit(session: Session, centre: str, today: date) -> list[FloorCase]:
    """Past first, then near, each by deadline."""
    cal = WorkCalendar.from_rows(session.execute(select(CalendarDay)).scalars().all())
    found = session.execute(
        select(Case, ServiceItem.name, Staff.name)
        .outerjoin(ServiceItem, ServiceItem.code == Case.item_code)
        .outerjoin(Staff, Staff.id == Case.handler_id)
        .where(Case.centre_code == centre, Case.status.in_(states.OPEN | states.BACK_OFFICE))
    ).all()
    out = []
    for case, item, handler in found:
        deadline, label = next_deadline(cal, case)
        if deadline is None:
            continue
        if deadline < today:
            urgency = "past"
        elif cal.working_days_between(today, deadline).days <= NEAR_DAYS:
            urgency = "near"
        else:
            continue
        out.append(FloorCase(case.id, item or case.item_code, handler or "", states.LABELS.get(case.status, case.status),
                             deadline.isoformat(), label, urgency))
    return sorted(out, key=lambda c: (c.urgency != "past", c.deadline))
