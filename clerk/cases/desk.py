"""The case service for the screens: open, check, decide, print — plain data in and out.

A screen needs nothing else: ``CaseDesk`` reads the views (a case with its checklist and
allowed actions, the clerk's open cases with their next deadline), applies every change as
a mutation (clerk.cases.handlers) and prints each outcome's papers through the existing
print path (``desk.notices``). Errors are UserFacingError with a Chinese message; a
refused action stores nothing.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date

from sqlmodel import col, select

from clerk.backoffice.rules import RESULT_LABELS
from clerk.calendar import WorkCalendar
from clerk.cases import numbers, papers, rules, states
from clerk.cases.handlers import CHANNELS
from clerk.clock import Clock, local_today
from clerk.errors import UserFacingError
from clerk.identity import mask_id, mask_mobile, mask_name
from clerk.ids import new_id
from clerk.mutation import MutationRefused
from clerk.outbox import Workbench
from clerk.papers.kinds import kind as paper_kind
from clerk.papers.prints import NoticePrints
from clerk.store.engine import Store
from clerk.store.operations import Case, CaseMaterial, Notice
from clerk.store.reference import (
    CalendarDay,
    Centre,
    Department,
    ItemMaterial,
    ServiceItem,
    Staff,
    Window,
)


def guide_version(item: ServiceItem, materials: list[ItemMaterial]) -> str:
    """The guide's version as the case records it: the version reference data names, with a
    digest of its checklist beside it — an editor who changes a material but forgets to bump
    the version still makes a new version, so an open case is told its guide changed."""
    named = str(getattr(item, "guide_version", "") or "")
    text = "|".join(f"{m.id}:{m.name}:{m.form}:{m.copies}:{m.required}:{m.deferrable}:{m.standard}" for m in materials)
    digest = hashlib.sha256(text.encode()).hexdigest()[:10]
    return f"{named}-{digest}" if named else f"v-{digest}"


@dataclass(frozen=True)
class MaterialView:
    material_id: str
    seq: int
    name: str
    form: str
    copies: int
    required: bool
    deferrable: bool
    source: str
    standard: str
    state: str
    state_label: str
    received_form: str
    received_copies: int
    defect: str
    exempt_way: str
    licence_no: str
    owed: bool


@dataclass(frozen=True)
class NoticeView:
    id: str
    kind: str
    title: str
    doc_no: str


@dataclass(frozen=True)
class CaseView:
    id: str
    version: int
    state: str
    state_label: str
    item_code: str
    item_name: str
    applicant_name: str
    applicant_id: str
    """Masked (a person's ID number); a credit code is shown whole."""
    applicant_phone: str
    channel: str
    ticket_number: str
    received_on: date | None
    notify_by: date | None
    """The last day for a 一次性告知 (5 working days), while it can still be given."""
    supplement_due: date | None
    owed_due: date | None
    due_date: date | None
    statutory_due: date | None
    acceptance_no: str | None
    allowed: tuple[str, ...]
    warnings: tuple[str, ...]
    materials: tuple[MaterialView, ...]
    notices: tuple[NoticeView, ...]
    public_url: str
    commitment_exclusions: tuple[str, ...] = ()
    """Situations where the item's 告知承诺 is not offered (reference data), for the clerk to ask."""
    case_type: str = ""
    """The item's 即办件 / 承诺件 …: a 即办件 goes to the chief at once (clerk.backoffice)."""
    result_label: str = ""
    """准予许可 / 不予许可 once decided."""


@dataclass(frozen=True)
class OpenCaseLine:
    id: str
    item_name: str
    applicant: str
    """Masked name."""
    state_label: str
    deadline: date | None
    deadline_label: str
    urgency: str
    """"" / "near" / "past": the screen colours near yellow, past red."""


@dataclass(frozen=True)
class Outcome:
    case: CaseView
    notices: tuple[NoticeView, ...]
    messages: tuple[str, ...]
    """What happened to each paper (sent to print, waiting, or why not)."""


class CaseDesk:
    """Everything a screen may ask about cases, for one counter of one centre."""

    def __init__(self, bench: Workbench, store: Store, clock: Clock, centre_code: str, notices: NoticePrints | None,
                 public_base: str = "", near_days: int = 1, supplement_days: int = 10) -> None:
        self.bench, self.store, self.clock, self.centre_code = bench, store, clock, centre_code
        self.notices = notices
        self.public_base = public_base.rstrip("/")
        self.near_days = near_days
        """A deadline this many working days away or fewer is "near"."""
        self.supplement_days = supplement_days
        """The default supplement deadline, in working days (a local rule, NOTICES.md)."""

    # -- opening ----------------------------------------------------------------------

    def open_case(self, staff_id: str, item_code: str, applicant: dict, *, channel: str = "window",
                  ticket_id: str | None = None, window_id: str | None = None) -> CaseView:
        """Open a case of ``item_code`` with the guide's checklist as it stands now."""
        if channel not in CHANNELS:
            raise MutationRefused(f"收件渠道不正确：{channel}")
        with self.store.session() as session:
            item = session.get(ServiceItem, item_code)
            if item is None:
                raise MutationRefused(f"事项 {item_code} 已从事项目录中撤销，不能再收件或受理")
            mats = list(session.exec(select(ItemMaterial).where(ItemMaterial.item_code == item_code)
                                     .order_by(col(ItemMaterial.seq))).all())
            version = guide_version(item, mats)
        case_id = new_id()
        self.bench.apply("case.open", {
            "id": case_id, "item_code": item_code, "applicant": applicant, "channel": channel,
            "ticket_id": ticket_id, "window_id": window_id, "guide_version": version,
            # Random and unguessable, not the case id: it opens the public page (no personal data).
            "public_token": secrets.token_urlsafe(18),
            "materials": [{"material_id": m.id, "seq": m.seq, "name": m.name, "form": m.form, "copies": m.copies,
                           "required": m.required, "deferrable": m.deferrable, "source": m.source,
                           "standard": m.standard} for m in mats],
        }, staff_id)
        return self.case(case_id)

    def returning(self, id_number: str) -> list[OpenCaseLine]:
        """A returning applicant's open cases, found by ID number or credit code."""
        value = id_number.strip().upper().replace(" ", "")
        if not value:
            return []
        with self.store.session() as session:
            found = session.exec(select(Case).where(Case.applicant_id_number == value,
                                                    col(Case.status).in_(states.OPEN),
                                                    Case.centre_code == self.centre_code)).all()
            cal = self.calendar()
            return [self._line(session, c, cal) for c in found]

    # -- the checklist ----------------------------------------------------------------

    def mark(self, staff_id: str, case_id: str, version: int, material_id: str, state: str, **detail) -> CaseView:
        """Set one row: received (received_form, copies) · missing · defective (defect) ·
        exempt (exempt_way, licence_no); ``corrected=True`` for 当场更正."""
        self.bench.apply("case.mark", {"case_id": case_id, "version": version, "material_id": material_id,
                                       "state": state, **detail}, staff_id)
        return self.case(case_id)

    def correct(self, staff_id: str, case_id: str, version: int, material_id: str, received_form: str = "original",
                copies: int = 1) -> CaseView:
        """当场更正: the defect was fixed at the counter, the row becomes received."""
        return self.mark(staff_id, case_id, version, material_id, "received", received_form=received_form,
                         copies=copies, corrected=True)

    # -- outcomes ---------------------------------------------------------------------

    def decide(self, staff_id: str, case_id: str, version: int, action: str, *, deadline: date | None = None,
               reason: str = "", legal_basis: str = "", referred_to: str = "", exclusion: str = "",
               receipt: bool = False, print_papers: bool = True) -> Outcome:
        """Apply outcome ``action`` (clerk.cases.states.INTAKE_ACTIONS) with its papers, then print them."""
        if action not in states.INTAKE_ACTIONS:
            raise MutationRefused(f"未知的办理结论：{action}")
        # Checked here first so that no paper is built for a move the handler will refuse.
        seen = self.case(case_id)
        if seen.version != version:
            raise MutationRefused("该办件已被其他工作人员更新（可能在另一窗口），请刷新后再办理")
        states.require(action, seen.state)
        if action == "notify_supplement" and deadline is None:
            deadline = self.calendar().add_working_days(local_today(self.clock), self.supplement_days).date
        args = {"case_id": case_id, "version": version, "deadline": deadline, "reason": reason,
                "legal_basis": legal_basis, "referred_to": referred_to, "exclusion": exclusion}
        notices = self._papers(staff_id, case_id, action, args, receipt)
        args["notices"] = notices
        self.bench.apply(f"case.{action}", args, staff_id)
        made = tuple(NoticeView(n["id"], n["paper"].kind, paper_kind(n["paper"].kind).title, n["paper"].doc_no)
                     for n in notices)
        messages = self.send_to_print(staff_id, made) if print_papers else ()
        return Outcome(self.case(case_id), made, messages)

    def print_again(self, staff_id: str, notice_id: str) -> str:
        """Reprint a paper of the case (marked 补打)."""
        if self.notices is None:
            raise UserFacingError("本机没有设置A4打印，无法打印通知书")
        return self.notices.print_notice(notice_id, staff_id).message

    def send_to_print(self, staff_id: str, made: tuple[NoticeView, ...]) -> tuple[str, ...]:
        if self.notices is None:
            return tuple(f"{n.title}（{n.doc_no}）已出具，本机未设置打印" for n in made)
        out = []
        for n in made:
            try:
                out.append(self.notices.print_notice(n.id, staff_id).message)
            except UserFacingError as exc:  # the notice is kept: it can be printed again
                out.append(f"{n.title}（{n.doc_no}）未能打印：{exc.message}")
        return tuple(out)

    def _papers(self, staff_id: str, case_id: str, action: str, args: dict, receipt: bool) -> list[dict]:
        from clerk.cases.handlers import PAPERS

        must, may = PAPERS[action]
        kinds = sorted(must) + (["receipt"] if receipt and "receipt" in may else [])
        if action == "accept_committed":
            kinds.append("acceptance")
        if not kinds:
            return []
        series = numbers.store_series(self.store)
        with self.store.session() as session:
            s = self.setting(session, case_id, staff_id)
            year = s.today.year
            nos = {k: (numbers.next_seq(session, self.centre_code, k, year, series)) for k in kinds}
            doc = {k: numbers.format_doc_no(numbers.issuer_code(s.centre, s.department, k), paper_kind(k).type_code,
                                            year, series, seq) for k, seq in nos.items()}
            bodies = self._bodies(session, s, action, args, doc)
        return [{"id": new_id(), "series": series, "seq": nos[k], "paper": papers.paper(s, doc[k], bodies[k])}
                for k in kinds]

    def _bodies(self, session, s: papers.Setting, action: str, args: dict, doc: dict[str, str]) -> dict:
        cal = self.calendar()
        deadline = args["deadline"]
        if action == "refer":
            return {"guidance_slip": papers.guidance_slip(s, args["referred_to"] or "（请填写）", args["reason"]
                                                          or "申请事项不属于本机关职权范围", self.clock.now())}
        if action == "notify_supplement":
            return {"supplement": papers.supplement(s, deadline), "receipt": papers.receipt(s)}
        if action == "withdraw":
            sup = session.exec(select(Notice.doc_no).where(Notice.case_id == s.case.id, Notice.kind == "supplement")
                               .order_by(col(Notice.created_at).desc())).first() or ""
            return {"withdrawal": papers.withdrawal(s, sup)}
        if action == "deny_deferred":
            dept = session.get(Department, s.item.department_code)
            what = "补正期限内补正材料" if s.case.status == states.RETURNED else "承诺期限内补齐容缺材料"
            reason = args["reason"] or f"申请人未在{what}，或补交的材料仍不符合要求"
            return {"deferral_denial": papers.deferral_denial(s, reason, papers.rights(dept, s.centre, s.item))}
        on = rules.acceptance_date(cal, s.case.status == states.RECEIVED, s.case.received_on or s.today,
                                   s.case.complete_on, s.today)
        clocks = rules.acceptance_clocks(cal, s.item, on)
        owed = deadline if action in ("accept_deferred", "accept_committed") and rules.to_supply(s.rows) else None
        acceptance_no = doc.get("acceptance") or doc.get("deferral_notice") or doc.get("commitment", "")
        out = {"acceptance": papers.acceptance(s, acceptance_no, clocks, owed), "receipt": papers.receipt(s)}
        if action == "accept_deferred":
            if deadline is None:
                raise MutationRefused("请填写容缺材料的补齐期限")
            out["deferral_pledge"] = papers.deferral_pledge(s, deadline)
            out["deferral_notice"] = papers.deferral_notice(s, acceptance_no, deadline)
        if action == "accept_committed":
            out["commitment"] = papers.commitment(s, owed)
        return out

    def setting(self, session, case_id: str, staff_id: str) -> papers.Setting:
        case = session.get(Case, case_id)
        if case is None:
            raise MutationRefused("找不到这个办件")
        item = session.get(ServiceItem, case.item_code)
        centre = session.get(Centre, case.centre_code)
        staff = session.get(Staff, staff_id)
        if item is None or centre is None or staff is None:
            raise MutationRefused("办件的事项、中心或工作人员已不在基础数据中，不能出具文书")
        window = session.get(Window, case.window_id) if case.window_id else None
        rows = list(session.exec(select(CaseMaterial).where(CaseMaterial.case_id == case_id)
                                 .order_by(col(CaseMaterial.seq))).all())
        return papers.Setting(case, rows, item, centre, staff, window, local_today(self.clock), self._url(case),
                              session.get(Department, item.department_code))

    # -- views ------------------------------------------------------------------------

    def case(self, case_id: str) -> CaseView:
        with self.store.session() as session:
            case = session.get(Case, case_id)
            if case is None:
                raise MutationRefused("找不到这个办件")
            return self._view(session, case)

    def open_cases(self, staff_id: str) -> list[OpenCaseLine]:
        """The clerk's open cases, the nearest deadline first (none last)."""
        with self.store.session() as session:
            found = session.exec(select(Case).where(Case.handler_id == staff_id,
                                                    col(Case.status).in_(states.OPEN))).all()
            cal = self.calendar()
            lines = [self._line(session, c, cal) for c in found]
        return sorted(lines, key=lambda ln: (ln.deadline is None, ln.deadline or date.max))

    def _view(self, session, case: Case) -> CaseView:
        item = session.get(ServiceItem, case.item_code)
        rows = list(session.exec(select(CaseMaterial).where(CaseMaterial.case_id == case.id)
                                 .order_by(col(CaseMaterial.seq))).all())
        notices = session.exec(select(Notice).where(Notice.case_id == case.id).order_by(col(Notice.created_at))).all()
        cal = self.calendar()
        notify = rules.notify_by(cal, case.received_on) if case.status == states.RECEIVED and case.received_on else None
        return CaseView(
            id=case.id, version=case.version, state=case.status, state_label=states.LABELS.get(case.status, case.status),
            item_code=case.item_code, item_name=item.name if item else case.item_code,
            applicant_name=case.applicant_name,
            applicant_id=case.applicant_id_number if case.applicant_kind == "organisation"
            else mask_id(case.applicant_id_number),
            applicant_phone=mask_mobile(case.applicant_phone) if case.applicant_phone else "",
            channel=CHANNELS.get(case.channel, case.channel), ticket_number=case.ticket_number,
            received_on=case.received_on, notify_by=notify, supplement_due=case.supplement_due,
            owed_due=case.owed_due, due_date=case.due_date, statutory_due=case.statutory_due,
            acceptance_no=case.acceptance_no, allowed=tuple(a for a in states.allowed(case.status) if a in states.INTAKE_ACTIONS),
            warnings=tuple(self._warnings(session, case, item)),
            materials=tuple(_material(r) for r in rows),
            notices=tuple(NoticeView(n.id, n.kind, paper_kind(n.kind).title, n.doc_no) for n in notices),
            public_url=self._url(case),
            commitment_exclusions=tuple(getattr(item, "commitment_exclusions", None) or ()),
            case_type=item.case_type if item else "", result_label=RESULT_LABELS.get(case.result, ""),
        )

    def _warnings(self, session, case: Case, item: ServiceItem | None) -> list[str]:
        out = []
        if case.applicant_id_warning:
            out.append(case.applicant_id_warning)
        if item is None or getattr(item, "withdrawn", False) or not getattr(item, "active", True):
            out.append("本事项已从事项目录中撤销，不能再受理")
        elif case.status in states.INTAKE:
            mats = list(session.exec(select(ItemMaterial).where(ItemMaterial.item_code == item.code)
                                     .order_by(col(ItemMaterial.seq))).all())
            if guide_version(item, mats) != case.guide_version:
                out.append("该事项的办事指南已更新；本办件按收件时的版本办理，材料清单不变")
        return out

    def _line(self, session, case: Case, cal: WorkCalendar) -> OpenCaseLine:
        item = session.get(ServiceItem, case.item_code)
        deadline, label = rules.next_deadline(cal, case)
        today = local_today(self.clock)
        urgency = ""
        if deadline is not None:
            if deadline < today:
                urgency = "past"
            elif cal.working_days_between(today, deadline).days <= self.near_days:
                urgency = "near"
        return OpenCaseLine(case.id, item.name if item else case.item_code, mask_name(case.applicant_name),
                            states.LABELS.get(case.status, case.status), deadline, label, urgency)

    def _url(self, case: Case) -> str:
        return f"{self.public_base}/case/{case.public_token}" if self.public_base and case.public_token else ""

    def calendar(self) -> WorkCalendar:
        with self.store.session() as session:
            return WorkCalendar.from_rows(session.exec(select(CalendarDay)).all())


def _material(r: CaseMaterial) -> MaterialView:
    return MaterialView(r.material_id, r.seq, r.name, r.form, r.copies, r.required, r.deferrable, r.source,
                        r.standard, r.state, rules.STATE_LABELS.get(r.state, r.state), r.received_form,
                        r.received_copies, r.defect, r.exempt_way, r.licence_no, r.owed)

