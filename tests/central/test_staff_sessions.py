"""Actions in a staff member's name need that person's signed sign-in at the pushing counter.

Here the counter is a device speaking raw HTTP, as a tampered counter could: whatever it
sends, the central store accepts nothing in a name whose password was not typed there.
"""

from __future__ import annotations

import pytest
from harness import START, migrated_copy, password_of, seed_hall, sign_in_args
from queue_helpers import Q, call_next, enrol_device, issue, push
from sqlalchemy import select

from clerk import credentials
from clerk.central.actors import SESSIONS_SINCE
from clerk.clock import FrozenClock
from clerk.ids import new_id
from clerk.mutation import MutationRefused
from clerk.outbox import Workbench, client_id
from clerk.staff.auth import SignInError, sign_in
from clerk.staff.session_handlers import statement
from clerk.staff.sessions import open_session
from clerk.store.engine import Store
from clerk.store.local import Outbox
from clerk.store.operations import AuditEntry, StaffSession, Ticket
from clerk.store.reference import Staff
from clerk.store.schema import SCHEMA_VERSION


def _note(http, dev, actor: str, version: int = SCHEMA_VERSION) -> tuple[str, list]:
    aid = new_id()
    body = {
        "client_id": dev.client_id, "schema_version": version, "client_time": START.isoformat(),
        "mutations": [{"mutation_id": dev.next_mutation, "name": "test.chief_note", "args": {"id": aid, "text": "同意"},
                       "actor_id": actor, "hlc": f"{dev.next_mutation:016d}", "at": START.isoformat(),
                       "schema_version": version}],
    }
    dev.next_mutation += 1
    resp = http.post("/api/v1/push", json=body, headers=dev.headers)
    assert resp.status_code == 200, resp.text
    return aid, resp.json()["conflicts"]


def _stored_notes(central) -> set[str]:
    with central.session() as s:
        return set(s.execute(select(AuditEntry.id).where(AuditEntry.action == "chief_note")).scalars())


def test_a_chief_note_needs_the_chiefs_own_sign_in_at_that_device(api, central):
    clerks_counter = enrol_device(api, central, "counter-w")
    unsigned, conflicts = _note(api, clerks_counter, "chief1")
    assert "没有在本机签到" in conflicts[0]["reason"]
    # The clerk signs "the chief signed in here" with the clerk's own key.
    forged = sign_in_args(clerks_counter.client_id, "chief1", signer="clerk1")
    assert "签到凭证无效" in push(api, clerks_counter, "staff.sign_in", forged, "chief1")["conflicts"][0]["reason"]
    # A genuine sign-in of the chief, copied from the chief's own counter, is bound to that counter.
    chiefs_counter = enrol_device(api, central, "counter-chief")
    genuine = chiefs_counter.session_of("chief1")
    push(api, chiefs_counter, "staff.sign_in", genuine, "chief1")
    copied = {**genuine, "session_id": new_id()}
    assert "签到凭证无效" in push(api, clerks_counter, "staff.sign_in", copied, "chief1")["conflicts"][0]["reason"]
    still_unsigned, _ = _note(api, clerks_counter, "chief1")
    # The chief comes to the clerk's counter and types the password: now it counts.
    push(api, clerks_counter, "staff.sign_in", sign_in_args(clerks_counter.client_id, "chief1"), "chief1")
    signed, conflicts = _note(api, clerks_counter, "chief1")
    assert conflicts == []
    assert _stored_notes(central) == {signed}
    assert unsigned not in _stored_notes(central) and still_unsigned not in _stored_notes(central)


def test_after_sign_out_the_session_no_longer_counts(api, central):
    dev = enrol_device(api, central, "counter-w")
    proof = dev.session_of("chief1")
    push(api, dev, "staff.sign_in", proof, "chief1")
    before, _ = _note(api, dev, "chief1")
    push(api, dev, "staff.sign_out", {"session_id": proof["session_id"]}, "chief1")
    after, conflicts = _note(api, dev, "chief1")
    assert "没有在本机签到" in conflicts[0]["reason"]
    assert _stored_notes(central) == {before}
    assert call_next(api, dev, "c1:1", "chief1").json()["detail"] == "no_session"  # online too


