"""The sign-off service for the screens: the chief's queue, an entry, the signed decision.

``SignOffDesk`` reads the sign-off rows waiting for a chief (oldest and most urgent first,
with counts per kind), opens one with its case (applicant masked, item, checklist, the
clerk's note) and applies the decision as ``signoff.decide``: the password is typed again
(a wrong one counts toward the lockout, clerk.staff.auth), the signing key it unlocks signs
the decision, and an approved refusal prints its 不予受理通知书 through ``desk.notices``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import and_, func, or_
from sqlalchemy import case as sql_case
from sqlmodel import Session, col, select

from clerk.cases import load, numbers, papers, states
from clerk.cases.handlers import NoticeArgs
from clerk.cases.rules import STATE_LABELS
from clerk.clock import Clock, local_time, local_today
from clerk.errors import UserFacingError
from clerk.identity import mask_id, mask_name
from clerk.ids import new_id
from clerk.mutation import MutationRefused
from clerk.outbox import Workbench, client_id
from clerk.papers import content as c
from clerk.papers.kinds import kind as paper_kind
from clerk.papers.prints import NoticePrints
from clerk.signoff import rules
from clerk.staff.auth import SignInError, sign_in
from clerk.store.engine import Store
from clerk.store.operations import Case, CaseMaterial, Notice, NoticePrint, SignOff
from clerk.store.reference import Centre, Department, ServiceItem, Staff, Window
from clerk.store.signoff_tables import Authorisation

QUEUE_PAGE = 200
"""Requests listed at once; the counts cover all of them."""


@dataclass(frozen=True)
class QueueLine:
    id: str
    kind: str
    kind_label: str
    case_id: str
    item_name: str
    applicant: str
    """Masked name."""
    requested_by: str
    requested_at: datetime
    urgent: bool


@dataclass(frozen=True)
class ReportLine:
    """An urgent case the chief approved first and has still to report (先批后报)."""

    id: str
    case_id: str
    item_name: str
    applicant: str
    decided_by: str
    decided_at: datetime
    due: date
    overdue: bool


@dataclass(frozen=True)
class Queue:
    lines: tuple[QueueLine, ...]
    """The first page, in the order the chief works through them."""
    counts: tuple[tuple[str, int], ...]
    """(kind label, number waiting) for every kind, in KINDS order."""
    total: int
    """All waiting, the page or not."""
    reports: tuple[ReportLine, ...] = ()
    """Reports still owed, the earliest due first (listed after the waiting requests)."""


@dataclass(frozen=True)
class MaterialLine:
    name: str
    required: bool
    state_label: str
    defect: str


@dataclass(frozen=True)
class Entry:
    line: QueueLine
    case_version: int
    case_state: str
    applicant_id: str
    """Masked ID number (a credit code whole)."""
    item_code: str
    materials: tuple[MaterialLine, ...]
    reason: str
    legal_basis: str
    referred_to: str
    decision: str | None
    decided_by: str
    comment: str
    asked: tuple[tuple[str, str], ...] = ()
    """退回补正: (material, what to supply or correct) as the reviewer asked."""
    days: int = 0
    """退回补正: working days the applicant gets from the approval."""


@dataclass(frozen=True)
class AuthorisationView:
    department: str
    document: str
    final_items: tuple[str, ...]
    review_items: tuple[str, ...]
    valid_from: date
    expires: date
    deputy: str
    as_deputy: bool
    live: bool


@dataclass(frozen=True)
class Decided:
    entry: Entry
    notices: tuple[tuple[str, str, str], ...]
    """(notice id, title, document number) of each paper the decision printed."""
    messages: tuple[str, ...]


class SignOffDesk:
    """What the chief representative's screens ask, for one counter of one centre."""

    def __init__(self, bench: Workbench, store: Store, clock: Clock, centre_code: str, notices: NoticePrints | None,
                 max_failures: int = 5, lockout_minutes: int = 15) -> None:
        self.bench, self.store, self.clock, self.centre_code = bench, store, clock, centre_code
        self.notices = notices
        self.max_failures, self.lockout_minutes = max_failures, lockout_minutes
        self._tried: set[str] = set()
        """Arrived papers this counter already tried to print (see ``print_arrived``)."""
        self._since = clock.now()
        self._told: set[str] = set()
        """Decisions already announced on this counter (see ``decisions_arrived``)."""

    # -- reads ------------------------------------------------------------------------

    def queue(self, staff_id: str, page: int = QUEUE_PAGE) -> Queue:
        """The rows waiting for ``staff_id``, urgent kinds first, then the oldest request first:
        the first ``page`` of them, with the counts of all."""
        with self.store.session() as session:
            depts = self._departments(session, staff_id)
            waiting = (col(SignOff.decision).is_(None), col(SignOff.department_code).in_(depts),
                       self._ours(), Case.status != states.APPLICANT_WITHDREW)
            per = dict(session.exec(select(SignOff.kind, func.count()).join(Case, col(Case.id) == SignOff.case_id)
                                    .where(*waiting).group_by(SignOff.kind)).all())
            urgent_first = sql_case((col(SignOff.kind).in_(rules.URGENT_KINDS), 0), else_=1)
            # Columns, not whole rows, and one page: a centre's queue can hold thousands, and
            # loading each case as an object costs ten times the query (bench/chief_queue.py).
            found = session.exec(
                select(SignOff.id, SignOff.kind, SignOff.requested_at, SignOff.requested_by, Case.id,
                       Case.applicant_name, Case.item_code, ServiceItem.name, Staff.name)
                .join(Case, col(Case.id) == SignOff.case_id)
                .outerjoin(ServiceItem, col(ServiceItem.code) == Case.item_code)
                .outerjoin(Staff, col(Staff.id) == SignOff.requested_by)
                .where(*waiting).order_by(urgent_first, col(SignOff.requested_at), col(SignOff.id)).limit(page)
            ).all()
        lines = [QueueLine(id=so_id, kind=kind, kind_label=rules.KINDS.get(kind, kind), case_id=case_id,
                           item_name=item or item_code, applicant=mask_name(applicant), requested_by=clerk or by,
                           requested_at=local_time(at), urgent=kind in rules.URGENT_KINDS)
                 for so_id, kind, at, by, case_id, applicant, item_code, item, clerk in found]
        return Queue(tuple(lines), tuple((label, per.get(k, 0)) for k, label in rules.KINDS.items()),
                     sum(per.values()), self.reports_due(staff_id))

    def reports_due(self, staff_id: str) -> tuple[ReportLine, ...]:
        """The urgent approvals of the chief's departments not yet reported, earliest due first."""
        today = local_today(self.clock)
        with self.store.session() as session:
            depts = self._departments(session, staff_id)
            found = session.exec(
                select(SignOff.id, Case.id, Case.applicant_name, Case.item_code, ServiceItem.name, Staff.name,
                       SignOff.decided_at, SignOff.report_due)
                .join(Case, col(Case.id) == SignOff.case_id)
                .outerjoin(ServiceItem, col(ServiceItem.code) == Case.item_code)
                .outerjoin(Staff, col(Staff.id) == SignOff.decided_by)
                .where(col(SignOff.kind).in_(rules.URGENT_KINDS), SignOff.decision == rules.APPROVED,
                       col(SignOff.reported_by).is_(None), col(SignOff.department_code).in_(depts),
                       self._ours())
                .order_by(col(SignOff.report_due), col(SignOff.id)).limit(QUEUE_PAGE)
            ).all()
        return tuple(ReportLine(so_id, case_id, item or code, mask_name(applicant), chief or "",
                                local_time(at), due, due < today)
                     for so_id, case_id, applicant, code, item, chief, at, due in found)

    def report(self, staff_id: str, sign_off_id: str, text: str) -> None:
        """先批后报: the chief's report of an urgent approval to the department."""
        with self.store.session() as session:
            so = session.get(SignOff, sign_off_id)
            if so is None:
                raise MutationRefused("找不到这条先批后报记录")
            rules.require_report(so.kind, so.decision, so.reported_by, text)  # before anything is queued
        self.bench.apply("signoff.report", {"sign_off_id": sign_off_id, "report": text}, staff_id)

    def entry(self, sign_off_id: str) -> Entry:
        with self.store.session() as session:
            so = session.get(SignOff, sign_off_id)
            case = session.get(Case, so.case_id) if so else None
            if so is None or case is None or self.centre_code not in (case.centre_code, case.back_office_centre):
                raise MutationRefused("找不到这条待签批的申请")
            item = session.get(ServiceItem, case.item_code)
            clerk = session.get(Staff, so.requested_by)
            chief = session.get(Staff, so.decided_by) if so.decided_by else None
            rows = session.exec(select(CaseMaterial).where(CaseMaterial.case_id == case.id)
                                .order_by(col(CaseMaterial.seq))).all()
            org = case.applicant_kind == "organisation"
            return Entry(
                line=_line(so, case, item, clerk), case_version=case.version,
                case_state=states.LABELS.get(case.status, case.status),
                applicant_id=case.applicant_id_number if org else mask_id(case.applicant_id_number),
                item_code=case.item_code,
                materials=tuple(MaterialLine(r.name, r.required, STATE_LABELS.get(r.state, r.state), r.defect)
                                for r in rows),
                reason=so.reason, legal_basis=so.legal_basis, referred_to=case.referred_to,
                decision=so.decision, decided_by=chief.name if chief else "", comment=so.comment,
                asked=_asked(so, rows), days=so.supplement_days,
            )

    def authorisations(self, staff_id: str) -> list[AuthorisationView]:
        """The chief's authorisations (and those they hold as deputy), to show them."""
        today = local_today(self.clock)
        with self.store.session() as session:
            found = session.exec(select(Authorisation).where(
                (Authorisation.chief_id == staff_id) | (Authorisation.deputy_id == staff_id))).all()
            names = {i.code: i.name for i in session.exec(select(ServiceItem)).all()}
            out = []
            for a in found:
                dept = session.get(Department, a.department_code)
                deputy = session.get(Staff, a.deputy_id) if a.deputy_id else None
                out.append(AuthorisationView(
                    dept.name if dept else a.department_code, a.document,
                    tuple(names.get(x, x) for x in a.final_items), tuple(names.get(x, x) for x in a.review_items),
                    a.valid_from, a.expires, deputy.name if deputy else "", a.deputy_id == staff_id,
                    a.valid_from <= today <= a.expires))
        return sorted(out, key=lambda v: v.valid_from)

    def requests_of(self, clerk_id: str) -> list[Entry]:
        """The requests a clerk filed, newest first: waiting, or decided with the opinion."""
        with self.store.session() as session:
            ids = session.exec(select(SignOff.id).where(SignOff.requested_by == clerk_id)
                               .order_by(col(SignOff.requested_at).desc())).all()
        return [self.entry(i) for i in ids]

    def print_arrived(self, clerk_id: str) -> tuple[str, ...]:
        """Print, at the clerk's own counter, the papers of decisions on the clerk's requests
        that came in from the chief's counter and were printed nowhere yet (the applicant
        waits at this window, not at the chief's). One message per paper, for the screen.

        Only at the centre the case was taken in: a county reviewer's 退回补正 of a township's
        case (县事乡办) prints at the township, for the clerk who took the case in, where the
        applicant comes — not in the county back office."""
        with self.store.session() as session:
            here = Case.centre_code == self.centre_code
            for_me = or_(SignOff.requested_by == clerk_id,
                         and_(Case.handler_id == clerk_id, Case.back_office_centre != self.centre_code))
            found = session.exec(
                select(Notice, SignOff, Staff)
                .join(SignOff, col(SignOff.case_id) == Notice.case_id)
                .join(Case, col(Case.id) == Notice.case_id)
                .join(Staff, col(Staff.id) == Notice.created_by)  # the chief whose decision made it
                .where(here, for_me, col(SignOff.decision).is_not(None),
                       col(Notice.kind).in_(set(rules.APPROVAL_PAPERS.values())),
                       ~col(Notice.id).in_(select(NoticePrint.notice_id)))
            ).all()
            # One line per paper: a case with two decided sign-offs (a second 退回补正) joins twice.
            made = list({n.id: (n.id, paper_kind(n.kind).title, n.doc_no, chief.name) for n, _so, chief in found
                         if n.id not in self._tried}.values())
        self._tried.update(i for i, *_rest in made)  # a paper that would not print is told once
        if not made:
            return ()
        printed = self._print(clerk_id, tuple((i, t, d) for i, t, d, _c in made))
        return tuple(f"{chief}已签批同意：{message}" for (_i, _t, _d, chief), message in zip(made, printed,
                                                                                        strict=True))

    def decisions_arrived(self, clerk_id: str) -> tuple[str, ...]:
        """The chief's decisions on the clerk's requests that came in since this counter
        started and print nothing here (即办, 急办, anything sent back): one line each, once,
        so the clerk hears of it on whatever screen they are."""
        with self.store.session() as session:
            found = session.exec(
                select(SignOff, Case.applicant_name, ServiceItem.name, Staff.name)
                .join(Case, col(Case.id) == SignOff.case_id)
                .outerjoin(ServiceItem, col(ServiceItem.code) == Case.item_code)
                .join(Staff, col(Staff.id) == SignOff.decided_by)
                .where(SignOff.requested_by == clerk_id, col(SignOff.decision).is_not(None),
                       col(SignOff.decided_at) >= self._since)
            ).all()
        out = []
        for so, applicant, item, chief in found:
            prints = so.decision == rules.APPROVED and so.kind in rules.APPROVAL_PAPERS  # told by print_arrived
            if so.id in self._told or prints:
                continue
            self._told.add(so.id)
            said = f"{chief}{rules.DECIDED_LABELS[so.decision]}{rules.KINDS.get(so.kind, so.kind)}：{item}（{mask_name(applicant)}）"
            out.append(said + (f"，意见：{so.comment}" if so.decision == rules.SENT_BACK else ""))
        return tuple(out)

    def _ours(self):
        """This centre's cases, and a township's that this (county) centre's back office decides
        (县事乡办): a 即办件 taken in at the township waits for the county department's chief."""
        return or_(Case.centre_code == self.centre_code, Case.back_office_centre == self.centre_code)

    def _departments(self, session: Session, staff_id: str) -> list[str]:
        staff = session.get(Staff, staff_id)
        auths = session.exec(select(Authorisation.department_code).where(
            (Authorisation.chief_id == staff_id) | (Authorisation.deputy_id == staff_id))).all()
        return sorted({*auths, *([staff.department_code] if staff and staff.department_code else [])})

    # -- the decision -----------------------------------------------------------------

    def decide(self, staff_id: str, password: str, sign_off_id: str, decision: str, opinion: str,
               print_papers: bool = True) -> Decided:
        """Approve or send back ``sign_off_id`` with ``opinion``, after the password again."""
        if decision not in rules.DECISIONS:
            raise MutationRefused(f"未知的签批结论：{decision}")
        seen = self.entry(sign_off_id)
        with self.store.session() as session:
            staff = session.get(Staff, staff_id)
            if staff is None:
                raise MutationRefused("签批须由签到的首席事务代表操作")
            # Checked before the password and the papers: a refusal here stores nothing.
            rules.require_open(seen.decision, seen.decided_by, "此前")
            rules.require_opinion(opinion, (staff.name, staff.username))
            self._require_authority(session, staff, sign_off_id)
        key = self._unlock(staff, password)
        notices = self._papers(staff, sign_off_id) if decision == rules.APPROVED and seen.line.kind in rules.APPROVAL_PAPERS else []
        dumped = [NoticeArgs.model_validate(n).model_dump(mode="json") for n in notices]
        signed_at = self.clock.now().isoformat()
        with self.store.session() as session:
            cid = client_id(session)
        message = rules.statement(cid, sign_off_id, staff_id, decision, opinion, rules.digest(dumped), signed_at)
        self.bench.apply("signoff.decide", {
            "sign_off_id": sign_off_id, "case_version": seen.case_version, "decision": decision, "opinion": opinion,
            "signed_at": signed_at, "signature": key.sign(message), "notices": dumped,
        }, staff_id)
        made = tuple((n["id"], paper_kind(n["paper"]["body"]["kind"]).title, n["paper"]["doc_no"]) for n in dumped)
        messages = self._print(staff_id, made) if print_papers else ()
        return Decided(self.entry(sign_off_id), made, messages)

    def _require_authority(self, session: Session, staff: Staff, sign_off_id: str) -> None:
        so = session.get(SignOff, sign_off_id)
        case = session.get(Case, so.case_id) if so else None
        item = session.get(ServiceItem, case.item_code) if case else None
        if so is None or item is None:
            raise MutationRefused("找不到这条待签批的申请")
        auths = session.exec(select(Authorisation).where(Authorisation.department_code == so.department_code)).all()
        rules.require_authority(auths, staff.id, so.department_code, item.code, item.name, local_today(self.clock),
                                so.kind)

    def _unlock(self, staff: Staff, password: str):
        try:
            unlocked = sign_in(self.store, self.clock, staff.username, password, self.max_failures,
                               self.lockout_minutes)
        except SignInError as exc:
            raise SignInError(f"签批前密码验证失败：{exc.message}") from exc
        return unlocked.key

    def _papers(self, chief: Staff, sign_off_id: str) -> list[dict]:
        """The paper an approval prints (PAPERS): a refusal's 不予受理通知书, a return's 退回补正通知书."""
        series = numbers.store_series(self.store)
        with self.store.session() as session:
            so = session.get(SignOff, sign_off_id)
            assert so is not None
            kind = rules.APPROVAL_PAPERS[so.kind]
            # Issued by the deciding centre (县事乡办: the county for a township's case): its
            # name and seal, as its number says.
            s = replace(self._setting(session, so), centre=session.get(Centre, self.centre_code))
            seq = numbers.next_seq(session, self.centre_code, kind, s.today.year, series)
            doc_no = numbers.format_doc_no(numbers.issuer_code(s.centre, s.department, kind),
                                           paper_kind(kind).type_code, s.today.year, series, seq)
            body = self._refusal(session, so, s, chief) if kind == "refusal" else self._return(session, so, s, chief)
            return [{"id": new_id(), "series": series, "seq": seq, "paper": papers.paper(s, doc_no, body)}]

    def _refusal(self, session: Session, so: SignOff, s: papers.Setting, chief: Staff) -> c.RefusalBody:
        """Reasons, the competent office, the rights from the department's reference data."""
        dept = session.get(Department, so.department_code)
        office = c.Destination(place=s.case.referred_to) if s.case.referred_to else None
        return c.RefusalBody(applied_on=s.case.received_on or s.today, reasons=so.reason, clause=so.legal_basis,
                             competent_office=office, rights=papers.rights(dept, s.centre, s.item),
                             approved_by=chief.name)

    def _return(self, session: Session, so: SignOff, s: papers.Setting, chief: Staff) -> c.ReturnSupplementBody:
        """The materials asked for, each with what is wrong; the deadline from today."""
        due = load.calendar(session).add_working_days(s.today, so.supplement_days).date
        return papers.returned(s.case, s.rows, json.loads(so.supplement or "[]"), so.reason, s.today, due, chief.name)

    def _setting(self, session: Session, so: SignOff) -> papers.Setting:
        case = session.get(Case, so.case_id)
        assert case is not None
        item, centre = session.get(ServiceItem, case.item_code), session.get(Centre, case.centre_code)
        clerk = session.get(Staff, so.requested_by)
        if item is None or centre is None or clerk is None:
            raise MutationRefused("办件的事项、中心或工作人员已不在基础数据中，不能出具文书")
        window = session.get(Window, case.window_id) if case.window_id else None
        rows = list(session.exec(select(CaseMaterial).where(CaseMaterial.case_id == case.id)
                                 .order_by(col(CaseMaterial.seq))).all())
        return papers.Setting(case, rows, item, centre, clerk, window, local_today(self.clock), "",
                              session.get(Department, item.department_code))

    def _print(self, staff_id: str, made: tuple[tuple[str, str, str], ...]) -> tuple[str, ...]:
        if self.notices is None:
            return tuple(f"{title}（{doc}）已出具，本机未设置打印" for _i, title, doc in made)
        out = []
        for nid, title, doc in made:
            try:
                out.append(self.notices.print_notice(nid, staff_id).message)
            except UserFacingError as exc:  # the notice is kept: it can be printed again
                out.append(f"{title}（{doc}）未能打印：{exc.message}")
        return tuple(out)


def _asked(so: SignOff, rows: list[CaseMaterial]) -> tuple[tuple[str, str], ...]:
    names = {r.material_id: r.name for r in rows}
    return tuple((names.get(a["material_id"], a["material_id"]), a["defect"]) for a in json.loads(so.supplement or "[]"))


def _line(so: SignOff, case: Case, item: ServiceItem | None, clerk: Staff | None) -> QueueLine:
    return QueueLine(
        id=so.id, kind=so.kind, kind_label=rules.KINDS.get(so.kind, so.kind), case_id=case.id,
        item_name=item.name if item else case.item_code, applicant=mask_name(case.applicant_name),
        requested_by=clerk.name if clerk else so.requested_by, requested_at=local_time(so.requested_at),
        urgent=so.kind in rules.URGENT_KINDS,
    )
