"""The counter's side of push: read a batch from the outbox, record the server's answer."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlalchemy import delete, func, update
from sqlmodel import Session, select

from clerk.outbox import CLIENT_ID_KEY
from clerk.store.local import Outbox, SyncConflict
from clerk.sync import meta
from clerk.sync.protocol import Conflict, PushMutation


def pending_batch(session: Session, limit: int) -> list[PushMutation]:
    t = Outbox.__table__.c  # Core rows: an ORM object per outbox row is pure overhead here
    rows = session.execute(
        select(t.mutation_id, t.name, t.args, t.actor_id, t.hlc, t.created_at, t.schema_version, t.chain)
        .where(t.acked_at.is_(None))
        .order_by(t.mutation_id)
        .limit(limit)
    )
    return [
        PushMutation(
            mutation_id=r.mutation_id,
            name=r.name,
            args=json.loads(r.args),
            actor_id=r.actor_id,
            hlc=r.hlc,
            at=r.created_at,
            schema_version=r.schema_version,
            chain=r.chain,
        )
        for r in rows
    ]


def chain_before(session: Session, mutation_id: int) -> str | None:
    """The history hash up to ``mutation_id - 1``: from its row, or kept when it was pruned."""
    if mutation_id <= 1:
        return ""
    row = session.get(Outbox, mutation_id - 1)
    if row is not None:
        return row.chain
    if meta.get(session, meta.LAST_PRUNED) == str(mutation_id - 1):
        return meta.get(session, meta.LAST_PRUNED_CHAIN) or None
    return None


def pending_count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Outbox).where(Outbox.acked_at.is_(None))).one()


def max_acked(session: Session) -> int:
    top = session.exec(select(func.max(Outbox.mutation_id)).where(Outbox.acked_at.is_not(None))).one()
    return top or int(meta.get(session, meta.LAST_PRUNED, "0"))


def conflict_id(client_id: str, mutation_id: int) -> str:
    """The ``sync_conflict`` id of a refused action of this counter."""
    return f"{client_id}:{mutation_id}"


def record_ack(session: Session, up_to: int, conflicts: list[Conflict], now: datetime) -> bool:
    """Mark rows up to ``up_to`` acknowledged and keep the conflicts; True if any are new."""
    session.execute(
        update(Outbox).where(Outbox.mutation_id <= up_to, Outbox.acked_at.is_(None)).values(acked_at=now)
    )
    client = meta.get(session, CLIENT_ID_KEY)
    fresh = False
    for c in conflicts:
        cid = conflict_id(client, c.mutation_id)
        if session.get(SyncConflict, cid) is None:
            session.add(SyncConflict(id=cid, mutation_id=c.mutation_id, name=c.name, reason=c.reason, at=now))
            fresh = True
    meta.put_time(session, meta.LAST_ACK_AT, now)
    return fresh


def unack_after(session: Session, server_last: int) -> int:
    """The server lost mutations after ``server_last`` (restored backup): queue them again.

    Returns how many; raises LostMutations if some were already pruned here.
    """
    pruned = int(meta.get(session, meta.LAST_PRUNED, "0"))
    if server_last < pruned:
        raise LostMutations(server_last, pruned)
    result = session.execute(
        update(Outbox).where(Outbox.mutation_id > server_last, Outbox.acked_at.is_not(None)).values(acked_at=None)
    )
    return result.rowcount or 0


class LostMutations(Exception):
    def __init__(self, server_last: int, pruned: int) -> None:
        super().__init__(f"server has up to {server_last}, counter pruned up to {pruned}")
        self.message = (
            f"中心库缺少本机第 {server_last + 1}–{pruned} 号操作，且本机已清理这些记录，请联系管理员"
        )


def prune(session: Session, now: datetime, keep_days: float) -> int:
    """Delete acknowledged rows older than ``keep_days`` (kept until then for a re-push
    after a server restore). Only a prefix is pruned, so ids stay gap-free."""
    cutoff = now - timedelta(days=keep_days)
    first_pending = session.exec(select(func.min(Outbox.mutation_id)).where(Outbox.acked_at.is_(None))).one()
    cond = [Outbox.acked_at.is_not(None), Outbox.acked_at < cutoff]
    if first_pending is not None:
        cond.append(Outbox.mutation_id < first_pending)
    top = session.exec(select(func.max(Outbox.mutation_id)).where(*cond)).one()
    if top is None:
        return 0
    chain = session.get(Outbox, top).chain
    result = session.execute(delete(Outbox).where(Outbox.mutation_id <= top))
    meta.put(session, meta.LAST_PRUNED, str(top))
    meta.put(session, meta.LAST_PRUNED_CHAIN, chain or "")
    return result.rowcount or 0
