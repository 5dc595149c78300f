"""Defect 5: signing out or quitting with a ticket open warns and offers finish / requeue / transfer.

Before, the ticket stayed "已叫号/办理中" at the empty window and the next clerk inherited it.
"""

from __future__ import annotations

import pytest
from sqlmodel import select
from ui_helpers import settle, sit_down
from ui_queue import issue

from clerk.store.operations import Ticket
from clerk.store.queue_tables import TicketEvent
from screens.app import make_app
from screens.queue.left_open import SettleTicket
from screens.start.home import HomeScreen
from screens.start.sign_in import SignInScreen

pytestmark = pytest.mark.anyio


@pytest.fixture
def app(settings, store, clock):
    return make_app(settings, store, clock, cursor_blink=False)


async def call_one_then_go_home(pilot) -> None:
    await sit_down(pilot)
    await pilot.press("f3")
    await settle(pilot)
    await pilot.press("f1")
    await settle(pilot)
    await pilot.press("escape")
    await settle(pilot)
    assert isinstance(pilot.app.screen, HomeScreen)


def ticket(store, number: str) -> Ticket:
    with store.session() as s:
        return s.exec(select(Ticket).where(Ticket.number == number)).one()


async def test_sign_out_with_a_called_ticket_warns_and_requeues_it_in_its_place(app, store, clock):
    first = issue(store, clock, "A")
    clock.advance(minutes=1)
    issue(store, clock, "A")
    async with app.run_test(size=(100, 30)) as pilot:
        await call_one_then_go_home(pilot)
        await pilot.press("f10")
        await settle(pilot)
        assert isinstance(pilot.app.screen, SettleTicket)  # warned, not signed out
        assert first.number in pilot.app.screen.title_text
        assert ticket(store, first.number).status == "called"
        await pilot.press("down", "enter")  # 重新排队
        await settle(pilot)
        await settle(pilot)
        assert isinstance(pilot.app.screen, SignInScreen)
    back = ticket(store, first.number)
    assert (back.status, back.window_id, back.no_show_count) == ("waiting", None, 0)
    with store.session() as s:
        kinds = [e.kind for e in s.exec(select(TicketEvent).where(TicketEvent.ticket_id == back.id))]
    assert "released" in kinds and "requeued" not in kinds  # keeps its place: not a no-show


async def test_sign_out_warning_can_be_cancelled(app, store, clock):
    first = issue(store, clock, "A")
    async with app.run_test(size=(100, 30)) as pilot:
        await call_one_then_go_home(pilot)
        await pilot.press("f10")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, HomeScreen)
    assert ticket(store, first.number).status == "called"


async def test_quit_with_a_ticket_open_finishes_it_first(app, store, clock):
    first = issue(store, clock, "A")
    async with app.run_test(size=(100, 30)) as pilot:
        await call_one_then_go_home(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(pilot.app.screen, SettleTicket)
        assert pilot.app.is_running
        await pilot.press("enter")  # 办结
        await settle(pilot)
    assert ticket(store, first.number).status == "finished"


async def test_desk_refuses_to_leave_the_seat_while_a_ticket_is_held(app, store, clock):
    issue(store, clock, "A")
    async with app.run_test(size=(100, 30)) as pilot:
        await call_one_then_go_home(pilot)
        screen = pilot.app.screen
        from clerk.queue.desk import TicketLeftOpen

        with pytest.raises(TicketLeftOpen) as caught:
            pilot.app.desk.leave_seat(screen.staff, screen.seat)
        assert "请先办结、重新排队或转移" in caught.value.message
