"""Property-based: local actions, syncs, crashes, lost responses and partitions in any order,
against a simple model: whatever happened, once healed every action is on the server once."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import httpx
from fastapi.testclient import TestClient
from harness import (
    START,
    Counter,
    FaultyTransport,
    assert_exactly_once,
    make_template,
    migrated_copy,
    seed_hall,
    server_audit_ids,
)
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from clerk.central import devices, state
from clerk.central.app import create_app
from clerk.clock import FrozenClock, SystemClock
from clerk.sync.client import SyncError
from clerk.sync.enrol import enrol

_TEMPLATE_DIR = Path(tempfile.mkdtemp(prefix="clerk-stateful-"))
_TEMPLATE = make_template(_TEMPLATE_DIR / "template.sqlite3")
COUNTERS = 2


class SyncMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(dir=_TEMPLATE_DIR))
        self.central = migrated_copy(_TEMPLATE, self.dir / "central.sqlite3")
        state.ensure_state(self.central)
        seed_hall(self.central)
        self.api = TestClient(create_app(self.central, clock=FrozenClock(START)), base_url="http://central")
        self.faults: list[FaultyTransport] = []
        self.counters: list[Counter] = []
        self.made: list[set[str]] = []  # the model: actions made on each counter
        self.synced: list[set[str]] = []  # actions the model knows the server has
        for i in range(COUNTERS):
            fault = FaultyTransport(inner=self.api._transport)
            path = self.dir / f"w{i}.sqlite3"
            shutil.copy(_TEMPLATE, path)
            c = Counter(path, FrozenClock(START), httpx.Client(transport=fault, base_url="http://central"), "http://central")
            enrol(c.store, c.agent.client, devices.make_enrol_code(self.central, SystemClock(), "c1"), f"w{i}")
            c.agent.sync_once()
            self.faults.append(fault)
            self.counters.append(c)
            self.made.append(set())
            self.synced.append(set())

    counter = st.integers(0, COUNTERS - 1)

    @rule(i=counter, n=st.integers(1, 5))
    def act(self, i: int, n: int) -> None:
        c = self.counters[i]
        for _ in range(n):
            c.clock.advance(seconds=30)
            self.made[i].add(c.note())

    @rule(i=counter)
    def sync(self, i: int) -> None:
        try:
            self.counters[i].agent.sync_once()
        except SyncError:
            return
        self.synced[i] = set(self.made[i])
        assert self.counters[i].pending() == 0

    @rule(i=counter)
    def crash(self, i: int) -> None:
        self.counters[i].crash()

    @rule(i=counter)
    def lose_next_push_response(self, i: int) -> None:
        self.faults[i].drop_after.append("push")

    @rule(i=counter)
    def lose_next_pull_request(self, i: int) -> None:
        self.faults[i].drop_before.append("pull")

    @precondition(lambda self: any(not f.offline for f in self.faults))
    @rule(i=counter)
    def partition(self, i: int) -> None:
        self.faults[i].offline = True

    @rule(i=counter)
    def heal(self, i: int) -> None:
        self.faults[i].offline = False

    @invariant()
    def server_has_only_made_actions_each_once(self) -> None:
        ids = server_audit_ids(self.central)
        assert len(ids) == len(set(ids))
        made = set().union(*self.made)
        assert set(ids) <= made
        assert set().union(*self.synced) <= set(ids)

    @invariant()
    def a_counter_never_loses_its_own_actions(self) -> None:
        # Not on a crash (the write was committed), nor on a resync (it only lands when
        # everything local has been acknowledged by the server).
        for i, c in enumerate(self.counters):
            assert self.made[i] <= c.local_audit_ids()

    def teardown(self) -> None:
        try:
            for f in self.faults:
                f.offline, f.drop_after, f.drop_before = False, [], []
            for _round in range(2):
                for c in self.counters:
                    c.agent.sync_once()
            assert_exactly_once(self.central, self.counters, set().union(*self.made))
            everything = set().union(*self.made)
            for c in self.counters:
                assert c.local_audit_ids() == everything
        finally:
            for c in self.counters:
                c.store.dispose()
            self.api.close()
            self.central.dispose()
            shutil.rmtree(self.dir, ignore_errors=True)


SyncMachine.TestCase.settings = settings(
    max_examples=20, stateful_step_count=25, deadline=None, suppress_health_check=list(HealthCheck)
)
test_sync_state_machine = SyncMachine.TestCase
