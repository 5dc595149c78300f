"""Who works a case in the simulated hall after the window, and the desks they use.

The simulation drives the same service desks the screens use (clerk.cases.desk,
clerk.backoffice.service, clerk.signoff.service, clerk.ledgers.service), so every paper is
numbered and every move is a mutation, checked as it would be at a counter. Only the
people come from the store: a department takes cases into its back office when it has two
people there (一审一核 needs a reviewer and a checker); a chief representative signs what
their authorisation lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import select

from clerk.backoffice.service import BackOfficeDesk
from clerk.cases.desk import CaseDesk
from clerk.ledgers.service import LedgerDesk
from clerk.outbox import Workbench
from clerk.signoff.service import SignOffDesk
from clerk.staff.auth import SignInError, sign_in
from clerk.store.reference import BACK_OFFICE_ROLES, Centre, ItemMaterial, ServiceItem, Staff
from clerk.store.signoff_tables import Authorisation

DEMO_PASSWORD = "demo1234"
"""The demo staff's password (fixtures/staff.toml): the chief's key signs each decision."""


@dataclass
class Dept:
    code: str
    back_office: list[str] = field(default_factory=list)
    """Reviewers, heads and chiefs of the department (in that order): who reviews and checks."""
    reviewers: list[str] = field(default_factory=list)
    heads: list[str] = field(default_factory=list)
    chiefs: dict[str, list[tuple[str, date, date]]] = field(default_factory=dict)
    """item code → (chief, valid from, expires) of each authorisation that signs it with final effect."""

    def chief(self, item_code: str, day: date) -> str | None:
        return next((c for c, first, last in self.chiefs.get(item_code, []) if first <= day <= last), None)


@dataclass(frozen=True)
class Item:
    code: str
    department: str
    instant: bool
    """即办件: accepted, then approved by the chief while the applicant waits."""
    deferral: bool
    commitment: bool
    promised_days: int
    deferrable: tuple[int, ...]
    """Checklist rows (seq) that may be owed under 容缺."""


@dataclass
class Office:
    cases: CaseDesk
    back: BackOfficeDesk
    signoff: SignOffDesk
    ledgers: LedgerDesk
    items: list[Item]
    departments: dict[str, Dept]
    clerks: list[str]
    supervisor: str

    def chief_for(self, item: Item, day: date) -> str | None:
        return self.departments[item.department].chief(item.code, day)

    def has_back_office(self, item: Item) -> bool:
        return len(self.departments[item.department].back_office) >= 2


class _UnlockedOnce(SignOffDesk):
    """The chief's desk with each key unlocked once: the password hash on every decision
    would cost the simulation more than all its other mutations."""

    def __init__(self, bench: Workbench, keys: dict) -> None:
        super().__init__(bench, bench.store, bench.clock, "", None)
        self._keys = keys

    def _unlock(self, staff: Staff, password: str):
        return self._keys[staff.id]


def load_office(bench: Workbench, centre_code: str, clerks: list[str], supervisor: str,
                password: str = DEMO_PASSWORD) -> Office:
    store, clock = bench.store, bench.clock
    cases = CaseDesk(bench, store, clock, centre_code, None)
    with store.session() as s:
        staff = s.exec(select(Staff).where(Staff.centre_code == centre_code, Staff.active).order_by(Staff.id)).all()
        auths = s.exec(select(Authorisation).order_by(Authorisation.id)).all()
        centre = s.get(Centre, centre_code)
        level = centre.level if centre else "county"
    keys = _chief_keys(bench, [p for p in staff if p.role == "chief"], password)
    departments = _departments(staff, auths, keys)
    signoff = _UnlockedOnce(bench, keys)
    signoff.centre_code = centre_code
    items = _items(bench, departments, level)
    return Office(cases, BackOfficeDesk(cases), signoff, LedgerDesk(bench, store, clock), items, departments,
                  clerks, supervisor)


def _chief_keys(bench: Workbench, chiefs: list[Staff], password: str) -> dict:
    """Each chief's signing key; a chief whose password is not the demo one signs nothing."""
    keys = {}
    for chief in chiefs:
        try:
            keys[chief.id] = sign_in(bench.store, bench.clock, chief.username, password, 5, 15).key
        except SignInError:
            continue
    return keys


_ORDER = {"reviewer": 0, "head": 1, "chief": 2}
"""Reviewers review first; a head or a chief checks when no second reviewer is free."""


def _departments(staff: list[Staff], auths: list[Authorisation], keys: dict) -> dict[str, Dept]:
    out: dict[str, Dept] = {}
    for p in sorted(staff, key=lambda p: (_ORDER.get(p.role, 3), p.id)):
        if p.role in BACK_OFFICE_ROLES and p.department_code:
            dept = out.setdefault(p.department_code, Dept(p.department_code))
            dept.back_office.append(p.id)
            if p.role == "head":
                dept.heads.append(p.id)
            if p.role == "reviewer":
                dept.reviewers.append(p.id)
    for a in auths:
        if a.chief_id in keys and a.department_code in out:
            for code in a.final_items or []:
                out[a.department_code].chiefs.setdefault(code, []).append((a.chief_id, a.valid_from, a.expires))
    return out


def _items(bench: Workbench, departments: dict[str, Dept], level: str) -> list[Item]:
    """Items a case can be taken in for: the department decides it (two people in its back
    office), or it is a 即办件 its chief signs."""
    with bench.store.session() as s:
        found = s.exec(select(ServiceItem).order_by(ServiceItem.code)).all()
        deferrable = {}
        for m in s.exec(select(ItemMaterial).where(ItemMaterial.deferrable)).all():
            deferrable.setdefault(m.item_code, []).append(m.seq)
    out = []
    for i in found:
        dept = departments.get(i.department_code)
        if dept is None or level not in (i.levels or []) or not getattr(i, "active", True):
            continue
        instant = i.case_type == "即办件"
        if len(dept.back_office) >= 2 or (instant and dept.chiefs.get(i.code)):
            out.append(Item(i.code, i.department_code, instant, i.deferral_allowed, i.commitment_allowed,
                            i.promised_limit_days, tuple(sorted(deferrable.get(i.code, [])))))
    return out
