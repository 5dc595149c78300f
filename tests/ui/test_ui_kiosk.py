"""Pilot tests of the kiosk: issue and print, debounce, unknown appointment code, printer fallback."""

from __future__ import annotations

import pytest
from sqlmodel import select
from ui_helpers import plain, settle
from ui_queue import RecordingPrinter

from clerk.store.operations import Ticket
from screens.queue.kiosk import CodeScreen, ConfirmScreen, LinesScreen, TicketScreen, make_kiosk_app

pytestmark = pytest.mark.anyio


@pytest.fixture
def printer() -> RecordingPrinter:
    return RecordingPrinter()


@pytest.fixture
def kiosk(settings, store, clock, printer):
    # A long display time: the tests end the ticket screen themselves.
    return make_kiosk_app(settings, store, clock, print_ticket=printer, cursor_blink=False, show_seconds=60)


async def keys(pilot, *pressed: str) -> None:
    await pilot.press(*pressed)
    await settle(pilot)


def buttons(screen) -> str:
    return "\n".join(str(b.label) for b in screen.query("Button"))


def message(app) -> str:
    return plain(app.screen.query_one("#kiosk-message"))


async def test_issue_prints_and_shows_the_ticket(kiosk, printer):
    async with kiosk.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(kiosk.screen, LinesScreen)
        await keys(pilot, "1", "2")  # A 综合受理, 绿色通道 · 老年人
        assert isinstance(kiosk.screen, ConfirmScreen)
        await keys(pilot, "enter")  # the confirmation button has the focus
        assert isinstance(kiosk.screen, TicketScreen)
        assert [s.number for s in printer.slips] == ["A001"]
        assert printer.slips[0].priority_label == "绿色通道（老年人）"
        code = printer.slips[0].rate_code
        assert len(code) == 4 and code.isdigit()  # the 评价码, printed
        facts = plain(kiosk.screen.query_one("#ticket-facts"))
        assert "前面没有人等候" in facts and "绿色通道（老年人）" in facts
        assert code not in facts  # on the paper only: others may see the kiosk's screen
        assert message(kiosk) == "已打印，请取走小票"


async def test_fifty_presses_print_one_ticket(kiosk, printer):
    async with kiosk.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await keys(pilot, *["1"] * 50)  # line, normal, confirm, then ignored on the ticket screen
        await keys(pilot, *["enter"] * 10)
        assert isinstance(kiosk.screen, TicketScreen), (message(kiosk), printer.slips, kiosk.screen_stack)
        assert len(printer.slips) == 1
        kiosk.start_over()
        await settle(pilot)
        await keys(pilot, "1", "1", "1")  # the same line again at once: refused, nothing printed
        assert isinstance(kiosk.screen, ConfirmScreen)
        assert "刚刚已取过本业务的号（A001）" in message(kiosk)
        assert len(printer.slips) == 1


async def test_a_mistyped_appointment_code_is_told_at_once(kiosk, printer):
    async with kiosk.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await keys(pilot, "1", "6")  # A, 预约取号
        await keys(pilot, *"123456789", "enter")  # the old nine digits: not a code any more
        assert isinstance(kiosk.screen, CodeScreen)
        assert "预约码无效" in message(kiosk)
        assert printer.slips == []


async def test_offline_check_in_is_refused_with_what_to_do(kiosk, printer, store):
    """This kiosk has no central store: a well-formed code cannot be verified, nothing is issued."""
    async with kiosk.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await keys(pilot, "1", "6")
        await keys(pilot, *"abcde fghjk", "enter")  # lower case and a space: normalised
        assert isinstance(kiosk.screen, ConfirmScreen)
        await keys(pilot, "enter")
        assert "无法核验预约码" in message(kiosk) and "普通取号" in message(kiosk)
        assert printer.slips == []
    with store.session() as s:
        assert s.exec(select(Ticket)).first() is None


async def test_a_key_held_down_on_the_code_screen(kiosk, printer, store):
    """Forty repeats of one key: the field keeps what fits, the visitor is told the code is
    wrong, and the queue has no ticket it should not have."""
    async with kiosk.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await keys(pilot, "1", "6")
        await keys(pilot, *["7"] * 40)
        await keys(pilot, *["enter"] * 15)
        assert isinstance(kiosk.screen, CodeScreen)
        assert "预约码无效" in message(kiosk)
        await keys(pilot, *["a"] * 10, *["enter"] * 15)  # well formed ("AAAAAAAAAA"), held on 确认
        assert "无法核验预约码" in message(kiosk)
        assert printer.slips == []
    with store.session() as s:
        assert s.exec(select(Ticket)).first() is None


