"""The central store's API: credentials, bad input, idempotency, gaps, schema versions."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from harness import START, enrolled_counter, server_audit_ids, sign_in_args
from sqlalchemy import func, select

from clerk.central import devices
from clerk.central.app import create_app
from clerk.clock import SystemClock
from clerk.ids import new_id
from clerk.store.central_tables import ChangeLog, ClientState, Device, PushReceipt
from clerk.store.schema import SCHEMA_VERSION
from clerk.sync.client import CentralClient, Rejected
from clerk.sync.enrol import enrol
from clerk.sync.protocol import EnrolRequest


def _enrolled(api, central) -> tuple[str, dict]:
    """A device credential and its client id, without a counter store."""
    client_id = new_id()
    code = devices.make_enrol_code(central, SystemClock(), "c1")
    r = api.post("/api/v1/enrol", json={"code": code, "client_id": client_id, "schema_version": SCHEMA_VERSION})
    assert r.status_code == 200, r.text
    body = r.json()
    return client_id, {"Authorization": f"Bearer {body['device_id']}.{body['secret']}"}


def _push_body(client_id: str, first: int, n: int, name: str = "audit.record", version: int = SCHEMA_VERSION) -> dict:
    """Mutations ``first``… of a counter; like a counter's outbox, it starts with the clerk's sign-in."""
    def one(i: int) -> dict:
        mutation_id = first + i
        signs_in = mutation_id == 1 and name == "audit.record"
        return {
            "mutation_id": mutation_id,
            "name": "staff.sign_in" if signs_in else name,
            "args": sign_in_args(client_id, "clerk1") if signs_in else {"id": f"{client_id}-{mutation_id}", "action": "note"},
            "actor_id": "clerk1",
            "hlc": f"{i:013d}-00000-abcd",
            "at": START.isoformat(),
            "schema_version": version,
        }

    return {"client_id": client_id, "schema_version": version, "client_time": START.isoformat(),
            "mutations": [one(i) for i in range(n)]}


def _stored(central) -> tuple[int, int, int]:
    with central.session() as s:
        return (
            s.execute(select(func.count()).select_from(PushReceipt)).scalar_one(),
            s.execute(select(func.count()).select_from(ChangeLog)).scalar_one(),
            sum(s.execute(select(ClientState.last_mutation_id)).scalars()),
        )


def test_health_and_openapi_need_no_credential(api):
    assert api.get("/api/v1/health").json()["status"] == "ok"
    paths = api.get("/openapi.json").json()["paths"]
    assert {"/api/v1/push", "/api/v1/pull", "/api/v1/enrol", "/api/v1/health"} <= set(paths)


@pytest.mark.parametrize("header", [None, "Bearer nonsense", "Bearer 01a2.forged-secret", "Basic abc"])
def test_calls_without_a_valid_credential_are_refused(api, central, header):
    client_id, _auth = _enrolled(api, central)
    before = _stored(central)
    headers = {"Authorization": header} if header else {}
    r = api.post("/api/v1/push", json=_push_body(client_id, 1, 2), headers=headers)
    assert r.status_code == 401 and r.json()["detail"] in {"no_credential", "bad_credential"}
    assert r.json()["message"]
    assert _stored(central) == before


def test_a_forged_secret_for_a_real_device_is_refused(api, central):
    client_id, auth = _enrolled(api, central)
    device_id = auth["Authorization"].split()[1].split(".")[0]
    r = api.post("/api/v1/pull", json={"client_id": client_id, "schema_version": SCHEMA_VERSION},
                 headers={"Authorization": f"Bearer {device_id}.{'A' * 43}"})
    assert r.status_code == 401


def test_enrol_code_works_once(api, central):
    code = devices.make_enrol_code(central, SystemClock(), "c1")
    body = {"code": code.lower().replace("-", " "), "client_id": new_id(), "schema_version": SCHEMA_VERSION}
    assert api.post("/api/v1/enrol", json=body).status_code == 200  # typed loosely: still fine
    again = api.post("/api/v1/enrol", json={**body, "client_id": new_id()})
    assert again.status_code == 403 and again.json()["detail"] == "bad_enrol_code"


def test_revocation_is_immediate(api, central):
    client_id, auth = _enrolled(api, central)
    assert api.post("/api/v1/push", json=_push_body(client_id, 1, 1), headers=auth).status_code == 200
    with central.session() as s:
        device = s.execute(select(Device).where(Device.client_id == client_id)).scalar_one()
    assert devices.revoke(central, SystemClock(), device.id)
    r = api.post("/api/v1/push", json=_push_body(client_id, 2, 1), headers=auth)
    assert r.status_code == 403 and r.json()["detail"] == "device_revoked"
    assert api.post("/api/v1/pull", json={"client_id": client_id, "schema_version": SCHEMA_VERSION}, headers=auth).status_code == 403


def test_a_device_cannot_push_for_another_installation(api, central):
    _mine, auth = _enrolled(api, central)
    other, _ = _enrolled(api, central)
    r = api.post("/api/v1/push", json=_push_body(other, 1, 1), headers=auth)
    assert r.status_code == 403 and r.json()["detail"] == "client_mismatch"


def test_replayed_batch_applies_nothing(api, central):
    client_id, auth = _enrolled(api, central)
    body = _push_body(client_id, 1, 20)
    first = api.post("/api/v1/push", json=body, headers=auth).json()
    after_first = _stored(central)
    second = api.post("/api/v1/push", json=body, headers=auth).json()
    assert first["last_mutation_id"] == second["last_mutation_id"] == 20
    assert _stored(central) == after_first
    assert len(server_audit_ids(central)) == 19  # and the sign-in


def test_a_gap_is_refused_with_the_servers_last_id(api, central):
    client_id, auth = _enrolled(api, central)
    api.post("/api/v1/push", json=_push_body(client_id, 1, 5), headers=auth)
    before = _stored(central)
    r = api.post("/api/v1/push", json=_push_body(client_id, 8, 3), headers=auth)
    assert r.status_code == 409
    assert r.json()["detail"] == "mutation_gap" and r.json()["last_mutation_id"] == 5
    assert _stored(central) == before


@pytest.mark.parametrize(
    "mangle, code",
    [
        (lambda b: b"{not json", "invalid_request"),
        (lambda b: {**b, "mutations": "many"}, "invalid_request"),
        (lambda b: {**b, "client_time": "2026-03-02T09:00:00"}, "invalid_request"),  # no zone
        (lambda b: {**b, "mutations": [{**b["mutations"][0], "mutation_id": "one"}]}, "invalid_request"),
        (lambda b: {**b, "mutations": [{**m, "name": "ticket.teleport"} for m in b["mutations"]]}, "unknown_mutation"),
        (lambda b: {**b, "mutations": [b["mutations"][0], b["mutations"][2]]}, "batch_not_contiguous"),
        (lambda b: {**b, "surprise": 1}, "invalid_request"),
    ],
)
def test_bad_input_is_a_4xx_and_stores_nothing(api, central, mangle, code):
    client_id, auth = _enrolled(api, central)
    before = _stored(central)
    body = mangle(_push_body(client_id, 1, 3))
    r = api.post("/api/v1/push", content=body if isinstance(body, bytes) else None,
                 json=None if isinstance(body, bytes) else body, headers={**auth, "Content-Type": "application/json"})
    assert 400 <= r.status_code < 500 and r.json()["detail"] == code, r.text
    assert r.json()["message"]
    assert _stored(central) == before
    assert api.get("/api/v1/health").status_code == 200


def test_huge_payload_is_refused_before_parsing(central):
    app = create_app(central, max_body_bytes=64 * 1024)
    with TestClient(app, base_url="http://central") as api:
        client_id, auth = _enrolled(api, central)
        body = _push_body(client_id, 1, 1)
        body["mutations"][0]["args"]["subject"] = "办" * 100_000
        r = api.post("/api/v1/push", json=body, headers=auth)
        assert r.status_code == 413 and r.json()["detail"] == "payload_too_large"
        assert api.get("/api/v1/health").status_code == 200
    assert server_audit_ids(central) == []


def test_a_counter_one_schema_version_behind_still_syncs(central, template, tmp_path):
    newer = create_app(central, schema_version=SCHEMA_VERSION + 1)
    with TestClient(newer, base_url="http://central") as api:
        c = enrolled_counter(tmp_path, "w1", central, template, api, "http://central")
        ids = {c.note() for _ in range(3)}
        c.agent.sync_once()
        assert set(server_audit_ids(central)) == ids and c.pending() == 0


def test_a_counter_two_versions_behind_is_told_to_upgrade_and_keeps_its_queue(central, template, tmp_path):
    with TestClient(create_app(central), base_url="http://central") as api:
        c = enrolled_counter(tmp_path, "w1", central, template, api, "http://central")
        c.note()
    with TestClient(create_app(central, schema_version=SCHEMA_VERSION + 2), base_url="http://central") as api:
        c.agent.client.http = api
        with pytest.raises(Rejected) as info:
            c.agent.sync_once()
    assert info.value.code == "schema_version_unsupported" and "升级" in info.value.message
    assert c.pending() == 1  # nothing dropped; it goes once the counter is upgraded


def test_enrol_through_the_client_keeps_the_credential(central, api, template, tmp_path):
    from harness import migrated_copy

    store = migrated_copy(template, tmp_path / "w.sqlite3")
    client = CentralClient("http://central", http=api)
    code = devices.make_enrol_code(central, SystemClock(), "c2")
    resp = enrol(store, client, code, "镇窗口")
    assert resp.centre_code == "c2"
    with pytest.raises(Rejected):
        client.enrol(EnrolRequest(code=code, client_id="x", schema_version=SCHEMA_VERSION))


def test_a_counter_that_only_pulls_is_seen_too(api, central, server_clock):
    """A kiosk whose tickets all went online pushes nothing, but its pulls say it is there."""
    client_id, auth = _enrolled(api, central)

    def pull_and_look():
        assert api.post("/api/v1/pull", json={"client_id": client_id, "schema_version": SCHEMA_VERSION},
                        headers=auth).status_code == 200
        with central.session() as s:
            return s.execute(select(Device).where(Device.client_id == client_id)).scalars().one().last_seen_at

    first = pull_and_look()
    assert first == server_clock.now()
    server_clock.advance(seconds=20)
    assert pull_and_look() == first  # at most a write a minute
    server_clock.advance(minutes=1)
    assert pull_and_look() == server_clock.now()
