"""Apply one pushed batch in one transaction: idempotent, gap-refusing, conflict-recording.

Fast path: the whole batch in one savepoint with one flush, and each run of consecutive
insert-only mutations of one name inserted with one Core statement per table
(clerk.central.bulk). If any mutation is refused, that savepoint is rolled back and the
batch is redone through the handlers with a savepoint per mutation, so a refusal undoes
only itself. Refusals are rare, so the common case pays for no per-mutation savepoint.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import Session

from clerk import mutation
from clerk.central import audience, bulk, history, voided
from clerk.central.actors import ActorCheck
from clerk.central.changes import ChangeRecorder, append
from clerk.central.ownership import Owners, band_refusal
from clerk.notify import events as notify_events
from clerk.store.bulk import insert_many
from clerk.store.central_tables import ClientState, Device, PushReceipt, RefusedMutation
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


_CLIENTS, _DEVICES = ClientState.__table__, Device.__table__
_RECEIPTS, _REFUSED = PushReceipt.__table__, RefusedMutation.__table__


@dataclass
class _Batch:
    session: Session
    device: Device
    actors: ActorCheck
    owners: Owners
    probe: Probe | None
    now: datetime


def apply_batch(session: Session, device: Device, req: PushRequest, now: datetime, probe: Probe | None = None) -> PushResponse:
    """Apply ``req`` through ``session`` (the caller commits). Raises GapError, HistoryMismatch."""
    # Core statements here and below: the ORM's per-statement overhead is paid per batch.
    last = session.execute(
        select(_CLIENTS.c.last_mutation_id).where(_CLIENTS.c.client_id == req.client_id).with_for_update()
    ).scalar_one()
    history.check(session, req, last)
    todo = [m for m in req.mutations if m.mutation_id > last]
    if todo and todo[0].mutation_id != last + 1:
        raise GapError(last, todo[0].mutation_id)
    refusals: dict[int, str] = {}
    version = device.schema_version
    if todo:
        batch = _Batch(session, device, ActorCheck(session, device, todo), Owners(session, device), probe, now)
        refusals = _apply_all(batch, todo)
        _record(session, req.client_id, todo, refusals, now)
        last = todo[-1].mutation_id
        session.execute(update(_CLIENTS).where(_CLIENTS.c.client_id == req.client_id).values(last_mutation_id=last))
        version = batch.actors.version
    skew = int((req.client_time - now).total_seconds() * 1000)
    session.execute(update(_DEVICES).where(_DEVICES.c.id == device.id)
                    .values(last_seen_at=now, clock_skew_ms=skew, schema_version=version))
    if len(todo) == len(req.mutations):  # nothing replayed: this batch's refusals are all there are
        conflicts = [Conflict(mutation_id=m.mutation_id, name=m.name, reason=refusals[m.mutation_id])
                     for m in todo if m.mutation_id in refusals]
    else:
        conflicts = _conflicts(session, req)
    return PushResponse(last_mutation_id=last, conflicts=conflicts, server_time=now, clock_skew_ms=skew)


def _apply_all(batch: _Batch, todo: list[PushMutation]) -> dict[int, str]:
    session = batch.session
    recorder = ChangeRecorder(session)
    try:
        try:
            with session.begin_nested():
                _apply_fast(batch, todo, recorder)
                _guarded("(ownership)", lambda: _check_owned(batch, recorder.entries))
            _log(batch, recorder)
            return {}
        except _Refused:
            recorder.rollback_to(0)
            session.expunge_all()  # objects of the undone savepoint must not linger
            batch.actors.reset()
        refusals = {}
        for m in todo:
            mark = recorder.mark()
            try:
                with session.begin_nested():
                    _guarded(m.name, lambda m=m: _apply_one(batch, m), session.flush,
                             lambda mark=mark: _check_owned(batch, recorder.entries[mark:]))
            except _Refused as exc:
                recorder.rollback_to(mark)
                refusals[m.mutation_id] = exc.reason
                _void_papers(batch, m, exc.reason)
        _log(batch, recorder)
        return refusals
    finally:
        recorder.close()


def _void_papers(batch: _Batch, m: PushMutation, reason: str) -> None:
    """The papers the refused action printed keep their numbers (作废登记, clerk.central.voided)."""
    if not isinstance(m.args, dict) or not m.args.get("notices"):
        return
    with batch.session.begin_nested():
        voided.record(batch.session, batch.device, m.mutation_id, m.args, reason, batch.now)


def _log(batch: _Batch, recorder: ChangeRecorder) -> None:
    """The batch's rows to the change log, for the counters that need them (clerk.central.audience)."""
    entries = recorder.entries
    append(batch.session, entries, audience.pushed_by(batch.session, batch.device.centre_code, entries),
           recorder.inserted)


