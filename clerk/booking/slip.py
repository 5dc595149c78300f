"""预约凭条: what a visitor booked at the counter takes away, and the words the screen shares.

The check-in code exists in clear only in the central store's answer (clerk.booking.book
keeps its hash): the slip is the visitor's only copy, so it is printed and never spooled or
kept on this counter. A caller on the phone gets no slip; the clerk reads the code out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from clerk.booking.book import NO_SHOW_GRACE
from clerk.clock import local_time
from clerk.queue.issuer import PrintOutcome
from clerk.sync.booking_protocol import BookResponse

HOW_TO_USE = "预约当天到大厅自助取号机选择“预约签到”，输入签到码取号；时段开始前后均可签到"
CANCEL_RULE = (f"不能前来请提前到服务窗口或致电取消；时段结束 {int(NO_SHOW_GRACE.total_seconds() // 60)} "
               "分钟后仍未签到记为爽约")
"""One line on the slip: how to cancel, and when a booking counts as a no-show (book.tally)."""


@dataclass(frozen=True)
class BookingSlip:
    """What goes on the slip; the printer adapter in the composition root maps it to its format."""

    centre_name: str
    centre_phone: str
    line_name: str
    start: datetime
    end: datetime
    code: str
    booked_at: datetime

    def when_text(self) -> str:
        """``11月4日 09:00–09:30`` in Beijing time."""
        start, end = local_time(self.start), local_time(self.end)
        return f"{start.year}年{start.month}月{start.day}日 {start:%H:%M}–{end:%H:%M}"

    def cancel_text(self) -> str:
        if not self.centre_phone:
            return CANCEL_RULE
        return CANCEL_RULE.replace("致电取消", f"致电 {self.centre_phone} 取消")


SlipPrinter = Callable[[BookingSlip], PrintOutcome]
"""Prints a booking slip; must not raise for printer faults (it reports them in the outcome)."""


def no_slip_printer(slip: BookingSlip) -> PrintOutcome:
    """The default when nothing was wired: the clerk copies the code from the screen."""
    return PrintOutcome("none", "本机未连接小票打印机")


def make_slip(booked: BookResponse, centre_name: str, centre_phone: str, now: datetime) -> BookingSlip:
    return BookingSlip(centre_name=centre_name, centre_phone=centre_phone, line_name=booked.line_name,
                       start=booked.start, end=booked.end, code=booked.code, booked_at=now)
