"""Helpers for the queue API tests: enrolled devices, issue, claim and raw pushes over HTTP."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from harness import START, sign_in_args

from clerk.central import devices
from clerk.clock import SystemClock
from clerk.store.engine import Store
from clerk.store.schema import SCHEMA_VERSION

Q = "/api/v1/queue"


@dataclass
class Device:
    client_id: str
    credential: str
    band: int | None
    next_mutation: int = 1
    sent: list[int] = field(default_factory=list)
    sessions: dict[str, dict] = field(default_factory=dict)
    """Staff id → the signed sign-in this device made for them."""
    pushed_sessions: set[str] = field(default_factory=set)

    def session_of(self, staff: str) -> dict:
        """The staff member signs in at this device (once); an online call carries the proof."""
        if staff not in self.sessions:
            self.sessions[staff] = sign_in_args(self.client_id, staff)
        return self.sessions[staff]

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.credential}"}


def enrol_device(http, central: Store, client_id: str, centre: str = "c1") -> Device:
    code = devices.make_enrol_code(central, SystemClock(), centre)
    resp = http.post("/api/v1/enrol", json={"code": code, "client_id": client_id, "name": client_id,
                                            "schema_version": SCHEMA_VERSION})
    assert resp.status_code == 200, resp.text
    body = resp.json()
    return Device(body["client_id"], f"{body['device_id']}.{body['secret']}", body["band"])


def issue(http, dev: Device, line: str = "c1:A", **extra) -> dict:
    resp = http.post(f"{Q}/tickets", json={"line_id": line, **extra}, headers=dev.headers)
    assert resp.status_code == 200, resp.text
    return resp.json()


def call_next(http, dev: Device, window: str, staff: str):
    body = {"window_id": window, "staff_id": staff, "session": dev.session_of(staff)}
    return http.post(f"{Q}/call-next", json=body, headers=dev.headers)


def call(http, dev: Device, ticket_id: str, window: str, staff: str):
    body = {"ticket_id": ticket_id, "window_id": window, "staff_id": staff, "session": dev.session_of(staff)}
    return http.post(f"{Q}/call", json=body, headers=dev.headers)


def push(http, dev: Device, name: str, args: dict, actor: str, at: datetime = START) -> dict:
    """One mutation pushed as the device's next, as the sync agent would send it (after the
    actor's sign-in, as the counter's outbox would hold it)."""
    if actor not in dev.pushed_sessions and name != "staff.sign_in":
        dev.pushed_sessions.add(actor)
        push(http, dev, "staff.sign_in", dev.session_of(actor), actor, at)
    mid = dev.next_mutation
    dev.next_mutation += 1
    body = {
        "client_id": dev.client_id, "schema_version": SCHEMA_VERSION,
        "client_time": datetime.now(UTC).isoformat(),
        "mutations": [{"mutation_id": mid, "name": name, "args": args, "actor_id": actor,
                       "hlc": f"{mid:016d}", "at": at.isoformat(), "schema_version": SCHEMA_VERSION}],
    }
    resp = http.post("/api/v1/push", json=body, headers=dev.headers)
    assert resp.status_code == 200, resp.text
    return resp.json()
