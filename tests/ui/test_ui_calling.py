"""Pilot tests of the calling screen: call, recall limit, no-show, transfer, pause, walk-in."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from sqlalchemy import delete
from textual.binding import Binding
from ui_helpers import plain, settle, sit_down
from ui_queue import RecordingPrinter, issue, line

from clerk.store.operations import Ticket
from clerk.store.reference import WindowLine
from screens.app import make_app
from screens.queue.calling import CallingScreen
from screens.widgets.key_bar import KeyBar, key_line

pytestmark = pytest.mark.anyio


@pytest.fixture
def printer() -> RecordingPrinter:
    return RecordingPrinter()


@pytest.fixture
def app(settings, store, clock, printer):
    return make_app(settings, store, clock, cursor_blink=False, print_ticket=printer)


async def open_calling(pilot) -> CallingScreen:
    await sit_down(pilot)  # window 1: lines A B C D
    await pilot.press("f3")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CallingScreen)
    return pilot.app.screen


def shown(screen, widget_id: str) -> str:
    return plain(screen.query_one(f"#{widget_id}"))


async def press(pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


async def test_call_next_shows_the_ticket_and_why(app, store, clock):
    issue(store, clock, "A")
    clock.advance(minutes=1)
    green = issue(store, clock, "C", reason="elderly")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_calling(pilot)
        assert "等候 2 人" in shown(screen, "waiting-title")
        await press(pilot, "f1")
        assert green.number in shown(screen, "current-number")
        assert "已叫号" in shown(screen, "current-number")
        assert "叫号原因：绿色通道优先（老年人）" in shown(screen, "current-detail")
        assert f"请 {green.number} 号到 1 号窗口办理" in shown(screen, "call-message")
        assert "等候 1 人" in shown(screen, "waiting-title")
        await press(pilot, "f1")  # hidden while a ticket is open: nothing happens
        assert green.number in shown(screen, "current-number")


async def test_recall_limit_is_refused_in_place(app, store, clock):
    ticket = issue(store, clock, "A")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_calling(pilot)
        await press(pilot, "f1")
        for _ in range(2):
            clock.advance(seconds=31)
            await press(pilot, "f3")
            assert "已重呼" in shown(screen, "call-message")
        clock.advance(seconds=31)
        await press(pilot, "f3")
        assert "已达上限" in shown(screen, "call-message")
        assert screen.query_one("#call-message").has_class("error")
        assert ticket.number in shown(screen, "current-number")  # still held, screen consistent


async def test_no_show_requeues_then_past(app, store, clock):
    ticket = issue(store, clock, "A")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_calling(pilot)
        await press(pilot, "f1")  # the ticket is shown before the next key
        await press(pilot, "f4")
        assert "当前无号" in shown(screen, "current-number")
        assert "等候 1 人" in shown(screen, "waiting-title")
        assert shown(screen, "call-message") == f"{ticket.number} 号未到，已重新排队"
        await press(pilot, "f1")  # the ticket is shown before the next key
        await press(pilot, "f4")
        assert "等候 0 人" in shown(screen, "waiting-title")
        assert shown(screen, "call-message") == f"{ticket.number} 号未到，已过号"
    with store.session() as session:
        assert session.get(Ticket, ticket.ticket_id).status == "no_show"


async def test_transfer_keeps_the_number(app, store, clock):
    ticket = issue(store, clock, "A")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_calling(pilot)
        await press(pilot, "f1")  # the ticket is shown before the next key
        await press(pilot, "f9")
        await press(pilot, "enter")  # the first target: line B (its own line A is not offered)
        await press(pilot, *"需办理市场准入", "enter")
        assert f"{ticket.number} 号已转移" in shown(screen, "call-message")
        assert "当前无号" in shown(screen, "current-number")
    with store.session() as session:
        row = session.get(Ticket, ticket.ticket_id)
        assert (row.number, row.line_id, row.status) == (ticket.number, line("B"), "waiting")
        assert row.first_contact_staff_id == "clerk01"


async def test_pause_and_resume(app, store, clock):
    issue(store, clock, "A")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_calling(pilot)
        await press(pilot, "f10")
        await press(pilot, *"午休", "enter")
        assert "已暂停（午休）" in shown(screen, "window-state")
        await press(pilot, "f1")  # calling is off while paused, and the key says why
        assert "当前无号" in shown(screen, "current-number")
        assert shown(screen, "call-message") == "窗口已暂停（午休），先按 F10 恢复再叫号"
        assert screen.query_one("#call-message").has_class("error")
        await press(pilot, "f10")
        assert "开放" in shown(screen, "window-state")
        await press(pilot, "f1")
        assert "A" in shown(screen, "current-number")


async def test_walk_in_prints_through_the_injected_printer(app, store, clock, printer):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_calling(pilot)
        await press(pilot, "f12")
        await press(pilot, "enter")  # line A
        await press(pilot, "down", "enter")  # 绿色通道 · 老年人
        assert [s.number for s in printer.slips] == ["A001"]  # a standalone counter: band 0
        slip = printer.slips[0]
        assert (slip.line_name, slip.priority_label, slip.note) == ("综合受理", "绿色通道（老年人）", "")
        assert "已登记 A001 号" in shown(screen, "call-message")
        assert "等候 1 人" in shown(screen, "waiting-title")


async def test_the_clerks_screen_never_shows_a_tickets_rate_code(app, store, clock):
    """The 评价码 is the visitor's proof at the kiosk: not on the waiting list, nor the called ticket."""
    from clerk.outbox import Workbench

    bench = Workbench(store, clock)
    for n in (1, 2):
        bench.apply("ticket.issue", {"id": f"t{n}", "line_id": line("A"), "rate_code": f"864{n}"})
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_calling(pilot)
        await press(pilot, "f1")
        assert "A001" in shown(screen, "current-number")
        text = app.export_screenshot()
        assert "A002" in text and "8641" not in text and "8642" not in text and "评价码" not in text


