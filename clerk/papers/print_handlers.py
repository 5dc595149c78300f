"""``notice.print``: every print and reprint of a notice, with who and when.

The counter renders the paper from the notice's frozen body, keeps it in the spool and
records the print in one step (clerk.papers.prints). ``reprint`` says what the paper says:
a reprint carries 补打 on the page, and the record keeps that, as printed.
"""

from __future__ import annotations

from sqlmodel import Session

from clerk.mutation import MutationArgs, MutationContext, MutationRefused, mutation
from clerk.store.operations import Notice, NoticePrint
from clerk.store.reference import STAFF_ROLES


class PrintArgs(MutationArgs):
    id: str
    notice_id: str
    reprint: bool = False


@mutation("notice.print", PrintArgs, roles=STAFF_ROLES)
def record_print(session: Session, args: PrintArgs, ctx: MutationContext) -> NoticePrint:
    if ctx.actor_id is None:
        raise MutationRefused("打印通知书须由签到的工作人员操作")
    if session.get(Notice, args.notice_id) is None:
        raise MutationRefused("没有这份通知书，无法记录打印", f"unknown notice {args.notice_id}")
    row = NoticePrint(id=args.id, notice_id=args.notice_id, printed_at=ctx.at, printed_by=ctx.actor_id,
                      reprint=args.reprint)
    session.add(row)
    return row
