"""The status line tells the truth: a pull that keeps failing is an error with its reason,
shown by the background agent's rounds too, not "online" nor an outage to wait out."""

from __future__ import annotations

import time

import pytest
from harness import enrolled_counter

from clerk.central import changes, state
from clerk.sync.agent import PullFailed
from clerk.sync.status import sync_status
from screens.widgets.sync_bar import state_part


def _poison(central) -> None:
    """A change-log row this counter cannot land: a window line of a window that does not exist
    (what an unchecked forged push used to leave behind)."""
    with central.write() as s:
        changes.append(s, [("window_line", ["c1:9", "c1:A"], {"window_id": "c1:9", "line_id": "c1:A"})], "c1")
        assert state.current(s).last_seq > 0


def test_a_pull_that_keeps_failing_shows_as_an_error_with_its_reason(central, api, template, tmp_path):
    c = enrolled_counter(tmp_path, "w1", central, template, api, "http://central")
    assert sync_status(c.store, c.clock).online
    _poison(central)
    c.note()
    with pytest.raises(PullFailed):
        c.agent.sync_once()
    status = sync_status(c.store, c.clock)
    assert not status.online and status.failing and "下载中心库数据失败" in status.error
    assert status.pending == 0  # the push went through; only the pull fails
    part = state_part(status, running=True)
    assert part.full.startswith("✕ 同步出错") and "FOREIGN KEY" in part.full

    c.note()
    c.agent.start()  # the background rounds push, fail the pull again, and keep saying so
    try:
        deadline = time.monotonic() + 30
        while c.pending() and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        c.agent.stop()
    assert c.pending() == 0
    status = sync_status(c.store, c.clock)
    assert status.failing and not status.online and status.error


def test_an_unreachable_store_is_offline_not_an_error(central, api, template, tmp_path):
    import httpx

    c = enrolled_counter(tmp_path, "w1", central, template, api, "http://central")
    c.agent.client.http = httpx.Client(base_url="http://127.0.0.1:9", timeout=1)
    c.agent.client.base_url = "http://127.0.0.1:9"
    with pytest.raises(Exception):  # noqa: B017 - Unreachable
        c.agent.sync_once()
    status = sync_status(c.store, c.clock)
    assert not status.online and not status.failing and status.error
    assert state_part(status, running=True).full.startswith("○ 离线")
