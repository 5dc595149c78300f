"""The back office for the screens: the department's queue, the 出件 queue, and each move.

``BackOfficeDesk`` lists the cases waiting for a department (past the limit first, then
nearest the limit), the cases ready at 出件, and applies each move of clerk.backoffice.handlers
with its paper built first and printed after, like the intake desk (clerk.cases.desk).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import or_
from sqlmodel import col, select

from clerk.backoffice import limits, papers, rules
from clerk.cases import numbers, states
from clerk.cases import papers as case_papers
from clerk.cases.desk import CaseDesk, NoticeView
from clerk.clock import local_today
from clerk.identity import mask_name
from clerk.ids import new_id
from clerk.mutation import MutationRefused
from clerk.papers.kinds import kind as paper_kind
from clerk.store.operations import Case
from clerk.store.reference import Centre, Department, ServiceItem, Staff

_LISTED = (states.ACCEPTED, states.COMMITTED, states.REVIEWED, states.SUSPENDED, states.RETURN_REQUESTED,
           states.RETURNED)
"""The department's cases, in the order of the counts: its work, and those waiting for the
chief's decision on a return or for the applicant's materials (the clock paused)."""
_ORDER = {limits.OVER: 0, limits.NEAR: 1, limits.RUNNING: 2, limits.PAUSED: 3, limits.NONE: 4}


@dataclass(frozen=True)
class BackLine:
    case_id: str
    version: int
    state: str
    state_label: str
    item_name: str
    applicant: str
    """Masked name."""
    acceptance_no: str
    due: date | None
    limit: limits.Limit
    reviewed_by: str
    """Who reviewed (name), for the checker to see it is someone else."""
    reviewer_id: str
    """Who reviewed (staff id): the screen refuses their own check before asking anything."""
    proposal: str
    extended: bool


@dataclass(frozen=True)
class BackQueue:
    lines: tuple[BackLine, ...]
    counts: tuple[tuple[str, int], ...]
    """(state label, number) for every back-office state, in order."""


@dataclass(frozen=True)
class ReadyLine:
    case_id: str
    version: int
    item_name: str
    applicant: str
    acceptance_no: str
    ticket_number: str
    result_label: str
    delivery_asked: str
    decided_on: date | None


@dataclass(frozen=True)
class Moved:
    case_id: str
    state_label: str
    notices: tuple[NoticeView, ...]
    messages: tuple[str, ...]


class BackOfficeDesk:
    def __init__(self, cases: CaseDesk) -> None:
        self.cases = cases
        self.store, self.clock, self.centre_code = cases.store, cases.clock, cases.centre_code

    # -- reads ------------------------------------------------------------------------

    def queue(self, staff_id: str) -> BackQueue:
        """The cases of the staff member's department waiting in the back office."""
        today, cal = local_today(self.clock), self.cases.calendar()
        with self.store.session() as session:
            staff = session.get(Staff, staff_id)
            dept = staff.department_code if staff else None
            found = session.exec(
                select(Case, ServiceItem).join(ServiceItem, col(ServiceItem.code) == Case.item_code)
                .where(Case.back_office_centre == self.centre_code, ServiceItem.department_code == dept,
                       col(Case.status).in_(_LISTED),
                       # A 即办件 is the chief's at the window; it comes here only once sent back.
                       or_(ServiceItem.case_type != rules.INSTANT, col(Case.id).in_(rules.instant_sent_back())))
            ).all()
            names = {s.id: s.name for s in session.exec(select(Staff)).all()}
            others = {c.code: c.name for c in session.exec(select(Centre)).all() if c.code != self.centre_code}
        lines = [_back_line(case, item, limits.limit(cal, case.status, case.due_date, today), names, others)
                 for case, item in found]
        lines.sort(key=lambda ln: (_ORDER[ln.limit.state], ln.due or date.max, ln.case_id))
        per = Counter(ln.state for ln in lines)
        return BackQueue(tuple(lines), tuple((states.LABELS[s], per.get(s, 0)) for s in _LISTED))

    def ready(self) -> list[ReadyLine]:
        """Results waiting at 出件 (and at the accepting window for a 即办件), oldest first."""
        with self.store.session() as session:
            found = session.exec(
                select(Case, ServiceItem).join(ServiceItem, col(ServiceItem.code) == Case.item_code)
                .where(Case.centre_code == self.centre_code, Case.status == states.READY)
                .order_by(col(Case.ready_at), col(Case.id))
            ).all()
        return [ReadyLine(c.id, c.version, i.name, mask_name(c.applicant_name), c.acceptance_no or "",
                          c.ticket_number, rules.RESULT_LABELS.get(c.result, c.result),
                          rules.WAYS.get(c.delivery, c.delivery), c.decided_on) for c, i in found]

    # -- moves ------------------------------------------------------------------------

    def review(self, staff_id: str, case_id: str, version: int, proposal: str, opinion: str,
               legal_basis: str = "") -> Moved:
        return self._move(staff_id, "review", case_id, version,
                          {"proposal": proposal, "opinion": opinion, "legal_basis": legal_basis})

    def check(self, staff_id: str, case_id: str, version: int, opinion: str, print_papers: bool = True) -> Moved:
        """核准 the review: the decision. A 不予许可 prints its 决定书."""
        with self.store.session() as session:
            case = session.get(Case, case_id)
            deny = case is not None and case.review_proposal == rules.DENY
        return self._move(staff_id, "check", case_id, version, {"opinion": opinion},
                          "denial" if deny else None, print_papers=print_papers)

    def return_review(self, staff_id: str, case_id: str, version: int, opinion: str) -> Moved:
        return self._move(staff_id, "return_review", case_id, version, {"opinion": opinion})

    def extend(self, staff_id: str, case_id: str, version: int, reason: str, print_papers: bool = True) -> Moved:
        return self._move(staff_id, "extend", case_id, version, {"reason": reason}, "extension",
                          print_papers=print_papers)

    def suspend(self, staff_id: str, case_id: str, version: int, procedure: str, expected_days: int,
                print_papers: bool = True) -> Moved:
        return self._move(staff_id, "suspend", case_id, version,
                          {"procedure": procedure, "expected_days": expected_days}, "special_procedure",
                          print_papers=print_papers)

    def resume(self, staff_id: str, case_id: str, version: int) -> Moved:
        return self._move(staff_id, "resume", case_id, version, {})

    def deliver(self, staff_id: str, case_id: str, version: int, way: str, **detail) -> Moved:
        """way: window (notice_checked, id_checked) · post (address, courier, tracking_no) ·
        electronic (e_address); e_address with a paper way for both."""
        return self._move(staff_id, "deliver", case_id, version, {"way": way, **detail})

    def applicant_withdraw(self, staff_id: str, case_id: str, version: int, reason: str) -> Moved:
        return self._move(staff_id, "applicant_withdraw", case_id, version, {"reason": reason})

    def request_instant(self, staff_id: str, case_id: str, version: int, note: str = "") -> Moved:
        return self._move(staff_id, "request_instant", case_id, version, {"note": note})

    def request_urgent(self, staff_id: str, case_id: str, version: int, reason: str) -> Moved:
        """先批后报: the chief approves now, and reports to the department afterwards."""
        return self._move(staff_id, "request_urgent", case_id, version, {"reason": reason})

    def request_return(self, staff_id: str, case_id: str, version: int, reason: str,
                       materials: list[tuple[str, str]], days: int) -> Moved:
        """退回补正: ask the chief to send the case back for ``materials`` ((material id, what to
        supply or correct)), the applicant to have ``days`` working days once approved."""
        return self._move(staff_id, "request_return", case_id, version, {
            "reason": reason, "days": days,
            "materials": [{"material_id": m, "defect": d} for m, d in materials]})

    def _move(self, staff_id: str, action: str, case_id: str, version: int, args: dict, paper: str | None = None,
              print_papers: bool = True) -> Moved:
        seen = self.cases.case(case_id)
        if seen.version != version:
            raise MutationRefused("该办件已被其他工作人员更新（可能在另一窗口），请刷新后再办理")
        states.require(action, seen.state)
        notices = [self._paper(staff_id, case_id, paper, args)] if paper else []
        self.cases.bench.apply(f"case.{action}", {"case_id": case_id, "version": version, **args,
                                                  "notices": notices}, staff_id)
        made = tuple(NoticeView(n["id"], n["paper"].kind, paper_kind(n["paper"].kind).title, n["paper"].doc_no)
                     for n in notices)
        after = self.cases.case(case_id)
        messages = self.cases.send_to_print(staff_id, made) if print_papers else ()
        return Moved(case_id, after.state_label, made, messages)

    def _paper(self, staff_id: str, case_id: str, kind: str, args: dict) -> dict:
        series = numbers.store_series(self.store)
        with self.store.session() as session:
            s = self.cases.setting(session, case_id, staff_id)
            actor = s.staff
            # The paper names the accepting clerk as its handler; the actor signs the decision.
            clerk = session.get(Staff, s.case.handler_id) or actor
            # Issued, and numbered, by this counter's centre, the one deciding (县事乡办: the county).
            s = replace(s, staff=clerk, centre=session.get(Centre, self.centre_code))
            dept = session.get(Department, s.item.department_code)
            seq = numbers.next_seq(session, self.centre_code, kind, s.today.year, series)
            doc_no = numbers.format_doc_no(numbers.issuer_code(s.centre, s.department, kind),
                                           paper_kind(kind).type_code, s.today.year, series, seq)
            body = self._body(kind, s, dept, actor, args)
        return {"id": new_id(), "series": series, "seq": seq, "paper": case_papers.paper(s, doc_no, body)}

    def _body(self, kind: str, s, dept, actor: Staff, args: dict):
        if kind == "denial":
            return papers.denial(s, dept, actor)
        if kind == "extension":
            if s.case.due_date is None:
                raise MutationRefused("本件没有承诺时限，无需延期")
            rules.require_text(args["reason"], "延期理由")
            return papers.extension(s, dept, actor, args["reason"], papers.extended_due(self.cases.calendar(),
                                                                                       s.case.due_date))
        rules.require_procedure(args["procedure"], args["expected_days"])
        return papers.special_procedure(s, args["procedure"], args["expected_days"])


def _back_line(case: Case, item: ServiceItem, limit: limits.Limit, names: dict[str, str],
               other_centres: dict[str, str]) -> BackLine:
    # A township's case (县事乡办) says where it was taken in: its result goes back there.
    taken_in = other_centres.get(case.centre_code)
    item_name = f"{item.name}（{taken_in}受理）" if taken_in else item.name
    return BackLine(case.id, case.version, case.status, states.LABELS.get(case.status, case.status), item_name,
                    mask_name(case.applicant_name), case.acceptance_no or "", case.due_date, limit,
                    names.get(case.reviewed_by or "", ""), case.reviewed_by or "",
                    rules.PROPOSALS.get(case.review_proposal, ""),
                    case.extended_by is not None)
