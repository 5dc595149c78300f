"""Back-office mutations: from acceptance to 办结, one per move of clerk.cases.states.

Like the intake handlers they run on the counter and again on the central store, and
decide everything from their arguments and the store: the state machine, the case's
version, the department (only the item's own department reviews and decides), 一审一核
(the checker is never the reviewer), the time limit (past it, only after the head's
extension) and the papers each move must carry (a 不予许可决定书 with a denial, a 延期办理
通知书 with an extension, a 特别程序告知书 with a suspension).
"""

from __future__ import annotations

import json
from typing import Literal

from pydantic import Field
from sqlmodel import Session

from clerk.backoffice import clock, rules
from clerk.cases import load, states
from clerk.cases.handlers import NoticeArgs, _store_notices
from clerk.mutation import MutationArgs, MutationContext, MutationRefused, mutation
from clerk.store.operations import Case, SignOff
from clerk.store.reference import BACK_OFFICE_ROLES, STAFF_ROLES, ServiceItem, Staff


class CaseArgs(MutationArgs):
    case_id: str
    version: int
    notices: tuple[NoticeArgs, ...] = ()


class ReviewArgs(CaseArgs):
    proposal: Literal["grant", "deny"]
    opinion: str = Field(max_length=1000)
    legal_basis: str = Field(default="", max_length=300)
    """Required with a proposed 不予许可: it is printed on the decision."""


class CheckArgs(CaseArgs):
    opinion: str = Field(default="", max_length=500)
    """Required (the handler refuses an empty one or a bare name); the default keeps an older
    counter's push readable, so it is refused with the reason rather than as malformed."""


class ReturnArgs(CaseArgs):
    opinion: str = Field(max_length=500)


class ExtendArgs(CaseArgs):
    reason: str = Field(max_length=500)


class SuspendArgs(CaseArgs):
    procedure: str = Field(max_length=100)
    expected_days: int


class DeliverArgs(CaseArgs):
    way: Literal["window", "post", "electronic"]
    notice_checked: bool = False
    id_checked: bool = False
    address: str = Field(default="", max_length=200)
    courier: str = Field(default="", max_length=40)
    tracking_no: str = Field(default="", max_length=40)
    e_address: str = Field(default="", max_length=200)
    """Electronic delivery; with a paper way too when the applicant asked for both."""


class InstantArgs(CaseArgs):
    note: str = Field(default="", max_length=500)


PAPERS = {"extend": {"extension"}, "suspend": {"special_procedure"}, ("check", rules.DENY): {"denial"}}
"""What each move prints; every other move prints nothing."""


def _open(session: Session, ctx: MutationContext, args: CaseArgs, action: str, papers: set[str] = frozenset()):
    """The case (version-checked), the actor and the item; the move and its papers checked."""
    case = load.case_for_update(session, ctx, args.case_id, args.version, back_office=True)
    target = states.require(action, case.status)
    kinds = [n.paper.kind for n in args.notices]
    if len(kinds) != len(set(kinds)) or set(kinds) != set(papers):
        raise MutationRefused("出具的文书与办理结论不符", f"{action} with papers {kinds}")
    staff = load.actor(session, ctx)
    item = session.get(ServiceItem, case.item_code)
    if item is None:
        raise MutationRefused("办件的事项已不在事项目录中", f"unknown item {case.item_code}")
    return case, target, staff, item


def _department(staff: Staff, item: ServiceItem) -> None:
    rules.require_department(staff.role, staff.department_code, item.department_code, item.name)


def _save(session: Session, case: Case, target: str, args: CaseArgs, ctx: MutationContext) -> Case:
    case.status = target
    session.add(case)
    _store_notices(session, case, args.notices, ctx)
    return case


@mutation("case.review", ReviewArgs, roles=BACK_OFFICE_ROLES)
def review(session: Session, args: ReviewArgs, ctx: MutationContext) -> Case:
    case, target, staff, item = _open(session, ctx, args, "review")
    _department(staff, item)
    if item.case_type == rules.INSTANT and not session.exec(
            rules.instant_sent_back().where(SignOff.case_id == case.id)).first():
        raise MutationRefused(f"“{item.name}”是即办件，由窗口提请首席事务代表即办签批；首席代表退回后才转后台审查")
    if case.owed_due is not None:
        raise MutationRefused("本件还有容缺（承诺）材料未补齐，补齐后才能审查")
    case.review_opinion = rules.require_opinion(args.opinion, "审查意见（审查了什么、是否符合法定条件）",
                                                (staff.name, staff.username))
    case.decision_basis = ""
    if args.proposal == rules.DENY:
        case.decision_basis = rules.require_text(args.legal_basis, "不予许可的法律依据")
    case.review_proposal, case.reviewed_by, case.reviewed_at = args.proposal, staff.id, ctx.at
    return _save(session, case, target, args, ctx)


