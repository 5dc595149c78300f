"""Pilot tests of the live floor: a supervisor lands on it, frees a stuck window and
reassigns the ticket left there; every action recorded in the supervisor's name."""

from __future__ import annotations

import pytest
from sqlmodel import select
from ui_helpers import plain, settle, sign_in
from ui_queue import issue

from clerk.ids import new_id
from clerk.outbox import Workbench
from clerk.store.local import Outbox
from clerk.store.operations import SeatSession, Ticket
from clerk.store.queue_tables import TicketEvent
from clerk.store.reference import Staff
from screens.dialogs.ask import AskText, Choose
from screens.supervisor.floor import FloorScreen

pytestmark = pytest.mark.anyio
W1, W2 = "demo-county:1", "demo-county:2"


def staff_id(store, username: str) -> str:
    with store.session() as s:
        return s.exec(select(Staff.id).where(Staff.username == username)).one()


def seat_and_call(store, clock) -> str:
    """clerk01 at window 1 calls a ticket and walks off; clerk02 sits at window 2."""
    bench = Workbench(store, clock)
    one, two = staff_id(store, "clerk01"), staff_id(store, "clerk02")
    bench.apply("seat.take", {"id": new_id(), "staff_id": one, "window_id": W1}, one)
    bench.apply("seat.take", {"id": new_id(), "staff_id": two, "window_id": W2}, two)
    ticket = issue(store, clock, "A").ticket_id
    bench.apply("ticket.call", {"ticket_id": ticket, "window_id": W1}, one)
    return ticket


async def test_supervisor_lands_on_the_floor_frees_a_stuck_window_and_reassigns_its_ticket(app, store, clock):
    ticket = seat_and_call(store, clock)
    boss = staff_id(store, "super01")
    async with app.run_test(size=(100, 40)) as pilot:
        await sign_in(pilot, "super01")
        screen = app.screen
        assert isinstance(screen, FloorScreen)
        table = screen.query_one("#floor-windows")
        first = [str(c) for c in table.get_row_at(0)]
        assert first[:3] == ["1号", "王晓丽", "已叫号"]
        assert "A 综合受理：0人" in plain(screen.query_one("#floor-lines"))
        await pilot.press("f2")  # free window 1
        await settle(pilot)
        assert isinstance(app.screen, AskText)
        await pilot.press(*"工作人员临时离岗", "enter")
        await settle(pilot)
        assert "1号窗口已释放" in plain(screen.query_one("#floor-message"))
        assert [str(c) for c in table.get_row_at(0)][1] == "—"
        await pilot.press("f8")  # reassign its ticket
        await settle(pilot)
        assert isinstance(app.screen, Choose)
        await pilot.press("enter")  # the first other staffed window: window 2
        await settle(pilot)
        await pilot.press(*"原窗口无人", "enter")
        await settle(pilot)
        assert "已改派至2号窗口" in plain(screen.query_one("#floor-message"))
    with store.session() as s:
        t = s.get(Ticket, ticket)
        assert (t.status, t.window_id) == ("waiting", W2)
        seats = s.exec(select(SeatSession).where(SeatSession.window_id == W1)).all()
        assert all(x.ended_at is not None for x in seats)
        moved = s.exec(select(TicketEvent).where(TicketEvent.ticket_id == ticket,
                                                 TicketEvent.kind == "transferred")).one()
        done = s.exec(select(Outbox.name).where(Outbox.actor_id == boss, Outbox.name.like("floor.%"))).all()
    assert moved.staff_id == boss and "原窗口无人" in moved.reason
    assert done == ["floor.free_window", "floor.reassign_ticket"]


async def test_a_window_without_a_ticket_cannot_be_settled(app, store, clock):
    async with app.run_test(size=(100, 40)) as pilot:
        await sign_in(pilot, "super01")
        screen = app.screen
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, FloorScreen)
        assert "没有办理中的号" in plain(screen.query_one("#floor-message"))
        await pilot.press("f2")
        await settle(pilot)
        assert "没有人就座" in plain(screen.query_one("#floor-message"))


async def test_f11_shows_todays_charts_with_chinese_labels(app, store, clock):
    seat_and_call(store, clock)
    async with app.run_test(size=(100, 40)) as pilot:
        await sign_in(pilot, "super01")
        await pilot.press("f11")
        await settle(pilot)
        from screens.supervisor.charts import ChartsScreen

        assert isinstance(app.screen, ChartsScreen)
        shown = "\n".join(plain(w) for w in app.screen.query(".chart"))
        assert "各时段等候中位数" in shown and "各窗口办结量" in shown and "办件结果" in shown
        assert "告知承诺受理" in shown
