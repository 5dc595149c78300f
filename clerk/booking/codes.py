"""Check-in codes: random, read aloud or typed, and only their hash is stored.

Ten characters from a 32-letter alphabet without 0/O and 1/I are 50 random bits. There
is no check digit: a code is valid because the central store holds its hash for a live
booking, not because of any arithmetic a forger could redo. Guessing one live code among
even 10,000 bookings takes about 10^11 tries, each an HTTP request.
"""

from __future__ import annotations

import hashlib
import secrets

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
LENGTH = 10
UNKNOWN_CODE = "预约码无效：请核对短信或预约凭条上的 10 位预约码，或返回选择普通取号"


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(typed: str) -> str:
    """What the visitor typed, as stored: spaces and dashes dropped, upper case."""
    return "".join(ch for ch in typed.upper() if ch.isalnum())


def looks_valid(typed: str) -> bool:
    """Shape only (length, alphabet): a typo is told at once, without asking the store."""
    code = normalise(typed)
    return len(code) == LENGTH and all(ch in ALPHABET for ch in code)


def display(code: str) -> str:
    """``ABCDE-FGHJK``: two groups are easier to read aloud and to type."""
    code = normalise(code)
    return f"{code[:5]}-{code[5:]}"


def code_hash(typed: str) -> str:
    return hashlib.sha256(normalise(typed).encode()).hexdigest()
