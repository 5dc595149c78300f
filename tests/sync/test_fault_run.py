"""The randomized fault run: two counters and a real server process, with kills of the
server, outages, slow responses, lost responses, counter crashes and forged pushes in a
random order. At the end every counter's tables equal the central store's, every action is
applied exactly once, and every forged push is a recorded refusal that reached nobody.

CLERK_FAULT_CASES sets the number of random steps (default 40, for CI; 1000 for the full
run), CLERK_FAULT_SEED the seed (printed on failure).
"""

from __future__ import annotations

import contextlib
import os
import random
import sys
from pathlib import Path

import httpx
from harness import FaultyTransport, ServerProcess, assert_exactly_once, enrolled_counter
from sqlalchemy import func, select

from clerk.ids import new_id
from clerk.store.central_tables import RefusedMutation
from clerk.store.operations import AuditEntry, Ticket
from clerk.sync.client import SyncError

sys.path.insert(0, str(Path(__file__).parents[1] / "central"))  # the forger pushes as those tests do
from queue_helpers import enrol_device, push  # noqa: E402

CASES = int(os.environ.get("CLERK_FAULT_CASES", "40"))
SEED = int(os.environ.get("CLERK_FAULT_SEED", str(random.randrange(1 << 30))))


def _audit(store) -> set[str]:
    with store.session() as s:
        return set(s.execute(select(AuditEntry.id)).scalars())


def _refused(central) -> int:
    with central.session() as s:
        return s.execute(select(func.count()).select_from(RefusedMutation)).scalar_one()


class _Run:
    def __init__(self, real_db, template, tmp_path) -> None:
        self.url, self.central = real_db
        self.server = ServerProcess(self.url).start()
        self.faults = [FaultyTransport(), FaultyTransport()]
        self.counters = [
            enrolled_counter(tmp_path, f"w{i}", self.central, template,
                             httpx.Client(transport=f, timeout=60), self.server.base_url)
            for i, f in enumerate(self.faults)
        ]
        self.made: set[str] = set()
        self.forged: list[str] = []
        self.up = True
        self.forger = None

    def step(self, rnd: random.Random) -> None:
        i = rnd.randrange(len(self.counters))
        c, f = self.counters[i], self.faults[i]
        kind = rnd.choices(["act", "sync", "crash", "kill", "outage", "heal", "slow", "lose", "forge"],
                           weights=[30, 25, 5, 4, 5, 6, 5, 5, 3])[0]
        if kind == "act":
            for _ in range(rnd.randint(1, 5)):
                c.clock.advance(seconds=30)
                self.made.add(c.note())
        elif kind == "sync":
            with contextlib.suppress(SyncError):  # a fault of this step: a later round retries
                c.agent.sync_once()
        elif kind == "crash":
            c.crash()
        elif kind == "kill" and self.up:
            self.server.kill()
            self.up = False
        elif kind == "outage":
            f.offline = True
        elif kind == "heal":
            f.offline, f.delay_s = False, 0.0
            self._server_up()
        elif kind == "slow":
            f.delay_s = rnd.choice([0.2, 0.5])
        elif kind == "lose":
            f.drop_after.append(rnd.choice(["push", "pull"]))
        elif kind == "forge" and self.up:
            self._forge()

    def _server_up(self) -> None:
        if not self.up:
            self.server.start()
            self.up = True

    def _forge(self) -> None:
        """A c1 device pushes a ticket for another centre's line: refused, recorded."""
        with httpx.Client(base_url=self.server.base_url, timeout=60) as http:
            if self.forger is None:
                self.forger = enrol_device(http, self.central, "forger")
            tid = new_id()
            body = push(http, self.forger, "ticket.issue", {"id": tid, "line_id": "c2:A", "band": self.forger.band},
                        "clerk1")
            assert body["conflicts"], body
            self.forged.append(tid)

    def heal_all(self) -> None:
        self._server_up()
        for f in self.faults:
            f.offline, f.delay_s, f.drop_after[:], f.drop_before[:] = False, 0.0, [], []
        for _ in range(2):
            for c in self.counters:
                c.agent.sync_once()


def test_randomized_faults_end_with_every_counter_equal_to_the_central_store(real_db, template, tmp_path):
    run = _Run(real_db, template, tmp_path)
    rnd = random.Random(SEED)
    try:
        for n in range(CASES):
            try:
                run.step(rnd)
            except Exception as exc:
                raise AssertionError(f"seed {SEED}, step {n}: {exc!r}") from exc
        run.heal_all()
        forged = run.forger.next_mutation - 1 if run.forger else 0
        assert_exactly_once(run.central, run.counters, run.made, pushed_elsewhere=forged)
        central = _audit(run.central)
        for c in run.counters:
            assert _audit(c.store) == central, f"seed {SEED}: {c.path.name} differs from the central store"
        assert _refused(run.central) == len(run.forged), f"seed {SEED}"
        with run.central.session() as s:
            assert all(s.get(Ticket, t) is None for t in run.forged)
        for c in run.counters:
            with c.store.session() as s:
                assert all(s.get(Ticket, t) is None for t in run.forged)
    finally:
        run.server.stop()
