"""Booking at the counter: a clerk books a slot for a visitor who wants to come back, or
for a caller on the phone, through the central store that holds the bookings.

There is no offline booking: places are shared by every counter and the online platforms,
and only the central store can take the last one without giving it twice
(clerk.booking.book). Cut off, the clerk is told so and nothing is kept.

A booking request is not idempotent (the store makes the booking and its code), so it is
sent once: an answer that does not come means the booking may exist, and the clerk is told
to look at the slot's places before booking again rather than booking twice.

A visitor at the counter leaves with the code on a 预约凭条 (clerk.booking.slip); a printer
fault never undoes the booking: the clerk is told, and the code stays on the screen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from clerk.booking.slip import BookingSlip, SlipPrinter, make_slip, no_slip_printer
from clerk.clock import Clock, local_time
from clerk.errors import UserFacingError
from clerk.identity import validate_mobile
from clerk.queue.issuer import PrintOutcome
from clerk.staff.sessions import open_proof
from clerk.store.engine import Store
from clerk.store.reference import Centre
from clerk.sync.booking_protocol import (
    BOOKING_PREFIX,
    CounterBookRequest,
    SlotFree,
    SlotsRequest,
    SlotsResponse,
)
from clerk.sync.booking_protocol import BookResponse as Booked
from clerk.sync.client import Rejected, Unreachable
from clerk.sync.queue_remote import QueueLink, SlowCentral

OFFLINE = "预约须连接中心库，现在连不上：请稍后再试，或记下来访人的电话稍后回拨预约"
MAYBE_BOOKED = "中心库未及时答复，预约可能已经成功：请先查看该时段的余号，不要马上重复预约"
CHANNELS = {"counter": "现场预约", "phone": "电话预约"}
DAYS_AHEAD = 14
"""How far ahead the clerk is offered days (a booking platform usually opens a week or two)."""

__all__ = ["Booked", "CounterBooking", "SlotFree"]


@dataclass(frozen=True)
class DaySlots:
    day: date
    closed: str
    """Why the centre or the line is closed that day; empty when open."""
    slots: tuple[SlotFree, ...]

    @property
    def bookable(self) -> tuple[SlotFree, ...]:
        return tuple(s for s in self.slots if s.free > 0)


_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def contact_phone(typed: str) -> str:
    """The booker's number to call back: a mobile, or a landline with its area code (a
    caller on the phone may ring from one); empty when none was given."""
    if not typed:
        return ""
    mobile = validate_mobile(typed)
    if mobile.valid:
        return mobile.value
    if _LANDLINE.match(typed.replace(" ", "")):
        return typed.replace(" ", "")
    raise UserFacingError(f"电话号码“{typed}”无法识别：手机号为11位数字，固定电话请带区号（如 0571-88886666）")


def slot_label(slot: SlotFree) -> str:
    """``09:00–09:30 余 3 个`` in Beijing time, as the clerk reads it to the visitor."""
    left = f"余 {slot.free} 个" if slot.free > 0 else "已约满"
    return f"{local_time(slot.start):%H:%M}–{local_time(slot.end):%H:%M}  {left}"


class CounterBooking:
    """The clerk's booking calls over the counter's link to the central store."""

    def __init__(self, store: Store, clock: Clock, link: QueueLink, centre_code: str,
                 printer: SlipPrinter | None = None) -> None:
        self.store, self.clock, self.link, self.centre_code = store, clock, link, centre_code
        self.printer = printer or no_slip_printer

    def days(self) -> list[date]:
        """Today and the days after it that a visitor may book for."""
        today = local_time(self.clock.now()).date()
        return [today + timedelta(days=n) for n in range(DAYS_AHEAD + 1)]

    def slots(self, line_id: str, day: date) -> DaySlots:
        answer = self._post("/slots", SlotsRequest(line_id=line_id, day=day), SlotsResponse, once=False)
        return DaySlots(day, answer.closed, tuple(answer.slots))

    def book(self, staff_id: str, line_id: str, start: datetime, name: str, phone: str, channel: str) -> Booked:
        name, phone = name.strip(), phone.strip()
        if not name:
            raise UserFacingError("请填写预约人姓名")
        phone = contact_phone(phone)
        if channel not in CHANNELS:
            raise UserFacingError(f"预约方式“{channel}”不存在")
        req = CounterBookRequest(line_id=line_id, start=start, name=name, phone=phone, channel=channel,
                                 staff_id=staff_id, session=open_proof(self.store, staff_id))
        return self._post("", req, Booked, once=True)

    def print_slip(self, booked: Booked) -> PrintOutcome:
        """Print the 预约凭条 of ``booked``; a fault is in the outcome, never raised (the booking stands)."""
        slip = self.slip(booked)
        try:
            return self.printer(slip)
        except UserFacingError as exc:
            return PrintOutcome("none", exc.message)
        except Exception as exc:  # noqa: BLE001 - the booking exists: the code is still on screen
            return PrintOutcome("none", f"小票打印机出错（{type(exc).__name__}）")

    def slip(self, booked: Booked) -> BookingSlip:
        with self.store.session() as session:
            centre = session.get(Centre, self.centre_code)
        name, phone = (centre.name, centre.phone) if centre else (self.centre_code, "")
        return make_slip(booked, name, phone, self.clock.now())

    def _post(self, path: str, body, model, *, once: bool):
        try:
            return self.link.post(BOOKING_PREFIX + path, body, model, prefix="", once=once)
        except SlowCentral as exc:
            raise UserFacingError(MAYBE_BOOKED if once else "中心库响应缓慢，请稍候再试", exc.detail) from exc
        except Unreachable as exc:
            raise UserFacingError(OFFLINE, exc.detail) from exc
        except Rejected as exc:
            raise UserFacingError(exc.message, exc.detail) from exc
