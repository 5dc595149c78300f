"""预约登记 at the counter against a real central store on 127.0.0.1: the clerk books the
last places of a slot for a caller, the code is shown once and checks in at the kiosk's
endpoint; a full slot is not offered; a counter with no central store cannot book. A
visitor at the counter gets a 预约凭条 from the ticket printer (a file device here, through
the CLI's real printer adapter); a printer that fails leaves the booking and the code."""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from textual.widgets import Input
from ui_helpers import plain, settle, sit_down

from clerk.booking import slots as slot_rules
from clerk.booking.counter import contact_phone
from clerk.booking.slip import BookingSlip
from clerk.central.devices import make_enrol_code
from clerk.clock import SystemClock, local_time
from clerk.config import PrintingSettings, Settings, StoreSettings, SyncSettings
from clerk.errors import UserFacingError
from clerk.store.booking_tables import Booking
from clerk.store.engine import Store
from clerk.sync import meta
from clerk.sync.client import CentralClient
from clerk.sync.enrol import enrol
from cli.main import booking_slip_data, booking_slip_printer
from printing.booking_slip import render_booking_slip
from printing.fonts import find_cjk_font
from screens.app import make_app
from screens.queue.booking import BookingScreen
from screens.start.home import HomeScreen

sys.path.insert(0, str(Path(__file__).parents[1] / "sync"))
sys.path.insert(0, str(Path(__file__).parents[1] / "printing"))
from printing_escpos_stream import parse  # noqa: E402 - the printing tests' ESC/POS reader

pytestmark = pytest.mark.anyio
QUIET = SyncSettings(poll_s=60, interval_s=600, max_backoff_s=600, timeout_s=5)




class SlipsSent:
    """The CLI's real slip printer, keeping each slip it was given (to redraw what it printed)."""

    def __init__(self, settings: Settings) -> None:
        self.real = booking_slip_printer(settings)
        self.slips: list[BookingSlip] = []

    def __call__(self, slip: BookingSlip):
        self.slips.append(slip)
        return self.real(slip)


def counter_app(tmp_path, store, central, ticket_printer: str = ""):
    central_store, url = central
    client = CentralClient(url)
    enrol(store, client, make_enrol_code(central_store, SystemClock(), "demo-county"))
    client.close()
    settings = Settings(store=StoreSettings(path=str(tmp_path / "counter.sqlite3")), sync=QUIET,
                        printing=PrintingSettings(ticket_printer=ticket_printer, spool_dir=str(tmp_path / "spool")))
    slips = SlipsSent(settings)
    app = make_app(settings, store, SystemClock(), cursor_blink=False,  # the server's clock: real time
                   print_booking_slip=slips)
    return app, slips


@pytest.fixture
def booking_app(tmp_path, store, central):
    return counter_app(tmp_path, store, central)[0]


def next_working_day(central_store: Store):
    """The first working day after today on the centre's calendar (slots are planned on those)."""
    with central_store.session() as session:
        cal = slot_rules.calendar(session)
    day = local_time(SystemClock().now()).date() + timedelta(days=1)
    while not cal.is_working_day(day).working:
        day += timedelta(days=1)
    return day


async def pick(pilot, predicate) -> None:
    """In the open Choose dialog, the first choice whose value passes ``predicate``, then Enter."""
    dialog = pilot.app.screen
    index = next(i for i, c in enumerate(dialog.choices) if predicate(c.value))
    dialog.query_one("OptionList").highlighted = index
    await pilot.press("enter")
    await settle(pilot)


async def type_in(pilot, text: str) -> None:
    pilot.app.screen.query_one(Input).value = text
    await pilot.press("enter")
    await settle(pilot)


def booking_screen(pilot) -> BookingScreen:
    return next(s for s in pilot.app.screen_stack if isinstance(s, BookingScreen))


async def book(pilot, day, name: str, phone: str, channel: str = "phone", key: str = "f12") -> BookingScreen:
    await pilot.press(key)
    await settle(pilot)
    screen = booking_screen(pilot)
    await pick(pilot, lambda line: line.letter == "A")
    await pick(pilot, lambda d: d == day)
    await pick(pilot, lambda slot: local_time(slot.start).hour == 9 and local_time(slot.start).minute == 0)
    await type_in(pilot, name)
    await type_in(pilot, phone)
    await pick(pilot, lambda c: c == channel)
    return screen


async def test_the_clerk_books_a_caller_and_the_code_checks_in(booking_app, central):
    central_store, url = central
    day = next_working_day(central_store)
    async with booking_app.run_test(size=(100, 30)) as pilot:
        await sit_down(pilot)
        assert isinstance(pilot.app.screen, HomeScreen)
        screen = await book(pilot, day, "李四", "0571-88886666")
        assert isinstance(pilot.app.screen, BookingScreen), plain(screen.query_one("#booking-message"))
        assert screen.booked is not None, plain(screen.query_one("#booking-message"))
        code = screen.booked.code
        assert code in plain(screen.query_one("#booking-code"))
        assert f"{day.month}月{day.day}日 09:00–09:30" in plain(screen.query_one("#booking-what"))
        # Two more: the 09:00 slot (3 places) is then full and no longer offered.
        for name in ("王五", "赵六"):
            await book(pilot, day, name, "13800138000", "counter", key="n")
            assert screen.booked.code != code
        await pilot.press("n")
        await settle(pilot)
        await pick(pilot, lambda line: line.letter == "A")
        await pick(pilot, lambda d: d == day)
        offered = [local_time(c.value.start).strftime("%H:%M") for c in pilot.app.screen.choices]
        assert "09:00" not in offered and "09:30" in offered, offered

    with central_store.session() as session:
        rows = session.execute(select(Booking.booker_name, Booking.booker_phone, Booking.channel)
                               .order_by(Booking.created_at)).all()
    assert [tuple(r) for r in rows] == [("李四", "0571-88886666", "phone"), ("王五", "13800138000", "counter"),
                                        ("赵六", "13800138000", "counter")]
    with booking_app.store.session() as session:
        credential = meta.credential(session)
    # The code shown is the one the kiosk checks in with: known to the store, for its own day.
    answer = httpx.post(f"{url}/api/v1/bookings/check-in", json={"code": code.lower(), "ticket_id": "t-1"},
                        headers={"Authorization": f"Bearer {credential}"})
    assert (answer.status_code, answer.json()["detail"]) == (409, "not_today"), answer.text
    assert f"{day.month}月{day.day}日" in answer.json()["message"], answer.text


