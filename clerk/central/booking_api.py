"""The central store's booking API: slots, bookings and check-in, for counters and platforms.

A counter books for a visitor at the counter or a caller on the phone in a clerk's name
(the same staff and device checks as an online call: clerk.central.queue_api's check_staff and device_of); an online booking
platform books with its own token (clerk.booking.platforms). The kiosk checks a code in
here: the booking is marked and its ticket issued in one transaction, numbered in the
central band like any online ticket, so a code gives one ticket once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, TypeVar

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlmodel import Session

from clerk import mutation
from clerk.booking import book, codes, platforms, slots
from clerk.booking.book import BookingRefused
from clerk.central.capture import captured, rows_of
from clerk.central.queue_api import (
    answer,
    check_staff,
    device_context,
    device_of,
    error_response,
    issued_response,
)
from clerk.clock import Clock
from clerk.queue.numbering import CENTRAL_BAND
from clerk.queue.rate_code import new_rate_code
from clerk.store.booking_tables import Booking
from clerk.store.engine import Store
from clerk.store.operations import Ticket
from clerk.store.reference import ServiceLine
from clerk.store.schema import SCHEMA_VERSION
from clerk.sync.booking_protocol import (
    BOOKING_PREFIX,
    PLATFORM_PREFIX,
    BookRequest,
    BookResponse,
    CancelRequest,
    CancelResponse,
    CheckInRequest,
    CounterBookRequest,
    CounterCancelRequest,
    SlotFree,
    SlotsRequest,
    SlotsResponse,
)
from clerk.sync.protocol import API_PREFIX, ErrorBody
from clerk.sync.queue_protocol import IssueResponse

T = TypeVar("T")
_device_bearer = HTTPBearer(auto_error=False, description="本机登记凭据 device_id.secret")
_platform_bearer = HTTPBearer(auto_error=False, description="预约平台令牌 platform_id.secret")
DeviceBearer = Annotated[HTTPAuthorizationCredentials | None, Depends(_device_bearer)]
PlatformBearer = Annotated[HTTPAuthorizationCredentials | None, Depends(_platform_bearer)]
_ERRORS = {code: {"model": ErrorBody} for code in (400, 401, 403, 404, 409, 413, 422)}


def _refusals(work: Callable[[], T]) -> T | JSONResponse:
    try:
        return answer(work)
    except BookingRefused as exc:
        return error_response(exc.status, exc.code, exc.message)
    except platforms.PlatformCredentialError as exc:
        return error_response(401, "bad_platform_credential", exc.message)


def booking_router(store: Store, clock: Clock) -> APIRouter:
    router = APIRouter(prefix=API_PREFIX)

    @router.post(BOOKING_PREFIX + "/slots", response_model=SlotsResponse, responses=_ERRORS, tags=["booking"])
    def counter_slots(req: SlotsRequest, creds: DeviceBearer):
        """The line's slots on a day with the places still free (for the clerk booking)."""
        def work() -> SlotsResponse:
            with store.session() as session:
                device = device_of(session, creds, SCHEMA_VERSION)
                return _slots(session, device.centre_code, req, clock.now())
        return _refusals(work)

    @router.post(BOOKING_PREFIX, response_model=BookResponse, responses=_ERRORS, tags=["booking"])
    def counter_book(req: CounterBookRequest, creds: DeviceBearer):
        """A clerk books for a visitor at the counter (``counter``) or a caller (``phone``)."""
        def work() -> BookResponse:
            with store.write() as session:
                device = device_of(session, creds, req.schema_version)
                check_staff(session, device, req, "ticket.issue")
                return _book(session, device.centre_code, req, clock.now(), channel=req.channel, staff_id=req.staff_id)
        return _refusals(work)

    @router.post(BOOKING_PREFIX + "/cancel", response_model=CancelResponse, responses=_ERRORS, tags=["booking"])
    def counter_cancel(req: CounterCancelRequest, creds: DeviceBearer):
        def work() -> CancelResponse:
            with store.write() as session:
                device = device_of(session, creds, req.schema_version)
                check_staff(session, device, req, "ticket.issue")
                done = book.cancel(session, device.centre_code, req.booking_id, clock.now())
                return CancelResponse(booking_id=done.id, status=done.status)
        return _refusals(work)

    @router.post(BOOKING_PREFIX + "/check-in", response_model=IssueResponse, responses=_ERRORS, tags=["booking"])
    def check_in(req: CheckInRequest, creds: DeviceBearer):
        """The kiosk checks a code in: the booking's ticket, with people ahead and the wait."""
        def work() -> IssueResponse:
            with store.write() as session:
                device = device_of(session, creds, req.schema_version)
                return _check_in(session, device, req, clock)
        return _refusals(work)

    _platform_routes(router, store, clock)
    return router


