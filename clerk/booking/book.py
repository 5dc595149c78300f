"""Booking a place, cancelling it, checking in with the code, and counting the day.

Every function takes the caller's write session (one transaction) and the time. A place
is taken by one conditional UPDATE (``booked < capacity``): on SQLite under BEGIN
IMMEDIATE, on PostgreSQL the row lock makes the second of two concurrent bookings of the
last place re-read ``booked`` and find the slot full. A check-in is one conditional
UPDATE too (``status = 'booked'``), so one code gives one ticket however often it is sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from clerk.booking import codes
from clerk.booking.slots import Slot, closed_reason, day_slots
from clerk.clock import local_time
from clerk.errors import UserFacingError
from clerk.ids import new_id
from clerk.store.booking_tables import Booking, BookingSlot
from clerk.store.reference import ServiceLine

NO_SHOW_GRACE = timedelta(minutes=15)
"""A booking not checked in by its slot's end plus this counts as a no-show (未到)."""
CHANNELS = ("counter", "phone", "online")


class BookingRefused(UserFacingError):
    """Why a booking, cancel or check-in is refused; ``status`` is the HTTP status to answer."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message, code)
        self.status, self.code = status, code


@dataclass(frozen=True)
class Booked:
    booking: Booking
    code: str
    """The check-in code in clear: shown, printed or sent once, never stored."""


def _when(at: datetime) -> str:
    start = local_time(at)
    return f"{start.month}月{start.day}日 {start:%H:%M}"


def line_of(session: Session, centre_code: str, line_id: str) -> ServiceLine:
    line = session.get(ServiceLine, line_id)
    if line is None or line.centre_code != centre_code:
        raise BookingRefused(404, "no_line", "本中心没有这个业务类别，无法预约")
    return line


def free_slots(session: Session, line_id: str, day, now: datetime) -> list[tuple[Slot, int]]:
    """The day's future slots with the places still free in each."""
    slots = day_slots(session, line_id, day)
    taken = {r.start: r.booked for r in session.exec(
        select(BookingSlot).where(BookingSlot.line_id == line_id, BookingSlot.start.in_([s.start for s in slots]))
    )} if slots else {}
    # Aware datetimes compare (and hash) by instant: the stored UTC start finds the local one.
    return [(s, s.capacity - taken.get(s.start, 0)) for s in slots if s.start > now]


def book(session: Session, centre_code: str, line_id: str, start: datetime, now: datetime, *, channel: str,
         staff_id: str | None = None, platform_id: str | None = None, name: str = "", phone: str = "") -> Booked:
    """Take one place in the slot of ``line_id`` starting at ``start``; refused when the line,
    the day or the slot does not take it."""
    line_of(session, centre_code, line_id)
    slot = _slot(session, line_id, start, now)
    _ensure_slot_row(session, line_id, slot)
    taken = session.execute(
        update(BookingSlot)
        .where(BookingSlot.line_id == line_id, BookingSlot.start == slot.start, BookingSlot.booked < BookingSlot.capacity)
        .values(booked=BookingSlot.booked + 1)
    )
    if taken.rowcount != 1:
        raise BookingRefused(409, "slot_full", f"{_when(slot.start)} 的时段已约满，请选择其他时段")
    code = codes.new_code()
    booking = Booking(id=new_id(), centre_code=centre_code, line_id=line_id, slot_start=slot.start, slot_end=slot.end,
                      code_hash=codes.code_hash(code), channel=channel, platform_id=platform_id, staff_id=staff_id,
                      booker_name=name, booker_phone=phone, created_at=now)
    session.add(booking)
    session.flush()
    return Booked(booking, code)


def _slot(session: Session, line_id: str, start: datetime, now: datetime) -> Slot:
    day = local_time(start).date()
    if start <= now:
        raise BookingRefused(409, "slot_past", f"{_when(start)} 的时段已过，不能预约，请选择以后的时段")
    if reason := closed_reason(session, day, line_id):
        raise BookingRefused(409, "day_closed", f"{day.month}月{day.day}日（{reason}）中心不办公，不能预约")
    for slot in day_slots(session, line_id, day):
        if slot.start == start:
            return slot
    raise BookingRefused(404, "no_slot", f"{_when(start)} 没有这个预约时段，请从可预约时段中选择")


