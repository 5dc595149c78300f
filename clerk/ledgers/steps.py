"""One step of a ledger entry: who may take it, the state it leads to, the log row it writes.

Every handler of clerk.ledgers.handlers goes through :func:`take`, on the counter and again on
the central store, so the role check (a clerk acts on their own records, a chief
representative on their department's, a supervisor on the centre's) is made on both.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlmodel import Session, func, select

from clerk.clock import local_time
from clerk.ledgers.rules import SUPERVISOR_ONLY, is_open, next_state
from clerk.mutation import MutationContext, MutationRefused
from clerk.store.ledger_tables import LedgerEntry, LedgerStep
from clerk.store.reference import Staff

_NAMESPACE = uuid.UUID("0c7e9a52-3b6d-4f1e-8d2a-6b9f4c1e7a30")


def step_id(ctx: MutationContext, entry_id: str, action: str) -> str:
    """Deterministic, so the central store's replay writes the same log row."""
    return str(uuid.uuid5(_NAMESPACE, f"{ctx.client_id}/{ctx.mutation_id}/{entry_id}/{action}"))


def actor(session: Session, ctx: MutationContext) -> Staff:
    staff = session.get(Staff, ctx.actor_id) if ctx.actor_id else None
    if staff is None:
        raise MutationRefused("此操作须由签到的工作人员进行", f"no staff {ctx.actor_id!r}")
    return staff


def get_entry(session: Session, entry_id: str) -> LedgerEntry:
    entry = session.get(LedgerEntry, entry_id)
    if entry is None:
        raise MutationRefused("找不到这条记录", f"no ledger entry {entry_id}")
    return entry


def involved(staff: Staff, entry: LedgerEntry) -> bool:
    """Whether ``staff`` may see and act on ``entry`` (the same rule the lists filter by)."""
    if staff.centre_code != entry.centre_code:
        return False
    if staff.role == "supervisor":
        return True
    if staff.id in (entry.owner_id, entry.assignee_id, entry.registered_by):
        return True
    return staff.role == "chief" and staff.department_code is not None and staff.department_code == entry.department_code


def check_may(staff: Staff, entry: LedgerEntry, action: str) -> None:
    if action in SUPERVISOR_ONLY and staff.role != "supervisor":
        raise MutationRefused("此操作须由值班长（中心负责人）进行", f"{action} by {staff.role}")
    if not involved(staff, entry):
        raise MutationRefused("这条记录不归您办理，不能操作", f"{staff.id} not involved in {entry.id}")
    if action == "close" and staff.id != entry.owner_id and staff.role != "supervisor":
        raise MutationRefused("只有负责人本人（或值班长）可以办结这条记录", f"close by {staff.id}")


def take(
    session: Session, ctx: MutationContext, entry_id: str, action: str, note: str = "", **changes: Any
) -> LedgerEntry:
    """Take step ``action`` on the entry: check, change its columns, log it."""
    entry = get_entry(session, entry_id)
    staff = actor(session, ctx)
    check_may(staff, entry, action)
    new = next_state(entry.kind, entry.status, action)
    return record(session, ctx, entry, action, new, note, staff.id, **changes)


def record(
    session: Session, ctx: MutationContext, entry: LedgerEntry, action: str, new: str, note: str,
    staff_id: str | None, **changes: Any,
) -> LedgerEntry:
    """Write the step: the entry's new columns and status, and its log row."""
    for name, value in changes.items():
        setattr(entry, name, value)
    entry.status = new
    entry.is_open = is_open(new)
    entry.updated_at = ctx.at
    if not is_open(new):
        entry.closed_at = ctx.at
    session.add(entry)
    last = session.exec(select(func.max(LedgerStep.seq)).where(LedgerStep.entry_id == entry.id)).one()
    session.add(LedgerStep(id=step_id(ctx, entry.id, action), entry_id=entry.id, seq=(last or 0) + 1, at=ctx.at,
                           staff_id=staff_id, action=action, note=note, status=new))
    return entry


def detail(entry: LedgerEntry) -> dict[str, Any]:
    return json.loads(entry.detail) if entry.detail else {}


def with_detail(entry: LedgerEntry, **values: Any) -> str:
    """The entry's detail JSON with ``values`` set (lists are appended to)."""
    data = detail(entry)
    for key, value in values.items():
        if isinstance(value, list):
            data[key] = [*data.get(key, []), *value]
        else:
            data[key] = value
    return json.dumps(data, ensure_ascii=False, default=str)


def entry_no(kind_prefix: str, ctx: MutationContext, entry_id: str) -> str:
    """``BCS-20261202-3F9A1C``: the day, then the id's random tail, so two offline counters
    never print the same number (the id is a UUIDv7 made where the entry was registered)."""
    return f"{kind_prefix}-{local_time(ctx.at):%Y%m%d}-{entry_id.replace('-', '')[-6:].upper()}"
