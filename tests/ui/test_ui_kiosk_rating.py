"""Pilot tests of 一次一评 at the kiosk: the visitor types their ticket's number and its 评价码,
touches a grade (none suggested), a bad one with its reasons; the rating is the visit's, once.
Someone who only heard the number cannot rate: wrong codes are refused, five lock the number."""

from __future__ import annotations

import pytest
from sqlmodel import select
from ui_helpers import plain, settle
from ui_queue import RecordingPrinter, issue

from clerk.ids import new_id
from clerk.outbox import Workbench
from clerk.store.ledger_tables import LedgerEntry, Rating
from clerk.store.operations import Ticket
from screens.queue.kiosk import LinesScreen, make_kiosk_app
from screens.queue.kiosk_rating import (
    RateCodeScreen,
    RateGradeScreen,
    RateNumberScreen,
    RateReasonsScreen,
)

pytestmark = pytest.mark.anyio


@pytest.fixture
def kiosk(settings, store, clock):
    return make_kiosk_app(settings, store, clock, print_ticket=RecordingPrinter(), cursor_blink=False, show_seconds=60)


def serve(store, clock, how_many: int, *, codes: bool = True) -> list[str]:
    """Tickets A001… served to the end by clerk01 at window 1 (without ``codes``: issued as
    before the 评价码 existed)."""
    bench = Workbench(store, clock)
    bench.apply("seat.take", {"id": new_id(), "staff_id": "clerk01", "window_id": "demo-county:1"}, "clerk01")
    served = []
    for _ in range(how_many):
        ticket_id = issue(store, clock, "A").ticket_id if codes else _issued_without_code(bench)
        at_window = {"ticket_id": ticket_id, "window_id": "demo-county:1"}
        for step in ("ticket.call", "ticket.start", "ticket.finish"):
            bench.apply(step, at_window, "clerk01")
        served.append(at_window["ticket_id"])
    return served


def _issued_without_code(bench) -> str:
    ticket_id = new_id()
    bench.apply("ticket.issue", {"id": ticket_id, "line_id": "demo-county:A"})
    return ticket_id


def code_of(store, ticket_id: str) -> str:
    with store.session() as s:
        return s.get(Ticket, ticket_id).rate_code


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


async def to_grades(kiosk, pilot, typed: str, code: str) -> None:
    """The number, then the slip's 评价码 on the next screen."""
    await to_number(kiosk, pilot, typed)
    assert isinstance(kiosk.screen, RateCodeScreen), message(kiosk)
    kiosk.screen.query_one("#kiosk-code").value = code
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

        await to_grades(kiosk, pilot, "a 1", code_of(store, first))  # A001, typed loosely
        assert isinstance(kiosk.screen, RateGradeScreen) and kiosk.screen.focused is None  # no grade suggested
        await keys(pilot, "enter")  # a reflex Enter rates nothing
        assert isinstance(kiosk.screen, RateGradeScreen)
        await keys(pilot, "2")  # 满意
        assert isinstance(kiosk.screen, LinesScreen) and "谢谢您的评价" in message(kiosk)
        await to_number(kiosk, pilot, "A001")
        assert "已经评价过了" in message(kiosk)

        await to_grades(kiosk, pilot, "A002", code_of(store, second))
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


async def test_the_number_alone_does_not_rate_and_five_wrong_codes_lock_it_for_the_day(kiosk, store, clock):
    [served] = serve(store, clock, 1)
    right = code_of(store, served)
    wrong = f"{(int(right) + 1) % 10000:04d}"
    async with kiosk.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await to_number(kiosk, pilot, "A001")
        assert isinstance(kiosk.screen, RateCodeScreen) and kiosk.screen.query_one("#kiosk-code").password
        assert right not in plain(kiosk.screen.query_one("#kiosk-title")) + message(kiosk)
        for left in (4, 3, 2, 1):
            kiosk.screen.query_one("#kiosk-code").value = wrong
            await keys(pilot, "enter")
            assert isinstance(kiosk.screen, RateCodeScreen)
            assert message(kiosk) == f"评价码不正确，请核对号票上的评价码（还可再试 {left} 次）"
        kiosk.screen.query_one("#kiosk-code").value = wrong
        await keys(pilot, "enter")
        assert isinstance(kiosk.screen, LinesScreen)
        assert "A001 号的评价码已输错 5 次，今天不能在自助机评价" in message(kiosk)
        await to_number(kiosk, pilot, "A001")  # the right code is not even asked now
        assert isinstance(kiosk.screen, RateNumberScreen) and "今天不能在自助机评价" in message(kiosk)
    with store.session() as s:
        assert s.exec(select(Rating)).first() is None
        assert s.get(Ticket, served).rate_code_misses == 5


async def test_a_ticket_issued_before_the_code_is_rated_by_its_number(kiosk, store, clock):
    """Its slip has no code to type: the kiosk goes from the number to the grades, as before."""
    [served] = serve(store, clock, 1, codes=False)
    async with kiosk.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await to_number(kiosk, pilot, "A001")
        assert isinstance(kiosk.screen, RateGradeScreen)
        await keys(pilot, "1")
        assert "谢谢您的评价" in message(kiosk)
    with store.session() as s:
        assert s.exec(select(Rating.ticket_id)).all() == [served]


def test_kiosk_rate_code_snapshot(snap_compare, settings, store, clock):
    """The code screen after a wrong try: the typed code hidden, the tries left said."""
    serve(store, clock, 1)
    app = make_kiosk_app(settings, store, clock, print_ticket=RecordingPrinter(), cursor_blink=False)

    async def wrong_once(pilot) -> None:
        await settle(pilot)
        await to_number(app, pilot, "A001")
        right = code_of(store, app.screen.visit.ticket_id)
        app.screen.query_one("#kiosk-code").value = f"{(int(right) + 1) % 10000:04d}"
        await keys(pilot, "enter")  # refused; the next try is typed (and shown hidden)
        await pilot.press(*"12")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=wrong_once)
