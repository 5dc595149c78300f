"""How a send ended, as far as the sender can know: the line between "surely not sent" and
"perhaps sent" is what decides whether a message may be tried again (clerk.notify.delivery)."""

from __future__ import annotations


class SendFailed(Exception):
    """The message was surely not accepted (no connection, or the server said no before
    taking it): trying again cannot send it twice. ``message`` is Chinese, for the record."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class SendUncertain(Exception):
    """The message was handed over and the answer never came: it may have been accepted."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
