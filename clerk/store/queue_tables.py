"""Tables of queue calling: the ticket log and each window's pause state."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from clerk.store.types import UTCDateTime


class TicketEvent(SQLModel, table=True):
    """One thing that happened to a ticket: the record of who called whom, when and why.

    ``kind`` is one of issued / called / recalled / started / finished / no_show /
    requeued / transferred / parked / resumed / cancelled / carried_over.
    """

    __tablename__ = "ticket_event"
    # Handling times for wait estimates: the recent finished tickets of one line.
    __table_args__ = (
        Index("ix_ticket_event_line_kind_at", "line_id", "kind", "at"),
        # The supervisor's ledger counts each kind of event over a period (clerk.reports).
        Index("ix_ticket_event_kind_at", "kind", "at"),
        # Every event of a period by time (the ledger's counts of all kinds), and a ticket's
        # events of one kind in time order (its first call, the call before its 办结).
        Index("ix_ticket_event_at", "at"),
        Index("ix_ticket_event_ticket_kind_at", "ticket_id", "kind", "at"),
    )
    id: str = Field(primary_key=True)
    ticket_id: str = Field(foreign_key="ticket.id", index=True)
    at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    kind: str
    window_id: str | None = Field(default=None, foreign_key="window.id", index=True)
    staff_id: str | None = Field(default=None, foreign_key="staff.id")
    line_id: str | None = Field(default=None, foreign_key="service_line.id")
    """The ticket's line after the event (changes on a transfer)."""
    call_kind: str = ""
    """For calls: priority / normal / overdue / directed / specific (the ratio rule counts these)."""
    fence: int = 0
    reason: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class WindowState(SQLModel, table=True):
    """Whether a window takes calls; no row means open."""

    __tablename__ = "window_state"
    window_id: str = Field(foreign_key="window.id", primary_key=True)
    paused: bool = False
    reason: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    since: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    staff_id: str | None = Field(default=None, foreign_key="staff.id")
