"""Audit entries for actions that must be traceable, such as viewing a full ID number."""

from __future__ import annotations

from clerk.mutation import MutationArgs, MutationContext, insert_only
from clerk.store.operations import AuditEntry


class Record(MutationArgs):
    id: str
    action: str
    subject: str = ""


@insert_only("audit.record", Record)
def record(args: Record, ctx: MutationContext) -> list[tuple[type, dict]]:
    return [(AuditEntry, {"id": args.id, "at": ctx.at, "staff_id": ctx.actor_id, "action": args.action, "subject": args.subject})]
