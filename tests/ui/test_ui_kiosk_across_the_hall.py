"""一次一评 across the hall, through a real `clerk serve`: a visitor registered at counter X
(walk-in; the slip with its 评价码 printed there) is served to the end by clerk01; at the
kiosk — another device with its own store — they type the number and the code and rate
不满意 with a reason; after sync, counter X has the rating and the rectification, owned by
clerk01, who served them. Someone who typed only the number got nowhere before that."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from sqlmodel import select
from ui_helpers import plain, settle, sit_down, until
from ui_queue import RecordingPrinter

from clerk.central import state
from clerk.central.devices import make_enrol_code
from clerk.central.reference import publish_fixtures
from clerk.clock import SystemClock
from clerk.config import Settings, StoreSettings, SyncSettings
from clerk.fixtures import load_fixtures
from clerk.store.engine import Store
from clerk.store.ledger_tables import LedgerEntry, Rating
from clerk.store.operations import Ticket
from clerk.sync.client import CentralClient
from clerk.sync.enrol import enrol
from screens.app import make_app
from screens.queue.calling import CallingScreen
from screens.queue.kiosk import LinesScreen, make_kiosk_app
from screens.queue.kiosk_rating import RateCodeScreen, RateGradeScreen, RateReasonsScreen

sys.path.insert(0, str(Path(__file__).parents[1] / "sync"))

pytestmark = pytest.mark.anyio
# Rounds an hour apart: what crosses the hall here crosses by the /wait listener.
LISTENING = SyncSettings(poll_s=0.1, interval_s=3600, max_backoff_s=0.5, timeout_s=5, listen_s=20)


@pytest.fixture
def serve(tmp_path):
    """The real `clerk serve` (one worker) on a central SQLite store with the shipped fixtures."""
    from harness import ServerProcess

    path = tmp_path / "central.sqlite3"
    store = Store.sqlite(path)
    state.prepare(store)
    publish_fixtures(store, load_fixtures(Settings().fixtures_path()))
    server = ServerProcess(f"sqlite:///{path}", cli_workers=1).start()
    try:
        yield store, server.base_url
    finally:
        server.stop()
        store.dispose()


def _device(root: Path, template: Path, central: Store, url: str, name: str) -> tuple[Store, Settings]:
    root.mkdir()
    shutil.copy(template, root / "store.sqlite3")
    store = Store.sqlite(root / "store.sqlite3")
    client = CentralClient(url)
    enrol(store, client, make_enrol_code(central, SystemClock(), "demo-county"), name)
    client.close()
    return store, Settings(store=StoreSettings(path=str(root / "store.sqlite3")), sync=LISTENING)



async def _press(pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


def _ticket(store: Store, ticket_id: str) -> Ticket | None:
    with store.session() as s:
        return s.get(Ticket, ticket_id)


async def _serve_walk_in(pilot, printer: RecordingPrinter) -> str:
    """At window 1: F12 registers a walk-in of line A (slip printed), F1 calls it, F7, F8."""
    await sit_down(pilot, "clerk01")
    await _press(pilot, "f3")
    assert isinstance(pilot.app.screen, CallingScreen)
    await _press(pilot, "f12")
    await _press(pilot, "enter")  # line A
    await _press(pilot, "enter")  # an ordinary visitor
    assert await until(pilot, lambda: len(printer.slips) == 1)
    await _press(pilot, "f1")
    assert await until(pilot, lambda: printer.slips[0].number in plain(pilot.app.screen.query_one("#current-number")))
    await _press(pilot, "f7")
    await _press(pilot, "f8")
    return printer.slips[0].ticket_id


async def _to_code(kiosk, pilot, number: str) -> None:
    kiosk.start_over()
    await settle(pilot)
    await _press(pilot, "asterisk")
    kiosk.screen.query_one("#kiosk-code").value = number
    await _press(pilot, "enter")


async def test_a_kiosk_rating_of_a_visit_reaches_the_counter_that_served_it(tmp_path, template_db, serve):
    central, url = serve
    counter_store, counter_settings = _device(tmp_path / "x", template_db, central, url, "window-1")
    kiosk_store, kiosk_settings = _device(tmp_path / "kiosk", template_db, central, url, "kiosk-1")
    printer = RecordingPrinter()
    counter = make_app(counter_settings, counter_store, SystemClock(), cursor_blink=False, print_ticket=printer)
    kiosk = make_kiosk_app(kiosk_settings, kiosk_store, SystemClock(), cursor_blink=False, show_seconds=60)
    try:
        async with counter.run_test(size=(120, 36)) as p1, kiosk.run_test(size=(80, 24)) as p2:
            ticket_id = await _serve_walk_in(p1, printer)
            slip = printer.slips[0]
            assert len(slip.rate_code) == 4  # the central store numbered it and made its code
            assert await until(p2, lambda: getattr(_ticket(kiosk_store, ticket_id), "status", "") == "finished")
            assert _ticket(kiosk_store, ticket_id).rate_code == slip.rate_code  # the kiosk can check it

            # Someone who heard the number called: a wrong code gets them nothing.
            await _to_code(kiosk, p2, slip.number)
            assert isinstance(kiosk.screen, RateCodeScreen)
            kiosk.screen.query_one("#kiosk-code").value = f"{(int(slip.rate_code) + 1) % 10000:04d}"
            await _press(p2, "enter")
            assert "评价码不正确" in plain(kiosk.screen.query_one("#kiosk-message"))

            # The visitor, with the slip: the number, the code, 不满意 and a reason.
            await _to_code(kiosk, p2, slip.number)
            kiosk.screen.query_one("#kiosk-code").value = slip.rate_code
            await _press(p2, "enter")
            assert isinstance(kiosk.screen, RateGradeScreen)
            await _press(p2, "4")  # 不满意
            assert isinstance(kiosk.screen, RateReasonsScreen)
            await _press(p2, "1")
            [submit] = [b for b in kiosk.screen.query("Button") if b.name == "ok"]
            submit.press()
            await settle(p2)
            assert isinstance(kiosk.screen, LinesScreen)
            assert "谢谢您的评价" in plain(kiosk.screen.query_one("#kiosk-message"))

            def rectified_at_counter() -> bool:
                with counter_store.session() as s:
                    return s.exec(select(LedgerEntry).where(LedgerEntry.ticket_id == ticket_id)).first() is not None

            assert await until(p1, rectified_at_counter)
        with counter_store.session() as s:
            rating = s.exec(select(Rating).where(Rating.ticket_id == ticket_id)).one()
            rect = s.exec(select(LedgerEntry).where(LedgerEntry.rating_id == rating.id)).one()
            misses = s.get(Ticket, ticket_id).rate_code_misses
        assert (rating.grade, rating.source, rating.rated_staff_id, rating.recorded_by) == (2, "kiosk", "clerk01", None)
        assert (rect.kind, rect.owner_id, rect.channel) == ("rectification", "clerk01", "kiosk")
        assert misses == 1  # the wrong try reached the counter too: every kiosk of the hall counts it
        with central.session() as s:
            assert s.exec(select(Rating).where(Rating.ticket_id == ticket_id)).one().id == rating.id
    finally:
        counter_store.dispose()
        kiosk_store.dispose()
