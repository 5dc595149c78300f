"""Pilot helpers shared by the TUI tests."""

from __future__ import annotations

import contextlib
import io
import time
from datetime import datetime

from rich.console import Console
from textual.pilot import Pilot
from textual.widget import Widget
from textual.worker import WorkerCancelled, WorkerFailed

from clerk.clock import LOCAL_TZ

PASSWORD = "demo1234"
# A Monday in November 2026: an ordinary working day that chinese-calendar knows.
MONDAY_9AM = datetime(2026, 11, 16, 9, 0, tzinfo=LOCAL_TZ)


def plain(widget: Widget) -> str:
    """What a Static-like widget shows, as plain text (Rich renderables are rendered)."""
    rendered = getattr(widget, "content", None) or widget.render()
    if hasattr(rendered, "plain"):
        return rendered.plain
    console = Console(width=widget.size.width or 80, record=True, file=io.StringIO())
    console.print(rendered)
    return console.export_text()


def screen_text(pilot: Pilot) -> list[str]:
    """The rows of cells the terminal shows now, as plain text (what the person in front of it sees)."""
    return [strip.text for strip in pilot.app.screen._compositor.render_strips()]


async def settle(pilot: Pilot) -> None:
    """Let thread workers finish and their results reach the screen."""
    for _ in range(2):  # a result may start the next screen's worker
        # A failed worker is reported by its screen; tests look at what the clerk sees. A
        # cancelled one was superseded by a newer load (exclusive workers), awaited next round.
        with contextlib.suppress(WorkerFailed, WorkerCancelled):
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def until(pilot: Pilot, check, within_s: float = 30) -> bool:
    """Let the app run until ``check()`` holds (a bound on the test, not a figure)."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        if check():
            return True
        await pilot.pause(0.1)
    return check()


async def sign_in(pilot: Pilot, username: str, password: str = PASSWORD) -> None:
    """Fill the sign-in form and submit it with Enter in the password box."""
    await settle(pilot)
    screen = pilot.app.screen
    screen.query_one("#username").value = username
    screen.query_one("#password").value = password
    screen.query_one("#password").focus()
    await pilot.press("enter")
    await settle(pilot)


async def sit_down(pilot: Pilot, username: str = "clerk01", downs: int = 0) -> None:
    """Sign in and take the window ``downs`` rows below the first."""
    await sign_in(pilot, username)
    await settle(pilot)
    if downs:
        await pilot.press(*["down"] * downs)
    await pilot.press("enter")
    await settle(pilot)


PERSON = {"kind": "person", "name": "张三", "id_number": "11010519491231002X", "phone": "13800138000"}


def accepted_case(store, clock) -> str:
    """A 食品经营许可 (承诺件 of 市场监管) taken in whole and accepted at window 1 by clerk01."""
    from clerk.cases.desk import CaseDesk
    from clerk.outbox import Workbench

    cases = CaseDesk(Workbench(store, clock), store, clock, "demo-county", None)
    case = cases.open_case("clerk01", "SCJG-XK-002", PERSON)
    for m in case.materials:
        state = {"state": "received", "received_form": "original", "copies": 1} if m.required else {"state": "missing"}
        case = cases.mark("clerk01", case.id, case.version, m.material_id, **state)
    cases.decide("clerk01", case.id, case.version, "accept", print_papers=False)
    return case.id
