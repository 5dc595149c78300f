"""The chief representative's decision on a sign-off row, signed with their own key.

``signoff.decide`` runs on the chief's counter and again on the central store. Each time it
checks, from its arguments and the store alone: the signature (the chief's published key,
over this request, this counter, the opinion and the papers), the authorisation (item,
department, dates), that nobody decided the row already, and the case's version. A
refusal's 不予受理通知书 travels in the arguments, so it exists only after the approval.
"""

from __future__ import annotations

import json
from typing import Literal

from pydantic import Field
from sqlmodel import Session, select

from clerk import credentials
from clerk.backoffice import clock
from clerk.cases import load, papers, states
from clerk.cases.handlers import NoticeArgs, _store_notices
from clerk.cases.rules import DEFECTIVE
from clerk.clock import local_time
from clerk.mutation import MutationArgs, MutationContext, MutationRefused, mutation
from clerk.signoff import rules
from clerk.store.operations import Case, SignOff
from clerk.store.reference import Staff
from clerk.store.signoff_tables import Authorisation


class DecideArgs(MutationArgs):
    sign_off_id: str
    case_version: int
    decision: Literal["approved", "sent_back"]
    opinion: str = Field(max_length=500)
    signed_at: str = Field(min_length=1, max_length=64)
    signature: str = Field(min_length=1, max_length=128)
    notices: tuple[NoticeArgs, ...] = ()


@mutation("signoff.decide", DecideArgs, roles={"chief"})
def decide(session: Session, args: DecideArgs, ctx: MutationContext) -> SignOff:
    # For update: the chief and the deputy may push decisions on one row at the same moment
    # from two counters; the second must wait and then see the first, not write over it.
    row = session.get(SignOff, args.sign_off_id, with_for_update=True)
    if row is None:
        raise MutationRefused("找不到这条待签批的申请", f"unknown sign-off {args.sign_off_id}")
    _require_undecided(session, row)
    staff = load.actor(session, ctx)
    opinion = rules.require_opinion(args.opinion, (staff.name, staff.username))
    _require_signature(staff, args, ctx)
    case = load.case_for_update(session, ctx, row.case_id, args.case_version, back_office=True)
    item = load.live_item(session, case.item_code)
    auths = session.exec(select(Authorisation).where(Authorisation.department_code == row.department_code)).all()
    rules.require_authority(auths, staff.id, row.department_code, item.code, item.name, load.today(ctx), row.kind)
    kinds = sorted(n.paper.kind for n in args.notices)
    paper = rules.APPROVAL_PAPERS.get(row.kind) if args.decision == rules.APPROVED else None
    if set(kinds) != ({paper} if paper else set()) or len(kinds) != len(set(kinds)):
        raise MutationRefused("出具的文书与签批结论不符", f"{row.kind}/{args.decision} with papers {kinds}")
    if row.kind == "return_supplement":
        _move_return(session, case, row, args, ctx)
    else:
        _move_case(case, row, args.decision, staff, ctx)
    if row.kind in rules.URGENT_KINDS and args.decision == rules.APPROVED:
        row.report_due = load.calendar(session).add_working_days(load.today(ctx), rules.URGENT_REPORT_DAYS).date
    session.add(case)
    _store_notices(session, case, args.notices, ctx)
    row.decision, row.comment, row.decided_by, row.decided_at = args.decision, opinion, staff.id, ctx.at
    row.signed_at, row.signature, row.decided_client = args.signed_at, args.signature, ctx.client_id
    session.add(row)
    return row


def _require_undecided(session: Session, row: SignOff) -> None:
    if row.decision is None:
        return
    who = session.get(Staff, row.decided_by) if row.decided_by else None
    at = local_time(row.decided_at).strftime("%m月%d日 %H:%M") if row.decided_at else ""
    rules.require_open(row.decision, who.name if who else "其他首席代表", at)


def _require_signature(staff: Staff, args: DecideArgs, ctx: MutationContext) -> None:
    papers = rules.digest([n.model_dump(mode="json") for n in args.notices])
    message = rules.statement(ctx.client_id, args.sign_off_id, staff.id, args.decision, args.opinion, papers,
                              args.signed_at)
    if not credentials.verify(staff.signing_key, message, args.signature):
        raise MutationRefused("签批签名无效：不是本人在本机签批，或签批内容已被改动",
                              f"bad sign-off signature by {staff.id} from {ctx.client_id}")


