"""A sender killed after the mail server accepted the message and before the row was marked
sent: the message arrived once, the row is found ``sending``, becomes ``uncertain`` at the
next start, and is never sent again. On SQLite and PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from test_notify_delivery import _queued, _rows, _run, _settings

from clerk.clock import FrozenClock
from clerk.notify import delivery

SCRIPT = Path(__file__).with_name("notify_dying_sender.py")
ROOT = Path(__file__).resolve().parents[2]


def test_killed_between_send_and_acknowledgement_is_delivered_once_and_uncertain(cases, central, smtp):
    _queued(cases, central)
    url = central.engine.url.render_as_string(hide_password=False)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, str(SCRIPT), url, str(smtp.port)], env=env, timeout=60,
                          capture_output=True, text=True)
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert len(smtp.messages) == 1
    assert _rows(central)["email"].state == "sending"

    assert delivery.recover(central) == 1  # the next start of the sender
    row = _rows(central)["email"]
    assert row.state == "uncertain" and "无法确定是否已送达" in row.last_error
    clock = FrozenClock(row.next_attempt_at)
    for _ in range(2):
        assert _run(central, _settings(smtp.port), clock, None) == {}
        clock.advance(days=1)
    assert len(smtp.messages) == 1 and _rows(central)["email"].attempts == 1
