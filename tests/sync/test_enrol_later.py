"""A counter used on its own first (the fixtures loaded locally) and enrolled later: the
work it did alone reaches the central store, signed sign-ins and all, without conflicts."""

from __future__ import annotations

from fastapi.testclient import TestClient
from harness import START, migrated_copy
from sqlmodel import func, select

from clerk.central import devices, state
from clerk.central.app import create_app
from clerk.central.reference import publish_fixtures
from clerk.clock import FrozenClock, SystemClock
from clerk.config import Settings
from clerk.fixtures import FixtureSet, load_fixtures
from clerk.outbox import Workbench
from clerk.reference_data import install
from clerk.staff.auth import sign_in
from clerk.staff.sessions import open_session
from clerk.store.local import SyncConflict
from clerk.store.operations import SeatSession, StaffSession
from clerk.sync.agent import SyncAgent
from clerk.sync.client import CentralClient
from clerk.sync.enrol import enrol


def _one_clerk(fs: FixtureSet) -> FixtureSet:
    """The shipped files with one staff member: deriving keys is the slow part."""
    return FixtureSet(departments=fs.departments, items=fs.items, centres=fs.centres,
                      staff=[s for s in fs.staff if s.username == "clerk01"], holidays=fs.holidays)


def test_work_done_before_enrolment_is_accepted(tmp_path, template):
    files = _one_clerk(load_fixtures(Settings().fixtures_path()))
    counter = migrated_copy(template, tmp_path / "counter.sqlite3")
    install(counter, files)  # the counter's own first start
    clock = FrozenClock(START)
    bench = Workbench(counter, clock)
    who = open_session(bench, sign_in(counter, clock, "clerk01", "demo1234", 5, 15))
    bench.apply("seat.take", {"id": "seat-1", "staff_id": "clerk01", "window_id": "demo-county:1"}, "clerk01")

    central = migrated_copy(template, tmp_path / "central.sqlite3")
    state.prepare(central)
    publish_fixtures(central, files)  # the same files, published on the central store
    with TestClient(create_app(central), base_url="http://central") as api:
        client = CentralClient("http://central", http=api)
        enrol(counter, client, devices.make_enrol_code(central, SystemClock(), "demo-county"))
        report = SyncAgent(counter, clock, client).sync_once()
    assert (report.pushed, report.conflicts) == (2, 0)
    with central.session() as s:
        assert s.get(StaffSession, who.session_id).staff_id == "clerk01"
        assert s.get(SeatSession, "seat-1").window_id == "demo-county:1"
    with counter.session() as s:
        assert s.exec(select(func.count()).select_from(SyncConflict)).one() == 0
