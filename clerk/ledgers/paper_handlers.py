"""``ledger.paper``: a ledger's paper (指路单, 交办单, 督办单) stored as a notice of its entry.

The body is built inside the mutation from the entry and the reference data, so the
central store stores the same paper; printing and reprinting go through ``desk.notices``.
"""

from __future__ import annotations

from typing import Literal

from sqlmodel import Session, func, select

from clerk.ledgers import deadlines, slips
from clerk.ledgers.registration import today
from clerk.ledgers.steps import actor, check_may, detail, get_entry
from clerk.mutation import MutationArgs, MutationContext, MutationRefused, mutation
from clerk.store.ledger_tables import LedgerEntry
from clerk.store.operations import Notice
from clerk.store.reference import STAFF_ROLES

SlipKind = Literal["guidance_slip", "assignment_slip", "supervision_slip"]


class PaperArgs(MutationArgs):
    notice_id: str
    entry_id: str
    kind: SlipKind
    base_url: str = ""
    """The central store's public address, for the guide's QR code."""


@mutation("ledger.paper", PaperArgs, roles=STAFF_ROLES)
def make_paper(session: Session, args: PaperArgs, ctx: MutationContext) -> Notice:
    entry = get_entry(session, args.entry_id)
    staff = actor(session, ctx)
    check_may(staff, entry, "log")
    if session.get(Notice, args.notice_id) is not None:
        raise MutationRefused("这份单据已经开具过了", f"notice {args.notice_id} exists")
    paper = _build(session, entry, args, ctx)
    notice = Notice(id=args.notice_id, entry_id=entry.id, kind=args.kind, doc_no=paper.doc_no, created_at=ctx.at,
                    created_by=staff.id, body=paper.model_dump_json())
    session.add(notice)
    return notice


def _build(session: Session, entry: LedgerEntry, args: PaperArgs, ctx: MutationContext):
    facts = detail(entry)
    n = _count(session, entry.id, args.kind) + 1
    if args.kind == "guidance_slip":
        if not facts.get("referrals"):
            raise MutationRefused("这条记录还没有引导去向，不能开具指路单", "no referral")
        return slips.guidance_slip(session, entry, ctx.at, args.base_url)
    if args.kind == "assignment_slip":
        if not entry.assignee_id:
            raise MutationRefused("这条记录还没有交办，不能开具交办单", "not assigned")
        return slips.assignment_slip(session, entry, ctx.at, n)
    if "supervision" not in facts:
        raise MutationRefused("这条记录没有督办，不能开具督办单", "not supervised")
    over = deadlines.calendar(session).working_days_between(entry.due_date, today(ctx)).days if entry.due_date else 0
    return slips.supervision_slip(session, entry, ctx.at, over, n)


def _count(session: Session, entry_id: str, kind: str) -> int:
    return session.exec(select(func.count()).select_from(Notice)
                        .where(Notice.entry_id == entry_id, Notice.kind == kind)).one()