def _ensure_slot_row(session: Session, line_id: str, slot: Slot) -> None:
    if session.get(BookingSlot, (line_id, slot.start)) is not None:
        return
    try:  # two first bookings of one slot: the second finds the first's row
        with session.begin_nested():
            session.add(BookingSlot(line_id=line_id, start=slot.start, end=slot.end, capacity=slot.capacity))
    except IntegrityError:
        pass


def cancel(session: Session, centre_code: str, booking_id: str, now: datetime, platform_id: str | None = None) -> Booking:
    """Cancel a booking not yet checked in; its place is free again. Cancelling twice is a no-op."""
    booking = session.get(Booking, booking_id, with_for_update=True)
    if booking is None or booking.centre_code != centre_code or (platform_id and booking.platform_id != platform_id):
        raise BookingRefused(404, "no_booking", "没有这个预约")
    if booking.status == "cancelled":
        return booking
    if booking.status == "checked_in":
        raise BookingRefused(409, "checked_in", "该预约已签到取号，不能取消")
    booking.status, booking.cancelled_at = "cancelled", now
    session.add(booking)
    session.execute(update(BookingSlot).where(BookingSlot.line_id == booking.line_id,
                                              BookingSlot.start == booking.slot_start)
                    .values(booked=BookingSlot.booked - 1))
    session.flush()
    return booking


def check_in(session: Session, centre_code: str, typed: str, now: datetime) -> Booking:
    """Mark the booking of code ``typed`` checked in, or say why not (the caller then issues its
    ticket in the same transaction and sets ``ticket_id``)."""
    if not codes.looks_valid(typed):
        raise BookingRefused(404, "unknown_code", codes.UNKNOWN_CODE)
    booking = session.exec(select(Booking).where(Booking.code_hash == codes.code_hash(typed))).first()
    if booking is None or booking.centre_code != centre_code:
        raise BookingRefused(404, "unknown_code", codes.UNKNOWN_CODE)
    _refuse_state(booking, now)
    done = session.execute(update(Booking).where(Booking.id == booking.id, Booking.status == "booked")
                           .values(status="checked_in", checked_in_at=now))
    if done.rowcount != 1:  # a concurrent check-in with the same code came first
        raise BookingRefused(409, "already_checked_in", ALREADY_CHECKED_IN)
    session.refresh(booking)
    return booking


ALREADY_CHECKED_IN = "该预约码已签到取号，不能重复使用；如未拿到号票请到服务台"


def _refuse_state(booking: Booking, now: datetime) -> None:
    if booking.status == "checked_in":
        raise BookingRefused(409, "already_checked_in", ALREADY_CHECKED_IN)
    if booking.status == "cancelled":
        raise BookingRefused(409, "cancelled", "该预约已取消，请选择普通取号")
    if local_time(booking.slot_start).date() != local_time(now).date():
        raise BookingRefused(409, "not_today", f"该预约是 {_when(booking.slot_start)} 的，今天不能签到，请选择普通取号")
    if now > booking.slot_end + NO_SHOW_GRACE:
        raise BookingRefused(409, "expired", f"预约时段（{_when(booking.slot_start)}）已过，请选择普通取号")


@dataclass(frozen=True)
class Tally:
    booked: int = 0
    checked_in: int = 0
    cancelled: int = 0
    no_show: int = 0
    """Not checked in by slot end + grace; ``booked`` counts every booking not cancelled."""


def tally(session: Session, centre_code: str, since: datetime, until: datetime, now: datetime) -> dict[str, Tally]:
    """Per line, the bookings of slots starting in [since, until): booked, checked in,
    cancelled and no-shows (a no-show is counted from the time, nothing needs to run)."""
    rows = session.execute(  # a day's bookings are hundreds at most: counted here, the same on both databases
        select(Booking.line_id, Booking.status, Booking.slot_end)
        .where(Booking.centre_code == centre_code, Booking.slot_start >= since, Booking.slot_start < until)
    ).all()
    counts: dict[str, dict[str, int]] = {}
    for line_id, status, slot_end in rows:
        c = counts.setdefault(line_id, {"booked": 0, "checked_in": 0, "cancelled": 0, "no_show": 0})
        if status == "cancelled":
            c["cancelled"] += 1
            continue
        c["booked"] += 1
        if status == "checked_in":
            c["checked_in"] += 1
        elif slot_end + NO_SHOW_GRACE <= now:
            c["no_show"] += 1
    return {line: Tally(**c) for line, c in counts.items()}
