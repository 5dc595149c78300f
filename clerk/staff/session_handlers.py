"""Staff sessions: a signed sign-in at a counter, and its end.

``staff.sign_in`` carries a statement signed with the staff member's own key
(clerk.credentials): "this person signed in at this counter installation, with this
session id, at this time". Its handler checks the signature against the published key on
the counter and again on the central store, so a counter cannot open a session for
someone whose password it was not given. The central store then accepts actions in that
person's name from that counter only while the session is open (clerk.central.actors).
"""

from __future__ import annotations

from typing import Protocol

from pydantic import Field
from sqlmodel import Session

from clerk import credentials
from clerk.mutation import MutationArgs, MutationContext, MutationRefused, mutation
from clerk.store.operations import StaffSession
from clerk.store.reference import Staff


def statement(client_id: str, session_id: str, staff_id: str, signed_at: str) -> bytes:
    """The bytes a sign-in signs: bound to the counter, so it is worth nothing elsewhere."""
    return f"clerk-staff-session/1\n{client_id}\n{session_id}\n{staff_id}\n{signed_at}".encode()


class SignIn(MutationArgs):
    session_id: str = Field(min_length=1, max_length=64)
    signed_at: str = Field(min_length=1, max_length=64)
    signature: str = Field(min_length=1, max_length=128)


class SignOut(MutationArgs):
    session_id: str = Field(min_length=1, max_length=64)


class Proof(Protocol):
    """A signed sign-in: the mutation's arguments, or the copy an online request carries."""

    session_id: str
    signed_at: str
    signature: str


def proof_holds(session: Session, client_id: str, staff_id: str | None, proof: Proof) -> bool:
    """Whether ``proof`` is a sign-in of ``staff_id`` at ``client_id`` signed with their key."""
    staff = session.get(Staff, staff_id) if staff_id else None
    if staff is None or not staff.active:
        return False
    message = statement(client_id, proof.session_id, staff.id, proof.signed_at)
    return credentials.verify(staff.signing_key, message, proof.signature)


@mutation("staff.sign_in", SignIn, session_change=True)
def sign_in(session: Session, args: SignIn, ctx: MutationContext) -> StaffSession:
    if not proof_holds(session, ctx.client_id, ctx.actor_id, args):
        raise MutationRefused("签到凭证无效：不是本人在本机签到", f"bad sign-in proof for {ctx.actor_id}")
    if session.get(StaffSession, args.session_id) is not None:
        raise MutationRefused("签到记录编号重复", f"session {args.session_id} exists")
    row = StaffSession(
        id=args.session_id, staff_id=ctx.actor_id, client_id=ctx.client_id,
        signed_at=args.signed_at, signature=args.signature, started_at=ctx.at,
    )
    session.add(row)
    return row


@mutation("staff.sign_out", SignOut, session_change=True)
def sign_out(session: Session, args: SignOut, ctx: MutationContext) -> None:
    row = session.get(StaffSession, args.session_id)
    if row is None or row.client_id != ctx.client_id or row.staff_id != ctx.actor_id:
        raise MutationRefused("没有这个签到记录", f"no session {args.session_id} of {ctx.actor_id} here")
    if row.ended_at is None:
        row.ended_at = ctx.at
        session.add(row)
