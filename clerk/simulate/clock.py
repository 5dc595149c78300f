"""A clock the simulation moves to each event's time."""

from __future__ import annotations

from datetime import datetime


class SimClock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at