def _move_case(case: Case, row: SignOff, decision: str, staff: Staff, ctx: MutationContext) -> None:
    if row.kind == "instant_approval":
        _move_instant(case, decision, staff, ctx)
        return
    if row.kind in rules.URGENT_KINDS:
        _move_urgent(case, decision, staff, ctx)
        return
    if row.kind != "refusal":
        return  # the other kinds leave the case where it is (the clerk goes on)
    if case.status != states.REFUSAL_REQUESTED:
        raise MutationRefused(f"办件当前为“{states.LABELS.get(case.status, case.status)}”，不能签批不予受理")
    if decision == rules.APPROVED:
        case.status = states.REFUSED
        case.closed_reason = row.reason
    else:
        case.status = rules.sent_back_state(case.supplement_notified_on is not None)


def _move_instant(case: Case, decision: str, staff: Staff, ctx: MutationContext) -> None:
    """即办件: approved, the result is ready at the same counter; sent back, it goes to the
    department's back office like any 承诺件."""
    if case.status != states.INSTANT_REQUESTED:
        raise MutationRefused(f"办件当前为“{states.LABELS.get(case.status, case.status)}”，不能签批即办")
    if decision != rules.APPROVED:
        case.status = states.ACCEPTED
        return
    case.status, case.result = states.READY, "granted"
    case.decided_by, case.decided_at, case.decided_on, case.ready_at = staff.id, ctx.at, load.today(ctx), ctx.at


def _move_urgent(case: Case, decision: str, staff: Staff, ctx: MutationContext) -> None:
    """先批后报: approved, the decision is the chief's and the result waits at 出件; sent back,
    the case goes on to the department's back office as any accepted case."""
    if case.status != states.URGENT_REQUESTED:
        raise MutationRefused(f"办件当前为“{states.LABELS.get(case.status, case.status)}”，不能签批急办")
    if decision != rules.APPROVED:
        case.status = states.ACCEPTED
        return
    case.status, case.result = states.READY, "granted"
    case.decided_by, case.decided_at, case.decided_on, case.ready_at = staff.id, ctx.at, load.today(ctx), ctx.at


def _move_return(session: Session, case: Case, row: SignOff, args: DecideArgs, ctx: MutationContext) -> None:
    """退回补正: approved, the materials asked for are owed by a deadline and the clock stands
    still until they come (the 退回补正通知书 says both); sent back, the review goes on."""
    if case.status != states.RETURN_REQUESTED:
        raise MutationRefused(f"办件当前为“{states.LABELS.get(case.status, case.status)}”，不能签批退回补正")
    if args.decision != rules.APPROVED:
        case.status = states.ACCEPTED
        return
    today = load.today(ctx)
    due = load.calendar(session).add_working_days(today, row.supplement_days).date
    if any(n.paper.body.deadline != due for n in args.notices):
        raise MutationRefused("退回补正通知书上的补正期限与签批日期不符，请重新签批", f"deadline != {due}")
    listed = load.rows(session, case.id)
    asked_for = json.loads(row.supplement or "[]")
    chief = load.actor(session, ctx)
    expected = papers.returned(case, listed, asked_for, row.reason, today, due, chief.name)
    if any(n.paper.body != expected for n in args.notices):
        raise MutationRefused("退回补正通知书的内容与提请的补正材料、理由不符，请重新签批",
                              f"return paper of {row.id} differs from the request")
    rows = {r.material_id: r for r in listed}
    for asked in asked_for:
        material = rows[asked["material_id"]]
        material.owed, material.state, material.received, material.defect = True, DEFECTIVE, False, asked["defect"]
        session.add(material)
    clock.pause(case, today, back_to=states.ACCEPTED)  # where the review goes on once they come
    case.status, case.owed_due = states.RETURNED, due


class ReportArgs(MutationArgs):
    sign_off_id: str
    report: str = Field(max_length=1000)


@mutation("signoff.report", ReportArgs, roles={"chief"})
def report(session: Session, args: ReportArgs, ctx: MutationContext) -> SignOff:
    """The report of an urgent approval to the department (先批后报), by a chief authorised
    for it; once, late or not (lateness shows against ``report_due``)."""
    row = session.get(SignOff, args.sign_off_id, with_for_update=True)  # one report, as in decide
    if row is None:
        raise MutationRefused("找不到这条先批后报记录", f"unknown sign-off {args.sign_off_id}")
    text = rules.require_report(row.kind, row.decision, row.reported_by, args.report)
    staff = load.actor(session, ctx)
    case = session.get(Case, row.case_id)
    item = load.live_item(session, case.item_code) if case else None
    if case is None or item is None:
        raise MutationRefused("找不到该办件或其事项", f"sign-off {row.id} without case or item")
    if staff.centre_code not in (case.centre_code, case.back_office_centre):
        raise MutationRefused("这不是本中心的办件，不能报告")
    auths = session.exec(select(Authorisation).where(Authorisation.department_code == row.department_code)).all()
    rules.require_authority(auths, staff.id, row.department_code, item.code, item.name, load.today(ctx), row.kind)
    row.report, row.reported_by, row.reported_at = text, staff.id, ctx.at
    session.add(row)
    return row
