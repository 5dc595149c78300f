"""Chinese line-breaking rules for reportlab, applied once when this module is imported.

reportlab's CJK wrapping (``wordWrap='CJK'``) lets ，；：！？》 start a line: its list of
characters that cannot start one lacks them, and the list is read from two module globals
(``reportlab.lib.textsplit`` for single-style paragraphs, ``reportlab.platypus.paragraph``
for mixed styles), so both are extended. reportlab keeps such a character off the next
line by hanging it past the right edge, which in a table cell crosses the cell's border,
and it hangs at most one: with two in a row (``》，``) the second still opens the next
line. :class:`FormParagraph` therefore checks its lines after wrapping and, where a line
hangs past the edge, ends with an opening bracket, or is followed by a line starting with
closing punctuation, wraps that line one character narrower: the character before the
punctuation then moves down with it, as Chinese typesetting does.
"""

from __future__ import annotations

from reportlab.lib import textsplit
from reportlab.platypus import paragraph
from reportlab.platypus.paragraph import Paragraph

CANNOT_START = "，；：！？》〉”’、。）」』】〕．…％"
"""Closing punctuation: never the first character of a line."""
CANNOT_END = "《〈“‘（「『【〔"
"""Opening punctuation: never the last character of a line."""
HANG_FUZZ = 0.5
"""Points a line may run past its width before it counts as hanging (rounding)."""
MAX_REWRAPS = 12
"""Each re-wrap fixes one line; a paragraph rarely needs more than two."""


def _extend(current: str) -> str:
    return current + "".join(ch for ch in CANNOT_START if ch not in current)


textsplit.ALL_CANNOT_START = _extend(textsplit.ALL_CANNOT_START)
paragraph.ALL_CANNOT_START = _extend(paragraph.ALL_CANNOT_START)


def line_texts(lines: object) -> list[str]:
    """The text of each wrapped line of a paragraph's ``blPara``."""
    texts = []
    for line in getattr(lines, "lines", ()):
        if isinstance(line, tuple):  # single style: (extra space, [text])
            texts.append("".join(line[1]))
        else:  # mixed styles: a FragLine whose words are frags
            texts.append("".join(getattr(w, "text", "") for w in line.words))
    return texts


def _extra_space(line: object) -> float:
    """Room left at the end of a wrapped line (negative: something hangs past the edge)."""
    return line[0] if isinstance(line, tuple) else getattr(line, "extraSpace", 0)


def first_bad_line(lines: object) -> int | None:
    """Index of the first line that must be wrapped narrower (see the module's doc)."""
    wrapped = list(getattr(lines, "lines", ()))
    texts = line_texts(lines)
    for i, line in enumerate(wrapped):
        if _extra_space(line) < -HANG_FUZZ:
            return i
        text, following = texts[i].rstrip(), (texts[i + 1].lstrip() if i + 1 < len(texts) else "")
        if (following and following[0] in CANNOT_START) or (following and text and text[-1] in CANNOT_END):
            return i
    return None


def first_bad_break(texts: list[str]) -> int | None:
    """Index of the first line that starts with closing punctuation (or follows a line
    ending with an opening bracket): what a reader of the PDF's text can check."""
    for i in range(1, len(texts)):
        prev, line = texts[i - 1].rstrip(), texts[i].lstrip()
        if (line and line[0] in CANNOT_START) or (prev and prev[-1] in CANNOT_END):
            return i
    return None


class FormParagraph(Paragraph):
    """A CJK-wrapped paragraph that never starts a line with closing punctuation."""

    def breakLinesCJK(self, maxWidths):  # noqa: N802 (reportlab's name)
        widths = list(maxWidths) if isinstance(maxWidths, list | tuple) else [maxWidths]
        base = widths[-1]  # the width of every line past the list's end
        result = super().breakLinesCJK(widths)
        for _ in range(MAX_REWRAPS):
            bad = first_bad_line(result)
            if bad is None:
                break
            widths += [base] * (bad + 2 - len(widths))
            widths[bad] -= self.style.fontSize
            result = super().breakLinesCJK(widths)
        return result
