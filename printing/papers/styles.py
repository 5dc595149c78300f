"""The type of the forms: one embedded Song face, 12–16 pt."""

from __future__ import annotations

TITLE_PT = 16
BODY_PT = 13
BODY_LEADING = 20
SMALL_PT = 12
"""The smallest size on any paper: a counter's applicants include the elderly."""
SMALL_LEADING = 17
CELL_LEADING = 15
"""Lines inside a grid's cell."""
