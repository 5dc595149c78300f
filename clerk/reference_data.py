"""Install reference data (from fixtures now, from the central store later) into a store.

Reference data is replaced, not mutated: it flows down and is never pushed up, so it
bypasses the outbox. Passwords in fixture files are demo passwords, hashed (and turned
into signing keys, clerk.credentials) here.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

from sqlmodel import Session, delete, select

from clerk.catalogue import search_key
from clerk.credentials import salt_for
from clerk.fixtures import FixtureSet
from clerk.staff.auth import staff_secrets
from clerk.store.engine import Store
from clerk.store.reference import (
    CalendarDay,
    Centre,
    Department,
    ItemMaterial,
    OpeningHours,
    ServiceItem,
    ServiceLine,
    Staff,
    Window,
    WindowLine,
)


def install(store: Store, fs: FixtureSet, reset_lines: bool = False) -> None:
    """Write every reference table from ``fs`` in one transaction (all or nothing).

    The lines a window serves are written for new windows only: once a hall runs, the
    supervisor moves lines between windows (潮汐窗口, ``window.assign_lines``) and a reload
    must not undo that. ``reset_lines`` puts every window back to the files' lines.
    """
    with store.write() as session:
        install_into(session, fs, reset_lines)


def install_into(session: Session, fs: FixtureSet, reset_lines: bool = False) -> None:
    """The same, inside the caller's transaction (the central store logs what changed)."""
    _departments(session, fs)
    _items(session, fs)
    _centres(session, fs, reset_lines)
    _staff(session, fs)
    _calendar(session, fs)
    _authorisations(session, fs)


def _departments(session: Session, fs: FixtureSet) -> None:
    for d in fs.departments:
        session.merge(Department(**d.model_dump()))


def _items(session: Session, fs: FixtureSet) -> None:
    for it in fs.items:
        session.merge(
            ServiceItem(
                code=it.code,
                name=it.name,
                kind=it.kind,
                case_type=it.case_type,
                department_code=it.department,
                legal_limit_days=it.legal_limit_days,
                promised_limit_days=it.promised_limit_days,
                fee=it.fee,
                fee_basis=it.fee_basis,
                commitment_allowed=it.commitment_allowed,
                commitment_exclusions=it.commitment_exclusions,
                deferral_allowed=it.deferral_allowed,
                review_first=it.review_first,
                basis=it.basis,
                conditions=it.conditions,
                guide_version=it.guide_version,
                aliases=it.aliases,
                levels=it.levels,
                search_key=search_key(it.name, it.code, it.aliases),
            )
        )
        session.flush()
        session.exec(delete(ItemMaterial).where(ItemMaterial.item_code == it.code))
        for seq, m in enumerate(it.materials, start=1):
            session.add(
                ItemMaterial(
                    id=f"{it.code}:{seq}",
                    item_code=it.code,
                    seq=seq,
                    **m.model_dump(),
                )
            )


def _centres(session: Session, fs: FixtureSet, reset_lines: bool) -> None:
    for c in fs.centres:
        session.merge(Centre(**c.centre.model_dump()))
        session.flush()
        for line in c.lines:
            session.merge(ServiceLine(id=f"{c.centre.code}:{line.letter}", centre_code=c.centre.code, letter=line.letter, name=line.name))
        session.flush()
        _slot_plans(session, c)
        for w in c.windows:
            wid = f"{c.centre.code}:{w.number}"
            known = session.get(Window, wid) is not None
            session.merge(Window(id=wid, centre_code=c.centre.code, number=w.number, name=w.name, kind=w.kind))
            session.flush()
            if known and not reset_lines:
                continue
            session.exec(delete(WindowLine).where(WindowLine.window_id == wid))
            for letter in w.lines:
                session.add(WindowLine(window_id=wid, line_id=f"{c.centre.code}:{letter}"))
        _hours(session, c)


def _hours(session: Session, c) -> None:
    """Replaced as a whole: a rule dropped from the file must stop counting everywhere."""
    session.exec(delete(OpeningHours).where(OpeningHours.centre_code == c.centre.code))
    for n, h in enumerate(c.hours, start=1):
        session.add(OpeningHours(id=f"{c.centre.code}:{n}", centre_code=c.centre.code, **h.model_dump()))


def _slot_plans(session: Session, c) -> None:
    """A line's booking slots, replaced whole (places already booked keep their slot row)."""
    from clerk.store.booking_tables import SlotPlan

    for line in c.lines:
        line_id = f"{c.centre.code}:{line.letter}"
        session.exec(delete(SlotPlan).where(SlotPlan.line_id == line_id))
        for s in line.slots:
            for day in sorted(set(s.weekdays)):
                session.add(SlotPlan(id=f"{line_id}:{day}:{s.start:%H%M}", line_id=line_id, weekday=day,
                                     start=s.start, end=s.end, slot_minutes=s.minutes, capacity=s.capacity))


def _staff(session: Session, fs: FixtureSet) -> None:
    known = {row.id: (row.password_hash, row.signing_key) for row in session.exec(select(Staff))}
    # argon2 (~150 ms a password, twice for a new one) runs outside the GIL: one thread per
    # core makes the first start of a counter a few seconds shorter.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        secrets = list(pool.map(
            lambda s: staff_secrets(s.password, known.get(s.username), salt_for(s.username)), fs.staff
        ))
    for s, (pw_hash, signing_key) in zip(fs.staff, secrets, strict=True):
        session.merge(
            Staff(
                id=s.username,
                username=s.username,
                name=s.name,
                role=s.role,
                centre_code=s.centre,
                department_code=s.department,
                phone=s.phone,
                password_hash=pw_hash,
                signing_key=signing_key,
            )
        )


def _calendar(session: Session, fs: FixtureSet) -> None:
    for table in fs.holidays:
        for d in table.days:
            session.merge(CalendarDay(day=d.date, workday=d.workday, name=d.name))


def _authorisations(session: Session, fs: FixtureSet) -> None:
    """Replaced as a whole: a withdrawn authorisation must stop counting everywhere."""
    from clerk.store.signoff_tables import Authorisation

    wanted = {f"{a.chief}:{a.valid_from.isoformat()}": a for a in fs.authorisations}
    for row in session.exec(select(Authorisation)).all():
        if row.id not in wanted:
            session.delete(row)
    for key, a in wanted.items():
        session.merge(Authorisation(
            id=key, chief_id=a.chief, department_code=a.department, final_items=list(a.final_items),
            review_items=list(a.review_items), valid_from=a.valid_from, expires=a.expires, deputy_id=a.deputy,
            document=a.document,
        ))
