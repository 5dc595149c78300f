"""Pilot tests of 一次一评 at the kiosk: the visitor types their ticket's number, touches a
grade (none suggested), a bad one with its reasons; the rating is the visit's, once."""

from __future__ import annotations

import pytest
from sqlmodel import select
from ui_helpers import plain, settle
from ui_queue import RecordingPrinter, issue

from clerk.ids import new_id
from clerk.outbox import Workbench
from clerk.store.ledger_tables import LedgerEntry, Rating
from screens.queue.kiosk import LinesScreen, make_kiosk_app
from screens.queue.kiosk_rating import RateGradeScreen, RateNumberScreen, RateReasonsScreen

pytestmark = pytest.mark.anyio


@pytest.fixture
def kiosk(settings, store, clock):
    return make_kiosk_app(settings, store, clock, print_ticket=RecordingPrinter(), cursor_blink=False, show_seconds=60)


def serve(store, clock, how_many: int) -> list[str]:
    """Tickets A001… served to the end by clerk01 at window 1."""
    bench = Workbench(store, clock)
    bench.apply("seat.take", {"id": new_id(), "staff_id": "clerk01", "window_id": "demo-county:1"}, "clerk01")
    served = []
    for _ in range(how_many):
        at_window = {"ticket_id": issue(store, clock, "A").ticket_id, "window_id": "demo-county:1"}
        for step in ("ticket.call", "ticket.start", "ticket.finish"):
            bench.apply(step, at_window, "clerk01")
        served.append(at_window["ticket_id"])
    return served


async def keys(pilot, *pressed: str) -> None:
    await pilot.press(*pressed)
    await settle(pilot)


def message(app) -> str:
    return plain(app.screen.query_one("#kiosk-message"))


async def to_number(kiosk, pilot, typed: str) -> None:
    """From the first screen: 评价服务 (the button after the lines), then the number."""
    if not isinstance(kiosk.screen, LinesScreen):
        kiosk.start_over()
        await settle(pilot)
    rate = [b for b in kiosk.screen.query("Button") if b.name == "rate"]
    assert len(rate) == 1, "评价服务 is on the first screen"
    await keys(pilot, "asterisk")  # the keypad's *; a touch on the button does the same
    assert isinstance(kiosk.screen, RateNumberScreen)
    kiosk.screen.query_one("#kiosk-code").value = typed
    await keys(pilot, "enter")


async def test_a_visitor_rates_their_visit_once_by_the_number_on_their_ticket(kiosk, store, clock):
    first, second = serve(store, clock, 2)
    waiting = issue(store, clock, "A")
    async with kiosk.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await to_number(kiosk, pilot, "Z999")
        assert "今天没有 Z999 号" in message(kiosk)
        await to_number(kiosk, pilot, waiting.number)
        assert "还没有办结" in message(kiosk)

        await to_number(kiosk, pilot, "a 1")  # A001, typed loosely
        assert isinstance(kiosk.screen, RateGradeScreen) and kiosk.screen.focused is None  # no grade suggested
        await keys(pilot, "enter")  # a reflex Enter rates nothing
        assert isinstance(kiosk.screen, RateGradeScreen)
        await keys(pilot, "2")  # 满意
        assert isinstance(kiosk.screen, LinesScreen) and "谢谢您的评价" in message(kiosk)
        await to_number(kiosk, pilot, "A001")
        assert "已经评价过了" in message(kiosk)

        await to_number(kiosk, pilot, "A002")
        await keys(pilot, "5")  # 非常不满意
        assert isinstance(kiosk.screen, RateReasonsScreen)
        submit = [b for b in kiosk.screen.query("Button") if b.name == "ok"][0]
        submit.press()
        await settle(pilot)
        assert "请至少选择一项原因" in message(kiosk)
        await keys(pilot, "1")  # the first reason ticked
        submit.press()
        await settle(pilot)
        assert isinstance(kiosk.screen, LinesScreen)
    with store.session() as s:
        ratings = {r.ticket_id: r for r in s.exec(select(Rating))}
        rect = s.exec(select(LedgerEntry).where(LedgerEntry.kind == "rectification")).one()
    assert set(ratings) == {first, second}
    assert (ratings[first].grade, ratings[first].source, ratings[first].recorded_by) == (4, "kiosk", None)
    assert ratings[second].grade == 1 and ratings[second].reasons and ratings[second].rated_staff_id == "clerk01"
    assert rect.rating_id == ratings[second].id and rect.owner_id == "clerk01"
