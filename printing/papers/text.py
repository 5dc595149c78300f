"""Turning a paper's values into paragraph markup: escaped, dated and filled in.

Every value of a ``Paper`` is the applicant's or a clerk's text and must print as typed:
``<b>``, ``&`` or ``[red]x[/red]`` are characters on the paper, never markup. Only the
fixed wording of the forms (this package's own strings) is markup.
"""

from __future__ import annotations

from datetime import date, datetime
from xml.sax.saxutils import escape

from clerk.clock import local_time


def esc(value: object) -> str:
    """``value`` as paragraph text that reportlab prints literally (line breaks kept)."""
    return escape(str(value)).replace("\n", "<br/>")


BLANK_MAX = 30
"""Longer values are passages, not blanks: underlining them would only make them heavy."""


class Plain(str):
    """A value that completes the form's sentence but is not a blank (not underlined)."""


def fill(value: object) -> str:
    """A filled-in blank of the form: the value, escaped and underlined as forms print it."""
    text = esc(value)
    if isinstance(value, Plain) or len(str(value)) > BLANK_MAX:
        return text
    return f"<u>{text}</u>" if text else "<u>\u3000\u3000\u3000\u3000</u>"


def cn_date(day: date) -> str:
    """``2026年12月2日`` (no leading zeros, as official documents date themselves)."""
    return f"{day.year}年{day.month}月{day.day}日"


def cn_datetime(moment: datetime) -> str:
    """``2026年12月2日 09:41`` in Beijing time."""
    local = local_time(moment) if moment.tzinfo else moment
    return f"{cn_date(local.date())} {local:%H:%M}"


def days(n: int) -> str:
    return f"{n}个工作日"
