"""The chief representative's queue with 2,000 requests waiting in the centre.

Builds a store with the shipped fixtures and N waiting sign-offs of the 市场监管 department
(refusals, 即办件 approvals, urgent reports mixed, each on a case with a four-row
checklist), then drives the real app headless as that department's chief. The clock starts
when the screen is pushed (or F5 / Enter's action runs) and stops when its rows are on the
screen (the screens' ``shown_at``): the SQL, the sort, the counts and filling the table.
F5 is pressed once the opened queue has been drawn, as a chief would (timed straight after
the open, it waited for the open's first frame and measured that too). Beside them, the
floor: an empty screen pushed under the same load.

Target (issue: the case to its end): opening the queue and each key, median < 30 ms.
Run: python bench/chief_queue.py [--waiting 2000] [--runs 20]
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

from ledger_screen import BareScreen  # noqa: E402
from sqlalchemy import insert  # noqa: E402
from sqlmodel import select  # noqa: E402

from clerk.bootstrap import load_reference_data, open_store  # noqa: E402
from clerk.clock import LOCAL_TZ, FrozenClock  # noqa: E402
from clerk.config import Settings, StoreSettings  # noqa: E402
from clerk.staff.auth import SignedIn  # noqa: E402
from clerk.store.operations import Case, CaseMaterial, SignOff  # noqa: E402
from clerk.store.reference import Staff  # noqa: E402
from screens.app import make_app  # noqa: E402
from screens.signoff.entry import SignOffEntryScreen  # noqa: E402
from screens.signoff.queue import SignOffQueueScreen  # noqa: E402

NOW = datetime(2026, 11, 30, 10, 0, tzinfo=LOCAL_TZ)
KINDS = ("refusal", "instant_approval", "urgent_report")


def fill(store, n: int) -> Staff:
    with store.session() as s:
        chief = s.exec(select(Staff).where(Staff.username == "chief_scjg")).one()
    cases, rows, offs = [], [], []
    for i in range(n):
        at = NOW - timedelta(minutes=3 * i)
        cid = f"bench-{i:05d}"
        cases.append(dict(id=cid, centre_code="demo-county", item_code="SCJG-XK-001", applicant_name=f"申请人{i}",
                          status="refusal_requested", received_at=at, handler_id="clerk01", version=1))
        rows += [dict(case_id=cid, material_id=f"m{k}", seq=k, name=f"材料{k}", state="received") for k in range(4)]
        offs.append(dict(id=f"{cid}:so", case_id=cid, kind=KINDS[i % 3], requested_by="clerk01", requested_at=at,
                         reason="不符合法定条件", legal_basis="《中华人民共和国行政许可法》第三十二条",
                         department_code="scjg"))
    with store.write() as s:
        s.execute(insert(Case), cases)
        s.execute(insert(CaseMaterial), rows)
        s.execute(insert(SignOff), offs)
    return chief


async def _shown(screen, t0: float) -> float:
    """Milliseconds from ``t0`` until ``screen`` put its rows up."""
    while screen.shown_at < t0:
        await asyncio.sleep(0.0005)
    return (screen.shown_at - t0) * 1000


async def measure(app, staff: SignedIn, runs: int) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"open": [], "F5": [], "Enter": [], "bare": []}
    async with app.run_test(size=(120, 40)) as pilot:
        while app._desk is None:
            await pilot.pause(0.05)
        for _ in range(runs):
            bare, t0 = BareScreen(), time.perf_counter()
            await app.push_screen(bare)
            out["bare"].append(await _shown(bare, t0))
            app.pop_screen()
            queue, t0 = SignOffQueueScreen(staff), time.perf_counter()
            await app.push_screen(queue)
            out["open"].append(await _shown(queue, t0))
            await pilot.pause()  # the chief sees the queue before pressing F5: its first frame is drawn
            t0 = time.perf_counter()
            queue.action_reload()
            out["F5"].append(await _shown(queue, t0))
            line = queue.shown.lines[len(queue.shown.lines) // 2]
            entry, t0 = SignOffEntryScreen(staff, line.id), time.perf_counter()
            await app.push_screen(entry)
            out["Enter"].append(await _shown(entry, t0))
            app.pop_screen()
            app.pop_screen()
            await pilot.pause()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--waiting", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(store=StoreSettings(path=str(Path(tmp) / "counter.sqlite3")))
        store = open_store(settings)
        load_reference_data(settings, store)
        chief = fill(store, args.waiting)
        staff = SignedIn(chief.id, chief.username, chief.name, chief.role, chief.centre_code, chief.department_code)
        app = make_app(settings, store, FrozenClock(NOW), cursor_blink=False)
        figures = asyncio.run(measure(app, staff, args.runs))
    print(f"load average (1, 5, 15 min): {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    for name, values in figures.items():
        values.sort()
        note = "(an empty screen, no query: the floor under this load)" if name == "bare" else "(target: median < 30 ms)"
        print(f"chief's queue {name:5} ({args.waiting} waiting): median {statistics.median(values):6.1f} ms, "
              f"p90 {values[int(len(values) * 0.9)]:6.1f} ms  {note}")


if __name__ == "__main__":
    main()
