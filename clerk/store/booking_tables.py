"""Tables of the booking table (预约): slot plans, booked places, bookings, booking platforms.

They live on the central store only (bookings are checked in online, clerk.booking); a
counter's copy of the schema has them too and leaves them empty. None of them is in the
change log: a check-in code must never travel to the counters.
"""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import Column, Index
from sqlmodel import Field, SQLModel

from clerk.store.types import UTCDateTime


class SlotPlan(SQLModel, table=True):
    """Reference data: on ``weekday`` (1 = Monday … 7 = Sunday) a line offers slots of
    ``slot_minutes`` from ``start`` to ``end`` (Beijing time), ``capacity`` bookings each."""

    __tablename__ = "slot_plan"
    id: str = Field(primary_key=True)  # "<line id>:<weekday>:<HHMM>"
    line_id: str = Field(foreign_key="service_line.id", index=True)
    weekday: int
    start: time
    end: time
    slot_minutes: int
    capacity: int


class BookingSlot(SQLModel, table=True):
    """One slot of one day that has been booked at least once: its capacity as planned when
    the first booking came, and the places taken. ``booked < capacity`` is the one check
    two concurrent bookings race on (a conditional UPDATE, clerk.booking.book)."""

    __tablename__ = "booking_slot"
    line_id: str = Field(foreign_key="service_line.id", primary_key=True)
    start: datetime = Field(sa_column=Column(UTCDateTime, primary_key=True))
    end: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    capacity: int
    booked: int = 0


class Booking(SQLModel, table=True):
    """A booked place. Only the SHA-256 of its check-in code is kept (the code is random,
    clerk.booking.codes): whoever reads the database cannot check in for the booker."""

    __tablename__ = "booking"
    __table_args__ = (Index("ix_booking_line_start", "line_id", "slot_start"),)
    id: str = Field(primary_key=True)
    centre_code: str = Field(foreign_key="centre.code", index=True)
    line_id: str = Field(foreign_key="service_line.id")
    slot_start: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    slot_end: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    code_hash: str = Field(unique=True)
    channel: str  # counter (现场) / phone (电话) / online (网上: a booking platform)
    platform_id: str | None = Field(default=None, foreign_key="booking_platform.id")
    staff_id: str | None = Field(default=None, foreign_key="staff.id")
    booker_name: str = ""
    booker_phone: str = ""
    status: str = "booked"  # booked / checked_in / cancelled
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    cancelled_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    checked_in_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    ticket_id: str | None = None


class BookingPlatform(SQLModel, table=True):
    """An online booking platform allowed to book for one centre; only a hash of its token."""

    __tablename__ = "booking_platform"
    id: str = Field(primary_key=True)
    name: str
    centre_code: str = Field(foreign_key="centre.code")
    token_hash: str
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