def _platform_routes(router: APIRouter, store: Store, clock: Clock) -> None:
    def platform(session: Session, creds: HTTPAuthorizationCredentials | None):
        return platforms.authenticate(session, creds.credentials if creds else None)

    @router.post(PLATFORM_PREFIX + "/slots", response_model=SlotsResponse, responses=_ERRORS, tags=["platform"])
    def platform_slots(req: SlotsRequest, creds: PlatformBearer):
        """The line's slots on a day with the places still free."""
        def work() -> SlotsResponse:
            with store.session() as session:
                return _slots(session, platform(session, creds).centre_code, req, clock.now())
        return _refusals(work)

    @router.post(PLATFORM_PREFIX + "/bookings", response_model=BookResponse, responses=_ERRORS, tags=["platform"])
    def platform_book(req: BookRequest, creds: PlatformBearer):
        """Book one place; the answer's ``code`` is what the platform sends to the booker."""
        def work() -> BookResponse:
            with store.write() as session:
                p = platform(session, creds)
                return _book(session, p.centre_code, req, clock.now(), channel="online", platform_id=p.id)
        return _refusals(work)

    @router.post(PLATFORM_PREFIX + "/bookings/cancel", response_model=CancelResponse, responses=_ERRORS,
                 tags=["platform"])
    def platform_cancel(req: CancelRequest, creds: PlatformBearer):
        """Cancel one of this platform's bookings (not yet checked in)."""
        def work() -> CancelResponse:
            with store.write() as session:
                p = platform(session, creds)
                done = book.cancel(session, p.centre_code, req.booking_id, clock.now(), platform_id=p.id)
                return CancelResponse(booking_id=done.id, status=done.status)
        return _refusals(work)


def _slots(session: Session, centre_code: str, req: SlotsRequest, now: datetime) -> SlotsResponse:
    book.line_of(session, centre_code, req.line_id)
    free = book.free_slots(session, req.line_id, req.day, now)
    closed = slots.closed_reason(session, req.day, req.line_id)
    return SlotsResponse(line_id=req.line_id, day=req.day, closed=closed,
                         slots=[SlotFree(start=s.start, end=s.end, capacity=s.capacity, free=n) for s, n in free])


def _book(session: Session, centre_code: str, req: BookRequest, now: datetime, **who) -> BookResponse:
    done = book.book(session, centre_code, req.line_id, req.start, now, name=req.name, phone=req.phone, **who)
    line = session.get(ServiceLine, req.line_id)
    return BookResponse(booking_id=done.booking.id, code=codes.display(done.code), line_id=line.id,
                        line_name=line.name, start=done.booking.slot_start, end=done.booking.slot_end)


def _check_in(session: Session, device, req: CheckInRequest, clock: Clock) -> IssueResponse:
    if (again := _retried(session, device.centre_code, req)) is not None:
        return again
    booking = book.check_in(session, device.centre_code, req.code, clock.now())
    line = session.get(ServiceLine, booking.line_id)
    # One issuer of a line's numbers at a time (PostgreSQL; SQLite has one writer).
    session.execute(select(ServiceLine.id).where(ServiceLine.id == line.id).with_for_update())
    args = {"id": req.ticket_id, "line_id": line.id, "source": "appointment", "band": CENTRAL_BAND,
            "rate_code": new_rate_code(),
            # The booking id, not the code: ticket rows travel to every counter of the centre.
            "appointment_code": booking.id, "appointment_start": booking.slot_start.isoformat(),
            "appointment_end": booking.slot_end.isoformat()}
    with captured(session, device.centre_code) as recorder:
        ticket = mutation.run(session, "ticket.issue", args, device_context(device, None, clock))
    booking.ticket_id = ticket.id
    session.add(booking)
    return issued_response(session, ticket, line, rows_of(recorder.entries, "ticket_event"))


def _retried(session: Session, centre_code: str, req: CheckInRequest) -> IssueResponse | None:
    """The same kiosk try again (its answer was lost): the ticket the first try issued."""
    if not codes.looks_valid(req.code):
        return None
    booking = session.exec(select(Booking).where(Booking.code_hash == codes.code_hash(req.code))).scalars().first()
    if booking is None or booking.centre_code != centre_code or booking.ticket_id != req.ticket_id:
        return None
    ticket = session.get(Ticket, req.ticket_id)
    return issued_response(session, ticket, session.get(ServiceLine, ticket.line_id), [])
