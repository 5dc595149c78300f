"""Request and response bodies of the central store's booking API (clerk.central.booking_api).

Counters (a clerk booking at the counter or for a caller, the kiosk checking in) use
``/bookings``; online booking platforms use ``/platform`` with their own token.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import AwareDatetime, Field

from clerk.store.schema import SCHEMA_VERSION
from clerk.sync.queue_protocol import SessionProof, _Body

BOOKING_PREFIX = "/bookings"
PLATFORM_PREFIX = "/platform"


class SlotsRequest(_Body):
    line_id: str = Field(min_length=1, max_length=64)
    day: date


class SlotFree(_Body):
    start: datetime
    end: datetime
    capacity: int
    free: int


class SlotsResponse(_Body):
    line_id: str
    day: date
    closed: str = ""
    """Why the centre is closed that day (e.g. 国庆节); empty when open."""
    slots: list[SlotFree] = []


class BookRequest(_Body):
    line_id: str = Field(min_length=1, max_length=64)
    start: AwareDatetime
    name: str = Field(default="", max_length=64)
    phone: str = Field(default="", max_length=32)


class CounterBookRequest(BookRequest):
    channel: Literal["counter", "phone"] = "counter"
    staff_id: str = Field(min_length=1, max_length=64)
    session: SessionProof | None = None
    schema_version: int = SCHEMA_VERSION


class BookResponse(_Body):
    booking_id: str
    code: str
    """The check-in code (``ABCDE-FGHJK``): print it or send it to the booker; it is not kept."""
    line_id: str
    line_name: str
    start: datetime
    end: datetime


class CancelRequest(_Body):
    booking_id: str = Field(min_length=1, max_length=64)


class CounterCancelRequest(CancelRequest):
    staff_id: str = Field(min_length=1, max_length=64)
    session: SessionProof | None = None
    schema_version: int = SCHEMA_VERSION


class CancelResponse(_Body):
    booking_id: str
    status: str


class CheckInRequest(_Body):
    code: str = Field(min_length=1, max_length=64)
    ticket_id: str = Field(min_length=1, max_length=64)
    """Made by the kiosk: a retry after a lost answer returns the same ticket."""
    schema_version: int = SCHEMA_VERSION
