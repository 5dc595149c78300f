"""评价码: the short check code printed on a ticket beside its number.

A number (``A012``) is read out in the hall and shown on the board: anyone could rate a
visit at the kiosk by it before its visitor does. The code is on the slip only, so only the
holder of the slip can rate at the kiosk (clerk.ledgers.rate_code checks it).

It is random, not derived from the number or the ticket's id (which travel everywhere), and
made by the issuer, not by the ``ticket.issue`` handler: handlers are replayed by the central
store and must come to the same row, so the code travels in the mutation's arguments.
"""

from __future__ import annotations

import secrets

DIGITS = 4
"""Four digits: quick to type on the kiosk's keypad; with the kiosk's limit of wrong tries
(clerk.ledgers.rate_code.MISS_LIMIT) a guess succeeds about once in 2,000 numbers."""

PATTERN = rf"^(\d{{{DIGITS}}})?$"
"""What ``ticket.issue`` accepts: four digits, or empty (an issuer of before the code)."""


def new_rate_code() -> str:
    return f"{secrets.randbelow(10 ** DIGITS):0{DIGITS}d}"
