"""预约签到 at the kiosk against a real central store on 127.0.0.1 (its clock held at a Monday
10:15, inside the booked 10:00 slot): a wrong code is refused in Chinese and nothing prints;
a booked code, typed in lower case with a space on another line's button, issues the
booking's own ticket; the next booked visitor, seconds later on the same button, gets theirs;
the first code a second time is refused, and the store has one ticket per booking."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select
from ui_helpers import MONDAY_9AM, plain, settle
from ui_queue import RecordingPrinter

from clerk.booking import book
from clerk.booking.codes import UNKNOWN_CODE, display
from clerk.central import state
from clerk.central.devices import make_enrol_code
from clerk.central.reference import publish_fixtures
from clerk.clock import FrozenClock
from clerk.config import Settings, StoreSettings, SyncSettings
from clerk.fixtures import load_fixtures
from clerk.store.booking_tables import Booking
from clerk.store.engine import Store
from clerk.store.operations import Ticket
from clerk.sync.client import CentralClient
from clerk.sync.enrol import enrol
from screens.queue.kiosk import CodeScreen, ConfirmScreen, LinesScreen, TicketScreen, make_kiosk_app

sys.path.insert(0, str(Path(__file__).parents[1] / "sync"))

pytestmark = pytest.mark.anyio
NOW = MONDAY_9AM + timedelta(hours=1, minutes=15)
SLOT = MONDAY_9AM + timedelta(hours=1)  # 10:00–10:30, line A 综合受理
QUIET = SyncSettings(poll_s=60, interval_s=600, max_backoff_s=600, timeout_s=5)


@pytest.fixture
def booked(tmp_path):
    """The central store with two bookings of line A at 10:00 (made by phone the week before),
    served by uvicorn on 127.0.0.1 with its clock at ``NOW``; yields the store, URL and codes."""
    from harness import ServerProcess

    path = tmp_path / "central.sqlite3"
    central = Store.sqlite(path)
    state.prepare(central)
    publish_fixtures(central, load_fixtures(Settings().fixtures_path()))
    with central.write() as session:
        made = [book.book(session, "demo-county", "demo-county:A", SLOT, NOW - timedelta(days=7), channel="phone",
                          name=name, phone="13800138000").code for name in ("李四", "王五")]
    server = ServerProcess(f"sqlite:///{path}", env={"CLERK_TEST_NOW": NOW.isoformat()}).start()
    try:
        yield central, server.base_url, [display(code) for code in made]
    finally:
        server.stop()
        central.dispose()


@pytest.fixture
def printer() -> RecordingPrinter:
    return RecordingPrinter()


@pytest.fixture
def kiosk(tmp_path, store, booked, printer):
    central, url, _codes = booked
    clock = FrozenClock(NOW)
    client = CentralClient(url)
    enrol(store, client, make_enrol_code(central, clock, "demo-county"), "大厅取号机")
    client.close()
    settings = Settings(store=StoreSettings(path=str(tmp_path / "counter.sqlite3")), sync=QUIET)
    return make_kiosk_app(settings, store, clock, print_ticket=printer, cursor_blink=False, show_seconds=60)


async def keys(pilot, *pressed: str) -> None:
    await pilot.press(*pressed)
    await settle(pilot)


def message(app) -> str:
    return plain(app.screen.query_one("#kiosk-message"))


async def check_in(kiosk, pilot, typed: str) -> None:
    """A visitor at the welcome screen: line B (not the booked one), 预约取号, the code, 确认."""
    assert isinstance(kiosk.screen, LinesScreen)
    await keys(pilot, "2", "6")
    assert isinstance(kiosk.screen, CodeScreen)
    await keys(pilot, *typed, "enter")
    assert isinstance(kiosk.screen, ConfirmScreen), message(kiosk)
    await keys(pilot, "enter")


def central_rows(central: Store):
    with central.session() as s:
        bookings = s.exec(select(Booking.status, Booking.ticket_id).order_by(Booking.booker_name)).all()
        return bookings, s.exec(select(Ticket.id, Ticket.number).order_by(Ticket.number)).all()


async def test_the_kiosk_checks_bookings_in_once_against_the_central_store(kiosk, booked, printer, store):
    central, _url, (code, other) = booked  # 李四's and 王五's
    wrong = next(c for c in ("ABCDE-FGHJK", "KJHGF-EDCBA") if c not in (code, other))  # only the store can tell
    async with kiosk.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await check_in(kiosk, pilot, wrong)
        assert isinstance(kiosk.screen, ConfirmScreen) and message(kiosk) == UNKNOWN_CODE
        assert printer.slips == [] and central_rows(central) == ([("booked", None)] * 2, [])

        kiosk.start_over()  # the next visitor
        await settle(pilot)
        await check_in(kiosk, pilot, code.lower().replace("-", " "))
        assert isinstance(kiosk.screen, TicketScreen), message(kiosk)
        [slip] = printer.slips
        assert slip.number.startswith("A") and slip.priority_label == "预约"  # the booking's line, not B
        bookings, tickets = central_rows(central)
        assert bookings == [("checked_in", slip.ticket_id), ("booked", None)]
        assert tickets == [(slip.ticket_id, slip.number)]
        with store.session() as s:  # the kiosk keeps the central store's ticket
            assert s.get(Ticket, slip.ticket_id).priority == "appointment"

        await pilot.click("#ticket-done")
        await settle(pilot)
        kiosk.clock.advance(seconds=5)  # 王五 was behind 李四, and presses the same buttons
        await check_in(kiosk, pilot, other)
        assert isinstance(kiosk.screen, TicketScreen), message(kiosk)
        assert [s.priority_label for s in printer.slips] == ["预约", "预约"]

        await pilot.click("#ticket-done")
        await settle(pilot)
        kiosk.clock.advance(seconds=60)
        await check_in(kiosk, pilot, code)  # 李四's code again: someone who saw the slip
        assert isinstance(kiosk.screen, ConfirmScreen)
        assert message(kiosk) == "该预约码已签到取号，不能重复使用；如未拿到号票请到服务台"
        assert len(printer.slips) == 2
        bookings, tickets = central_rows(central)
        assert [status for status, _ in bookings] == ["checked_in"] * 2 and len(tickets) == 2
