"""Chinese line breaking for the papers, on reportlab's own CJK splitter.

reportlab lets ，；：！？》 start a line: its list of characters that cannot start one lacks
them. The list is read from two module globals (``reportlab.lib.textsplit`` for one-style
text, ``reportlab.platypus.paragraph`` for mixed styles); both are extended once, when this
module is imported. That is not enough: reportlab keeps such a character off the next line
by hanging it past the right edge (in a table cell, across its border), and it hangs at most
one, so with two in a row (``》，``) the second still opens the next line. :func:`cjk_lines`
therefore checks the lines it gets and, where a line hangs past the edge, ends with an
opening bracket, or is followed by a line starting with closing punctuation, breaks that
line one character earlier: the character before the punctuation moves down with it, as
Chinese typesetting does. A number or code (``CL-GG-001-20261202-0001``) split across
two lines moves down whole.
"""


from __future__ import annotations

import re

from reportlab.lib import textsplit
from reportlab.lib.textsplit import wordSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import paragraph

CANNOT_START = "，；：！？》〉”’、。）」』】〕．…％"
"""Closing punctuation: never the first character of a line."""
CANNOT_END = "《〈“‘（「『【〔"
"""Opening punctuation: never the last character of a line."""
HANG_FUZZ = 0.5
"""Points a line may run past its width before it counts as hanging (rounding)."""
REWRAPS_PER_LINE = 2
"""Each re-wrap fixes one line, and a fix can push the problem one line on: a bound,
so that a pathological text still ends (breaking the rule rather than hanging)."""


def _extend(current: str) -> str:
    return current + "".join(ch for ch in CANNOT_START if ch not in current)


textsplit.ALL_CANNOT_START = _extend(textsplit.ALL_CANNOT_START)
paragraph.ALL_CANNOT_START = _extend(paragraph.ALL_CANNOT_START)


_TOKEN_END = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-_./:]*$")
_TOKEN_START = re.compile(r"^[A-Za-z0-9\-_./:]")


def first_bad_line(room: list[float], texts: list[str]) -> tuple[int, str] | None:
    """The first line that must be broken earlier (see the module's doc), given the room
    left at the end of each line and its text: its index, and the code or number it cuts
    in two ("" when one character is to move down)."""
    for i, text in enumerate(texts):
        if room[i] < -HANG_FUZZ:
            return i, ""
        following = texts[i + 1].lstrip() if i + 1 < len(texts) else ""
        text = text.rstrip()
        if following and (following[0] in CANNOT_START or (text and text[-1] in CANNOT_END)):
            return i, ""
        token = _TOKEN_END.search(text)
        if token and following and _TOKEN_START.match(following) and token.start() > 0:
            return i, token.group()
    return None


def first_bad_break(texts: list[str]) -> int | None:
    """Index of the first line that starts with closing punctuation (or follows a line
    ending with an opening bracket): what a reader of the PDF's text can check."""
    for i in range(1, len(texts)):
        prev, line = texts[i - 1].rstrip(), texts[i].lstrip()
        if (line and line[0] in CANNOT_START) or (prev and prev[-1] in CANNOT_END):
            return i
    return None


def cjk_lines(text: str, width: float, font: str, size: float, first: float | None = None) -> list[tuple[int, str]]:
    """``text`` (one font and size) broken into lines at most ``width`` wide (``first``:
    the first line's width) by the rules above, its own line breaks kept; each line with
    the offset in ``text`` where it starts."""
    lines: list[tuple[int, str]] = []
    offset = 0
    for n, part in enumerate(text.split("\n")):
        widths = [first if first is not None and n == 0 else width]
        wrapped = wordSplit(part, widths, font, size)
        for _ in range(4 + REWRAPS_PER_LINE * len(wrapped)):
            bad = first_bad_line([extra for extra, _ in wrapped], [t for _, t in wrapped])
            if bad is None:
                break
            line, token = bad
            widths += [width] * (line + 2 - len(widths))
            widths[line] -= stringWidth(token, font, size) + 0.01 if token else size
            wrapped = wordSplit(part, widths, font, size)
        position = 0
        for n, (_, line) in enumerate(wrapped or [(0, "")]):
            # The splitter strips ASCII spaces at a break but not the ideographic one.
            line = line.lstrip() if n else line
            position = part.find(line, position) if line else position
            lines.append((offset + position, line.rstrip()))
            position += len(line)
        offset += len(part) + 1
    return lines
