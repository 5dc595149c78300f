"""Apply one pushed batch in one transaction: idempotent, gap-refusing, conflict-recording.

Fast path: the whole batch in one savepoint with one flush. If any mutation is refused,
that savepoint is rolled back and the batch is redone with a savepoint per mutation, so
a refusal undoes only itself. Refusals are rare, so the common case pays for no
per-mutation savepoint.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import Session

from clerk import mutation
from clerk.central.changes import ChangeRecorder, append
from clerk.store.central_tables import AppliedMutation, ClientState, Device
from clerk.store.reference import Staff
from clerk.sync.protocol import Conflict, PushMutation, PushRequest, PushResponse

log = logging.getLogger(__name__)

Probe = Callable[[int], None]
"""Test hook: called with each mutation id after it is applied (before commit)."""


class GapError(Exception):
    def __init__(self, last_mutation_id: int, first_sent: int) -> None:
        super().__init__(f"gap: server has {last_mutation_id}, batch starts at {first_sent}")
        self.last_mutation_id = last_mutation_id
        self.first_sent = first_sent


class _Refused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class _Batch:
    session: Session
    device: Device
    staff: dict[str, Staff | None]
    probe: Probe | None


def apply_batch(session: Session, device: Device, req: PushRequest, now: datetime, probe: Probe | None = None) -> PushResponse:
    """Apply ``req`` through ``session`` (the caller commits). Raises GapError."""
    state = session.execute(
        select(ClientState).where(ClientState.client_id == req.client_id).with_for_update()
    ).scalar_one()
    last = state.last_mutation_id
    todo = [m for m in req.mutations if m.mutation_id > last]
    if todo and todo[0].mutation_id != last + 1:
        raise GapError(last, todo[0].mutation_id)
    if todo:
        batch = _Batch(session, device, {}, probe)
        refusals = _apply_all(batch, todo)
        _record(session, req.client_id, todo, refusals, now)
        last = todo[-1].mutation_id
        session.execute(
            update(ClientState).where(ClientState.client_id == req.client_id).values(last_mutation_id=last)
        )
    skew = int((req.client_time - now).total_seconds() * 1000)
    session.execute(update(Device).where(Device.id == device.id).values(last_seen_at=now, clock_skew_ms=skew))
    return PushResponse(
        last_mutation_id=last,
        conflicts=_conflicts(session, req),
        server_time=now,
        clock_skew_ms=skew,
    )


def _apply_all(batch: _Batch, todo: list[PushMutation]) -> dict[int, str]:
    session = batch.session
    recorder = ChangeRecorder(session)
    try:
        try:
            with session.begin_nested():
                for m in todo:
                    _guarded(batch, m, flush=False)
                _guarded(batch, None, flush=True)
            append(session, recorder.entries)
            return {}
        except _Refused:
            recorder.rollback_to(0)
            session.expunge_all()  # objects of the undone savepoint must not linger
            batch.staff.clear()
        refusals = {}
        for m in todo:
            mark = recorder.mark()
            try:
                with session.begin_nested():
                    _guarded(batch, m, flush=True)
            except _Refused as exc:
                recorder.rollback_to(mark)
                refusals[m.mutation_id] = exc.reason
        append(session, recorder.entries)
        return refusals
    finally:
        recorder.close()


def _guarded(batch: _Batch, m: PushMutation | None, flush: bool) -> None:
    """Run one mutation (and/or a flush), turning business failures into _Refused."""
    try:
        if m is not None:
            _apply_one(batch, m)
        if flush:
            batch.session.flush()
    except _Refused:
        raise
    except mutation.MutationRefused as exc:
        raise _Refused(exc.message) from exc
    except IntegrityError as exc:
        raise _Refused(f"与中心库数据冲突：{exc.orig}") from exc
    except DBAPIError:
        raise  # lost connection, deadlock…: a server fault, the client retries
    except Exception as exc:
        # A handler bug must not block this counter's queue for ever: record and move on.
        log.exception("mutation %s failed", m.name if m else "(flush)")
        raise _Refused(f"中心库处理该操作时出错：{exc!r}") from exc


def _apply_one(batch: _Batch, m: PushMutation) -> None:
    mut = mutation.lookup(m.name)
    _check_actor(batch, mut, m.actor_id)
    ctx = mutation.MutationContext(
        client_id=batch.device.client_id, mutation_id=m.mutation_id, hlc=m.hlc, at=m.at, actor_id=m.actor_id
    )
    mut.handler(batch.session, mutation.parse_args(mut, m.args), ctx)
    if batch.probe:
        batch.probe(m.mutation_id)


def _check_actor(batch: _Batch, mut: mutation.Mutation, actor_id: str | None) -> None:
    """Roles are checked again here, against the server's own staff table."""
    if actor_id is None:
        if mut.roles is not None:
            raise _Refused("该操作需要有权限的工作人员签名")
        return
    if actor_id not in batch.staff:
        batch.staff[actor_id] = batch.session.get(Staff, actor_id)
    staff = batch.staff[actor_id]
    if staff is None or not staff.active:
        raise _Refused("操作人不存在或已停用")
    if staff.centre_code != batch.device.centre_code:
        raise _Refused("操作人不属于本机登记的中心")
    if not mut.allows(staff.role):
        raise _Refused(f"操作人的角色（{staff.role}）无权进行该操作")


def _record(session: Session, client_id: str, todo: list[PushMutation], refusals: dict[int, str], now: datetime) -> None:
    rows = [
        {
            "client_id": client_id,
            "mutation_id": m.mutation_id,
            "name": m.name,
            "actor_id": m.actor_id,
            "hlc": m.hlc,
            "at": m.at,
            "applied_at": now,
            "refused": m.mutation_id in refusals,
            "reason": refusals.get(m.mutation_id, ""),
        }
        for m in todo
    ]
    session.execute(insert(AppliedMutation), rows)


def _conflicts(session: Session, req: PushRequest) -> list[Conflict]:
    """Refusals in this batch's range, read back so a replayed batch reports them too."""
    if not req.mutations:
        return []
    rows = session.execute(
        select(AppliedMutation).where(
            AppliedMutation.client_id == req.client_id,
            AppliedMutation.refused.is_(True),
            AppliedMutation.mutation_id >= req.mutations[0].mutation_id,
            AppliedMutation.mutation_id <= req.mutations[-1].mutation_id,
        )
    ).scalars()
    return [Conflict(mutation_id=r.mutation_id, name=r.name, reason=r.reason) for r in rows]
