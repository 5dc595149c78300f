"""The bulk path for insert-only mutations writes exactly what their handlers write.

The same batches are applied twice on a fresh central store: once as the server does
(runs of ``audit.record`` inserted in bulk), once with the bulk path switched off (every
mutation through its ORM handler). Every table, the change log and the responses must
be identical, including batches with refusals and a replay.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta, timezone
from functools import cache
from typing import Any

from harness import START, seed_hall, sign_in_args
from sqlalchemy import delete, select

from clerk import mutation
from clerk.central import bulk, devices, state
from clerk.central.apply import apply_batch
from clerk.clock import FrozenClock
from clerk.store.central_tables import Device, EnrolCode, ServerState
from clerk.store.engine import Store
from clerk.store.schema import SCHEMA_VERSION, metadata
from clerk.sync.protocol import PushMutation, PushRequest

CLIENT = "bulk-counter"
BEIJING = timezone(timedelta(hours=8))
_RANDOM = {ServerState.__tablename__, Device.__tablename__, EnrolCode.__tablename__}
"""Tables holding fresh randomness (epoch, secrets) on every enrolment: not compared."""


def _audit(aid: str, actor: str | None, **extra: Any) -> tuple[str, dict, str | None]:
    return "audit.record", {"id": aid, "action": "note", **extra}, actor


# The staff sign in at the counter first (their actions are refused otherwise)…
SIGNERS = ("clerk1", "chief1", "clerk2", "sup1")
# …then runs of audit.record broken up by ORM-only mutations (order in the change log
# matters), a default left out, no actor, an aware time in another zone…
FIRST = [
    _audit("a1", "clerk1", subject="身份证号 110…"),
    _audit("a2", "clerk1"),
    _audit("a3", None),
    ("seat.take", {"id": "s1", "staff_id": "clerk1", "window_id": "c1:1"}, "clerk1"),
    _audit("a4", "chief1"),
    _audit("a5", "clerk2"),
    ("seat.leave", {"id": "s1"}, "clerk1"),
    _audit("a6", "sup1"),
]
# …and a batch with refusals: another centre's clerk, an unknown actor, a duplicate id
# (refused by the database), bad arguments, and a handler refusal between good ones.
SECOND = [
    _audit("b1", "clerk1"),
    _audit("b2", "far1"),
    _audit("b3", "ghost"),
    _audit("a1", "clerk1"),
    ("audit.record", {"id": "b4"}, "clerk1"),
    _audit("b5", "clerk1"),
    ("seat.take", {"id": "s2", "staff_id": "clerk1", "window_id": "nowhere"}, "clerk1"),
    _audit("b6", "clerk2"),
]


@cache
def _sign_ins() -> tuple[tuple[str, dict, str], ...]:
    """Made once, so both runs push the very same sessions."""
    return tuple(("staff.sign_in", sign_in_args(CLIENT, sid), sid) for sid in SIGNERS)


def _request(first_id: int, items: list[tuple[str, dict, str | None]]) -> PushRequest:
    return PushRequest(
        client_id=CLIENT,
        schema_version=SCHEMA_VERSION,
        client_time=START,
        mutations=[
            PushMutation(
                mutation_id=first_id + i, name=name, args=args, actor_id=actor, hlc=f"{first_id + i:013d}-00000-bulk",
                at=(START + timedelta(seconds=first_id + i)).astimezone(BEIJING if i % 2 else START.tzinfo),
                schema_version=SCHEMA_VERSION,
            )
            for i, (name, args, actor) in enumerate(items)
        ],
    )


def _run(central: Store) -> tuple[list, dict[str, list]]:
    """Apply FIRST, SECOND and a replay of SECOND on a freshly seeded store; return the
    responses and every table's rows."""
    _reset(central)
    clock = FrozenClock(START)
    code = devices.make_enrol_code(central, clock, "c1")
    with central.write() as s:
        device_id = devices.enrol(s, START, code, CLIENT, "bulk").device_id
    responses = []
    first = [*_sign_ins(), *FIRST]
    for req in (_request(1, first), _request(1 + len(first), SECOND), _request(1 + len(first), SECOND)):
        with central.write() as s:
            resp = apply_batch(s, s.get(Device, device_id), req, START)
            responses.append(resp.model_dump(exclude={"server_time"}))
    return responses, _dump(central)


def _reset(central: Store) -> None:
    with central.write() as s:
        for table in reversed(metadata.sorted_tables):
            if table.name != "alembic_version":
                s.execute(delete(table))
    state.ensure_state(central)
    seed_hall(central)


def _dump(central: Store) -> dict[str, list]:
    with central.session() as s:
        return {
            t.name: [tuple(r) for r in s.execute(select(t).order_by(*t.primary_key.columns))]
            for t in metadata.sorted_tables
            if t.name not in _RANDOM
        }


def test_bulk_path_writes_exactly_what_the_handlers_write(central, monkeypatch):
    runs = []
    real_insert = bulk.insert_rows
    monkeypatch.setattr(bulk, "insert_rows", lambda *a: runs.append(1) or real_insert(*a))
    with_bulk = _run(central)
    assert runs, "the bulk path was not taken"

    audit = mutation.lookup("audit.record")
    monkeypatch.setitem(mutation.REGISTRY, "audit.record", dataclasses.replace(audit, rows=None))
    runs.clear()
    through_handlers = _run(central)
    assert not runs

    assert with_bulk[0] == through_handlers[0]
    log_bulk, log_handlers = with_bulk[1].pop("change_log"), through_handlers[1].pop("change_log")
    assert with_bulk[1] == through_handlers[1]
    # The same entries under the same sequence numbers. Within one batch the order of
    # *different* rows may differ: one ORM flush logs new rows before changed ones, while
    # the bulk path keeps strict mutation order (asserted below).
    assert [r[0] for r in log_bulk] == [r[0] for r in log_handlers]
    assert sorted(r[1:] for r in log_bulk) == sorted(r[1:] for r in log_handlers)
    responses, tables = with_bulk
    tables["change_log"] = log_bulk
    signs = len(SIGNERS)
    assert [c["mutation_id"] - signs for c in responses[1]["conflicts"]] == [10, 11, 12, 13, 15]
    assert responses[2] == responses[1]  # the replay applied nothing and reports the same
    assert {r[0] for r in tables["audit_entry"]} == {"a1", "a2", "a3", "a4", "a5", "a6", "b1", "b5", "b6"}
    # The change log follows mutation order across bulk runs and handler calls (s1's entry
    # is its last write, seat.leave, which came after a5).
    logged = [(r[1], r[2]) for r in tables["change_log"] if r[1] in {"audit_entry", "seat_session"}]
    assert [key for _t, key in logged] == [
        '["a1"]', '["a2"]', '["a3"]', '["a4"]', '["a5"]', '["s1"]', '["a6"]', '["b1"]', '["b5"]', '["b6"]',
    ]