async def wait_for_slip(pilot, screen: BookingScreen) -> None:
    for _ in range(50):
        if screen.printed is not None:
            return
        await settle(pilot)
    raise AssertionError(plain(screen.query_one("#booking-message")))


async def test_a_visitor_at_the_counter_leaves_with_the_code_on_a_slip(tmp_path, store, central):
    device = tmp_path / "lp0"
    app, slips = counter_app(tmp_path, store, central, f"file:{device}")
    day = next_working_day(central[0])
    async with app.run_test(size=(100, 30)) as pilot:
        await sit_down(pilot)
        screen = await book(pilot, day, "王五", "13800138000", "counter")
        await wait_for_slip(pilot, screen)
        message = plain(screen.query_one("#booking-message"))
        assert screen.printed.sent_to == "printer" and "已打印预约凭条" in message, message
        code = screen.booked.code
        assert code in plain(screen.query_one("#booking-code"))

    # What reached the device: ESC/POS init, raster lines, feed and cut; no text to turn into "?".
    stream = parse(device.read_bytes())
    assert stream.commands[0] == "init" and stream.commands[-2:] == ["feed 6", "cut"]
    assert set(stream.commands[1:-2]) == {"raster"}
    [slip] = slips.slips
    assert (slip.code, slip.line_name, slip.centre_name) == (code, screen.booked.line_name, "示范县政务服务中心")
    assert f"{day.month}月{day.day}日 09:00–09:30" in slip.when_text()
    assert "0000-12345678" in slip.cancel_text() and "爽约" in slip.cancel_text()
    # The picture printed is the slip with this code: drawn again with another code it differs.
    printed = stream.image().convert("L")
    font = find_cjk_font()
    data = booking_slip_data(slip)
    assert printed.tobytes() == render_booking_slip(data, font).convert("L").tobytes()
    other = render_booking_slip(replace(data, code="ABCDE-FGHJK" if code != "ABCDE-FGHJK" else "KJHGF-EDCBA"), font)
    assert printed.tobytes() != other.convert("L").tobytes()


async def test_a_printer_that_fails_keeps_the_booking_and_the_code_on_screen(tmp_path, store, central):
    device = tmp_path / "printer-off" / "lp0"  # its folder does not exist: the device cannot open
    app, slips = counter_app(tmp_path, store, central, f"file:{device}")
    day = next_working_day(central[0])
    async with app.run_test(size=(100, 30)) as pilot:
        await sit_down(pilot)
        screen = await book(pilot, day, "赵六", "不留电话", "counter")
        await wait_for_slip(pilot, screen)
        message = plain(screen.query_one("#booking-message"))
        assert screen.printed.sent_to == "none", message
        assert "预约已成功" in message and "预约凭条未打印" in message and "小票打印机未连接" in message, message
        assert "抄给预约人" in message and "按 P 重打" in message, message
        code = screen.booked.code
        assert code in plain(screen.query_one("#booking-code"))
        assert not list((tmp_path / "spool").rglob("*.pdf")), "the code in clear is never kept on the counter"
        # The printer is back: P prints the same code.
        device.parent.mkdir()
        screen.printed = None
        await pilot.press("p")
        await wait_for_slip(pilot, screen)
        assert screen.printed.sent_to == "printer", plain(screen.query_one("#booking-message"))
        assert [s.code for s in slips.slips] == [code, code]
        assert parse(device.read_bytes()).commands[-1] == "cut"
    with central[0].session() as session:
        rows = session.execute(select(Booking.booker_name, Booking.status)).all()
    assert [tuple(r) for r in rows] == [("赵六", "booked")]


async def test_a_caller_on_the_phone_hears_the_code_and_nothing_prints(tmp_path, store, central):
    device = tmp_path / "lp0"
    app, slips = counter_app(tmp_path, store, central, f"file:{device}")
    day = next_working_day(central[0])
    async with app.run_test(size=(100, 30)) as pilot:
        await sit_down(pilot)
        screen = await book(pilot, day, "李四", "0571-88886666", "phone")
        message = plain(screen.query_one("#booking-message"))
        assert screen.booked is not None and "读出签到码" in message, message
        assert "p" not in {k for k, b in pilot.app.screen.active_bindings.items() if b.enabled}
    assert slips.slips == [] and not device.exists()


async def test_a_counter_without_a_central_store_offers_no_booking(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await sit_down(pilot)
        assert "f12" not in {k for k, b in pilot.app.screen.active_bindings.items() if b.enabled}


@pytest.mark.parametrize(("typed", "kept"), [("138 0013 8000", "13800138000"), ("0571-88886666", "0571-88886666"),
                                             ("", "")])
def test_a_callback_number_is_a_mobile_or_a_landline_with_its_area_code(typed, kept):
    assert contact_phone(typed) == kept


@pytest.mark.parametrize("typed", ["12345", "88886666", "1380013800a"])
def test_a_number_nobody_can_call_back_is_refused_in_chinese(typed):
    with pytest.raises(UserFacingError, match="无法识别"):
        contact_phone(typed)
