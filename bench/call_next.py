"""Call-next on the calling screen with 5,000 tickets waiting in the hall (local SQLite).

Drives the real workstation app headless (``App.run_test``): the F1 key event is posted
to the app, and the clock stops when the calling screen has applied the new ticket to its
widgets (policy pick + ``ticket.call`` commit with fsync + the window's read model, in a
thread worker), then again when the next frame with it has been drawn
(``call_after_refresh``; includes waiting for Textual's next frame). Between calls the
clerk finishes the ticket (F8, not timed), as at a real window.

Targets (issue 4): local claim median < 30 ms, p99 < 100 ms.
Run: python bench/call_next.py [--calls 200]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert  # noqa: E402
from textual import events  # noqa: E402

from clerk.bootstrap import load_reference_data, open_store  # noqa: E402
from clerk.clock import LOCAL_TZ, FrozenClock  # noqa: E402
from clerk.config import Settings, StoreSettings  # noqa: E402
from clerk.store.operations import Ticket  # noqa: E402
from screens.app import make_app  # noqa: E402
from screens.calling import CallingScreen  # noqa: E402

WAITING = 5_000
MONDAY_9AM = datetime(2026, 11, 16, 9, 0, tzinfo=LOCAL_TZ)
TARGET_MEDIAN_MS, TARGET_P99_MS = 30.0, 100.0


def fill_hall(settings: Settings) -> None:
    """The fixtures plus 5,000 waiting tickets on lines A–E (one Core insert)."""
    store = open_store(settings)
    load_reference_data(settings, store)
    start = MONDAY_9AM - timedelta(hours=1)
    rows = []
    for i in range(WAITING):
        letter = "ABCDE"[i % 5]
        seq = 1 + i // 5
        rows.append(dict(
            id=str(uuid.uuid4()), centre_code="demo-county", line_id=f"demo-county:{letter}",
            day=MONDAY_9AM.date(), seq=seq, number=f"{letter}{seq:03d}", source="kiosk",
            priority="green" if i % 17 == 0 else "normal", priority_reason="elderly" if i % 17 == 0 else "",
            status="waiting", issued_at=start + timedelta(seconds=i / 2),
        ))
    with store.write() as session:
        session.execute(insert(Ticket), rows)
    store.dispose()


async def wait_until(condition, timeout: float = 5.0, screen=None) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            said = screen.query_one("#call-message").render() if screen is not None else ""
            raise TimeoutError(f"the calling screen did not update: {said} {[(w.name, w.state) for w in screen.app.workers]} {screen.view.current.number if screen.view.current else None}")
        await asyncio.sleep(0.0005)


async def drive(settings: Settings, calls: int) -> tuple[list[float], list[float]]:
    clock = FrozenClock(MONDAY_9AM)
    app = make_app(settings, None, clock, cursor_blink=False)
    shown, painted = [], []
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.screen.query_one("#username").value = "clerk01"
        app.screen.query_one("#password").value = "demo1234"
        app.screen.query_one("#password").focus()
        await pilot.press("enter")
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        await pilot.press("enter", "f3")  # window 1, calling screen
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CallingScreen), screen
        for _ in range(calls):
            before = screen.view
            t0 = time.perf_counter()
            app.post_message(events.Key("f1", None))
            await wait_until(lambda b=before: screen.view is not b and screen.view.current is not None, screen=screen)
            shown.append((time.perf_counter() - t0) * 1000)
            refreshed = asyncio.Event()
            screen.call_after_refresh(refreshed.set)  # runs once the updated screen is drawn
            await refreshed.wait()
            painted.append((time.perf_counter() - t0) * 1000)
            before = screen.view
            app.post_message(events.Key("f8", None))
            await wait_until(lambda b=before: screen.view is not b and screen.view.current is None, screen=screen)
            await pilot.pause()
    return shown, painted


def figures(name: str, ms: list[float]) -> str:
    ms = sorted(ms)
    median = statistics.median(ms)
    p99 = ms[min(len(ms) - 1, round(0.99 * (len(ms) - 1)))]
    ok = "OK" if median < TARGET_MEDIAN_MS and p99 < TARGET_P99_MS else "MISSED"
    return (
        f"{name:<38} median {median:6.1f} ms (target < {TARGET_MEDIAN_MS:.0f})   "
        f"p99 {p99:6.1f} ms (target < {TARGET_P99_MS:.0f})   {ok}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=200)
    args = parser.parse_args()
    print(f"call-next, local (offline) claim, {WAITING:,} tickets waiting, {args.calls} calls, 80x24")
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(store=StoreSettings(path=str(Path(tmp) / "counter.sqlite3")))
        fill_hall(settings)
        shown, painted = asyncio.run(drive(settings, args.calls))
    print(figures("key press -> widgets updated", shown))
    print(figures("key press -> ticket on screen (drawn)", painted))


if __name__ == "__main__":
    main()
