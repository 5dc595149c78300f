"""Case mutations: open, one checklist row, and one mutation per outcome of Art 32.

Each handler runs on the counter (committed with its outbox row) and again on the central
store when pushed, so everything it decides is decided from its arguments and the store:
the role (``roles``), the centre (the actor's), the version the clerk saw (a second clerk
on an old view is refused) and the state machine (clerk.cases.states). The papers an
outcome prints travel in its arguments, whole, with their numbers (clerk.cases.numbers).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Literal

from pydantic import Field
from sqlmodel import Session, col, select

from clerk.backoffice import clock
from clerk.cases import load, numbers, rules, states
from clerk.cases.applicant import Applicant, ApplicantArgs
from clerk.mutation import MutationArgs, MutationContext, MutationRefused, mutation
from clerk.papers.content import Paper
from clerk.papers.kinds import kind as paper_kind
from clerk.store.operations import Case, CaseMaterial, Notice, SignOff, Ticket
from clerk.store.reference import STAFF_ROLES, Centre, Department, ItemMaterial, ServiceItem

Channel = Literal["window", "post", "online", "home_visit", "cross_region"]
CHANNELS = {"window": "窗口", "post": "邮寄", "online": "网上申请", "home_visit": "上门办", "cross_region": "跨域代收"}


class MaterialSnapshot(MutationArgs):
    """One material of the guide as the counter saw it when the case was opened."""

    material_id: str
    seq: int
    name: str
    form: str = ""
    copies: int = 1
    required: bool = True
    deferrable: bool = False
    source: str = ""
    standard: str = ""


class OpenArgs(MutationArgs):
    id: str
    item_code: str
    applicant: ApplicantArgs
    channel: Channel = "window"
    ticket_id: str | None = None
    window_id: str | None = None
    guide_version: str
    materials: tuple[MaterialSnapshot, ...]
    public_token: str = Field(min_length=16)


@mutation("case.open", OpenArgs, roles=STAFF_ROLES)
def open_case(session: Session, args: OpenArgs, ctx: MutationContext) -> Case:
    staff = load.actor(session, ctx)
    item = load.live_item(session, args.item_code)
    if session.get(Case, args.id) is not None:
        raise MutationRefused("该办件已存在", f"case {args.id} exists")
    today = load.today(ctx)
    who = Applicant(args.applicant, today)
    line_id, number = _ticket(session, args.ticket_id, staff.centre_code)
    known = {m.id for m in _item_materials(session, item.code)}
    if not args.materials or any(m.material_id not in known for m in args.materials):
        raise MutationRefused(f"事项“{item.name}”的办事指南已更新，请重新打开办件", "materials not in the guide")
    case = Case(
        id=args.id, centre_code=staff.centre_code, item_code=item.code, ticket_id=args.ticket_id,
        ticket_line_id=line_id, ticket_number=number, channel=args.channel, guide_version=args.guide_version,
        applicant_kind=who.kind, applicant_name=who.name, applicant_id_number=who.id_number,
        applicant_phone=who.phone, applicant_email=who.email, notify_consent=who.notify_consent,
        applicant_legal_rep=who.legal_rep, applicant_id_warning=who.warning,
        agent_name=who.agent_name, agent_id_number=who.agent_id_number, agent_id_kind=who.id_kind,
        power_of_attorney=who.power_of_attorney, status=states.RECEIVED, received_at=ctx.at,
        received_on=today, handler_id=staff.id, window_id=args.window_id, public_token=args.public_token,
        # Known from the start: a refusal or 即办 request waits for the deciding centre's chief.
        back_office_centre=load.back_office_of(session, staff.centre_code, item),
    )
    session.add(case)
    session.flush()
    session.add_all(
        CaseMaterial(case_id=case.id, material_id=m.material_id, seq=m.seq, name=m.name, form=m.form,
                     copies=m.copies, required=m.required, deferrable=m.deferrable, source=m.source,
                     standard=m.standard)
        for m in args.materials
    )
    return case


def _item_materials(session: Session, code: str) -> list[ItemMaterial]:
    return list(session.exec(select(ItemMaterial).where(ItemMaterial.item_code == code)).all())


def _ticket(session: Session, ticket_id: str | None, centre: str) -> tuple[str | None, str]:
    if ticket_id is None:
        return None, ""
    ticket = session.get(Ticket, ticket_id)
    if ticket is None or ticket.centre_code != centre:
        raise MutationRefused("找不到这张号票，不能关联办件", f"unknown ticket {ticket_id}")
    return ticket.line_id, ticket.number


# -- the checklist ----------------------------------------------------------------------


class MarkArgs(MutationArgs):
    case_id: str
    version: int
    material_id: str
    state: Literal["pending", "received", "missing", "defective", "exempt"]
    received_form: Literal["", "original", "copy"] = ""
    copies: int = Field(default=0, ge=0, le=999)
    defect: str = Field(default="", max_length=200)
    exempt_way: Literal["", "data_sharing", "e_licence", "online"] = ""
    licence_no: str = Field(default="", max_length=60)
    corrected: bool = False
    """当场更正: the defect was fixed at the counter (the row goes from defective to received)."""


@mutation("case.mark", MarkArgs, roles=STAFF_ROLES)
def mark(session: Session, args: MarkArgs, ctx: MutationContext) -> CaseMaterial:
    case = load.case_for_update(session, ctx, args.case_id, args.version)
    row = session.get(CaseMaterial, (case.id, args.material_id))
    if row is None:
        raise MutationRefused("该材料不在本事项的办事指南材料清单中", f"material {args.material_id}")
    if case.status in states.OWING:
        if not row.owed:
            owed = "退回补正的" if case.status == states.RETURNED else "尚欠的容缺（承诺）"
            raise MutationRefused(f"办件已受理，只能登记{owed}材料")
    elif case.status not in states.INTAKE:
        raise MutationRefused(f"办件已{states.LABELS[case.status]}，材料清单不能再修改")
    if args.corrected and row.state != rules.DEFECTIVE:
        raise MutationRefused("只有登记为“有误”的材料才能当场更正")
    if args.state == rules.EXEMPT:
        _check_exempt_way(session, row, args.exempt_way)
    _set_row(row, args, load.today(ctx))
    session.add(row)
    session.flush()
    everything = load.rows(session, case.id)
    if case.status in states.INTAKE:
        # The acceptance date after a 补正 is the day the case became complete.
        case.complete_on = load.today(ctx) if not rules.blocking(everything) else None
    session.add(case)
    return row


def _check_exempt_way(session: Session, row: CaseMaterial, way: str) -> None:
    """Where the guide names the ways a material may be 免提交, only those (reference data)."""
    guide = session.get(ItemMaterial, row.material_id)
    ways = list(getattr(guide, "exempt_ways", None) or [])
    if ways and way and way not in ways:
        allowed = "、".join(rules.EXEMPT_WAYS.get(w, w) for w in ways)
        raise MutationRefused(f"“{row.name}”只能通过{allowed}免提交")


def _set_row(row: CaseMaterial, args: MarkArgs, today: date) -> None:
    state = args.state
    if state == rules.RECEIVED and not args.received_form:
        raise MutationRefused(f"请注明“{row.name}”收取的是原件还是复印件")
    if state == rules.RECEIVED and args.copies < 1:
        raise MutationRefused(f"请填写“{row.name}”的份数")
    if state == rules.DEFECTIVE and not args.defect.strip():
        raise MutationRefused(f"请写明“{row.name}”有什么问题")
    if state == rules.EXEMPT and not args.exempt_way:
        raise MutationRefused(f"请选择“{row.name}”免提交的方式（数据共享、电子证照或已网上提交）")
    if state == rules.EXEMPT and args.exempt_way == "e_licence" and not args.licence_no.strip():
        raise MutationRefused(f"请填写“{row.name}”的电子证照编号")
    row.state = state
    row.received = state in (rules.RECEIVED, rules.EXEMPT)
    row.received_form = args.received_form if state == rules.RECEIVED else ""
    row.received_copies = args.copies if state == rules.RECEIVED else 0
    row.defect = args.defect.strip() if state == rules.DEFECTIVE else ""
    row.exempt_way = args.exempt_way if state == rules.EXEMPT else ""
    row.licence_no = args.licence_no.strip() if state == rules.EXEMPT else ""
    row.received_on = today if row.received else None


# -- outcomes ---------------------------------------------------------------------------


class NoticeArgs(MutationArgs):
    id: str
    series: int = Field(ge=0, le=4)
    seq: int = Field(ge=1, le=2**31 - 1)  # a forged huge number is refused, not a server error on PostgreSQL
    paper: Paper


class OutcomeArgs(MutationArgs):
    case_id: str
    version: int
    notices: tuple[NoticeArgs, ...] = ()
    deadline: date | None = None
    """一次性告知: the supplement deadline; 容缺 / 告知承诺: when what is owed must be in."""
    reason: str = Field(default="", max_length=500)
    legal_basis: str = Field(default="", max_length=300)
    referred_to: str = Field(default="", max_length=200)
    exclusion: str = Field(default="", max_length=200)
    """告知承诺: an excluded matter that applies to this application (refuses it)."""


PAPERS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    # action: (papers it must print, papers it may print besides)
    "not_required": (frozenset(), frozenset()),
    "refer": (frozenset({"guidance_slip"}), frozenset()),
    "request_refusal": (frozenset(), frozenset()),
    "notify_supplement": (frozenset({"supplement"}), frozenset({"receipt"})),
    "accept": (frozenset({"acceptance"}), frozenset({"receipt"})),
    "accept_deferred": (frozenset({"deferral_pledge", "deferral_notice"}), frozenset({"acceptance", "receipt"})),
    "accept_committed": (frozenset({"commitment"}), frozenset({"acceptance", "receipt"})),
    "withdraw": (frozenset({"withdrawal"}), frozenset()),
    "deny_deferred": (frozenset({"deferral_denial"}), frozenset()),
    "settle_owed": (frozenset(), frozenset()),
}


def _outcome(action: str):
    def handler(session: Session, args: OutcomeArgs, ctx: MutationContext) -> Case:
        case = load.case_for_update(session, ctx, args.case_id, args.version)
        target = states.require(action, case.status)
        _check_papers(action, args.notices)
        RULES[action](session, case, args, ctx)
        case.status = target
        session.add(case)
        _store_notices(session, case, args.notices, ctx)
        if target in (states.ACCEPTED, states.DEFERRED, states.COMMITTED) and case.acceptance_no is None:
            case.acceptance_no = _acceptance_no(case, args.notices)
        return case

    mutation(f"case.{action}", OutcomeArgs, roles=STAFF_ROLES)(handler)
    return handler


def _check_papers(action: str, notices: tuple[NoticeArgs, ...]) -> None:
    must, may = PAPERS[action]
    kinds = [n.paper.kind for n in notices]
    if len(set(kinds)) != len(kinds) or not must <= set(kinds) <= must | may:
        raise MutationRefused("出具的文书与办理结论不符", f"{action} with papers {kinds}")


def _store_notices(session: Session, case: Case, notices: tuple[NoticeArgs, ...], ctx: MutationContext) -> None:
    """The papers of a move, numbered in the series of the counter that made them: a series
    belongs to a counter of the actor's centre (clerk.cases.numbers), so a county reviewer's
    decision on a township case is numbered by the county, never in a township series that a
    township counter with the same band also writes."""
    centre = session.get(Centre, load.actor(session, ctx).centre_code)
    assert centre is not None
    item = session.get(ServiceItem, case.item_code)
    department = session.get(Department, item.department_code) if item else None
    for n in notices:
        type_code = paper_kind(n.paper.kind).type_code
        year = n.paper.issued_on.year
        numbers.check_seq(session, centre.code, type_code, year, n.series, n.seq)
        office = numbers.issuer_code(centre, department, n.paper.kind)
        doc_no = numbers.format_doc_no(office, type_code, year, n.series, n.seq)
        if n.paper.doc_no != doc_no:
            raise MutationRefused("文书编号与编号段不符，请重试", f"{n.paper.doc_no} != {doc_no}")
        session.add(Notice(id=n.id, case_id=case.id, kind=n.paper.kind, doc_no=doc_no, created_at=ctx.at,
                           created_by=ctx.actor_id or "", body=n.paper.model_dump_json(), centre_code=centre.code,
                           type_code=type_code, year=year, series=n.series, seq=n.seq))
        session.flush()


def _not_required(session: Session, case: Case, args: OutcomeArgs, ctx: MutationContext) -> None:
    case.closed_reason = args.reason.strip() or "依法不需要取得行政许可"


def _refer(session: Session, case: Case, args: OutcomeArgs, ctx: MutationContext) -> None:
    if not args.referred_to.strip():
        raise MutationRefused("请写明应当前往的有权机关（窗口或单位）")
    case.referred_to = args.referred_to.strip()
    case.closed_reason = args.reason.strip() or "申请事项依法不属于本机关职权范围"


def _request_refusal(session: Session, case: Case, args: OutcomeArgs, ctx: MutationContext) -> None:
    if not args.reason.strip() or not args.legal_basis.strip():
        raise MutationRefused("提请不予受理须写明理由和法律依据")
    item = load.live_item(session, case.item_code)
    # The window has no veto (001, 002): the chief representative decides (next issue).
    session.add(SignOff(id=f"{case.id}:refusal:{case.version}", case_id=case.id, kind="refusal",
                        requested_by=ctx.actor_id or "", requested_at=ctx.at, reason=args.reason.strip(),
                        legal_basis=args.legal_basis.strip(), department_code=item.department_code))
    case.referred_to = args.referred_to.strip()


def _notify_supplement(session: Session, case: Case, args: OutcomeArgs, ctx: MutationContext) -> None:
    cal, today = load.calendar(session), load.today(ctx)
    if case.received_on and today > rules.notify_by(cal, case.received_on):
        raise MutationRefused(
            f"收件已超过{rules.NOTIFY_DAYS}个工作日未一次性告知，依法自收件之日起视为受理，请直接受理",
        )
    rules.require_supplement(load.rows(session, case.id))
    if args.deadline is None or args.deadline <= today:
        raise MutationRefused("请填写晚于今天的补正期限")
    case.supplement_notified_on = today
    case.supplement_due = args.deadline


def _accept(session: Session, case: Case, args: OutcomeArgs, ctx: MutationContext) -> None:
    item = load.live_item(session, case.item_code)
    rules.require_complete(load.rows(session, case.id))
    _set_accepted(session, case, item, ctx, "full")


def _set_accepted(session: Session, case: Case, item, ctx: MutationContext, via: str) -> rules.Clocks:
    cal, today = load.calendar(session), load.today(ctx)
    on = rules.acceptance_date(cal, case.status == states.RECEIVED, case.received_on or today, case.complete_on, today)
    clocks = rules.acceptance_clocks(cal, item, on)
    case.accepted_at = ctx.at
    case.back_office_centre = load.back_office_of(session, case.centre_code, item)
    case.complete_on = case.complete_on or on
    case.due_date, case.statutory_due, case.due_provisional = clocks.due, clocks.statutory_due, clocks.provisional
    case.accepted_via = via
    return clocks


def _acceptance_no(case: Case, notices: tuple[NoticeArgs, ...]) -> str:
    """The acceptance number is the number of the paper that accepts (受 / 容 / 诺)."""
    by_kind = {n.paper.kind: n.paper.doc_no for n in notices}
    for k in ("acceptance", "deferral_notice", "commitment"):
        if k in by_kind:
            return by_kind[k]
    return f"{case.centre_code}-{case.id}"


def _owe(session: Session, case: Case, owed: list[CaseMaterial], args: OutcomeArgs, clocks: rules.Clocks,
         today: date) -> None:
    if owed:
        case.owed_due = rules.require_owed_deadline(args.deadline, today, clocks.due)
    for row in owed:
        row.owed = True
        session.add(row)


def _accept_deferred(session: Session, case: Case, args: OutcomeArgs, ctx: MutationContext) -> None:
    item = load.live_item(session, case.item_code)
    owed = rules.require_deferral(item, load.rows(session, case.id))
    clocks = _set_accepted(session, case, item, ctx, "deferral")
    _owe(session, case, owed, args, clocks, load.today(ctx))


def _accept_committed(session: Session, case: Case, args: OutcomeArgs, ctx: MutationContext) -> None:
    item = load.live_item(session, case.item_code)
    owed = rules.require_commitment(item, load.rows(session, case.id), args.exclusion.strip())
    clocks = _set_accepted(session, case, item, ctx, "commitment")
    _owe(session, case, owed, args, clocks, load.today(ctx))


def _withdraw(session: Session, case: Case, args: OutcomeArgs, ctx: MutationContext) -> None:
    if case.supplement_due is None or load.today(ctx) <= case.supplement_due:
        raise MutationRefused("补正期限尚未届满，不能按撤回处理")
    case.closed_reason = "逾期未补正，视为撤回申请"


def _deny_deferred(session: Session, case: Case, args: OutcomeArgs, ctx: MutationContext) -> None:
    owed = [r for r in load.rows(session, case.id) if r.owed]
    late = case.owed_due is not None and load.today(ctx) > case.owed_due and any(r.state not in (rules.RECEIVED, rules.EXEMPT) for r in owed)
    # A returned row is 有误 as the reviewer found it (why it went back): only a row the window
    # marked 有误 again, on what the applicant brought, is “still defective”.
    as_returned = _returned_defects(session, case) if case.status == states.RETURNED else {}
    defective = [r for r in owed if r.state == rules.DEFECTIVE and as_returned.get(r.material_id) != r.defect]
    what = "补正材料" if case.status == states.RETURNED else "容缺材料"
    if not late and not defective:
        raise MutationRefused(f"{what}补齐期限未到，且补交的材料无误，不能作出不予批准")
    case.closed_reason = args.reason.strip() or (f"逾期未补齐{what}" if late else f"补交的{what}仍不符合要求")


def _returned_defects(session: Session, case: Case) -> dict[str, str]:
    """Material id → what the approved 退回补正 said is wrong with it (the latest return)."""
    so = session.exec(select(SignOff).where(SignOff.case_id == case.id, SignOff.kind == "return_supplement",
                                            SignOff.decision == "approved")
                      .order_by(col(SignOff.decided_at).desc())).first()
    return {a["material_id"]: a["defect"] for a in json.loads(so.supplement or "[]")} if so else {}


def _settle_owed(session: Session, case: Case, args: OutcomeArgs, ctx: MutationContext) -> None:
    owed = [r for r in load.rows(session, case.id) if r.owed]
    left = [r for r in owed if r.state not in (rules.RECEIVED, rules.EXEMPT)]
    if left:
        what = "补正" if case.status == states.RETURNED else "容缺（承诺）"
        raise MutationRefused(f"还有{what}材料未补齐：" + "、".join(f"“{r.name}”" for r in left))
    for row in owed:
        row.owed = False
        session.add(row)
    case.owed_due = None
    if case.status == states.RETURNED:
        # The time the applicant took to supply is not counted: the limit moves by it.
        clock.restart(session, case, load.today(ctx))


RULES = {
    "not_required": _not_required,
    "refer": _refer,
    "request_refusal": _request_refusal,
    "notify_supplement": _notify_supplement,
    "accept": _accept,
    "accept_deferred": _accept_deferred,
    "accept_committed": _accept_committed,
    "withdraw": _withdraw,
    "deny_deferred": _deny_deferred,
    "settle_owed": _settle_owed,
}

for _action in states.INTAKE_ACTIONS:
    _outcome(_action)
