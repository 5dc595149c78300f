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


def test_a_listener_that_lost_the_line_listens_again_once_a_round_gets_through(tmp_path, real_db, template, server):
    """The township line drops while nothing is waiting: the listener's /wait fails and it
    pauses (as long as a round's interval, an hour here). When the line is back, the first
    round that reaches the central store wakes it: a decision taken at another counter
    arrives in seconds, not at the next round."""
    _url, central = real_db
    a = enrolled_counter(tmp_path, "w1", central, template, httpx.Client(timeout=40), server.base_url)
    b = enrolled_counter(tmp_path, "w2", central, template, httpx.Client(timeout=40), server.base_url)
    b.agent.client.base_url = "http://127.0.0.1:9"  # nothing listens there
    for c in (a, b):
        c.agent.settings = AgentSettings(interval_s=HOUR, poll_s=0.05, max_backoff_s=0.2, listen_s=20)
        c.agent.start()
    try:
        time.sleep(1)  # b's listener has failed and is pausing
        b.agent.client.base_url = server.base_url
        b.agent.nudge()  # a round gets through (F5, or the clerk's next action)
        time.sleep(1)
        note = a.note()
        assert _arrived(b, note, within_s=15)
    finally:
        for c in (a, b):
            c.agent.stop()
