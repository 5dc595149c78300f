"""Pilot tests of the 潮汐窗口 screen: move a line, a suggestion, end of day."""

from __future__ import annotations

import pytest
from sqlmodel import select
from ui_helpers import plain, settle, sign_in
from ui_queue import issue, line

from clerk.mutation import MutationRefused
from clerk.store.operations import Ticket
from clerk.store.reference import WindowLine
from screens.dialogs.ask import AskText
from screens.queue.tidal import LinesDialog, TidalScreen

pytestmark = pytest.mark.anyio


async def open_tidal(pilot) -> TidalScreen:
    await sign_in(pilot, "super01")  # lands on the live floor; F9 sits down at a window
    await pilot.press("f9")
    await settle(pilot)
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
        await pilot.press("enter")  # a reflex Enter: 取消 has the focus
        await settle(pilot)
        assert isinstance(app.screen, TidalScreen)
        with store.session() as session:
            assert {t.status for t in session.exec(select(Ticket)).all()} == {"waiting"}
        await pilot.press("f8")
        await settle(pilot)
        await pilot.press("down", "enter")  # 确认日终清号, but it is 09:00: a second step
        await settle(pilot)
        assert isinstance(app.screen, AskText)
        await pilot.press("enter")  # nothing typed: still asked
        await settle(pilot)
        assert isinstance(app.screen, AskText)
        await pilot.press(*"提前清号", "enter")
        await settle(pilot)
        assert "作废 10 个，顺延 0 个" in plain(screen.query_one("#hall-message"))
    with store.session() as session:
        assert {t.status for t in session.exec(select(Ticket)).all()} == {"cancelled"}


async def test_end_of_day_after_closing_time_needs_no_second_step(app, settings, store, clock):
    """Issue 9 #4: after closing time the confirmation alone closes the day (here under the
    "cancel" rule; the default 当日号当日办结 first wants today's tickets served)."""
    settings.queue.end_of_day = "cancel"  # read when the desk opens at sign-in
    issue(store, clock, "A")
    clock.advance(hours=8, minutes=30)  # 17:30, the demo county's closing time
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_tidal(pilot)
        await pilot.press("f8")
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert "作废 1 个" in plain(screen.query_one("#hall-message"))


def test_end_of_day_refused_before_closing_without_the_explicit_step(settings, store, clock):
    from clerk.desk import open_desk

    issue(store, clock, "A")
    desk = open_desk(settings, clock, store).desk
    desk.use_queue()
    with pytest.raises(MutationRefused) as refused:
        desk.queue.end_of_day("super01", "supervisor")
    assert "未到下班时间（17:30）" in refused.value.message  # from the centre's opening hours
    assert desk.queue.end_of_day("super01", "supervisor", early=True).cancelled == 1


async def test_clerks_have_no_tidal_screen(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "clerk01")
        await pilot.press("enter", "f7")
        await settle(pilot)
        assert not isinstance(app.screen, TidalScreen)
