"""Whose counters pull a row: 县事乡办 (002) joins a township to its county.

A township takes in county items; the county's departments review and decide them and the
result goes back to the township's 出件 window. So:

* every row a township's counter writes also reaches its county's counters (a township is
  small: its tickets, cases and papers are what the county back office needs to see them,
  with every row they refer to);
* the rows a county counter writes about a township's case (the review, the decision, its
  paper) also reach the township's counters;
* a county's reference rows (its staff, windows) also reach its townships, so a decision
  signed by a county reviewer can be stored there.

Everything else stays with its own centre's counters, as before.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session, select

from clerk.central.changes import CentreOf, Entry
from clerk.store.operations import Case
from clerk.store.reference import Centre

_CASE = Case.__tablename__


def family(session: Session, centre_code: str) -> tuple[str, ...]:
    """``centre_code`` with its county (for a township) or its townships (for a county)."""
    centre = session.get(Centre, centre_code)
    if centre is None:
        return (centre_code,)
    if centre.parent_code:
        return (centre_code, centre.parent_code)
    towns = session.exec(select(Centre.code).where(Centre.parent_code == centre_code)).all()
    return (centre_code, *sorted(towns))


def _one(centres: set[str]) -> str | tuple[str, ...]:
    ordered = tuple(sorted(centres))
    return ordered[0] if len(ordered) == 1 else ordered


def pushed_by(session: Session, home: str, entries: list[Entry]) -> CentreOf:
    """The audience of the rows a counter of ``home`` wrote in one push."""
    centre = session.get(Centre, home)
    up = {home, centre.parent_code} - {""} if centre is not None else {home}
    if len(up) > 1:
        both = _one(up)
        return lambda _entry: both
    other = _other_centre_cases(session, home, entries)
    if not other:
        return lambda _entry: home

    def of(entry: Entry) -> str | tuple[str, ...]:
        taken_in = other.get(_case_of(entry))
        return _one({home, taken_in}) if taken_in else home

    return of


def _case_of(entry: Entry) -> str | None:
    table, _key, row = entry
    if row is None:
        return None
    return row.get("id") if table == _CASE else row.get("case_id")


def _other_centre_cases(session: Session, home: str, entries: list[Entry]) -> dict[str, str]:
    """The cases these rows belong to that were taken in at another centre: id → that centre."""
    ids = {c for e in entries if (c := _case_of(e))}
    if not ids:
        return {}
    found = session.exec(select(Case.id, Case.centre_code).where(Case.id.in_(ids))).all()  # type: ignore[attr-defined]
    return {case_id: centre for case_id, centre in found if centre != home}


def of_reference(session: Session) -> Callable[[str | None], str | tuple[str, ...] | None]:
    """For a publish: a reference row of centre ``own`` reaches its whole family (None, a
    row every centre shares, stays None). Families are looked up once per centre."""
    known: dict[str, str | tuple[str, ...]] = {}

    def of(own: str | None) -> str | tuple[str, ...] | None:
        if own is None:
            return None
        if own not in known:
            known[own] = _one(set(family(session, own)))
        return known[own]

    return of
