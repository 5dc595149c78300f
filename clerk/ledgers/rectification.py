"""Steps only a rectification has: verification, and the appeal against a rating."""

from __future__ import annotations

from typing import Literal

from sqlmodel import Session

from clerk.ledgers.registration import need
from clerk.ledgers.steps import actor, check_may, detail, get_entry, record, take, with_detail
from clerk.mutation import MutationArgs, MutationContext, MutationRefused, mutation
from clerk.store.ledger_tables import LedgerEntry, Rating
from clerk.store.reference import STAFF_ROLES


class VerifyArgs(MutationArgs):
    entry_id: str
    finding: Literal["valid", "baseless"]
    """Whether the complaint holds; a baseless one is answered with an explanation (002)."""
    note: str = ""


class AppealArgs(MutationArgs):
    entry_id: str
    ground: Literal["mistaken", "malicious"]
    note: str = ""


class RuleAppealArgs(MutationArgs):
    entry_id: str
    upheld: bool
    note: str = ""


@mutation("ledger.verify", VerifyArgs, roles=STAFF_ROLES)
def verify(session: Session, args: VerifyArgs, ctx: MutationContext) -> LedgerEntry:
    entry = get_entry(session, args.entry_id)
    _rectification(entry)
    note = need(args.note, "核实情况")
    return take(session, ctx, entry.id, "verify", note, detail=with_detail(entry, finding=args.finding))


@mutation("ledger.appeal", AppealArgs, roles=STAFF_ROLES)
def appeal(session: Session, args: AppealArgs, ctx: MutationContext) -> LedgerEntry:
    """The rated asks the supervisor to set aside a mistaken or malicious rating."""
    entry = get_entry(session, args.entry_id)
    _rectification(entry)
    note = need(args.note, "申诉理由")
    return take(session, ctx, entry.id, "appeal", note,
                detail=with_detail(entry, appeal={"ground": args.ground, "from": entry.status}))


@mutation("ledger.rule_appeal", RuleAppealArgs, roles={"supervisor"})
def rule_appeal(session: Session, args: RuleAppealArgs, ctx: MutationContext) -> LedgerEntry:
    """Upheld: the rating no longer counts and the rectification closes; else it goes on."""
    entry = get_entry(session, args.entry_id)
    staff = actor(session, ctx)
    check_may(staff, entry, "rule_appeal")
    if entry.status != "appealed":
        raise MutationRefused("这条整改记录没有待裁定的申诉", f"{entry.id} in {entry.status}")
    note = need(args.note, "裁定意见")
    if not args.upheld:
        back = detail(entry).get("appeal", {}).get("from", "registered")
        return record(session, ctx, entry, "rule_appeal", back, f"申诉不成立：{note}", staff.id)
    rating = session.get(Rating, entry.rating_id) if entry.rating_id else None
    if rating is not None:
        rating.valid = False
        session.add(rating)
    return record(session, ctx, entry, "rule_appeal", "closed", f"申诉成立，评价作废：{note}", staff.id,
                  result_kind="appeal_upheld", result=note)


def _rectification(entry: LedgerEntry) -> None:
    if entry.kind != "rectification":
        raise MutationRefused("只有差评整改记录才有此操作", f"{entry.kind}")


