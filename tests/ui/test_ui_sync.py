"""The sync status line, F5 and the conflicts screen, against a real central store on 127.0.0.1."""

from __future__ import annotations

import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from ui_helpers import MONDAY_9AM, plain, settle, sit_down

from clerk.central.devices import make_enrol_code
from clerk.clock import SystemClock
from clerk.config import Settings, StoreSettings, SyncSettings
from clerk.outbox import Workbench, client_id
from clerk.store.local import SyncConflict
from clerk.sync import meta
from clerk.sync.call_notes import NOTE_NAME
from clerk.sync.client import CentralClient
from clerk.sync.enrol import enrol
from clerk.sync.status import SyncStatus
from screens.app import make_app
from screens.start.home import HomeScreen
from screens.sync.conflicts import ConflictsScreen
from screens.widgets.sync_bar import SyncBar, fit_line, status_parts

sys.path.insert(0, str(Path(__file__).parents[1] / "sync"))
from harness import free_port  # noqa: E402  (the sync tests' real-server helper)

pytestmark = pytest.mark.anyio

# The agent's own loop waits this long between rounds, so only F5 can push the clerk's action.
SLOW_LOOP = SyncSettings(poll_s=60, interval_s=600, max_backoff_s=600, timeout_s=5)


def bar_text(app) -> str:
    return plain(app.screen.query_one(SyncBar))


async def wait_for_bar(pilot, *needles: str, timeout: float = 10.0) -> str:
    """Re-read the status until it says all of ``needles`` (the agent works on its own thread)."""
    deadline = time.monotonic() + timeout
    while True:
        pilot.app.poll_sync()
        await settle(pilot)
        text = bar_text(pilot.app)
        if all(n in text for n in needles) or time.monotonic() > deadline:
            return text
        await pilot.pause(0.1)


def test_status_line_abbreviates_to_fit():
    status = SyncStatus(
        configured=True, online=False, pending=1234, oldest_pending_age=timedelta(days=3),
        last_ack_at=MONDAY_9AM - timedelta(days=3), conflicts=12, clock_skew_ms=7 * 60_000,
        clock_warning=True, error="无法连接中心库，操作已保存在本机，恢复后自动上传",
    )  # fmt: skip
    parts = status_parts(status, MONDAY_9AM, running=True)
    wide = fit_line(parts, 200).plain
    assert wide.startswith("○ 离线（无法连接中心库")
    assert "待同步 1234 条 · 最早 3 天前 · 上次确认 11-13 09:00 · 冲突 12 条" in wide
    assert "本机时钟与中心库相差 7 分钟" in wide
    for width in (78, 60, 40):
        line = fit_line(parts, width)
        assert line.cell_length <= width
        assert "离线" in line.plain and "1234" in line.plain


async def test_not_configured(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await sit_down(pilot)
        assert bar_text(app).strip() == "中心库：未配置"
        assert "f6" not in {k for k, b in app.screen.active_bindings.items() if b.enabled}
        await pilot.press("f5")
        assert "本机未接入中心库" in list(app._notifications)[-1].message


async def test_offline_counts_what_waits(settings, store, clock):
    # Enrolled (a credential, as `clerk enrol` keeps it) with a central store that is not there.
    with store.write() as session:
        client_id(session)
        meta.put(session, meta.URL, f"http://127.0.0.1:{free_port()}")
        meta.put(session, meta.DEVICE_ID, "dev-1")
        meta.put(session, meta.SECRET, "secret")
    app = make_app(settings, store, clock, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await sit_down(pilot)
        assert isinstance(app.screen, HomeScreen)
        text = await wait_for_bar(pilot, "离线", "待同步 2 条")  # the signed sign-in and the seat
        assert "○ 离线" in text and "待同步 2 条" in text and "最早 不到 1 分钟前" in text
        detail = plain(app.screen.query_one("#home-sync"))
        assert "无法连接中心库" in detail
    assert app.desk.sync_configured is False  # stopped with the app




async def test_actions_drain_and_conflicts_are_shown(tmp_path, store, clock, central):
    central_store, url = central
    client = CentralClient(url)
    enrol(store, client, make_enrol_code(central_store, SystemClock(), "demo-county"))
    client.close()
    # Staff of another centre acting on this counter: the server refuses it (a conflict).
    Workbench(store, clock).apply(
        "audit.record", {"id": "x1", "action": "note", "subject": "[b]x[/b]"}, "town01"
    )
    settings = Settings(store=StoreSettings(path=str(tmp_path / "counter.sqlite3")), sync=SLOW_LOOP)
    app = make_app(settings, store, clock, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await sit_down(pilot)
        # Each local action wakes the agent: taking the seat reaches the central store at
        # once (the slowed loop alone would not have pushed it), and F5 forces another round.
        await pilot.press("f5")
        text = await wait_for_bar(pilot, "在线", "待同步 0", "冲突 1")
        assert "● 在线" in text and "待同步 0" in text and "09:00" in text, text
        await pilot.press("f6")
        await settle(pilot)
        assert isinstance(app.screen, ConflictsScreen)
        detail = plain(app.screen.query_one("#conflict-detail"))
        assert "审计记录" in detail and "中心" in detail, detail
        text = await wait_for_bar(pilot, "在线")
        assert "冲突" not in text, text
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_a_call_conflict_shows_in_the_list_with_its_story(app, store, clock):
    story = "A001 号被两个窗口同时叫号（断网期间）：1号窗口 王晓丽 09:03 的叫号有效；2号窗口 李建国 09:04 的叫号未被中心库接受。"
    with store.write() as session:  # enrolled (the central store is away) and the note pulled earlier
        meta.put(session, meta.URL, f"http://127.0.0.1:{free_port()}")
        meta.put(session, meta.DEVICE_ID, "dev-1")
        meta.put(session, meta.SECRET, "secret")
        session.add(SyncConflict(id="call:x", mutation_id=0, name=NOTE_NAME, reason=story, at=clock.now()))
    async with app.run_test(size=(80, 24)) as pilot:
        await sit_down(pilot)
        await pilot.press("f6")
        await settle(pilot)
        assert isinstance(app.screen, ConflictsScreen)
        detail = plain(app.screen.query_one("#conflict-detail"))
        assert detail.startswith("叫号冲突 ") and "第 0 号" not in detail and "2号窗口 李建国" in detail, detail
