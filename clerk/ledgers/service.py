"""The ledgers' service for the screens (``desk.ledgers``): register, step, list, rate.

Every change goes through the workbench as a mutation (committed locally, queued for the
central store, which applies the same handler and role checks). Lists are filtered by the
viewer's role in SQL and paged, so a centre's 10,000 entries open as fast as 100.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import false, func, or_, true
from sqlmodel import Session, col, select

from clerk.clock import Clock, local_time, local_today
from clerk.ids import new_id
from clerk.ledgers import rates as rates_mod
from clerk.ledgers import steps, visibility
from clerk.ledgers.classes import (
    CLOSED_STATES,
    COMPLAINT_CLASS_LABELS,
    LEGAL_LABEL,
    SATISFACTION,
    STATUS_LABELS,
    channel_label,
)
from clerk.ledgers.kiosk_visit import VisitToRate, code_matches, miss_refusal, visit_to_rate
from clerk.ledgers.reasons import BAD_GRADES, GRADES, reason_text
from clerk.ledgers.rules import ACTION_LABELS, actions_from
from clerk.ledgers.views import EntryDetail, EntryLine, Prefill, RatingLine, StepLine
from clerk.mutation import MutationRefused
from clerk.outbox import Workbench
from clerk.store.engine import Store
from clerk.store.ledger_tables import LedgerEntry, LedgerStep, Rating
from clerk.store.operations import Ticket
from clerk.store.reference import Staff, Window

CSV_HEADER = ("编号", "登记时间", "渠道", "当事人", "事项", "问题描述", "分类", "责任单位", "负责人", "办理时限",
              "状态", "办理结果", "反馈情况", "回访日期", "满意度", "超期", "督办")

Filter = str
"""``open`` / ``overdue`` / ``closed`` / ``all``."""


class LedgerDesk:
    def __init__(self, bench: Workbench, store: Store, clock: Clock) -> None:
        self.bench = bench
        self.store = store
        self.clock = clock

    # -- changes ---------------------------------------------------------------------

    def register_first_contact(self, staff_id: str, **fields: Any) -> str:
        """A new 首问负责 record; returns its id. Raises MutationRefused (Chinese)."""
        entry_id = new_id()
        self.bench.apply("first_contact.register", {"id": entry_id, **fields}, staff_id)
        return entry_id

    def register_complaint(self, staff_id: str, **fields: Any) -> str:
        entry_id = new_id()
        self.bench.apply("complaint.register", {"id": entry_id, **fields}, staff_id)
        return entry_id

    def step(self, staff_id: str, action: str, entry_id: str, **fields: Any) -> None:
        """Take ``action`` (``ledger.<action>``) on the entry."""
        self.bench.apply(f"ledger.{action}", {"entry_id": entry_id, **fields}, staff_id)

    def rate(self, staff_id: str | None, ticket_id: str | None, grade: int, reasons: Sequence[str] = (),
             text: str = "", source: str = "pad", rater_name: str = "", rater_phone: str = "",
             case_id: str | None = None, rate_code: str = "") -> str:
        """Store one rating of a served visit (``ticket_id``) or of a case (``case_id``); returns its id.
        ``rate_code``: the 评价码 typed at the kiosk (``source="kiosk"``)."""
        rating_id = new_id()
        args = {"id": rating_id, "ticket_id": ticket_id, "case_id": case_id, "source": source, "grade": grade,
                "reasons": list(reasons), "text": text, "rater_name": rater_name, "rater_phone": rater_phone,
                "rectification_id": new_id() if grade in BAD_GRADES else None}
        if rate_code:
            args["rate_code"] = rate_code
        self.bench.apply("rating.give", args, staff_id)
        return rating_id

    def issue_paper(self, staff_id: str, entry_id: str, kind: str, base_url: str = "") -> str:
        """Store the entry's 指路单 / 交办单 / 督办单 as a notice; returns the notice's id, which
        ``desk.notices.print_notice`` prints (and reprints)."""
        notice_id = new_id()
        self.bench.apply("ledger.paper", {"notice_id": notice_id, "entry_id": entry_id, "kind": kind,
                                          "base_url": base_url}, staff_id)
        return notice_id

    # -- reads -----------------------------------------------------------------------

    def assignees(self, staff_id: str) -> list[tuple[str, str]]:
        """Who an entry can be assigned to: the active staff of the viewer's centre, (id, label)."""
        with self.store.session() as session:
            staff = self._staff(session, staff_id)
            people = session.exec(select(Staff).where(Staff.centre_code == staff.centre_code, col(Staff.active))
                                  .order_by(col(Staff.department_code), col(Staff.name))).all()
            return [(p.id, f"{p.name}（{p.department_code or '中心'}）") for p in people]

    def kiosk_visit(self, centre_code: str, typed: str) -> VisitToRate:
        """Today's finished, unrated visit with the number typed at the kiosk (or a refusal)."""
        with self.store.session() as session:
            return visit_to_rate(session, centre_code, local_today(self.clock), typed)

    def kiosk_code(self, visit: VisitToRate, typed: str) -> VisitToRate:
        """The visit with the 评价码 typed at the kiosk, if it is the slip's; a wrong one is
        counted (``rating.code_miss``, synced to every kiosk) and refused with the tries left."""
        with self.store.session() as session:
            checked = code_matches(session, visit, typed)
        if checked is not None:
            return checked
        self.bench.apply("rating.code_miss", {"ticket_id": visit.ticket_id}, None)
        with self.store.session() as session:
            raise miss_refusal(session, visit)

    def prefill(self, ticket_id: str | None) -> Prefill:
        if not ticket_id:
            return Prefill(None, "", None)
        with self.store.session() as session:
            ticket = session.get(Ticket, ticket_id)
            if ticket is None:
                return Prefill(None, "", None)
            return Prefill(ticket.id, ticket.number, ticket.window_id)

    def entries(self, staff_id: str, kind: str | None = None, which: Filter = "all", text: str = "",
                limit: int = 100, offset: int = 0) -> list[EntryLine]:
        """A page of the entries the viewer may see, newest first."""
        return self.page(staff_id, kind, which, text, limit, offset)[0]

    def count(self, staff_id: str, kind: str | None = None, which: Filter = "all", text: str = "") -> int:
        return self.page(staff_id, kind, which, text, limit=0)[1]

    def page(self, staff_id: str, kind: str | None = None, which: Filter = "all", text: str = "",
             limit: int = 100, offset: int = 0) -> tuple[list[EntryLine], int]:
        """A page of the entries the viewer may see, newest first, and how many match, in one
        session: only the list's columns are read (not descriptions and logs), the owners'
        names in one lookup, and the count runs on the index alone (no NOT IN scan)."""
        today = local_today(self.clock)
        with self.store.session() as session:
            staff = self._staff(session, staff_id)
            total = session.exec(self._where(select(func.count()).select_from(LedgerEntry), staff, kind, which,
                                             text, today)).one()
            if not limit or not total:
                return [], total
            query = self._where(select(*LINE_COLUMNS), staff, kind, which, text, today)
            rows = session.exec(query.order_by(col(LedgerEntry.registered_at).desc()).limit(limit).offset(offset)).all()
            owners = dict(session.exec(select(Staff.id, Staff.name).where(
                col(Staff.id).in_({row.owner_id for row in rows}))).all()) if rows else {}
            return [_line(row, owners.get(row.owner_id, ""), today) for row in rows], total

    def my_open(self, staff_id: str) -> list[EntryLine]:
        """The records this person answers for, still open, nearest deadline first."""
        today = local_today(self.clock)
        with self.store.session() as session:
            rows = session.exec(
                select(LedgerEntry, Staff.name).join(Staff, col(Staff.id) == col(LedgerEntry.owner_id))
                .where(or_(col(LedgerEntry.owner_id) == staff_id, col(LedgerEntry.assignee_id) == staff_id),
                       col(LedgerEntry.status).not_in(CLOSED_STATES))
                .order_by(col(LedgerEntry.due_date).is_(None), col(LedgerEntry.due_date), col(LedgerEntry.registered_at))
            ).all()
            return [_line(e, owner, today) for e, owner in rows]

    def entry(self, staff_id: str, entry_id: str) -> EntryDetail:
        today = local_today(self.clock)
        with self.store.session() as session:
            staff = self._staff(session, staff_id)
            e = session.get(LedgerEntry, entry_id)
            if e is None or not steps.involved(staff, e):
                raise MutationRefused("找不到这条记录，或无权查看", f"entry {entry_id} for {staff_id}")
            owner = session.get(Staff, e.owner_id)
            log = session.exec(
                select(LedgerStep, Staff.name).outerjoin(Staff, col(Staff.id) == col(LedgerStep.staff_id))
                .where(LedgerStep.entry_id == e.id).order_by(col(LedgerStep.seq))
            ).all()
            return EntryDetail(
                line=_line(e, owner.name if owner else "", today), channel=e.channel, contact=e.contact,
                description=e.description, item_code=e.item_code, case_ref=e.case_ref, ticket_id=e.ticket_id,
                result=e.result, feedback=e.feedback, followed_up_on=e.followed_up_on,
                follow_up_method=e.follow_up_method, satisfaction=e.satisfaction, detail=steps.detail(e),
                steps=tuple(StepLine(s.at, name or "系统", ACTION_LABELS.get(s.action, s.action), s.note,
                                     STATUS_LABELS.get(s.status, s.status)) for s, name in log),
                actions=tuple(actions_from(e.kind, e.status)),
            )

    def ratings(self, staff_id: str, limit: int = 100, start: datetime | None = None,
                end: datetime | None = None) -> list[RatingLine]:
        """The latest ratings the viewer may see, newest first; within ``[start, end)`` when
        given (the rates screen's period, so the list and the rates above it agree)."""
        within = [col(Rating.at) >= start] if start is not None else []
        within += [col(Rating.at) < end] if end is not None else []
        with self.store.session() as session:
            staff = self._staff(session, staff_id)
            rows = session.exec(
                select(Rating, Staff.name, Window.name)
                .outerjoin(Staff, col(Staff.id) == col(Rating.rated_staff_id))
                .outerjoin(Window, col(Window.id) == col(Rating.window_id))
                .where(visibility.ratings_of(staff), *within).order_by(col(Rating.at).desc()).limit(limit)
            ).all()
            show = visibility.sees_rater(staff)
            return [_rating(r, rated or "", window or "", show) for r, rated, window in rows]

    def rates(self, staff_id: str, start: datetime, end: datetime, by: rates_mod.GroupBy = "centre"):
        with self.store.session() as session:
            staff = self._staff(session, staff_id)
            return rates_mod.rates(session, visibility.ratings_of(staff), start, end, by)

    def rate_table(self, staff_id: str, start: datetime, end: datetime,
                   by: rates_mod.GroupBy = "centre") -> list[tuple[str, rates_mod.Rates]]:
        """The four rates of what ``staff_id`` may see, one row a window, person, department
        or centre, each with the name the screen shows."""
        with self.store.session() as session:
            staff = self._staff(session, staff_id)
            found = rates_mod.rates(session, visibility.ratings_of(staff), start, end, by)
            named = rates_mod.names(session, by, [r.key for r in found])
        return sorted(((named[r.key], r) for r in found), key=lambda row: (-row[1].total, row[0]))

    def recurring(self, staff_id: str, start: datetime, end: datetime, by: str = "class") -> list[tuple[str, int]]:
        """办不成事 entries counted by class, item or department, most frequent first."""
        column = {"class": LedgerEntry.class_code, "item": LedgerEntry.item_code,
                  "department": LedgerEntry.department_code}[by]
        with self.store.session() as session:
            staff = self._staff(session, staff_id)
            rows = session.exec(
                select(column, func.count()).where(
                    visibility.entries_of(staff), LedgerEntry.kind == "complaint",
                    col(LedgerEntry.registered_at) >= start, col(LedgerEntry.registered_at) < end)
                .group_by(column).order_by(func.count().desc())
            ).all()
            return [(key or "", n) for key, n in rows]

    def period_rows(self, staff_id: str, start: datetime, end: datetime, kind: str = "complaint") -> list[tuple]:
        """A period's ledger as rows of text under CSV_HEADER, oldest first (the CSV and the PDF)."""
        with self.store.session() as session:
            staff = self._staff(session, staff_id)
            rows = session.exec(
                select(LedgerEntry, Staff.name).join(Staff, col(Staff.id) == col(LedgerEntry.owner_id))
                .where(visibility.entries_of(staff), LedgerEntry.kind == kind,
                       col(LedgerEntry.registered_at) >= start, col(LedgerEntry.registered_at) < end)
                .order_by(col(LedgerEntry.registered_at))
            ).all()
        today = local_today(self.clock)
        out = []
        for e, owner in rows:
            line = _line(e, owner, today)
            out.append((e.entry_no, f"{local_time(e.registered_at):%Y-%m-%d %H:%M}", channel_label(e.channel),
                        e.person, e.matter, e.description, line.class_label, e.unit, owner, str(e.due_date or ""),
                        line.status_label, e.result, e.feedback, str(e.followed_up_on or ""),
                        SATISFACTION.get(e.satisfaction or "", e.satisfaction or ""),
                        "是" if line.overdue else "", "是" if line.supervised else ""))
        return out

    def export_csv(self, staff_id: str, start: datetime, end: datetime, kind: str = "complaint") -> str:
        """A period's ledger as CSV (UTF-8 with BOM, so spreadsheet programs read the Chinese)."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(CSV_HEADER)
        writer.writerows(self.period_rows(staff_id, start, end, kind))
        return "\ufeff" + out.getvalue()

    # -- helpers ---------------------------------------------------------------------

    def _staff(self, session: Session, staff_id: str) -> Staff:
        staff = session.get(Staff, staff_id)
        if staff is None:
            raise MutationRefused("请先签到", f"unknown staff {staff_id}")
        return staff

    def _where(self, query, staff: Staff, kind: str | None, which: Filter, text: str, today: date):
        query = query.where(visibility.entries_of(staff))
        if kind:
            query = query.where(LedgerEntry.kind == kind)
        # is_open (an equality) rather than a NOT IN on status: the index keeps time order.
        if which == "open":
            query = query.where(col(LedgerEntry.is_open) == true())
        elif which == "closed":
            query = query.where(col(LedgerEntry.is_open) == false())
        elif which == "overdue":
            query = query.where(col(LedgerEntry.is_open) == true(), col(LedgerEntry.due_date) < today)
        if text.strip():
            like = f"%{text.strip()}%"
            query = query.where(or_(col(LedgerEntry.entry_no).like(like), col(LedgerEntry.person).like(like),
                                    col(LedgerEntry.matter).like(like), col(LedgerEntry.description).like(like)))
        return query


LINE_COLUMNS = (LedgerEntry.id, LedgerEntry.kind, LedgerEntry.entry_no, LedgerEntry.registered_at,
                LedgerEntry.status, LedgerEntry.person, LedgerEntry.matter, LedgerEntry.description,
                LedgerEntry.legal, LedgerEntry.class_code, LedgerEntry.owner_id, LedgerEntry.unit,
                LedgerEntry.due_date, LedgerEntry.supervised_at)
"""What a list row needs (_line reads these by name, from an entry or a row)."""


def _line(e: Any, owner: str, today: date) -> EntryLine:
    open_ = e.status not in CLOSED_STATES
    label = LEGAL_LABEL if e.legal else COMPLAINT_CLASS_LABELS.get(e.class_code, "")
    return EntryLine(
        id=e.id, kind=e.kind, entry_no=e.entry_no, registered_at=e.registered_at, status=e.status,
        status_label=STATUS_LABELS.get(e.status, e.status), person=e.person, matter=e.matter or e.description,
        class_label=label, owner=owner, unit=e.unit, due_date=e.due_date,
        overdue=open_ and e.due_date is not None and today > e.due_date, supervised=e.supervised_at is not None,
    )


def _rating(r: Rating, rated: str, window: str, show_rater: bool) -> RatingLine:
    rater = "　".join(p for p in (r.rater_name, r.rater_phone) if p) if show_rater else ""
    return RatingLine(
        id=r.id, at=r.at, grade=r.grade, grade_label=GRADES.get(r.grade, str(r.grade)),
        reasons=tuple(reason_text(c) for c in r.reasons.split(",") if c), text=r.text, source=r.source,
        rated=rated, window=window, rater=rater, valid=r.valid,
    )