@mutation("case.check", CheckArgs, roles=BACK_OFFICE_ROLES)
def check(session: Session, args: CheckArgs, ctx: MutationContext) -> Case:
    """核准: the second person agrees with the review, and the decision is made."""
    case = session.get(Case, args.case_id)
    proposal = case.review_proposal if case else ""
    case, target, staff, item = _open(session, ctx, args, "check", PAPERS.get(("check", proposal), set()))
    _department(staff, item)
    rules.require_other_person(case.reviewed_by, staff.id)
    rules.require_opinion(args.opinion, "核准意见（如“同意”“经核，符合法定条件”）", (staff.name, staff.username))
    today = load.today(ctx)
    rules.require_within_limit(case.due_date, case.extended_by is not None, today)
    case.result = rules.RESULTS[case.review_proposal]
    case.decided_by, case.decided_at, case.decided_on, case.ready_at = staff.id, ctx.at, today, ctx.at
    if case.result == "denied":
        case.closed_reason = case.review_opinion
    return _save(session, case, target, args, ctx)


@mutation("case.return_review", ReturnArgs, roles=BACK_OFFICE_ROLES)
def return_review(session: Session, args: ReturnArgs, ctx: MutationContext) -> Case:
    """The checker disagrees: back to review, with why (the review is kept in the audit trail)."""
    case, target, staff, item = _open(session, ctx, args, "return_review")
    _department(staff, item)
    rules.require_other_person(case.reviewed_by, staff.id)
    opinion = rules.require_text(args.opinion, "退回意见")
    case.review_opinion = f"{case.review_opinion}\n【核准退回】{opinion}"
    case.review_proposal, case.reviewed_by, case.reviewed_at = "", None, None
    return _save(session, case, target, args, ctx)


@mutation("case.extend", ExtendArgs, roles={"head"})
def extend(session: Session, args: ExtendArgs, ctx: MutationContext) -> Case:
    case, target, staff, item = _open(session, ctx, args, "extend", PAPERS["extend"])
    _department(staff, item)
    rules.require_extension(staff.role, case.extended_by is not None)
    if case.due_date is None:
        raise MutationRefused("本件没有承诺时限，无需延期")
    cal = load.calendar(session)
    case.extension_reason = rules.require_text(args.reason, "延期理由")
    case.due_date = cal.add_working_days(case.due_date, rules.EXTENSION_DAYS).date
    if case.statutory_due is not None:
        case.statutory_due = cal.add_working_days(case.statutory_due, rules.EXTENSION_DAYS).date
    case.extended_by = staff.id
    return _save(session, case, target, args, ctx)


@mutation("case.suspend", SuspendArgs, roles=BACK_OFFICE_ROLES)
def suspend(session: Session, args: SuspendArgs, ctx: MutationContext) -> Case:
    case, target, staff, item = _open(session, ctx, args, "suspend", PAPERS["suspend"])
    _department(staff, item)
    case.suspend_procedure = rules.require_procedure(args.procedure, args.expected_days)
    case.suspend_expected_days = args.expected_days
    clock.pause(case, load.today(ctx))
    return _save(session, case, target, args, ctx)


@mutation("case.resume", CaseArgs, roles=BACK_OFFICE_ROLES)
def resume(session: Session, args: CaseArgs, ctx: MutationContext) -> Case:
    """The procedure is over: the limit moves by the working days it took (Art 45)."""
    case, _same, staff, item = _open(session, ctx, args, "resume")
    _department(staff, item)
    return _save(session, case, clock.restart(session, case, load.today(ctx)), args, ctx)


@mutation("case.deliver", DeliverArgs, roles=STAFF_ROLES)
def deliver(session: Session, args: DeliverArgs, ctx: MutationContext) -> Case:
    """送达: who handed out what, when and how; 办结 closes the case."""
    case, target, staff, _item = _open(session, ctx, args, "deliver")
    detail = []
    if args.way == "window":
        rules.require_window_checks(args.notice_checked, args.id_checked)
        detail.append("窗口领取（已核对受理通知书和身份证件）")
    elif args.way == "post":
        address = rules.require_text(args.address, "邮寄地址")
        case.tracking_no = rules.require_tracking(args.courier, args.tracking_no)
        detail.append(f"邮寄：{address}，{args.courier} {case.tracking_no}")
    if args.way == "electronic" or args.e_address.strip():
        detail.append(f"电子送达：{rules.require_e_address(args.e_address)}")
    both = args.way != "electronic" and bool(args.e_address.strip())
    case.delivery = f"{args.way}+electronic" if both else args.way
    case.delivery_detail = "；".join(detail)
    case.delivered_by, case.delivered_at = staff.id, ctx.at
    return _save(session, case, target, args, ctx)


