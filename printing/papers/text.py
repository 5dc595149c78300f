"""A paper's values as the form prints them: dates, days, and the blanks of its wording.

Nothing here is markup: the papers are drawn by TextBlock, which has no parser, so
``<b>``, ``&`` or ``[red]x[/red]`` typed by anyone prints as typed.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from clerk.clock import local_time

BLANK_MAX = 30
"""Longer values are passages, not blanks: underlining them would only make them heavy."""
_BLANK = re.compile(r"\{(\w+)\}")


class Plain(str):
    """A value that completes the form's sentence but is not a blank (not underlined)."""


def runs(wording: str, values: dict[str, object]) -> list[tuple[str, bool]]:
    """The form's ``wording`` with its ``{name}`` blanks filled from ``values``: pieces of
    text, each with whether it is underlined (a short value that is not Plain)."""
    out: list[tuple[str, bool]] = []
    at = 0
    for blank in _BLANK.finditer(wording):
        out.append((wording[at : blank.start()], False))
        value = values[blank.group(1)]
        text = str(value)
        out.append((text, not isinstance(value, Plain) and 0 < len(text) <= BLANK_MAX))
        at = blank.end()
    out.append((wording[at:], False))
    return [(text, underline) for text, underline in out if text]


def cn_date(day: date) -> str:
    """``2026年12月2日`` (no leading zeros, as official documents date themselves)."""
    return f"{day.year}年{day.month}月{day.day}日"


def cn_datetime(moment: datetime) -> str:
    """``2026年12月2日 09:41`` in Beijing time."""
    local = local_time(moment) if moment.tzinfo else moment
    return f"{cn_date(local.date())} {local:%H:%M}"


def days(n: int) -> str:
    return f"{n}个工作日"