def _apply_fast(batch: _Batch, todo: list[PushMutation], recorder: ChangeRecorder) -> None:
    """The whole batch inside the caller's one savepoint: runs of insert-only mutations in bulk,
    the rest through their handlers, then one flush. Raises _Refused at the first refusal."""
    for name, run in itertools.groupby(todo, key=lambda m: m.name):
        mut = mutation.lookup(name)
        if mut.rows is not None:
            run = list(run)
            _guarded(name, lambda mut=mut, run=run: _apply_bulk(batch, mut, run, recorder))
        else:
            for m in run:
                _guarded(m.name, lambda m=m: _apply_one(batch, m))
    _guarded("(flush)", batch.session.flush)


def _guarded(name: str, *steps: Callable[[], None]) -> None:
    """Run ``steps`` (a mutation, a run of them, a flush), turning business failures into _Refused."""
    try:
        for step in steps:
            step()
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
        log.exception("mutation %s failed", name)
        raise _Refused(f"中心库处理该操作时出错：{exc!r}") from exc


def _apply_one(batch: _Batch, m: PushMutation) -> None:
    mut = mutation.lookup(m.name)
    _check_actor(batch, mut, m)
    cases_before = notify_events.watch(batch.session)
    mut.handler(batch.session, mutation.parse_args(mut, m.args), _context(batch, m))
    # Only here, on the central store, is the applicant told (clerk.notify): once, whichever
    # counter made the move, and not at all if the move is refused.
    notify_events.queue_moves(batch.session, cases_before, batch.now)
    batch.actors.applied(mut)
    if batch.probe:
        batch.probe(m.mutation_id)


def _apply_bulk(batch: _Batch, mut: mutation.Mutation, run: list[PushMutation], recorder: ChangeRecorder) -> None:
    """A run of one insert-only mutation: the same checks, one INSERT per table."""
    written = []
    for m in run:
        _check_actor(batch, mut, m)
        written += bulk.rows_of(mut, mutation.parse_args(mut, m.args), _context(batch, m))
    batch.session.flush()  # changes of earlier handlers reach the change log first
    recorder.extend(bulk.insert_rows(batch.session, written), inserted=True)
    if batch.probe:
        for m in run:
            batch.probe(m.mutation_id)


def _context(batch: _Batch, m: PushMutation) -> mutation.MutationContext:
    return mutation.MutationContext(
        client_id=batch.device.client_id, mutation_id=m.mutation_id, hlc=m.hlc, at=m.at, actor_id=m.actor_id
    )


def _check_owned(batch: _Batch, entries: list) -> None:
    """Every row written belongs to the pushing device's centre (clerk.central.ownership)."""
    reason = batch.owners.refusal(entries)
    if reason:
        raise _Refused(reason)


def _check_actor(batch: _Batch, mut: mutation.Mutation, m: PushMutation) -> None:
    """Roles and sessions are checked again here (clerk.central.actors), and the number band."""
    reason = batch.actors.refusal(mut, m) or band_refusal(batch.device, m)
    if reason:
        raise _Refused(reason)


def _record(session: Session, client_id: str, todo: list[PushMutation], refusals: dict[int, str], now: datetime) -> None:
    """One receipt for the batch, one row per refusal."""
    session.execute(insert(_RECEIPTS).values(
        client_id=client_id, first_mutation_id=todo[0].mutation_id, last_mutation_id=todo[-1].mutation_id,
        oldest_at=min(m.at for m in todo), newest_at=max(m.at for m in todo), received_at=now,
        refused=len(refusals), chain=todo[-1].chain,
    ))
    refused = (
        {"client_id": client_id, "mutation_id": m.mutation_id, "name": m.name, "actor_id": m.actor_id,
         "hlc": m.hlc, "at": m.at, "refused_at": now, "reason": refusals[m.mutation_id]}
        for m in todo if m.mutation_id in refusals
    )
    insert_many(session, _REFUSED, refused)


def _conflicts(session: Session, req: PushRequest) -> list[Conflict]:
    """Refusals in this batch's range, read back so a replayed batch reports them too."""
    if not req.mutations:
        return []
    rows = session.execute(
        select(_REFUSED.c.mutation_id, _REFUSED.c.name, _REFUSED.c.reason).where(
            _REFUSED.c.client_id == req.client_id,
            _REFUSED.c.mutation_id.between(req.mutations[0].mutation_id, req.mutations[-1].mutation_id),
        ).order_by(_REFUSED.c.mutation_id)
    )
    return [Conflict(mutation_id=r.mutation_id, name=r.name, reason=r.reason) for r in rows]
