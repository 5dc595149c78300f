"""Ticket numbers: per service line per day, in bands so that stores apart never collide.

A ticket's identity is its UUID; the number is what the visitor hears and reads, so it
must be short and, within one line and one day, unique across every store that issues.

Design. The sequence space of a line's day is split into bands by the first digit:

=========  =====================  =====================
band       3-digit numbers        overflow (4 digits)
=========  =====================  =====================
0 central  001–599                1000–5999
1 offline  601–699                6000–6999
2 offline  701–799                7000–7999
3 offline  801–899                8000–8999
4 offline  901–999                9000–9999
=========  =====================  =====================

* Band 0 belongs to the central store alone: it is the only store that sees every ticket
  of the hall, so only it can hand out the next online number.
* Each installation that may issue tickets while cut off from the central store gets a
  band index 1–4, assigned by the central store at enrolment and unique within the centre.
  Nobody else ever issues in that band, so its numbers cannot collide, however long the
  store is offline, and replaying its outbox on the central store yields the same numbers
  (the next number of a band only depends on that band's earlier tickets).
* Numbers stay three digits (``A601``) for a normal day; a band that runs out moves on to
  its four-digit overflow range, whose first digit still names the band (``A6001``), so a
  supervisor can tell an offline ticket at a glance: first digit 6–9.
* Four offline bands per centre is enough for the township centres (1–3 windows) that need
  them; a county hall whose link to the central store fails issues from its kiosk's band.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, or_, select
from sqlmodel import Session

from clerk.mutation import MutationRefused
from clerk.store.operations import Ticket
from clerk.store.reference import ServiceLine

CENTRAL_BAND = 0
OFFLINE_BANDS = (1, 2, 3, 4)


@dataclass(frozen=True)
class Band:
    index: int
    main: range
    """Three-digit numbers, used first."""
    overflow: range
    """Four-digit numbers, used when ``main`` is exhausted."""

    def __contains__(self, seq: int) -> bool:
        return seq in self.main or seq in self.overflow


def band(index: int) -> Band:
    """The sequence ranges of band ``index`` (0 central, 1–4 offline)."""
    if index == CENTRAL_BAND:
        return Band(0, range(1, 600), range(1000, 6000))
    if index in OFFLINE_BANDS:
        first = 5 + index  # the leading digit names the band
        return Band(index, range(first * 100 + 1, first * 100 + 100), range(first * 1000, first * 1000 + 1000))
    raise ValueError(f"no number band {index}")


def band_of(seq: int) -> int:
    """Which band a sequence number belongs to."""
    for index in (CENTRAL_BAND, *OFFLINE_BANDS):
        if seq in band(index):
            return index
    raise ValueError(f"sequence {seq} is in no band")


def next_in_band(index: int, last: int | None) -> int:
    """The sequence after ``last`` (the band's highest so far, None if none) in band ``index``."""
    b = band(index)
    if last is None:
        return b.main.start
    if last not in b:
        raise ValueError(f"sequence {last} is not in band {index}")
    nxt = last + 1
    if nxt in b:
        return nxt
    if nxt == b.main.stop:
        return b.overflow.start
    raise MutationRefused(
        "本业务今日的号码已发完，请联系值班长",
        f"band {index} exhausted at {last}",
    )


def format_number(letter: str, seq: int) -> str:
    """``A`` and 23 → ``A023``; four-digit overflow numbers keep all four digits."""
    return f"{letter}{seq:03d}"


def next_seq(session: Session, line_id: str, day: date, band_index: int) -> int:
    """The next sequence of ``line_id`` on ``day`` in the band, read inside the write transaction.

    Call it in the transaction that inserts the ticket (BEGIN IMMEDIATE on SQLite), so no
    other writer of this store can take the same number in between.
    """
    b = band(band_index)
    in_band = or_(
        and_(Ticket.seq >= b.main.start, Ticket.seq < b.main.stop),
        and_(Ticket.seq >= b.overflow.start, Ticket.seq < b.overflow.stop),
    )
    line = session.get(ServiceLine, line_id)
    if line is None:
        raise ValueError(f"unknown service line {line_id!r}")
    # By the number's letter, not the ticket's current line: a transferred ticket keeps
    # its number on its new line, and the old line must never hand that number out again.
    last = session.execute(
        select(func.max(Ticket.seq)).where(
            Ticket.centre_code == line.centre_code,
            Ticket.number.like(f"{line.letter}%"),
            Ticket.day == day,
            in_band,
        )
    ).scalar_one()
    return next_in_band(band_index, last)
