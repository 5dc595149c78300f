"""The plain data a queue ticket shows; built by the caller from clerk's queue, never the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from clerk.clock import local_time


@dataclass(frozen=True)
class TicketData:
    """Everything printed on one queue ticket.

    ``issued_at`` must be timezone-aware; it is printed in Beijing time.
    """

    centre_name: str
    line_name: str
    number: str
    """The called number, e.g. "A023" (the ticket's identity is ``ticket_id``, not this)."""
    people_ahead: int
    wait_text: str
    """Estimated wait as the queue phrases it, e.g. "约 15 分钟"."""
    issued_at: datetime
    priority_label: str = ""
    """E.g. "绿色通道（老年人）"; empty for a normal ticket."""
    note: str = ""
    """E.g. "离线号段" for a number issued while cut off from the central store."""
    qr_text: str = ""
    """A URL or code shown as a QR code (e.g. a page to follow the queue); empty for none."""
    ticket_id: str = ""
    """The ticket's UUID; names the spool job when the ticket falls back to PDF."""
    rate_code: str = ""
    """The 评价码 the kiosk asks with the number before a rating; empty prints nothing."""

    def rate_code_text(self) -> str:
        """Spaced digits, read and typed one by one: ``评价码 4 7 1 9``."""
        return "评价码 " + " ".join(self.rate_code)

    def people_ahead_text(self) -> str:
        """The waiting line as printed."""
        if self.people_ahead <= 0:
            return "前面没有人等候"
        return f"前面还有 {self.people_ahead} 人等候"

    def issued_text(self) -> str:
        """Issue time in Beijing time, to the minute."""
        return "取号时间：" + local_time(self.issued_at).strftime("%Y-%m-%d %H:%M")


RATE_HINT = "办结后凭号码和评价码可在自助机评价"

FOOTER = "请留意叫号，过号请到咨询台"
"""The same words as the hall display board: a missed number is helped at the desk."""
