"""Build the shift ledger: resolve period and scope, check who asks, run every section."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlmodel import Session, select

from clerk.calendar import WorkCalendar
from clerk.errors import UserFacingError
from clerk.reports import periods, registry
from clerk.reports import scope as scopes
from clerk.reports.periods import Period
from clerk.reports.registry import Context, Section
from clerk.reports.scope import Scope
from clerk.store.engine import Store
from clerk.store.reference import CalendarDay, Staff

SECTION_MODULES = (
    "clerk.reports.queue_section",
    "clerk.reports.counters_section",
    "clerk.reports.cases_section",
    "clerk.reports.results_section",
    "clerk.reports.ledgers_section",
    "clerk.reports.numbers_section",
)
"""Each record kind's section module; importing it registers the section."""

REPORT_ROLES = frozenset({"supervisor", "chief"})


class ReportRefused(UserFacingError):
    pass


@dataclass(frozen=True)
class Request:
    period: str
    day: date
    window: int | None = None
    staff: str | None = None
    line: str | None = None
    shift_start: time = time(8, 30)
    shift_end: time = time(17, 30)


@dataclass(frozen=True)
class Report:
    period: Period
    scope: Scope
    sections: tuple[Section, ...]
    made_at: datetime

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)


def load_sections() -> list[registry.Entry]:
    for name in SECTION_MODULES:
        importlib.import_module(name)
    return registry.ordered()


def check_reader(session: Session, staff_id: str | None) -> Staff:
    """Only supervisors and chief representatives read the ledger."""
    staff = session.get(Staff, staff_id) if staff_id else None
    if staff is None or not staff.active or staff.role not in REPORT_ROLES:
        raise ReportRefused("只有值班长和首席事务代表可以查看台账", f"report refused for {staff_id!r}")
    return staff


def resolve_scope(session: Session, centre_code: str, req: Request) -> Scope:
    chosen = [x for x in (req.window, req.staff, req.line) if x is not None]
    if len(chosen) > 1:
        raise scopes.ScopeError("窗口、工作人员、业务只能选一项", "more than one scope given")
    if req.window is not None:
        return scopes.window_scope(session, centre_code, req.window)
    if req.staff is not None:
        return scopes.staff_scope(session, centre_code, req.staff)
    if req.line is not None:
        return scopes.line_scope(session, centre_code, req.line)
    return scopes.centre_scope(session, centre_code)


def work_calendar(session: Session) -> WorkCalendar:
    return WorkCalendar.from_rows(session.exec(select(CalendarDay)).all())


def build(store: Store, centre_code: str, req: Request, now: datetime, reader_id: str | None) -> Report:
    """The ledger ``req`` asks for, as of ``now``, read by ``reader_id`` (refused for a clerk)."""
    with store.session() as session:
        check_reader(session, reader_id)
        period = periods.resolve(req.period, req.day, now, work_calendar(session), req.shift_start, req.shift_end)
        scope = resolve_scope(session, centre_code, req)
    entries = load_sections()
    with store.engine.connect() as conn:
        ctx = Context(conn, period, scope, store.engine.dialect.name, now)
        sections = tuple(entry.build(ctx) for entry in entries)
    return Report(period, scope, sections, now)
