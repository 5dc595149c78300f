"""Random intake driven through CaseDesk; after every step the invariants of the law hold:
an accepted case has every required material received, 免提交 or owed under 容缺/告知承诺;
what is owed under 容缺 is 可容缺 and due no later than the promised limit; a refusal changes
nothing; an ended case never moves again; document numbers run 1, 2, 3 … per type."""

from __future__ import annotations

import shutil
import tempfile
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

from case_centre import MONDAY
from case_helpers import PERSON, without_fsync
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    rule,
    run_state_machine_as_test,
)
from sqlmodel import select

from clerk.cases import rules, states
from clerk.cases.desk import CaseDesk
from clerk.clock import FrozenClock, local_today
from clerk.errors import UserFacingError
from clerk.outbox import Workbench
from clerk.store.engine import Store
from clerk.store.operations import Case, CaseMaterial, Notice
from clerk.store.reference import ServiceItem

ENDED = frozenset(states.LABELS) - states.OPEN - {states.ACCEPTED}
MARKS = ("received", "missing", "defective", "exempt", "pending")


def machine(template: str):
    class Intake(RuleBasedStateMachine):
        cases = Bundle("cases")

        def __init__(self) -> None:
            super().__init__()
            self.dir = Path(tempfile.mkdtemp())
            shutil.copy(template, self.dir / "s.sqlite3")
            self.store = Store.sqlite(self.dir / "s.sqlite3")
            without_fsync(self.store)
            self.clock = FrozenClock(MONDAY)
            self.desk = CaseDesk(Workbench(self.store, self.clock), self.store, self.clock, "tc", None)
            self.ended: dict[str, str] = {}

        def teardown(self) -> None:
            self.store.dispose()
            shutil.rmtree(self.dir, ignore_errors=True)

        @rule(target=cases, item=st.sampled_from(["T-DEF", "T-COM", "T-EXC", "T-PLAIN"]))
        def open(self, item):
            return self.desk.open_case("c1", item, PERSON).id

        @rule(case=cases, seq=st.integers(0, 3), state=st.sampled_from(MARKS))
        def mark(self, case, seq, state):
            v = self.desk.case(case)
            detail = {"received": {"received_form": "copy", "copies": 2}, "defective": {"defect": "不清晰"},
                      "exempt": {"exempt_way": "online"}}.get(state, {})
            self._try(v, lambda: self.desk.mark("c1", case, v.version, v.materials[seq].material_id, state, **detail))

        @rule(case=cases, action=st.sampled_from(sorted(states.INTAKE_ACTIONS)), days=st.integers(1, 8))
        def decide(self, case, action, days):
            v = self.desk.case(case)
            deadline = local_today(self.clock) + timedelta(days=days)
            self._try(v, lambda: self.desk.decide("c1", case, v.version, action, deadline=deadline, reason="理由",
                                                  legal_basis="依据", referred_to="某局", print_papers=False))

        @rule(days=st.integers(1, 6))
        def wait(self, days):
            self.clock.advance(days=days)

        def _try(self, before, act):
            try:
                act()
            except UserFacingError:
                after = self.desk.case(before.id)
                assert (after.version, after.state) == (before.version, before.state), "a refusal changed the case"

        @invariant()
        def the_law_holds(self):
            with self.store.session() as s:
                for case in s.exec(select(Case)).all():
                    rows = s.exec(select(CaseMaterial).where(CaseMaterial.case_id == case.id)).all()
                    item = s.get(ServiceItem, case.item_code)
                    if case.id in self.ended:
                        assert case.status == self.ended[case.id], "an ended case moved"
                    if case.status in ENDED:
                        self.ended[case.id] = case.status
                    if case.status in (states.ACCEPTED, states.DEFERRED, states.COMMITTED):
                        assert case.acceptance_no and case.due_date and case.statutory_due >= case.due_date
                        for r in rows:
                            if r.required and not r.owed:
                                assert r.state in (rules.RECEIVED, rules.EXEMPT), (case.status, r.name, r.state)
                    if case.status == states.ACCEPTED:
                        assert not any(r.owed for r in rows)
                    if case.status == states.DEFERRED:
                        assert item.deferral_allowed and all(r.deferrable for r in rows if r.owed)
                        assert case.owed_due is not None and case.owed_due <= case.due_date
                    if case.status == states.COMMITTED:
                        assert item.commitment_allowed and item.code != "T-EXC"
                by = defaultdict(list)
                for type_code, series, seq in s.exec(select(Notice.type_code, Notice.series, Notice.seq)).all():
                    by[(type_code, series)].append(seq)
                for seqs in by.values():
                    assert sorted(seqs) == list(range(1, len(seqs) + 1))

    return Intake


def test_random_intake_keeps_the_invariants(case_template):
    run_state_machine_as_test(machine(case_template),
                              settings=settings(max_examples=20, stateful_step_count=30, deadline=None))
