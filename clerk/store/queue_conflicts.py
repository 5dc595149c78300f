"""Calls two windows made on one ticket while cut off from each other.

The central store keeps the first call it applies; the later one is refused (a push
conflict for the window that made it) and recorded here, in the same transaction. The
row flows down to every counter of the centre, so both windows see what happened and the
record keeps both calls.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from clerk.store.types import UTCDateTime


def _ts(nullable: bool = True):
    return Field(default=None, sa_column=Column(UTCDateTime, nullable=nullable))


class CallConflict(SQLModel, table=True):
    __tablename__ = "call_conflict"
    id: str = Field(primary_key=True)
    """Derived from the refused mutation (client id, mutation id): a replayed push adds no second row."""
    centre_code: str = Field(foreign_key="centre.code", index=True)
    ticket_id: str = Field(foreign_key="ticket.id", index=True)
    number: str
    kept_window_id: str | None = Field(default=None, foreign_key="window.id")
    kept_staff_id: str | None = Field(default=None, foreign_key="staff.id")
    kept_at: datetime | None = _ts()
    """When the call the server kept was made (at its counter)."""
    refused_window_id: str = Field(foreign_key="window.id")
    refused_staff_id: str | None = Field(default=None, foreign_key="staff.id")
    refused_at: datetime = _ts(nullable=False)
    refused_client_id: str
    refused_mutation_id: int
    recorded_at: datetime = _ts(nullable=False)
    """When the central store applied the refusal."""
    reason: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
