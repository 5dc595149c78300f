"""The ledger screen with 10,000 entries in the centre: opening it and changing its filter.

Builds a store with the shipped fixtures and 10,000 ledger entries (首问, 办不成事 and 整改
mixed, a third closed, some overdue), then drives the real app headless as the centre's
supervisor (who sees all of them). The clock starts when the screen is pushed (or the F3
filter key's action runs) and stops when the page of rows is in the table (the screen's
``shown_at``), which includes the role-filtered SQL, the count and filling the DataTable.

Target (issue 12): opening and filtering, median < 50 ms.
Run: python bench/ledger_screen.py [--entries 10000] [--runs 20]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert  # noqa: E402
from sqlmodel import select  # noqa: E402
from textual.app import ComposeResult  # noqa: E402
from textual.screen import Screen  # noqa: E402
from textual.widgets import Static  # noqa: E402

from clerk.bootstrap import load_reference_data, open_store  # noqa: E402
from clerk.clock import LOCAL_TZ, FrozenClock  # noqa: E402
from clerk.config import Settings, StoreSettings  # noqa: E402
from clerk.ids import new_id  # noqa: E402
from clerk.staff.auth import SignedIn  # noqa: E402
from clerk.store.ledger_tables import LedgerEntry  # noqa: E402
from clerk.store.reference import Staff  # noqa: E402
from screens.app import make_app  # noqa: E402
from screens.ledgers.ledger_list import LedgerScreen  # noqa: E402

NOW = datetime(2026, 11, 30, 10, 0, tzinfo=LOCAL_TZ)
KINDS = ("first_contact", "complaint", "rectification")
STATES = ("registered", "assigned", "closed")


def fill(store, n: int) -> Staff:
    with store.session() as s:
        staff = s.exec(select(Staff).where(Staff.centre_code == "demo-county")).all()
    supervisor = next(p for p in staff if p.role == "supervisor")
    rows = []
    for i in range(n):
        at = NOW - timedelta(minutes=7 * i)
        owner = staff[i % len(staff)]
        rows.append(dict(
            id=new_id(), kind=KINDS[i % 3], entry_no=f"BCS-{at:%Y%m%d}-{i:06d}", centre_code="demo-county",
            status=STATES[i % 3], is_open=STATES[i % 3] != "closed", registered_at=at, registered_by=owner.id, owner_id=owner.id, case_ref="",
            channel="window", person=f"来访人{i}", contact="", matter=f"事项{i % 50}", item_code="",
            description=f"问题描述{i}", class_code="policy", legal=False, unit="", due_date=(at + timedelta(days=7)).date(),
            due_provisional=False, result_kind="", result="", feedback="", follow_up_method="", satisfaction="",
            updated_at=at, detail="",
        ))
    with store.write() as s:
        s.execute(insert(LedgerEntry), rows)
    return supervisor


class BareScreen(Screen):
    """The floor under the same load: a screen with one line of text and no query."""

    shown_at = 0.0

    def compose(self) -> ComposeResult:
        yield Static("空白")

    def on_mount(self) -> None:
        self.shown_at = time.perf_counter()


async def measure(app, staff: SignedIn, runs: int) -> tuple[list[float], list[float], list[float]]:
    opening, filtering, bare = [], [], []
    async with app.run_test(size=(120, 40)) as pilot:
        while app._desk is None:  # the start-up screen opens the desk on the prepared store
            await pilot.pause(0.05)
        for _ in range(runs):
            screen = BareScreen()
            t0 = time.perf_counter()
            await app.push_screen(screen)
            while screen.shown_at < t0:
                await asyncio.sleep(0.0005)
            bare.append((screen.shown_at - t0) * 1000)
            app.pop_screen()
            await pilot.pause()
            screen = LedgerScreen(staff)
            t0 = time.perf_counter()
            await app.push_screen(screen)
            while screen.shown_at < t0:
                await asyncio.sleep(0.0005)
            opening.append((screen.shown_at - t0) * 1000)
            for _ in range(3):  # 在办 → 超期 → 已办结 → 全部
                t0 = time.perf_counter()
                screen.action_next_which()
                while screen.shown_at < t0:
                    await asyncio.sleep(0.0005)
                filtering.append((screen.shown_at - t0) * 1000)
            app.pop_screen()
            await pilot.pause()
    return opening, filtering, bare


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(store=StoreSettings(path=str(Path(tmp) / "counter.sqlite3")))
        store = open_store(settings)
        load_reference_data(settings, store)
        boss = fill(store, args.entries)
        staff = SignedIn(boss.id, boss.username, boss.name, boss.role, boss.centre_code, boss.department_code)
        app = make_app(settings, store, FrozenClock(NOW), cursor_blink=False)
        opening, filtering, bare = asyncio.run(measure(app, staff, args.runs))
    print(f"load average (1, 5, 15 min): {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    for name, values in (("open", opening), ("filter", filtering), ("bare", bare)):
        values.sort()
        print(f"ledger screen {name:6} ({args.entries} entries): median {statistics.median(values):6.1f} ms, "
              f"p90 {values[int(len(values) * 0.9)]:6.1f} ms  "
              + ("(an empty screen, no query: the floor under this load)" if name == "bare" else
                 "(target: median < 50 ms)"))


if __name__ == "__main__":
    main()
