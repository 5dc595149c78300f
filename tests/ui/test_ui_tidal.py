"""Pilot tests of the 潮汐窗口 screen: move a line, a suggestion, end of day."""

from __future__ import annotations

import pytest
from sqlmodel import select
from ui_helpers import plain, settle, sign_in
from ui_queue import issue, line

from clerk.store.operations import Ticket
from clerk.store.reference import WindowLine
from screens.queue.tidal import LinesDialog, TidalScreen

pytestmark = pytest.mark.anyio


async def open_tidal(pilot) -> TidalScreen:
    await sign_in(pilot, "super01")
    await pilot.press(*["down"] * 10, "enter")  # window 11: line E only
    await settle(pilot)
    await pilot.press("f7")
    await settle(pilot)
    assert isinstance(pilot.app.screen, TidalScreen)
    return pilot.app.screen


def lines_of(store, window: str) -> set[str]:
    with store.session() as session:
        rows = session.exec(select(WindowLine.line_id).where(WindowLine.window_id == window)).all()
    return set(rows)


async def test_move_a_line_off_a_window(app, store):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_tidal(pilot)
        await pilot.press("enter")  # window 1
        await settle(pilot)
        assert isinstance(app.screen, LinesDialog)
        await pilot.press("space", "f2")  # untick A, save
        await settle(pilot)
        assert "1号窗口的业务已调整" in plain(screen.query_one("#hall-message"))
    assert lines_of(store, "demo-county:1") == {line("B"), line("C"), line("D")}


async def test_suggestion_adopted_and_end_of_day(app, store, clock):
    for _ in range(10):
        issue(store, clock, "A")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_tidal(pilot)
        tips = plain(screen.query_one("#hall-suggestions"))
        assert "A 综合受理：10 人等候且无窗口办理；11号窗口空闲，建议增办" in tips
        await pilot.press("f4")
        await settle(pilot)
        assert "已采纳" in plain(screen.query_one("#hall-message"))
        assert lines_of(store, "demo-county:11") == {line("A"), line("E")}
        await pilot.press("f8")
        await settle(pilot)
        await pilot.press("enter")  # 确认日终清号
        await settle(pilot)
        assert "作废 10 个，顺延 0 个" in plain(screen.query_one("#hall-message"))
    with store.session() as session:
        assert {t.status for t in session.exec(select(Ticket)).all()} == {"cancelled"}


async def test_clerks_have_no_tidal_screen(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "clerk01")
        await pilot.press("enter", "f7")
        await settle(pilot)
        assert not isinstance(app.screen, TidalScreen)
