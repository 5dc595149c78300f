"""Who sees which ledger records: a clerk their own, a chief representative their
department's, a supervisor the centre's (PRODUCT.md §10; the steps check the same rule)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, false, or_
from sqlmodel import col

from clerk.store.ledger_tables import LedgerEntry, Rating
from clerk.store.reference import Staff


def entries_of(staff: Staff) -> ColumnElement[bool]:
    """The WHERE clause of the entries ``staff`` may see."""
    mine = or_(col(LedgerEntry.owner_id) == staff.id, col(LedgerEntry.assignee_id) == staff.id,
               col(LedgerEntry.registered_by) == staff.id)
    centre = col(LedgerEntry.centre_code) == staff.centre_code
    if staff.role == "supervisor":
        return centre
    if staff.role == "chief" and staff.department_code:
        return and_(centre, or_(mine, col(LedgerEntry.department_code) == staff.department_code))
    return and_(centre, mine)


def ratings_of(staff: Staff) -> ColumnElement[bool]:
    """The ratings ``staff`` may see: their own, their department's, or the centre's."""
    centre = col(Rating.centre_code) == staff.centre_code
    if staff.role == "supervisor":
        return centre
    if staff.role == "chief" and staff.department_code:
        return and_(centre, or_(col(Rating.rated_staff_id) == staff.id,
                                col(Rating.department_code) == staff.department_code))
    return and_(centre, col(Rating.rated_staff_id) == staff.id) if staff.id else false()


def sees_rater(staff: Staff) -> bool:
    """The rater's identity is kept from whoever is rated: only supervisors see it."""
    return staff.role == "supervisor"
