"""Opening and closing a signed staff session at this counter (clerk.staff.session_handlers)."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import bindparam, select

from clerk.ids import new_id
from clerk.outbox import CLIENT_ID_KEY, Workbench, client_id
from clerk.staff.auth import SignedIn, Unlocked
from clerk.staff.session_handlers import statement
from clerk.store.engine import Store
from clerk.store.operations import StaffSession
from clerk.sync import meta


def open_session(bench: Workbench, unlocked: Unlocked) -> SignedIn:
    """Sign "this person signed in here, now" with their key and record it (``staff.sign_in``)."""
    who = unlocked.staff
    session_id, signed_at = new_id(), bench.clock.now().isoformat()
    with bench.store.write() as session:  # a new installation makes its id here: keep it
        cid = client_id(session)
    signature = unlocked.key.sign(statement(cid, session_id, who.staff_id, signed_at))
    bench.apply("staff.sign_in", {"session_id": session_id, "signed_at": signed_at, "signature": signature},
                who.staff_id)
    return replace(who, session_id=session_id)


def close_session(bench: Workbench, staff: SignedIn) -> None:
    """End the session opened at sign-in (``staff.sign_out``)."""
    if staff.session_id:
        bench.apply("staff.sign_out", {"session_id": staff.session_id}, staff.staff_id)


_SESSIONS = StaffSession.__table__
_OPEN_PROOF = (
    select(_SESSIONS.c.id, _SESSIONS.c.signed_at, _SESSIONS.c.signature)
    .where(_SESSIONS.c.client_id == bindparam("client"), _SESSIONS.c.staff_id == bindparam("staff"),
           _SESSIONS.c.ended_at.is_(None))
    .order_by(_SESSIONS.c.started_at.desc())
    .limit(1)
)
"""Built once: every online call reads it."""


def open_proof(store: Store, staff_id: str) -> dict[str, str] | None:
    """The signed sign-in of ``staff_id``'s open session here, for an online request."""
    with store.session() as session:
        here = meta.get(session, CLIENT_ID_KEY)  # read only: an installation with no id has no session
        row = session.execute(_OPEN_PROOF, {"client": here, "staff": staff_id}).first()
    return None if row is None else {"session_id": row.id, "signed_at": row.signed_at, "signature": row.signature}
