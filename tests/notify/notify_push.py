"""A counter's outbox pushed to the central store through clerk.central.apply, as a real
push is: an enrolled device, its staff signed in with their own keys, contiguous ids."""

from __future__ import annotations

import json
from datetime import datetime

from sqlmodel import select

from clerk import credentials
from clerk.central import devices, state
from clerk.central.apply import apply_batch
from clerk.clock import FrozenClock
from clerk.ids import new_id
from clerk.staff.session_handlers import statement
from clerk.store.central_tables import Device
from clerk.store.engine import Store
from clerk.store.local import Outbox
from clerk.store.reference import Staff
from clerk.store.schema import SCHEMA_VERSION
from clerk.sync.protocol import PushMutation, PushRequest

_KEYS: dict[str, tuple[str, credentials.SigningKey]] = {}


def _key(staff_id: str) -> tuple[str, credentials.SigningKey]:
    if staff_id not in _KEYS:
        password = f"pw-{staff_id}"
        public = credentials.new_signing_key(password, credentials.salt_for(staff_id))
        _KEYS[staff_id] = (public, credentials.unlock(public, password))
    return _KEYS[staff_id]


class Pusher:
    """Pushes what the counter ``counter`` has not pushed yet, in one batch per call."""

    def __init__(self, central: Store, counter: Store, centre: str, at: datetime,
                 passwords: dict[str, str] | None = None) -> None:
        self.central, self.counter, self.at = central, counter, at
        self.passwords = passwords or {}
        """Staff whose own key signs on the counter too (a chief's decision): their sign-in is
        proved with that key, not a made-up one that would void the decision's signature."""
        self.pushed = 0  # outbox ids sent so far
        self.next_id = 1
        self.signed: set[str] = set()
        self.centre = centre
        self.client_id = self.device_id = ""

    def _enrol(self, client_id: str) -> None:
        """On the first push: the counter's installation id is in its outbox rows."""
        self.client_id = client_id
        state.ensure_state(self.central)
        code = devices.make_enrol_code(self.central, FrozenClock(self.at), self.centre)
        with self.central.write() as s:
            self.device_id = devices.enrol(s, self.at, code, client_id, "notify").device_id

    def _mutation(self, name: str, args: dict, actor: str | None, at: datetime) -> PushMutation:
        m = PushMutation(mutation_id=self.next_id, name=name, args=args, actor_id=actor,
                         hlc=f"{self.next_id:013d}-00000-notify", at=at, schema_version=SCHEMA_VERSION)
        self.next_id += 1
        return m

    def _sign_in(self, staff_id: str, at: datetime) -> PushMutation:
        if staff_id in self.passwords:
            with self.central.session() as s:
                key = credentials.unlock(s.get(Staff, staff_id).signing_key, self.passwords[staff_id])
        else:
            public, key = _key(staff_id)
            with self.central.write() as s:
                s.get(Staff, staff_id).signing_key = public
        session_id, signed_at = new_id(), at.isoformat()
        signature = key.sign(statement(self.client_id, session_id, staff_id, signed_at))
        self.signed.add(staff_id)
        return self._mutation("staff.sign_in", {"session_id": session_id, "signed_at": signed_at,
                                                "signature": signature}, staff_id, at)

    def push(self) -> list:
        """Push the new outbox rows; returns the conflicts (refusals) the central store reported."""
        with self.counter.session() as s:
            rows = list(s.exec(select(Outbox).where(Outbox.mutation_id > self.pushed).order_by(Outbox.mutation_id)))
        if rows and not self.device_id:
            self._enrol(rows[0].client_id)
        todo = []
        for row in rows:
            if row.actor_id and row.actor_id not in self.signed:
                todo.append(self._sign_in(row.actor_id, row.created_at))
            todo.append(self._mutation(row.name, json.loads(row.args), row.actor_id, row.created_at))
            self.pushed = row.mutation_id
        req = PushRequest(client_id=self.client_id, schema_version=SCHEMA_VERSION, client_time=self.at, mutations=todo)
        with self.central.write() as s:
            return apply_batch(s, s.get(Device, self.device_id), req, self.at).conflicts
