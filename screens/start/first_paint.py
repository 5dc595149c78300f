"""A hook for bench/cold_start.py only: note when the first screen reached the terminal, then quit.

Set ``CLERK_BENCH_FIRST_SCREEN=FILE`` and the app writes ``time.time()`` into FILE right
after the first screen has been painted, and exits. Without the variable nothing happens.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from textual.screen import Screen

ENV = "CLERK_BENCH_FIRST_SCREEN"


def mark_when_painted(screen: Screen) -> None:
    """Called from the first screen's on_mount."""
    target = os.environ.get(ENV)
    if target:
        screen.call_after_refresh(_mark, screen, Path(target))


def _mark(screen: Screen, target: Path) -> None:
    target.write_text(repr(time.time()), encoding="utf-8")
    screen.app.exit()
