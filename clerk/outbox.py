"""Apply a mutation locally: domain change and outbox row in one SQLite transaction."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any
from weakref import WeakKeyDictionary

from sqlmodel import Session, func, select

from clerk import hlc, mutation
from clerk.clock import Clock
from clerk.ids import new_id
from clerk.store.engine import Store
from clerk.store.local import LocalMeta, Outbox
from clerk.store.schema import SCHEMA_VERSION

CLIENT_ID_KEY = "client_id"
HLC_KEY = "hlc"
CHAIN_KEY = "history_chain"
"""The hash chain of this installation's actions up to its newest (see chain_of)."""


def client_id(session: Session) -> str:
    """This installation's id, made on first use and never changed."""
    row = session.get(LocalMeta, CLIENT_ID_KEY)
    if row is None:
        row = LocalMeta(key=CLIENT_ID_KEY, value=new_id())
        session.add(row)
        session.flush()
    return row.value


def hlc_node(cid: str) -> str:
    """The random tail of the UUIDv7: its head is a timestamp, shared by installs made together."""
    return cid.replace("-", "")[-12:]


def _next_stamp(session: Session, clock: Clock, node: str) -> str:
    row = session.get(LocalMeta, HLC_KEY)
    last = hlc.Stamp.parse(row.value) if row else None
    stamp = hlc.tick(last, int(clock.now().timestamp() * 1000), node)
    if row is None:
        session.add(LocalMeta(key=HLC_KEY, value=str(stamp)))
    else:
        row.value = str(stamp)
        session.add(row)
    return str(stamp)


def chain_of(before: str, mutation_id: int, name: str, args: str, actor_id: str | None, hlc: str) -> str:
    """The history hash after one more action. Each action's hash covers all before it, so
    two PCs made from one disk image part ways at their first action after the copy, and the
    central store sees it (clerk.central.history) instead of taking one side's as a replay."""
    text = "\n".join((before, str(mutation_id), name, args, actor_id or "", hlc))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _advance_chain(session: Session, mutation_id: int, name: str, args: str, actor_id: str | None, hlc: str) -> str:
    row = session.get(LocalMeta, CHAIN_KEY)
    chain = chain_of(row.value if row else "", mutation_id, name, args, actor_id, hlc)
    if row is None:
        session.add(LocalMeta(key=CHAIN_KEY, value=chain))
    else:
        row.value = chain
        session.add(row)
    return chain


def _next_mutation_id(session: Session) -> int:
    # Inside BEGIN IMMEDIATE no other writer can interleave, so max+1 has no gaps.
    last = session.exec(select(func.max(Outbox.mutation_id))).one()
    return (last or _acked_floor(session)) + 1


def _acked_floor(session: Session) -> int:
    """After acknowledged rows are pruned, the counter continues from the last one."""
    row = session.get(LocalMeta, "last_pruned_mutation_id")
    return int(row.value) if row else 0


_listeners: WeakKeyDictionary[Store, list[Callable[[], None]]] = WeakKeyDictionary()


def on_new_action(store: Store, callback: Callable[[], None]) -> Callable[[], None]:
    """Call ``callback`` after each action this process commits to ``store``; returns a
    function that stops it. The sync agent uses it to push at once rather than at its
    next poll. It runs on the writer's thread, so it must only signal (set an Event)."""
    _listeners.setdefault(store, []).append(callback)
    return lambda: _listeners.get(store, []).remove(callback)


class Workbench:
    """The one way the counter changes its data: ``apply(name, args)``."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    def apply(
        self, name: str, args: dict, actor_id: str | None = None, *, first: Callable[[Session], None] | None = None
    ) -> Any:
        """Apply mutation ``name`` and append its outbox row in one transaction. ``first``
        writes in that transaction before the mutation (rows the central store returned),
        so both are durable together, with one commit."""
        mut = mutation.lookup(name)
        parsed = mutation.parse_args(mut, args)
        payload = parsed.model_dump(mode="json")
        with self.store.write() as session:
            if first is not None:
                first(session)
            cid = client_id(session)
            ctx = mutation.MutationContext(
                client_id=cid,
                mutation_id=_next_mutation_id(session),
                hlc=_next_stamp(session, self.clock, hlc_node(cid)),
                at=self.clock.now(),
                actor_id=actor_id,
            )
            result = mut.handler(session, parsed, ctx)
            text = json.dumps(payload, ensure_ascii=False)
            session.add(
                Outbox(
                    mutation_id=ctx.mutation_id,
                    client_id=cid,
                    name=name,
                    args=text,
                    actor_id=actor_id,
                    hlc=ctx.hlc,
                    schema_version=SCHEMA_VERSION,
                    created_at=ctx.at,
                    chain=_advance_chain(session, ctx.mutation_id, name, text, actor_id, ctx.hlc),
                )
            )
        for callback in list(_listeners.get(self.store, ())):
            callback()
        return result
