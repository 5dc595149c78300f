"""Registering a first contact or a 办不成事 entry: checks and the new row."""

from __future__ import annotations

import json
from datetime import date

from sqlmodel import Session

from clerk.clock import local_time
from clerk.ledgers import deadlines, settings
from clerk.ledgers.classes import COMPLAINT_CLASS_LABELS, NUMBER_PREFIX
from clerk.ledgers.steps import actor, entry_no, record
from clerk.mutation import MutationContext, MutationRefused
from clerk.store.ledger_tables import LedgerEntry
from clerk.store.operations import Ticket
from clerk.store.reference import ServiceItem, Window

MAX_TEXT = 2000


def need(text: str, what: str) -> str:
    """``text`` stripped; a refusal naming ``what`` when it is empty or too long."""
    text = text.strip()
    if not text:
        raise MutationRefused(f"请填写{what}", f"empty {what}")
    if len(text) > MAX_TEXT:
        raise MutationRefused(f"{what}不能超过{MAX_TEXT}个字（现有{len(text)}字）", f"{what} too long")
    return text


def item_department(session: Session, item_code: str) -> str | None:
    if not item_code:
        return None
    item = session.get(ServiceItem, item_code)
    if item is None:
        raise MutationRefused(f"没有编码为 {item_code} 的事项", f"unknown item {item_code}")
    return item.department_code


def check_refs(session: Session, ticket_id: str | None, window_id: str | None) -> None:
    if ticket_id and session.get(Ticket, ticket_id) is None:
        raise MutationRefused("没有这个号，无法关联", f"unknown ticket {ticket_id}")
    if window_id and session.get(Window, window_id) is None:
        raise MutationRefused("没有这个窗口", f"unknown window {window_id}")


def class_due(session: Session, start: date, class_code: str) -> tuple[date, bool]:
    """The limit of ``class_code`` (settings) counted from ``start``."""
    if class_code not in COMPLAINT_CLASS_LABELS:
        raise MutationRefused("请选择问题分类", f"unknown class {class_code!r}")
    d = deadlines.due(session, start, settings.limits().complaint_days[class_code])
    return d.date, d.provisional


def new_entry(session: Session, ctx: MutationContext, kind: str, entry_id: str, **values) -> LedgerEntry:
    """Insert the entry (refusing an id twice) and log its registration."""
    if session.get(LedgerEntry, entry_id) is not None:
        raise MutationRefused("这条记录已经登记过了", f"ledger entry {entry_id} exists")
    staff = actor(session, ctx)
    values.setdefault("owner_id", staff.id)
    values.setdefault("centre_code", staff.centre_code)
    entry = LedgerEntry(id=entry_id, kind=kind, entry_no=entry_no(NUMBER_PREFIX[kind], ctx, entry_id),
                        registered_at=ctx.at, registered_by=staff.id, updated_at=ctx.at, **values)
    session.add(entry)
    session.flush()
    return record(session, ctx, entry, "register", entry.status, "", staff.id)


def today(ctx: MutationContext) -> date:
    return local_time(ctx.at).date()


def materials_json(materials) -> str:
    return json.dumps({"materials": [m.model_dump() for m in materials]}, ensure_ascii=False) if materials else ""
