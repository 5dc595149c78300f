"""Who may make a pushed mutation: the server's own check of its actor.

A counter's word for who did something is not taken on trust. The actor must be active
staff of the counter's centre with a role the mutation allows, and (from schema version
:data:`SESSIONS_SINCE`) must have an open, signed staff session at that counter
(clerk.staff.session_handlers): only someone who typed the password there can have opened it.
So a clerk's counter cannot push a chief representative's signature.

Mutations of the previous schema version predate sessions and are checked as before,
but only until the counter has pushed one of the current version: an upgraded counter
cannot fall back to the older, weaker check.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Row, bindparam, select
from sqlmodel import Session

from clerk.mutation import Mutation
from clerk.store.central_tables import Device
from clerk.store.operations import StaffSession
from clerk.store.reference import ROLES, Staff
from clerk.sync.protocol import PushMutation

SESSIONS_SINCE = 2
"""The schema version from which an actor needs a signed session at the pushing counter."""

_STAFF = Staff.__table__
_SESSIONS = StaffSession.__table__
_OPEN_SESSION = (
    select(_SESSIONS.c.id)
    .where(_SESSIONS.c.client_id == bindparam("client"), _SESSIONS.c.staff_id == bindparam("staff"),
           _SESSIONS.c.ended_at.is_(None))
    .limit(1)
)
"""Built once: the push path runs it for each actor of each batch."""


class ActorCheck:
    """The actor checks of one pushed batch, with what they read cached for the batch."""

    def __init__(self, session: Session, device: Device, mutations: Iterable[PushMutation]) -> None:
        self.session = session
        self.device = device
        self.staff = _staff(session, {m.actor_id for m in mutations if m.actor_id is not None})
        self.reset()

    def reset(self) -> None:
        """Forget what was read and seen: the batch is being applied again from its start."""
        self._verdicts: dict[tuple[str, str, bool], str] = {}
        self._open: dict[str, bool] = {}
        self.version = self.device.schema_version or 0
        """The newest schema version the counter has pushed, up to the mutation checked last."""

    def refusal(self, mut: Mutation, m: PushMutation) -> str:
        """Why ``m`` may not be applied; "" when it may."""
        if m.schema_version < SESSIONS_SINCE <= self.version:
            return "本机已升级，旧版本程序留下的操作不再接受"
        self.version = max(self.version, m.schema_version)
        key = (m.actor_id or "", mut.name, m.schema_version >= SESSIONS_SINCE)
        if key not in self._verdicts:
            self._verdicts[key] = self._verdict(mut, m.actor_id, key[2])
        return self._verdicts[key]

    def applied(self, mut: Mutation) -> None:
        """Call after a mutation is applied: a sign-in or sign-out changes the verdicts."""
        if mut.session_change:
            self._verdicts.clear()
            self._open.clear()

    def _verdict(self, mut: Mutation, actor_id: str | None, signed: bool) -> str:
        if actor_id is None:
            return "该操作需要有权限的工作人员签名" if mut.roles is not None else ""
        staff = self.staff[actor_id]
        if staff is None or not staff.active:
            return "操作人不存在或已停用"
        if staff.centre_code != self.device.centre_code:
            return "操作人不属于本机登记的中心"
        if not mut.allows(staff.role):
            return f"操作人的角色（{ROLES.get(staff.role, staff.role)}）无权进行该操作"
        if signed and not mut.session_change and not self._has_session(actor_id):
            return "操作人没有在本机签到（或已签退），不能以其名义操作"
        return ""

    def _has_session(self, actor_id: str) -> bool:
        if actor_id not in self._open:
            if self.session.new or self.session.dirty:
                self.session.flush()  # a sign-in or sign-out earlier in this batch counts
            found = self.session.execute(_OPEN_SESSION, {"client": self.device.client_id, "staff": actor_id})
            self._open[actor_id] = found.first() is not None
        return self._open[actor_id]


def _staff(session: Session, actors: set[str]) -> dict[str, Row | None]:
    """Every actor of the batch in one query (None for an unknown one). Staff is reference
    data, published centrally and never changed by a mutation, so it cannot go stale."""
    if not actors:
        return {}
    query = select(_STAFF.c.id, _STAFF.c.active, _STAFF.c.centre_code, _STAFF.c.role).where(_STAFF.c.id.in_(actors))
    found = {row.id: row for row in session.execute(query)}
    return {a: found.get(a) for a in actors}
