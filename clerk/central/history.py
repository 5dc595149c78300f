"""Is a push the continuation of its installation's history, or from a copy of the PC?

Each counter action carries a hash chain over all actions before it (clerk.outbox.chain_of);
each push receipt keeps the chain at its last mutation. Two PCs made from one disk image
share installation id, sequence and credential, and part ways at their first action after
the copy. Without this check the second one's actions would look like replays of ids
already applied: acknowledged, and silently dropped. With it, the push is refused and the
device flagged (clerk.central.devices.flag_conflict) for the counters and the supervisor.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from clerk.store.central_tables import PushReceipt
from clerk.sync.protocol import PushRequest

_RECEIPTS = PushReceipt.__table__


class HistoryMismatch(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def check(session: Session, req: PushRequest, last: int) -> None:
    """Raise HistoryMismatch if ``req`` disagrees with the history the server holds up to ``last``."""
    if not req.mutations:
        return
    first, final = req.mutations[0].mutation_id, req.mutations[-1].mutation_id
    if first - 1 > last:
        return  # a gap, answered as such by the caller
    theirs = {first - 1: req.base_chain} | {m.mutation_id: m.chain for m in req.mutations}
    rows = session.execute(
        select(_RECEIPTS.c.last_mutation_id, _RECEIPTS.c.chain).where(
            _RECEIPTS.c.client_id == req.client_id,
            _RECEIPTS.c.last_mutation_id.between(first - 1, min(final, last)),
            _RECEIPTS.c.chain.is_not(None),
        )
    ).all()
    for at, ours in rows:
        if theirs.get(at) is None:
            continue  # written before chains existed
        if theirs[at] != ours:
            raise HistoryMismatch(
                f"本机第 {at} 号操作与中心库记录的同一安装号的操作不同：另一台电脑正以同一登记同步"
                "（复制的系统盘或还原的备份）"
            )
    if final < last and any(m.chain for m in req.mutations):
        # A counter replays only a batch it sent before, now with as many rows or more: it ends
        # at or past ``last``. One that ends before lacks actions the server has from it.
        raise HistoryMismatch(
            f"中心库已有本安装号至第 {last} 号操作，本机只到第 {final} 号："
            "这台电脑是另一台的复制件或由旧备份还原"
        )