async def test_call_a_typed_number_and_an_unknown_one(app, store, clock):
    issue(store, clock, "A")
    second = issue(store, clock, "A")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_calling(pilot)
        await press(pilot, "f2")
        await press(pilot, *"a999", "enter")
        assert "没有等候中的 A999 号" in shown(screen, "call-message")
        await press(pilot, "f2")
        await press(pilot, *second.number.lower(), "enter")
        assert second.number in shown(screen, "current-number")
        assert "指定叫号" in shown(screen, "current-detail")


async def test_the_key_line_follows_the_window_and_a_click_acts(app, store, clock):
    ticket = issue(store, clock, "A")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_calling(pilot)
        keys = screen.query_one(KeyBar)
        assert "f1 叫号" in plain(keys) and "办结" not in plain(keys)
        await press(pilot, "f1")
        assert "f1 叫号" not in plain(keys) and "f8 办结" in plain(keys) and "f3 重呼" in plain(keys)
        start = cell_len(plain(keys).split("f8 办结")[0])  # CJK characters take two cells
        await pilot.click(KeyBar, offset=(start + 3, 0))
        await settle(pilot)
        assert "已办结" in shown(screen, "call-message")
        assert "f1 叫号" in plain(keys) and "办结" not in plain(keys)
    with store.session() as session:
        assert session.get(Ticket, ticket.ticket_id).status == "finished"


def test_key_line_spans_cells_and_dims_disabled_keys():
    keys = [(Binding("f1", "call_next", "叫号"), "f1", True), (Binding("f8", "finish", "办结"), "f8", False),
            (Binding("escape", "home", "主页"), "esc", True)]
    line, spans = key_line(keys)
    assert line.plain == "f1 叫号 f8 办结 esc 主页"
    assert spans == [(0, 7, "f1"), (16, 24, "escape")]  # CJK takes two cells; f8 is not clickable
    dimmed = {line.plain[s.start:s.end] for s in line.spans if "dim" in str(s.style)}
    assert dimmed == {"f8", " 办结"}


def test_calling_screen_snapshot(snap_compare, settings, store, clock):
    """A green ticket called with its reason, two more waiting, one parked-free window."""
    issue(store, clock, "A")
    clock.advance(minutes=3)
    issue(store, clock, "C", reason="pregnant")
    issue(store, clock, "B")
    clock.advance(minutes=12)
    app = make_app(settings, store, clock, cursor_blink=False, print_ticket=RecordingPrinter())

    async def called(pilot) -> None:
        await open_calling(pilot)
        await press(pilot, "f1")

    assert snap_compare(app, terminal_size=(80, 24), run_before=called)


async def test_transfer_to_a_line_no_window_serves_is_refused(app, store, clock):
    ticket = issue(store, clock, "A")
    with store.write() as session:  # nobody serves 跨域通办 today
        session.execute(delete(WindowLine).where(WindowLine.line_id == line("J")))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_calling(pilot)
        await press(pilot, "f1")  # the ticket is shown before the next key
        await press(pilot, "f9")
        await press(pilot, *["down"] * 7, "enter")  # B C D E F G H J: the eighth, J
        await press(pilot, *"跨域", "enter")
        assert "没有窗口办理“跨域通办”，不能转入" in shown(screen, "call-message")
        assert ticket.number in shown(screen, "current-number")  # still here, still called


def lunch_rota(store, on_duty: dict[str, list[int]]) -> None:
    """The county's weekday hours split by day, each with its own 午间不间断 rota."""
    from clerk.store.reference import OpeningHours

    with store.write() as session:
        weekday = session.get(OpeningHours, "demo-county:1")
        assert weekday.days == ["mon", "tue", "wed", "thu", "fri"] and weekday.lunch_windows
        for n, (days, windows) in enumerate(on_duty.items()):
            rule = weekday if n == 0 else OpeningHours(
                id=f"demo-county:rota{n}", centre_code="demo-county", opens=weekday.opens, closes=weekday.closes,
                lunch_from=weekday.lunch_from, lunch_to=weekday.lunch_to)
            rule.days, rule.lunch_windows = days.split(), windows
            session.add(rule)


async def test_the_window_shows_its_lunch_duty_day_by_day(app, store, clock):
    # Window 1 serves through lunch on Mondays, Wednesdays and Fridays, and closes for it on
    # Tuesdays and Thursdays, when windows 2 and 19 stay open.
    lunch_rota(store, {"mon wed fri": [1, 2, 19], "tue thu": [2, 19]})
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_calling(pilot)  # Monday 09:00
        assert shown(screen, "window-state") == "1号窗口 · 开放 · 今日午间值守 12:00–14:00"
        clock.advance(days=1)  # Tuesday: the next refresh reads the new day's rota
        screen.load()
        await settle(pilot)
        assert shown(screen, "window-state") == "1号窗口 · 开放 · 午休 12:00–14:00（2、19号窗口值守）"
        clock.advance(days=4)  # Saturday: the county opens two lines in the morning, no lunch
        screen.load()
        await settle(pilot)
        assert shown(screen, "window-state") == "1号窗口 · 开放"
