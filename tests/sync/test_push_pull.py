"""The basic round trip on SQLite and PostgreSQL: enrol, push, pull, status, conflicts."""

from __future__ import annotations

from harness import START, assert_exactly_once, enrolled_counter, server_audit_ids
from sqlmodel import select

from clerk.clock import FrozenClock
from clerk.ids import new_id
from clerk.store.central_tables import Device
from clerk.store.local import SyncConflict
from clerk.store.operations import AuditEntry, SeatSession
from clerk.store.reference import Department, Staff, Window
from clerk.sync.status import sync_status


def test_enrolled_counter_gets_reference_data_with_password_hashes(central, api, template, tmp_path):
    c = enrolled_counter(tmp_path, "w1", central, template, api, "http://central")
    with c.store.session() as s:
        staff = s.get(Staff, "chief1")
    assert staff is not None and staff.password_hash.startswith("$argon2")


def test_actions_reach_the_server_once_and_status_shows_it(central, api, template, tmp_path):
    c = enrolled_counter(tmp_path, "w1", central, template, api, "http://central")
    ids = {c.note() for _ in range(5)}
    before = sync_status(c.store, c.clock)
    assert (before.configured, before.pending) == (True, 5)
    c.clock.advance(minutes=3)
    c.agent.sync_once()
    after = sync_status(c.store, c.clock)
    assert after.pending == 0 and after.online and after.last_ack_at == c.clock.now()
    assert before.oldest_pending_age is not None and after.oldest_pending_age is None
    assert_exactly_once(central, [c], ids)


def test_other_counters_actions_flow_down(central, api, template, tmp_path):
    a = enrolled_counter(tmp_path, "w1", central, template, api, "http://central")
    b = enrolled_counter(tmp_path, "w2", central, template, api, "http://central")
    seat = new_id()
    a.bench.apply("seat.take", {"id": seat, "staff_id": "clerk1", "window_id": "c1:1"}, actor_id="clerk1")
    a.agent.sync_once()
    b.agent.sync_once()
    with b.store.session() as s:
        row = s.get(SeatSession, seat)
    assert row is not None and row.window_id == "c1:1" and row.ended_at is None
    a.clock.advance(hours=1)
    a.bench.apply("seat.leave", {"id": seat}, actor_id="clerk1")
    a.agent.sync_once()
    b.agent.sync_once()
    with b.store.session() as s:
        assert s.get(SeatSession, seat).ended_at == a.clock.now()


def _conflicts(c) -> list[SyncConflict]:
    with c.store.session() as s:
        return list(s.exec(select(SyncConflict).order_by(SyncConflict.mutation_id)).all())


def test_role_refusal_becomes_a_conflict_and_does_not_block_the_queue(central, api, template, tmp_path):
    c = enrolled_counter(tmp_path, "w1", central, template, api, "http://central")
    first = c.note()
    # The counter's own code lets a clerk through (say, an old build); the server does not.
    forged = new_id()
    c.bench.apply("test.chief_note", {"id": forged, "text": "签字"}, actor_id="clerk1")
    last = c.note()
    c.agent.sync_once()
    ids = set(server_audit_ids(central))
    assert ids == {first, last}
    conflicts = _conflicts(c)
    assert [x.name for x in conflicts] == ["test.chief_note"] and "角色" in conflicts[0].reason
    with c.store.session() as s:  # the refused action's local effect is undone by the resync
        local = set(s.exec(select(AuditEntry.id)).all())
    assert forged not in local and {first, last} <= local
    status = sync_status(c.store, c.clock)
    assert status.conflicts == 1 and status.pending == 0


def test_a_clerks_counter_cannot_push_a_chiefs_signature(central, api, template, tmp_path):
    """Naming the chief as the actor is not enough: the chief must have signed in here."""
    c = enrolled_counter(tmp_path, "w1", central, template, api, "http://central")
    forged = new_id()
    c.bench.apply("test.chief_note", {"id": forged, "text": "同意"}, actor_id="chief1")
    c.agent.sync_once()
    assert forged not in server_audit_ids(central)
    assert "没有在本机签到" in _conflicts(c)[-1].reason
    c.sign_in("chief1")  # the chief comes over and types their own password
    signed = new_id()
    c.bench.apply("test.chief_note", {"id": signed, "text": "同意"}, actor_id="chief1")
    c.agent.sync_once()
    assert signed in server_audit_ids(central)
    c.bench.apply("staff.sign_out", {"session_id": c.signed_in["chief1"].session_id}, actor_id="chief1")
    after = new_id()
    c.bench.apply("test.chief_note", {"id": after, "text": "同意"}, actor_id="chief1")
    c.agent.sync_once()
    assert after not in server_audit_ids(central)  # signed out: the session no longer counts
    assert len(_conflicts(c)) == 2


def test_clock_a_day_wrong_is_recorded_and_warned(central, api, template, tmp_path):
    wrong = FrozenClock(START)
    c = enrolled_counter(tmp_path, "w1", central, template, api, "http://central", clock=wrong)
    wrong.advance(days=1)  # the server's clock is the real one; this counter's is a day ahead
    ids = {c.note() for _ in range(3)}
    c.agent.sync_once()
    status = sync_status(c.store, c.clock)
    assert status.clock_warning and status.clock_skew_ms > 23 * 3600 * 1000
    with central.session() as s:
        device = s.exec(select(Device)).one()
    assert device.clock_skew_ms > 23 * 3600 * 1000
    assert_exactly_once(central, [c], ids)


def test_a_counter_pulls_its_own_centre_and_what_all_share_not_another_centres(central, api, template, tmp_path):
    county = enrolled_counter(tmp_path, "county", central, template, api, "http://central")
    town = enrolled_counter(tmp_path, "town", central, template, api, "http://central", centre="c2")
    seat = new_id()
    county.bench.apply("seat.take", {"id": seat, "staff_id": "clerk1", "window_id": "c1:1"}, actor_id="clerk1")
    note = county.note()
    county.agent.sync_once()
    town.agent.sync_once()
    with town.store.session() as s:
        assert s.get(SeatSession, seat) is None and s.get(AuditEntry, note) is None  # the county's work
        assert s.get(Staff, "clerk1") is None and s.exec(select(Window).where(Window.centre_code == "c1")).all() == []
        assert s.get(Staff, "far1") is not None and s.get(Department, "d1") is not None  # its own, and shared
        assert {w.id for w in s.exec(select(Window)).all()} == {"c2:1", "c2:2", "c2:3"}
    with county.store.session() as s:
        assert s.get(SeatSession, seat) is not None and s.get(Staff, "far1") is None