def test_an_online_call_needs_a_valid_sign_in_proof(api, central):
    dev = enrol_device(api, central, "counter-w")
    issue(api, dev)
    base = {"window_id": "c1:1", "staff_id": "clerk1"}
    forged = sign_in_args(dev.client_id, "clerk1", signer="clerk2")
    other = sign_in_args("another-counter", "clerk1")
    for body in (base, {**base, "session": forged}, {**base, "session": other}):
        r = api.post(f"{Q}/call-next", json=body, headers=dev.headers)
        assert r.status_code == 403 and r.json()["detail"] == "no_session", r.text
    r = api.post(f"{Q}/call-next", json={**base, "session": sign_in_args(dev.client_id, "clerk1")}, headers=dev.headers)
    assert r.status_code == 200 and r.json()["ticket"] is not None  # not pushed yet: the proof is enough


def test_every_version_the_central_store_accepts_needs_a_signed_sign_in(api, central):
    """The previous schema version is accepted too, and it is newer than signed sign-ins: an
    actor without a session at the counter is refused at either version, and a counter from
    before signed sign-ins cannot push at all (its version is no longer accepted)."""
    assert SCHEMA_VERSION - 1 >= SESSIONS_SINCE
    dev = enrol_device(api, central, "counter-old")
    for version in (SCHEMA_VERSION, SCHEMA_VERSION - 1):
        _aid, conflicts = _note(api, dev, "chief1", version=version)
        assert "没有在本机签到" in conflicts[0]["reason"]
    body = {"client_id": dev.client_id, "schema_version": SESSIONS_SINCE - 1, "client_time": START.isoformat(),
            "mutations": []}
    r = api.post("/api/v1/push", json=body, headers=dev.headers)
    assert r.status_code == 409 and r.json()["detail"] == "schema_version_unsupported"
    assert _stored_notes(central) == set()


def _counter_store(tmp_path, template) -> Store:
    store = migrated_copy(template, tmp_path / "w.sqlite3")
    seed_hall(store)
    return store


def test_the_counter_itself_refuses_a_sign_in_it_cannot_prove(tmp_path, template):
    """Even untampered code cannot record a session for someone whose password it lacks."""
    store = _counter_store(tmp_path, template)
    bench = Workbench(store, FrozenClock(START))
    with store.write() as s:
        here = client_id(s)
    with pytest.raises(MutationRefused):
        bench.apply("staff.sign_in", sign_in_args(here, "chief1", signer="clerk1"), "chief1")
    with store.session() as s:
        assert s.execute(select(Outbox)).first() is None and s.execute(select(StaffSession)).first() is None


def test_sign_in_at_a_counter_opens_a_session_signed_with_the_password(tmp_path, template):
    """The counter's own path: the password unlocks the key and the sign-in is signed with it."""
    store = _counter_store(tmp_path, template)
    clock = FrozenClock(START)
    with pytest.raises(SignInError):
        sign_in(store, clock, "chief1", password_of("clerk1"), 5, 15)
    who = open_session(Workbench(store, clock), sign_in(store, clock, "chief1", password_of("chief1"), 5, 15))
    with store.session() as s:
        row = s.get(StaffSession, who.session_id)
        key = s.get(Staff, "chief1").signing_key
        here = client_id(s)
    assert row.staff_id == "chief1" and row.client_id == here and row.ended_at is None
    assert credentials.verify(key, statement(here, row.id, "chief1", row.signed_at), row.signature)
    assert not credentials.verify(key, statement(here, row.id, "clerk1", row.signed_at), row.signature)


def test_a_call_in_nobodys_name_is_refused(api, central):
    """Only the kiosk acts without a staff member; calling a ticket is a clerk's action."""
    dev = enrol_device(api, central, "counter-w")
    ticket = issue(api, dev)["ticket"]["id"]  # the kiosk's part needs no one
    body = {"client_id": dev.client_id, "schema_version": SCHEMA_VERSION, "client_time": START.isoformat(),
            "mutations": [{"mutation_id": 1, "name": "ticket.call", "args": {"ticket_id": ticket, "window_id": "c1:1"},
                           "actor_id": None, "hlc": "1", "at": START.isoformat(), "schema_version": SCHEMA_VERSION}]}
    conflicts = api.post("/api/v1/push", json=body, headers=dev.headers).json()["conflicts"]
    assert "需要有权限的工作人员" in conflicts[0]["reason"]
    with central.session() as s:
        assert s.get(Ticket, ticket).status == "waiting"
