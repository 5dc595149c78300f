"""Opening and closing a signed staff session at this counter (clerk.actions.staff)."""

from __future__ import annotations

from dataclasses import replace

from sqlmodel import col, select

from clerk.actions.staff import statement
from clerk.auth import SignedIn, Unlocked
from clerk.ids import new_id
from clerk.outbox import CLIENT_ID_KEY, Workbench, client_id
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


def open_proof(store: Store, staff_id: str) -> dict[str, str] | None:
    """The signed sign-in of ``staff_id``'s open session here, for an online request."""
    with store.session() as session:
        here = meta.get(session, CLIENT_ID_KEY)  # read only: an installation with no id has no session
        row = session.exec(
            select(StaffSession)
            .where(StaffSession.client_id == here, StaffSession.staff_id == staff_id,
                   col(StaffSession.ended_at).is_(None))
            .order_by(col(StaffSession.started_at).desc())
        ).first()
    return None if row is None else {"session_id": row.id, "signed_at": row.signed_at, "signature": row.signature}
