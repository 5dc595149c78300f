"""Kiosk debounce: a child pressing fifty times must not print fifty tickets.

One ticket per service line per ``per_line`` seconds at one kiosk, and none within
``any_line`` seconds of the last one whatever the line. Plain Python, clock passed in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

PER_LINE_SECONDS = 30
ANY_LINE_SECONDS = 3


@dataclass
class IssueGuard:
    per_line: timedelta = timedelta(seconds=PER_LINE_SECONDS)
    any_line: timedelta = timedelta(seconds=ANY_LINE_SECONDS)
    _last: dict[str, tuple[datetime, str]] = field(default_factory=dict)
    _last_any: datetime | None = None

    def refusal(self, line_id: str, now: datetime) -> str | None:
        """Why a ticket for ``line_id`` may not be issued now, or None if it may."""
        last = self._last.get(line_id)
        if last is not None and now - last[0] < self.per_line:
            wait = int((self.per_line - (now - last[0])).total_seconds()) + 1
            return f"刚刚已取过本业务的号（{last[1]}），请勿重复取号；如需再取，请 {wait} 秒后再试"
        if self._last_any is not None and now - self._last_any < self.any_line:
            return "正在出票，请稍候"
        return None

    def record(self, line_id: str, number: str, now: datetime) -> None:
        self._last[line_id] = (now, number)
        self._last_any = now
