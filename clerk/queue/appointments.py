"""Appointment codes typed at the kiosk, until a booking table exists.

There is no booking store yet, so a code carries its own slot and a check digit:
nine digits ``HHMM`` (start) ``HHMM`` (end) ``C``, where ``C`` is the sum of the eight
digits modulo 10. The slot is on the day the code is used. A code that does not parse,
fails the check digit or names an impossible slot is unknown, and the kiosk says so
(``ticket.issue`` itself only requires a code and a slot start for an appointment).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from clerk.clock import LOCAL_TZ

CODE_LENGTH = 9
UNKNOWN_CODE = "预约码无效：请核对短信中的 9 位预约码，或返回选择普通取号"


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime


def check_digit(digits: str) -> str:
    return str(sum(int(d) for d in digits) % 10)


def make_code(start: time, end: time) -> str:
    """The code for a slot (for tests and for whoever sends the booking SMS)."""
    body = f"{start:%H%M}{end:%H%M}"
    return body + check_digit(body)


def parse_code(code: str, day: date) -> Slot | None:
    """The slot a code books on ``day`` (Beijing time), or None for an unknown code."""
    code = code.strip()
    if len(code) != CODE_LENGTH or not code.isdigit() or check_digit(code[:8]) != code[8]:
        return None
    try:
        start = time(int(code[0:2]), int(code[2:4]))
        end = time(int(code[4:6]), int(code[6:8]))
    except ValueError:
        return None
    if end <= start:
        return None
    return Slot(datetime.combine(day, start, LOCAL_TZ), datetime.combine(day, end, LOCAL_TZ))
