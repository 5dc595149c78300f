"""The type of the forms: one embedded Song face, 12–16 pt, CJK wrapping."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

TITLE_PT = 16
BODY_PT = 13
SMALL_PT = 12
"""The smallest size on any paper: a counter's applicants include the elderly."""


@dataclass(frozen=True)
class Styles:
    font: str
    body: ParagraphStyle
    """Running text: first line indented two characters, as Chinese documents are."""
    plain: ParagraphStyle
    """Text without indent (the addressee, list items)."""
    heading: ParagraphStyle
    cell: ParagraphStyle
    cell_head: ParagraphStyle
    label: ParagraphStyle
    small: ParagraphStyle
    small_right: ParagraphStyle
    right: ParagraphStyle
    centre: ParagraphStyle


@cache
def styles(font: str) -> Styles:
    """The paragraph styles for ``font`` (a registered reportlab font name), built once."""

    def style(name: str, size: float, leading: float, **kw) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading, wordWrap="CJK", **kw)

    return Styles(
        font=font,
        body=style("body", BODY_PT, 20, firstLineIndent=2 * BODY_PT, alignment=TA_JUSTIFY, spaceAfter=2),
        plain=style("plain", BODY_PT, 20, alignment=TA_LEFT),
        heading=style("heading", BODY_PT, 22, alignment=TA_LEFT, spaceBefore=4, spaceAfter=2, keepWithNext=1),
        cell=style("cell", SMALL_PT, 15),
        cell_head=style("cell_head", SMALL_PT, 15, alignment=TA_CENTER),
        label=style("label", SMALL_PT, 15, alignment=TA_CENTER),
        small=style("small", SMALL_PT, 17),
        small_right=style("small_right", SMALL_PT, 17, alignment=TA_RIGHT),
        right=style("right", BODY_PT, 23, alignment=TA_RIGHT),
        centre=style("centre", BODY_PT, 23, alignment=TA_CENTER),
    )
