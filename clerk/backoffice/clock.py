"""Stopping and restarting a case's clock: time that is not counted in its limit.

A special procedure (Art 45) and a 退回补正 (the applicant supplying materials after
acceptance) both stand the clock still; when it restarts, the promised and the statutory
due dates move by the working days it stood, and the case returns where it was.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from clerk.cases import load, states
from clerk.store.operations import Case


def pause(case: Case, today: date, back_to: str | None = None) -> None:
    """From ``today``; the case returns to ``back_to`` (default: where it stands now)."""
    case.suspended_from, case.suspended_on = back_to or case.status, today


def restart(session: Session, case: Case, today: date) -> str:
    """Move the due dates by the working days paused; the state the case paused from."""
    cal = load.calendar(session)
    paused = cal.working_days_between(case.suspended_on or today, today).days
    if case.due_date is not None:
        case.due_date = cal.add_working_days(case.due_date, paused).date
    if case.statutory_due is not None:
        case.statutory_due = cal.add_working_days(case.statutory_due, paused).date
    case.suspended_days += paused
    back = case.suspended_from or states.ACCEPTED
    case.suspended_from, case.suspended_on = "", None
    return back
