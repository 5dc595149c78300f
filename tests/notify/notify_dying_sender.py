"""Run as a script: send the due e-mails of DATABASE_URL through 127.0.0.1:PORT and kill
this process (SIGKILL) right after the server accepted the first message, before the row
is marked sent (clerk.notify.delivery's ``after_send`` hook)."""

from __future__ import annotations

import os
import signal
import sys

from clerk.clock import SystemClock
from clerk.config import NotifySettings
from clerk.notify import delivery, senders
from clerk.store.engine import Store


def main(url: str, port: int) -> None:
    settings = NotifySettings(smtp_host="127.0.0.1", smtp_port=port, smtp_from="noreply@zwfw.example.cn",
                              smtp_starttls=False, timeout_s=5)
    store = Store.url(url)
    delivery.run_due(store, settings, senders.configured(settings, None), SystemClock().now,
                     after_send=lambda _row: os.kill(os.getpid(), signal.SIGKILL))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