@mutation("case.request_instant", InstantArgs, roles=STAFF_ROLES)
def request_instant(session: Session, args: InstantArgs, ctx: MutationContext) -> Case:
    """即办件: the chief representative approves at once, while the applicant waits."""
    case, target, staff, item = _open(session, ctx, args, "request_instant")
    if item.case_type != "即办件":
        raise MutationRefused(f"事项“{item.name}”是{item.case_type}，须转后台审查，不能当场即办")
    session.add(SignOff(id=f"{case.id}:instant:{case.version}", case_id=case.id, kind="instant_approval",
                        requested_by=staff.id, requested_at=ctx.at, reason=args.note.strip(),
                        department_code=item.department_code))
    return _save(session, case, target, args, ctx)


class UrgentArgs(CaseArgs):
    reason: str = Field(max_length=500)
    """Why it cannot wait for the back office: the chief reads it, and the report repeats it."""


@mutation("case.request_urgent", UrgentArgs, roles=STAFF_ROLES)
def request_urgent(session: Session, args: UrgentArgs, ctx: MutationContext) -> Case:
    """急需办理: the chief representative approves at once and reports to the department
    afterwards (先批后报, the special power of 003's 授权委托书); sent back, the case goes on
    to the back office as it would have."""
    case, target, staff, item = _open(session, ctx, args, "request_urgent")
    if item.case_type == "即办件":
        raise MutationRefused(f"事项“{item.name}”是即办件，请提请即办签批")
    reason = rules.require_text(args.reason, "急需办理的理由")
    session.add(SignOff(id=f"{case.id}:urgent:{case.version}", case_id=case.id, kind="urgent_report",
                        requested_by=staff.id, requested_at=ctx.at, reason=reason,
                        department_code=item.department_code))
    return _save(session, case, target, args, ctx)


class WithdrawArgs(CaseArgs):
    reason: str = Field(max_length=500)


@mutation("case.applicant_withdraw", WithdrawArgs, roles=STAFF_ROLES)
def applicant_withdraw(session: Session, args: WithdrawArgs, ctx: MutationContext) -> Case:
    """The applicant withdrew in writing before the decision: the case ends here, and a
    sign-off still waiting for it is refused when the chief decides (clerk.signoff)."""
    case, target, _staff, _item = _open(session, ctx, args, "applicant_withdraw")
    case.closed_reason = "申请人撤回申请：" + rules.require_text(args.reason, "撤回的理由或申请人的书面撤回申请")
    return _save(session, case, target, args, ctx)


class ReturnMaterial(MutationArgs):
    material_id: str
    defect: str = Field(max_length=200)
    """What is wrong with it or missing, as the 退回补正通知书 will say."""


class ReturnSupplementArgs(CaseArgs):
    reason: str = Field(max_length=500)
    materials: tuple[ReturnMaterial, ...] = Field(max_length=50)
    days: int = Field(ge=1, le=rules.RETURN_DAYS_MAX)


@mutation("case.request_return", ReturnSupplementArgs, roles=BACK_OFFICE_ROLES)
def request_return(session: Session, args: ReturnSupplementArgs, ctx: MutationContext) -> Case:
    """退回补正: the department's reviewer finds, after acceptance, materials the applicant must
    supply or correct; whether the case goes back is the chief representative's decision
    (003: 对确定退件、补件行使决定权), the materials and days travel on the sign-off."""
    case, target, staff, item = _open(session, ctx, args, "request_return")
    _department(staff, item)
    reason = rules.require_text(args.reason, "退回补正的理由（审查发现了什么问题）")
    asked = rules.require_return_materials(
        {r.material_id: r.name for r in load.rows(session, case.id)},
        [(m.material_id, m.defect) for m in args.materials])
    session.add(SignOff(id=f"{case.id}:return:{case.version}", case_id=case.id, kind="return_supplement",
                        requested_by=staff.id, requested_at=ctx.at, reason=reason,
                        department_code=item.department_code, supplement=json.dumps(asked, ensure_ascii=False),
                        supplement_days=args.days))
    return _save(session, case, target, args, ctx)
