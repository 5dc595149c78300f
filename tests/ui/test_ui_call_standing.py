"""Defect 8: after a call conflict the message line follows the call as it stands.

The losing window went on saying it called the ticket; the winner kept "待中心库确认" after
the central store had confirmed the call. F6's reasons must be readable in full.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from sqlalchemy import update
from ui_helpers import plain, settle, sit_down
from ui_queue import issue

from clerk.store.local import Outbox, SyncConflict
from clerk.store.operations import Ticket
from clerk.sync import meta
from screens.sync.conflicts import ConflictsScreen

sys.path.insert(0, str(Path(__file__).parent.parent / "sync"))
from harness import free_port  # noqa: E402

pytestmark = pytest.mark.anyio


def enrolled_offline(store) -> None:
    """Enrolled, the central store away: calls are made here, tentative."""
    with store.write() as session:
        meta.put(session, meta.URL, f"http://127.0.0.1:{free_port()}")
        meta.put(session, meta.DEVICE_ID, "dev-1")
        meta.put(session, meta.SECRET, "secret")


async def call_here(pilot):
    await sit_down(pilot)
    await pilot.press("f3")
    await settle(pilot)
    await pilot.press("f1")
    await settle(pilot)
    return pilot.app.screen


async def refresh(pilot, screen) -> str:
    screen.load()
    await settle(pilot)
    return plain(screen.query_one("#call-message"))


async def test_the_message_drops_pending_once_the_central_store_confirms(app, store, clock):
    t = issue(store, clock, "A")
    enrolled_offline(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await call_here(pilot)
        assert "待中心库确认" in plain(screen.query_one("#call-message"))
        assert "待中心库确认" in await refresh(pilot, screen)  # not yet acknowledged: still says so
        with store.write() as s:
            s.execute(update(Outbox).values(acked_at=clock.now()))
        message = await refresh(pilot, screen)
        assert message == f"请 {t.number} 号到 1 号窗口办理", message


async def test_without_a_central_store_a_call_is_final_on_every_refresh(app, store, clock):
    """No central store: nobody can take the ticket, so no refresh may call it pending (the
    refresh used to say "待中心库确认" here while the call itself had not: the line flipped)."""
    t = issue(store, clock, "A")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await call_here(pilot)
        assert plain(screen.query_one("#call-message")) == f"请 {t.number} 号到 1 号窗口办理"
        message = await refresh(pilot, screen)
        assert message == f"请 {t.number} 号到 1 号窗口办理", message


async def test_the_losing_window_stops_saying_it_calls_the_ticket(app, store, clock):
    t = issue(store, clock, "A")
    enrolled_offline(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await call_here(pilot)
        with store.write() as s:  # the pull brings the central truth: window 2 kept the ticket
            s.execute(update(Ticket).where(Ticket.number == t.number).values(window_id="demo-county:2"))
            mid = s.execute(Outbox.__table__.select().where(Outbox.name == "ticket.call")).first().mutation_id
            s.add(SyncConflict(id="c1", mutation_id=mid, name="ticket.call", reason="2号窗口的叫号有效", at=clock.now()))
        message = await refresh(pilot, screen)
        assert message.startswith(f"未叫到 {t.number} 号") and "请叫下一位" in message, message
        assert "请 " not in message


def visible_lines(screen) -> list[str]:
    """The reason's lines the clerk can see now: those inside the scrolled box, on screen."""
    box, detail = screen.query_one("#conflict-detail-box"), screen.query_one("#conflict-detail")
    assert box.region.bottom <= screen.region.bottom  # the box itself is not pushed off screen
    lines = ["".join(seg.text for seg in strip) for strip in detail.render_lines(detail.size.region)]
    top = round(box.scroll_y)
    return lines[top : top + box.scrollable_content_region.height]


@pytest.mark.parametrize("size", [(120, 30), (80, 24)])
async def test_a_long_conflict_reason_can_be_read_in_full(app, store, clock, size):
    enrolled_offline(store)
    reason = "A001 号被两个窗口同时叫号（断网期间）：" + "核对说明" * 60 + "——完。"
    with store.write() as s:
        s.add(SyncConflict(id="long", mutation_id=3, name="ticket.call", reason=reason, at=clock.now()))
    async with app.run_test(size=size) as pilot:
        await sit_down(pilot)
        await pilot.press("f6")
        await settle(pilot)
        assert isinstance(app.screen, ConflictsScreen)
        first = "".join(visible_lines(app.screen)).replace(" ", "")
        assert "A001号被两个窗口" in first
        if size == (80, 24):
            assert "——完。" not in first  # longer than the room under the table: it must scroll
        await pilot.press("tab", "end")  # to the reason, then to its end
        await settle(pilot)
        assert "——完。" in "".join(visible_lines(app.screen)).replace(" ", "")  # the end is on screen
