"""Text inputs that follow the app's settings."""

from __future__ import annotations

from textual.widgets import Input


class ClerkInput(Input):
    """An Input that follows the app's cursor-blink setting (off in snapshot tests)."""

    def on_mount(self) -> None:
        self.cursor_blink = getattr(self.app, "cursor_blink", True)
