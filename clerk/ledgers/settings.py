"""The ledgers' time limits for mutation handlers, installed from the config at start-up.

As with the calling policy (clerk.queue.settings), counter and central store must be
configured alike, or the central store computes another deadline than the counter showed.
"""

from __future__ import annotations

from clerk.config import LedgerSettings, Settings

_current = LedgerSettings()
_fallback = "weekends"


def configure(ledgers: LedgerSettings | None, fallback: str = "weekends") -> None:
    """Install ``ledgers`` (None: the defaults) and the calendar's fallback for unknown years."""
    global _current, _fallback
    _current = ledgers or LedgerSettings()
    _fallback = fallback


def configure_from(settings: Settings) -> None:
    configure(settings.ledgers, settings.calendar.fallback)


def limits() -> LedgerSettings:
    return _current


def calendar_fallback() -> str:
    return _fallback
