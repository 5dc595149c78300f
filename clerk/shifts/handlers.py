"""Shift notes and their signatures: ``shift.note`` writes or edits, ``shift.sign`` signs.

Both run on the supervisor's counter and again on the central store, which checks from the
arguments and its own rows alone: the actor is a supervisor of the note's centre, a signed
note is never edited or signed again, and the signature was made with the signer's own key
over this note's words, its shift, its scope and the figures' digest at this counter.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from clerk import credentials
from clerk.floor.handlers import SUPERVISORS
from clerk.mutation import MutationArgs, MutationContext, MutationRefused, mutation
from clerk.shifts import rules
from clerk.store.reference import Staff
from clerk.store.shift_tables import ShiftNote


class NoteArgs(MutationArgs):
    id: str = Field(min_length=1, max_length=64)
    day: dt.date
    shift: str = Field(pattern=r"^\d\d:\d\d-\d\d:\d\d$")
    scope_kind: Literal["centre", "window", "staff", "line"] = "centre"
    scope_key: str = Field(min_length=1, max_length=64)
    corrects: str | None = Field(default=None, max_length=64)
    text: str = Field(max_length=rules.MAX_NOTE + 100)


class SignArgs(MutationArgs):
    note_id: str = Field(min_length=1, max_length=64)
    figures_digest: str = Field(pattern=r"^[0-9a-f]{64}$")
    signed_at: str = Field(min_length=1, max_length=64)
    signature: str = Field(min_length=1, max_length=128)


def supervisor(session: Session, ctx: MutationContext) -> Staff:
    staff = session.get(Staff, ctx.actor_id) if ctx.actor_id else None
    if staff is None or not staff.active or staff.role not in SUPERVISORS:
        raise MutationRefused("班次说明须由签到的值班长填写和签名", f"{ctx.actor_id} is not a supervisor")
    return staff


def signer_name(session: Session, note: ShiftNote) -> str:
    staff = session.get(Staff, note.supervisor_id)
    return staff.name if staff else "其他值班长"


@mutation("shift.note", NoteArgs, roles=SUPERVISORS)
def write_note(session: Session, args: NoteArgs, ctx: MutationContext) -> ShiftNote:
    staff = supervisor(session, ctx)
    text = rules.require_text(args.text)
    note = session.get(ShiftNote, args.id)
    if note is None:
        note = _new_note(session, args, staff)
        note.note, note.written_at = text, ctx.at
        _insert(session, note)
        return note
    _require_same(note, args, staff)
    rules.require_unsigned(note, signer_name(session, note))
    note.note, note.written_at = text, ctx.at
    session.add(note)
    return note


def _insert(session: Session, note: ShiftNote) -> None:
    """Written now, in a savepoint: a first note another supervisor's push stored since the
    check above (uq_shift_note_first) is refused in words, and nothing of this one stays."""
    try:
        with session.begin_nested():
            session.add(note)
    except IntegrityError as exc:  # the savepoint's rollback took the note out of the session
        said = str(exc.orig)  # PostgreSQL names the index, SQLite its last column
        if note.corrects is None and ("uq_shift_note_first" in said or "shift_note.scope_key" in said):
            raise MutationRefused("该班次已有其他值班长同时写的说明，本说明未保存；请在那份说明上修改",
                                  f"first note of the shift stored meanwhile ({exc.orig})") from exc
        raise


def _new_note(session: Session, args: NoteArgs, staff: Staff) -> ShiftNote:
    where = (ShiftNote.centre_code == staff.centre_code, ShiftNote.day == args.day, ShiftNote.shift == args.shift,
             ShiftNote.scope_kind == args.scope_kind, ShiftNote.scope_key == args.scope_key)
    if args.corrects is not None:
        target = session.get(ShiftNote, args.corrects)
        if target is None or (target.centre_code, target.day, target.shift, target.scope_kind, target.scope_key) != (
                staff.centre_code, args.day, args.shift, args.scope_kind, args.scope_key):
            raise MutationRefused("要更正的班次说明不存在或不是这个班次的", f"bad corrects {args.corrects}")
        if not target.signature:
            raise MutationRefused("原说明尚未签名，请直接修改原说明", f"{target.id} is unsigned")
    else:
        first = session.exec(select(ShiftNote).where(*where, ShiftNote.corrects.is_(None))).first()
        if first is not None and first.signature:
            raise MutationRefused(f"该班次已由{signer_name(session, first)}签名，不能再写一份；如需更正，请另写更正说明",
                                  f"shift already signed in {first.id}")
        if first is not None:
            raise MutationRefused(f"该班次已有{signer_name(session, first)}写的说明，请在原说明上修改",
                                  f"shift already noted in {first.id}")
    return ShiftNote(id=args.id, centre_code=staff.centre_code, day=args.day, shift=args.shift,
                     scope_kind=args.scope_kind, scope_key=args.scope_key, corrects=args.corrects,
                     supervisor_id=staff.id)


def _require_same(note: ShiftNote, args: NoteArgs, staff: Staff) -> None:
    if note.supervisor_id != staff.id:
        raise MutationRefused("只能修改本人写的班次说明", f"{note.id} belongs to {note.supervisor_id}")
    if (note.day, note.shift, note.scope_kind, note.scope_key, note.corrects) != (
            args.day, args.shift, args.scope_kind, args.scope_key, args.corrects):
        raise MutationRefused("班次说明不能改到其他班次", f"{note.id} moved")


@mutation("shift.sign", SignArgs, roles=SUPERVISORS)
def sign(session: Session, args: SignArgs, ctx: MutationContext) -> ShiftNote:
    staff = supervisor(session, ctx)
    note = session.get(ShiftNote, args.note_id)
    if note is None or note.centre_code != staff.centre_code:
        raise MutationRefused("找不到这份班次说明", f"unknown shift note {args.note_id}")
    rules.require_unsigned(note, signer_name(session, note))
    if note.supervisor_id != staff.id:
        raise MutationRefused("只能签署本人写的班次说明", f"{note.id} belongs to {note.supervisor_id}")
    message = rules.statement(ctx.client_id, note, staff.id, args.figures_digest, args.signed_at)
    if not credentials.verify(staff.signing_key, message, args.signature):
        raise MutationRefused("班次签名无效：不是本人在本机签名，或班次说明、数据已被改动",
                              f"bad shift signature by {staff.id} from {ctx.client_id}")
    note.figures_digest, note.signed_at, note.signature = args.figures_digest, args.signed_at, args.signature
    note.signed_client = ctx.client_id
    session.add(note)
    return note


def signature_holds(session: Session, note: ShiftNote) -> bool:
    """Whether the stored note still matches its signature (nothing altered since)."""
    staff = session.get(Staff, note.supervisor_id)
    if not note.signature or staff is None:
        return False
    message = rules.statement(note.signed_client, note, staff.id, note.figures_digest, note.signed_at)
    return credentials.verify(staff.signing_key, message, note.signature)
