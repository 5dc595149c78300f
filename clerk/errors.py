"""Errors that reach a person carry a Chinese message for the screen and an English one for logs."""

from __future__ import annotations


class UserFacingError(Exception):
    """An error whose ``message`` (Chinese) can be shown to the clerk as it is."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(detail or message)
        self.message = message
        self.detail = detail or message
