"""The intake screen's keys, as a clerk goes down an item's checklist, at 80x24.

Drives the real workstation app headless: clerk01 signs in at window 1 and opens a case of
the demo item with the longest checklist; then one key per material row sets its state and
moves to the next row (R 已收原件 · C 复印件 · M 缺, each a ``case.mark`` through the outbox
in a thread worker), and F9 opens the outcome list.

The clock starts when the key event is posted to the app and stops at the first frame drawn
once the screen shows what the key did (the row's new state and the cursor on the next row,
set at once while the store's answer follows; F9's outcome list on top), each frame rendered
to the escape sequences a terminal gets (``_frames``). The time until the store answered and
the list was redrawn from it is printed beside it.

Target (issue 10): each key to the next frame, median < 30 ms. The machine may be shared:
the bare Textual app of ``catalogue_search`` (a keystroke to its status line) is timed in the
same run as the floor, and the load average is printed beside the figures.
Run: python bench/intake_keys.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _frames import ESCAPES, Frames  # noqa: E402
from catalogue_search import bare, figures, load, settle, sign_in  # noqa: E402
from sqlmodel import func, select  # noqa: E402
from textual import events  # noqa: E402

from clerk.bootstrap import load_reference_data, open_store  # noqa: E402
from clerk.clock import SystemClock  # noqa: E402
from clerk.config import Settings, StoreSettings  # noqa: E402
from clerk.store.reference import ItemMaterial  # noqa: E402
from screens.app import make_app  # noqa: E402
from screens.cases.case_screen import CaseScreen  # noqa: E402
from screens.start.home import HomeScreen  # noqa: E402

PERSON = {"kind": "person", "name": "张三", "id_number": "11010519491231002X", "phone": "13800138000"}
MARKS = ("r", "c", "m")
SHOWN = {"r": ("已收", "原件"), "c": ("已收", "复印件"), "m": ("缺", "")}
"""What each key makes the row read: its state and the start of its detail."""


def longest_item(settings: Settings) -> tuple[str, int]:
    store = open_store(settings)
    load_reference_data(settings, store)
    with store.session() as s:
        code, n = s.exec(select(ItemMaterial.item_code, func.count()).group_by(ItemMaterial.item_code)
                         .order_by(func.count().desc())).first()
    store.dispose()
    return code, n


async def new_case(app, pilot, item: str) -> CaseScreen:
    """From the home screen: a new case of ``item`` on its screen."""
    home = app.screen
    case = app.desk.cases.open_case(home.staff.staff_id, item, PERSON, window_id=home.seat.window.id)
    app.push_screen(CaseScreen(home.staff, case))
    await settle(app, pilot, CaseScreen)
    return app.screen


async def drawn_after(app, frames: Frames, key: str, shows) -> float:
    """Milliseconds from posting ``key`` to the first frame whose text ``shows(text)``."""
    frames.forget()
    t0 = time.perf_counter()
    app.post_message(events.Key(key, key if len(key) == 1 else None))
    seen = await frames.wait_for(lambda: next((t for t, seq in frames.drawn
                                               if t >= t0 and shows(ESCAPES.sub("", seq))), None))
    return (seen - t0) * 1000


def row_reads(name: str, label: str, detail: str):
    """A drawn line holding the row's material (as far as its column shows it), its new state
    and the start of its detail: what the clerk sees change."""
    start = name[:12]  # the column shows about 17 characters; 12 tell this item's rows apart
    return lambda text: any(start in ln and f" {label} " in ln and detail in ln for ln in text.splitlines())


async def drive(settings: Settings, item: str, rows: int,
                rounds: int) -> tuple[list[float], list[float], list[float]]:
    app = make_app(settings, None, SystemClock(), cursor_blink=False, freeze_start_up=True)
    marks, stored, outcome = [], [], []
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(app, pilot)
        frames = Frames(app)
        for round_ in range(rounds):
            if round_:
                app.pop_screen()  # back home, for the next applicant's case
                await settle(app, pilot, HomeScreen)
            screen = await new_case(app, pilot, item)
            for n in range(rows):
                version = screen.case.version
                screen.query_one("#checklist").move_cursor(row=n)
                await pilot.pause()
                key, (label, detail) = MARKS[n % len(MARKS)], SHOWN[MARKS[n % len(MARKS)]]
                t0 = time.perf_counter()
                marks.append(await drawn_after(app, frames, key, row_reads(screen.case.materials[n].name, label,
                                                                           detail)))
                await frames.wait_for(lambda v=version, s=screen: True if s.case.version > v else None)
                stored.append((time.perf_counter() - t0) * 1000)
                await settle(app, pilot)
            # A choice of the list, not its title: the footer's "f9 办理结论" is on every frame.
            outcome.append(await drawn_after(app, frames, "f9", lambda text: "一次性告知补正" in text))
            app.pop_screen()  # the list closed again (not timed: what it uncovers was drawn before)
            await settle(app, pilot)
    return marks, stored, outcome


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(store=StoreSettings(path=str(Path(tmp) / "counter.sqlite3")))
        item, rows = longest_item(settings)
        before = load()
        baseline = asyncio.run(bare(1))
        marks, stored, outcome = asyncio.run(drive(settings, item, rows, args.rounds))
        baseline += asyncio.run(bare(1))
        after = load()
    print(f"intake keys, item {item} ({rows} materials), {args.rounds} cases, 80x24")
    print(f"machine: {before} at start, {after} at end")
    print(figures("R/C/M on a row -> its state drawn", marks))
    print(f"{'R/C/M -> stored, the list redrawn from it':<40} median {statistics.median(stored):6.1f} ms"
          "   (no target: the store's answer follows the frame)")
    print(figures("F9 -> the outcome list drawn", outcome))
    print(figures("bare Textual app, keystroke -> drawn", baseline))
    print(f"marking drawn / bare drawn, medians: {statistics.median(marks) / statistics.median(baseline):.2f}x")


if __name__ == "__main__":
    main()
