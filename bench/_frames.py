"""When a headless Textual app puts something on the screen.

Headless Textual composes every frame but skips turning it into the escape sequences a
terminal receives; a real terminal pays that step. :class:`Frames` wraps the app's
``_display`` so that each frame handed to the (absent) terminal is rendered to those
sequences — on the UI thread, inside the frame, as a real terminal would have it — then
time-stamped and kept as plain text, so a benchmark can stop its clock at the first frame
that shows what it waits for, not at some later refresh.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time

from textual.app import App
from textual.screen import Screen

ESCAPES = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)")
"""CSI (colours, cursor moves) and OSC (links) sequences."""


class Frames:
    """Every frame the app draws from now on: (time, text without escape sequences)."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.drawn: list[tuple[float, str]] = []
        self._changed = asyncio.Event()
        display = app._display

        def draw(screen: Screen, update) -> None:
            display(screen, update)
            render = getattr(update, "render_segments", None)
            if render is not None:
                sequences = render(app.console)
                self.drawn.append((time.perf_counter(), sequences))
                self._changed.set()

        app._display = draw  # type: ignore[method-assign]

    def poke(self) -> None:
        """Wake :meth:`wait_for` (something besides a frame changed)."""
        self._changed.set()

    async def wait_for(self, found, timeout: float = 10.0):
        """The first value of ``found()`` that is not None, tried after each frame or poke."""
        deadline = time.perf_counter() + timeout
        while (result := found()) is None:
            self._changed.clear()
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError("the app did not show what was awaited")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), left)
        return result

    def first_showing(self, wanted: str | None, since: float) -> float | None:
        """When the first frame drawn after ``since`` that contains ``wanted`` was drawn."""
        if not wanted:
            return None
        for at, sequences in self.drawn:
            if at >= since and wanted in ESCAPES.sub("", sequences):
                return at
        return None

    def forget(self) -> None:
        self.drawn.clear()