async def test_printer_fallback_tells_the_visitor_plainly(settings, store, clock, caplog):
    printer = RecordingPrinter(fail=True)
    app = make_kiosk_app(settings, store, clock, print_ticket=printer, cursor_blink=False, show_seconds=60)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await keys(pilot, "1", "1", "enter")
        assert isinstance(app.screen, TicketScreen)
        # The visitor reads what to do; the printer's trouble goes to the staff's log.
        assert message(app) == "暂时无法打印小票，请记下您的号码，到服务台领取"
        assert app.screen.query_one("#kiosk-message").has_class("spool")
        assert any("A001" in r.getMessage() and "缺纸" in r.getMessage() for r in caplog.records)
        # No slip in hand: the 评价码 is shown, or the visitor could not rate at the kiosk later.
        facts = plain(app.screen.query_one("#ticket-facts"))
        assert f"评价码：{printer.slips[0].rate_code}（评价服务时需要，请记下）" in facts


def test_kiosk_lines_snapshot(snap_compare, settings, store, clock):
    from ui_queue import issue

    for _ in range(3):
        issue(store, clock, "A")
    app = make_kiosk_app(settings, store, clock, print_ticket=RecordingPrinter(), cursor_blink=False)

    async def ready(pilot) -> None:
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=ready)


def test_kiosk_ticket_snapshot(snap_compare, settings, store, clock):
    app = make_kiosk_app(settings, store, clock, print_ticket=RecordingPrinter(), cursor_blink=False, show_seconds=60)

    async def printed(pilot) -> None:
        await settle(pilot)
        await keys(pilot, "1", "1", "enter")

    assert snap_compare(app, terminal_size=(80, 24), run_before=printed)


async def test_idle_counts_the_visitors_own_idleness(kiosk, printer, clock):
    """Issue 9 #1: the previous visitor's timers never reset the next visitor's choice."""
    from screens.queue.kiosk import CodeScreen, PriorityScreen

    async with kiosk.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await keys(pilot, "1", "1", "enter")  # one visitor takes a ticket
        assert isinstance(kiosk.screen, TicketScreen)
        await pilot.click("#ticket-done")
        await settle(pilot)
        assert isinstance(kiosk.screen, LinesScreen)
        clock.advance(seconds=45)
        await keys(pilot, "1", "6")  # the next visitor: line A, then 预约取号
        assert isinstance(kiosk.screen, CodeScreen)
        clock.advance(seconds=50)  # 95 s after the ticket, but they typed 50 s ago
        await keys(pilot, "1", "2")
        clock.advance(seconds=50)
        kiosk.check_idle()
        await settle(pilot)
        assert isinstance(kiosk.screen, CodeScreen), "reset while the visitor was typing"
        clock.advance(seconds=11)  # now a full minute without a key
        kiosk.check_idle()
        await settle(pilot)
        assert isinstance(kiosk.screen, LinesScreen)
        await keys(pilot, "3", "4")  # the rest of a code typed just as the screen changed
        assert isinstance(kiosk.screen, LinesScreen), "a key landed on a screen the visitor never saw"
        clock.advance(seconds=3)
        await keys(pilot, "1")
        assert isinstance(kiosk.screen, PriorityScreen)
        assert len(printer.slips) == 1


# --- opening hours (clerk.hours): the shipped demo county, explicit 2026 days ------------------


def _kiosk_at(settings, store, printer, at):
    from clerk.clock import FrozenClock

    return make_kiosk_app(settings, store, FrozenClock(at), print_ticket=printer, cursor_blink=False, show_seconds=60)


def _local(*args):
    from datetime import datetime

    from clerk.clock import LOCAL_TZ

    return datetime(*args, tzinfo=LOCAL_TZ)


