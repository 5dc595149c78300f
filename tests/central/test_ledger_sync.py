"""Ledger steps sync like every action, and the central store checks them again: the state
(two counters acting on one record offline) and the role (a clerk acting on another's)."""

from __future__ import annotations

import json

from harness import enrolled_counter
from sqlmodel import select

from clerk.ids import new_id
from clerk.outbox import _next_mutation_id, _next_stamp, client_id, hlc_node
from clerk.store.ledger_tables import LedgerEntry, LedgerStep
from clerk.store.local import Outbox, SyncConflict
from clerk.store.schema import SCHEMA_VERSION


def _register(counter, staff="clerk1") -> str:
    entry_id = new_id()
    counter.bench.apply("complaint.register", {"id": entry_id, "person": "周先生", "description": "多次往返未办成",
                                               "class_code": "policy"}, staff)
    return entry_id


def _conflicts(c) -> list[SyncConflict]:
    with c.store.session() as s:
        return list(s.exec(select(SyncConflict).order_by(SyncConflict.mutation_id)).all())


def test_an_entry_and_its_steps_reach_the_central_store_and_the_other_counter(central, api, template, tmp_path):
    a = enrolled_counter(tmp_path, "w1", central, template, api, "http://central")
    b = enrolled_counter(tmp_path, "w2", central, template, api, "http://central")
    entry_id = _register(a)
    a.bench.apply("ledger.resolve", {"entry_id": entry_id, "result": "当场解释政策"}, "clerk1")
    a.agent.sync_once()
    b.agent.sync_once()
    for store in (central, b.store):
        with store.session() as s:
            entry = s.get(LedgerEntry, entry_id)
            assert (entry.status, entry.owner_id, entry.due_date.isoformat()) == ("resolved", "clerk1", "2026-03-09")
            steps = s.exec(select(LedgerStep.action).where(LedgerStep.entry_id == entry_id)
                           .order_by(LedgerStep.seq)).all()
            assert steps == ["register", "resolve"]
    with a.store.session() as s:
        assert s.get(LedgerEntry, entry_id).entry_no == entry.entry_no


def test_two_counters_offline_the_central_store_keeps_the_first_step(central, api, template, tmp_path):
    a = enrolled_counter(tmp_path, "w1", central, template, api, "http://central")
    b = enrolled_counter(tmp_path, "w2", central, template, api, "http://central")
    b.sign_in("sup1")
    b.agent.sync_once()
    entry_id = _register(a)
    a.agent.sync_once()
    b.agent.sync_once()  # the supervisor's counter has the entry now
    # Offline, the clerk records a result while the supervisor classifies and assigns it.
    a.bench.apply("ledger.resolve", {"entry_id": entry_id, "result": "已解释"}, "clerk1")
    b.bench.apply("ledger.classify", {"entry_id": entry_id, "class_code": "complex"}, "sup1")
    b.bench.apply("ledger.assign", {"entry_id": entry_id, "assignee_id": "clerk2", "unit": "市场监管局"}, "sup1")
    a.agent.sync_once()
    b.agent.sync_once()
    with central.session() as s:
        assert s.get(LedgerEntry, entry_id).status == "resolved"
    refused = [c for c in _conflicts(b) if c.name == "ledger.assign"]
    assert refused and "已处理" in refused[0].reason


def test_the_central_store_refuses_a_step_by_someone_not_involved(central, api, template, tmp_path):
    a = enrolled_counter(tmp_path, "w1", central, template, api, "http://central")
    b = enrolled_counter(tmp_path, "w2", central, template, api, "http://central")
    b.sign_in("clerk2")
    b.agent.sync_once()
    entry_id = _register(a)
    a.agent.sync_once()
    # An old or altered build queues a step its own checks would refuse: clerk2 closes
    # clerk1's entry. The central store applies the same handler and refuses it.
    with b.store.write() as s:
        cid = client_id(s)
        args = {"entry_id": entry_id, "result": "我来处理", "result_kind": "solved"}
        s.add(Outbox(mutation_id=_next_mutation_id(s), client_id=cid, name="ledger.resolve",
                     args=json.dumps(args, ensure_ascii=False), actor_id="clerk2",
                     hlc=_next_stamp(s, b.clock, hlc_node(cid)), schema_version=SCHEMA_VERSION,
                     created_at=b.clock.now()))
    b.agent.sync_once()
    with central.session() as s:
        assert s.get(LedgerEntry, entry_id).status == "registered"
    [conflict] = [c for c in _conflicts(b) if c.name == "ledger.resolve"]
    assert "不归您办理" in conflict.reason
