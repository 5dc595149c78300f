"""What one counter does reaches another without waiting for a round: each agent holds a
/wait open on a real `clerk serve`, and the central store's news starts a pull. The rounds
are set an hour apart here, so without the listener nothing would arrive during the test;
with it off, nothing does."""

from __future__ import annotations

import time

import httpx
from harness import enrolled_counter
from sqlalchemy import select

from clerk.store.operations import AuditEntry
from clerk.sync.agent import AgentSettings

HOUR = 3600.0


def _counters(tmp_path, real_db, template, server, listen_s: float):
    _url, central = real_db
    out = []
    for name in ("w1", "w2"):
        c = enrolled_counter(tmp_path, name, central, template, httpx.Client(timeout=40), server.base_url)
        c.agent.settings = AgentSettings(interval_s=HOUR, poll_s=0.05, listen_s=listen_s)
        c.agent.start()
        out.append(c)
    return out


def _arrived(counter, note_id: str, within_s: float) -> bool:
    """Look for the note for up to ``within_s`` (a bound on the test's run, not a figure)."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        with counter.store.session() as s:
            if s.execute(select(AuditEntry.id).where(AuditEntry.id == note_id)).first():
                return True
        time.sleep(0.05)
    return False


def test_another_counters_action_arrives_without_a_round(tmp_path, real_db, template, server):
    a, b = _counters(tmp_path, real_db, template, server, listen_s=20)
    try:
        time.sleep(1)  # both listeners hold their /wait
        note = a.note()
        assert _arrived(b, note, within_s=30)
        again = b.note("clerk1")
        assert _arrived(a, again, within_s=30)  # and the other way round, on a renewed wait
    finally:
        for c in (a, b):
            c.agent.stop()


def test_with_the_listener_off_it_waits_for_the_round(tmp_path, real_db, template, server):
    a, b = _counters(tmp_path, real_db, template, server, listen_s=0)
    try:
        note = a.note()
        assert _arrived(a, note, within_s=0.1)  # stored at once where it was made
        assert not _arrived(b, note, within_s=5)
    finally:
        for c in (a, b):
            c.agent.stop()
