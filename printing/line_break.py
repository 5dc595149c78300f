"""Where a printed line of Chinese may break: between characters, but never inside a phone
number, a code, a date or a time, nor before closing or after opening punctuation (避头尾).

Chinese has no spaces to break at, so wrapping by character is the default; the units here
are what a reader must see whole, e.g. "0000-12345678" wrapped as "0000" / "-12345678" is a
number nobody can dial.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_UNIT = re.compile(
    r"\d{4}年\d{1,2}月\d{1,2}日"  # 2026年11月4日
    r"|\d{1,2}月\d{1,2}日"
    r"|\d+\s?(?:分钟|小时|天|人|个)"  # 15 分钟: a figure with its measure word
    r"|[0-9A-Za-z](?:[0-9A-Za-z\-:./–]*[0-9A-Za-z])?"  # phone, code, 2026-11-03, 09:00–09:30
    r"|“[^”]{1,8}”"  # a short quoted name such as “预约签到”, as printed on the kiosk's button
    r"|\s+"
    r"|.",
    re.DOTALL,
)
CLOSING = set("，。、；：！？）》】」”’")
"""Never at the start of a line: kept with the unit before."""
OPENING = set("（《【「“‘")
"""Never at the end of a line: kept with the unit after."""


def units(text: str) -> list[str]:
    """``text`` as the pieces a line may break between (spaces are pieces of their own)."""
    out: list[str] = []
    glue_next = False
    for piece in _UNIT.findall(text):
        if out and (glue_next or piece in CLOSING):
            out[-1] += piece
        else:
            out.append(piece)
        glue_next = piece in OPENING
    return out


def wrap(text: str, fits: Callable[[str], bool]) -> list[str]:
    """``text`` in lines that each ``fits``, broken between :func:`units` only; a unit too
    wide for a line on its own is cut by character (better cut than not printed)."""
    lines: list[str] = []
    current = ""
    for unit in units(text):
        if not current and unit.isspace():
            continue  # no line starts with the space it broke at
        if current and not fits(current + unit):
            lines.append(current.rstrip())
            current = "" if unit.isspace() else unit
        else:
            current += unit
        if current and not fits(current):
            *whole, current = _by_char(current, fits)
            lines += whole
    return [*lines, current.rstrip()] if current.strip() else lines


def _by_char(text: str, fits: Callable[[str], bool]) -> list[str]:
    lines, current = [], ""
    for char in text:
        if current and not fits(current + char):
            lines.append(current)
            current = ""
        current += char
    return [*lines, current]
