"""Audit entries for actions that must be traceable, such as viewing a full ID number."""

from __future__ import annotations

from sqlmodel import Session

from clerk.mutation import MutationArgs, MutationContext, mutation
from clerk.store.operations import AuditEntry


class Record(MutationArgs):
    id: str
    action: str
    subject: str = ""


@mutation("audit.record", Record)
def record(session: Session, args: Record, ctx: MutationContext) -> None:
    session.add(AuditEntry(id=args.id, at=ctx.at, staff_id=ctx.actor_id, action=args.action, subject=args.subject))