async def test_kiosk_on_a_weekday_shows_the_hours_and_issues(settings, store, printer):
    kiosk = _kiosk_at(settings, store, printer, _local(2026, 3, 2, 12, 30))  # Monday lunch: 午间不间断
    async with kiosk.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        title = plain(kiosk.screen.query_one("#kiosk-title"))
        assert "今日办公时间 08:30–17:30" in title and "午间不间断" in title
        await keys(pilot, "1", "1", "enter")
        assert isinstance(kiosk.screen, TicketScreen) and [s.number for s in printer.slips] == ["A001"]


async def test_kiosk_refuses_after_closing_and_says_when_it_opens(settings, store, printer):
    kiosk = _kiosk_at(settings, store, printer, _local(2026, 3, 2, 18, 45))  # past 早晚弹性 too
    async with kiosk.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        await keys(pilot, "1")
        assert isinstance(kiosk.screen, LinesScreen)
        assert message(kiosk) == "今天的办公时间已结束（17:30）。下次开放：明天3月3日（星期二） 08:30"
        assert printer.slips == []


async def test_kiosk_on_a_saturday_issues_only_for_the_saturday_lines(settings, store, printer):
    kiosk = _kiosk_at(settings, store, printer, _local(2026, 3, 7, 10, 0))
    async with kiosk.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        assert "仅办理：社保医保、户籍" in plain(kiosk.screen.query_one("#kiosk-title"))
        await keys(pilot, "1")  # A 综合受理
        assert isinstance(kiosk.screen, LinesScreen)
        assert message(kiosk) == "“综合受理”今天不办理。下次开放：3月9日（星期一） 08:30"
        await keys(pilot, "3", "1", "enter")  # C 社保医保
        assert [s.number for s in printer.slips] == ["C001"]


async def test_kiosk_on_a_swapped_saturday_keeps_weekday_hours(settings, store, printer):
    kiosk = _kiosk_at(settings, store, printer, _local(2026, 10, 10, 15, 0))  # 调休上班
    async with kiosk.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        assert "今日办公时间 08:30–17:30" in plain(kiosk.screen.query_one("#kiosk-title"))
        await keys(pilot, "1", "1", "enter")
        assert [s.number for s in printer.slips] == ["A001"]


async def test_kiosk_refuses_on_a_holiday(settings, store, printer):
    kiosk = _kiosk_at(settings, store, printer, _local(2026, 10, 1, 10, 0))
    async with kiosk.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        assert "今日休息" in plain(kiosk.screen.query_one("#kiosk-title"))
        await keys(pilot, "3")
        assert message(kiosk) == "今天是国庆节假期，不办理业务。下次开放：10月8日（星期四） 08:30"
        assert printer.slips == []


async def test_a_hall_with_more_lines_than_keys_pages_them_and_every_line_can_be_taken(kiosk, store, printer):
    """Thirteen lines: nine a page and 0 turns the page; the thirteenth is taken by 0 then 4
    (before, an eleventh line had no button at all)."""
    from datetime import timedelta

    from clerk.store.reference import ServiceLine, WindowLine
    from screens.queue.kiosk import PriorityScreen

    with store.write() as s:
        for letter, name in (("L", "公积金提取"), ("M", "不动产抵押"), ("N", "税务发票")):
            s.add(ServiceLine(id=f"demo-county:{letter}", centre_code="demo-county", letter=letter, name=name))
            s.flush()
            s.add(WindowLine(window_id="demo-county:1", line_id=f"demo-county:{letter}"))
    async with kiosk.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        lines = kiosk.screen
        assert isinstance(lines, LinesScreen) and len(lines.lines) == 13
        shown = buttons(lines)
        assert "更多业务" in shown and "第 1/2 页" in shown and "N 税务发票" not in shown
        await keys(pilot, "0")
        shown = buttons(lines)
        assert "第 2/2 页" in shown and "N 税务发票" in shown and "A 综合受理" not in shown
        await keys(pilot, "4")
        assert isinstance(kiosk.screen, PriorityScreen) and kiosk.screen.line.letter == "N"
        await keys(pilot, "escape")
        assert "第 2/2 页" in buttons(lines)  # back where the visitor was
        kiosk.last_input -= timedelta(seconds=kiosk.idle_seconds + 1)  # then they walked away
        kiosk.check_idle()
        await settle(pilot)
        assert "第 1/2 页" in buttons(lines)  # the next visitor starts on page one
