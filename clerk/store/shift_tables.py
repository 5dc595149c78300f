"""The supervisor's records of a shift: signed shift notes and account unlocks.

Both are operational rows that sync like any other: a note signed at one counter is
verified again by the central store (clerk.shifts.handlers), and an unlock made at the
supervisor's desk reaches the counter where the lockout lives by the next pull.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Index, Text, text
from sqlmodel import Field, SQLModel

from clerk.store.types import UTCDateTime


class ShiftNote(SQLModel, table=True):
    """A supervisor's note on one shift of one day, for one report scope; signed once.

    A note without ``corrects`` is the shift's note (one per shift and scope); once signed it
    never changes, and a later correction is a new note whose ``corrects`` names it."""

    __tablename__ = "shift_note"
    __table_args__ = (
        Index("ix_shift_note_shift", "centre_code", "day", "shift", "scope_kind", "scope_key"),
        # One first note per shift and scope, enforced by the database: the handler's check
        # cannot see a note another supervisor's push is writing at the same moment.
        Index("uq_shift_note_first", "centre_code", "day", "shift", "scope_kind", "scope_key", unique=True,
              sqlite_where=text("corrects IS NULL"), postgresql_where=text("corrects IS NULL")),
    )
    id: str = Field(primary_key=True)
    centre_code: str = Field(foreign_key="centre.code")
    day: date
    shift: str
    """The shift's hours, "08:30-17:30" (clerk.reports.periods: a shift of a day)."""
    scope_kind: str = "centre"
    scope_key: str = ""
    """What the report covered (clerk.reports.scope): the centre code, a window id, a staff id, a line id."""
    corrects: str | None = Field(default=None, foreign_key="shift_note.id")
    supervisor_id: str = Field(foreign_key="staff.id")
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    written_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    figures_digest: str = ""
    """SHA-256 of the report's figures the signature covers (clerk.shifts.rules.figures_digest)."""
    signed_at: str = ""
    """The supervisor's signature (clerk.shifts.rules.statement), bound to ``signed_client``."""
    signature: str = ""
    signed_client: str = ""


class AccountUnlock(SQLModel, table=True):
    """A supervisor lifted the lockout of a user name: every counter honours it for a lock
    that began before ``at`` (the lockout itself is kept per counter, clerk.store.local)."""

    __tablename__ = "account_unlock"
    id: str = Field(primary_key=True)
    username: str = Field(index=True)
    staff_id: str = Field(foreign_key="staff.id")
    unlocked_by: str = Field(foreign_key="staff.id")
    at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    reason: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
