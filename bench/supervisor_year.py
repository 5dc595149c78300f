"""The supervisor's ledger and live floor over a simulated year of a 30-window hall.

Data generation takes the fast path: rows are bulk-inserted straight into ``ticket``,
``ticket_event`` and ``case`` (the mutations are exercised by ``clerk simulate`` and the
tests; a year through them would take hours here). Each ticket is issued, called and
finished at a window serving its line, with arrivals over the day; a share are no-shows.
Then the real ``clerk.reports.ledger.build`` (every section) is timed for a day, a month
and a year, and the live floor's read (``FloorDesk.floor``) with a queue waiting.

Targets (issue 13): day < 1 s, month < 3 s, year < 10 s, live floor refresh < 100 ms.
Run: python bench/supervisor_year.py [--days 250] [--per-day 2000] [--database-url URL]
(with --database-url a fresh database is created beside the URL's and dropped after.)
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, insert, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlmodel import select  # noqa: E402

from clerk import workflows  # noqa: E402
from clerk.clock import LOCAL_TZ, FrozenClock  # noqa: E402
from clerk.config import REPO_ROOT  # noqa: E402
from clerk.fixtures import load_fixtures  # noqa: E402
from clerk.floor.service import FloorDesk  # noqa: E402
from clerk.outbox import Workbench  # noqa: E402
from clerk.reference_data import install  # noqa: E402
from clerk.reports import ledger  # noqa: E402
from clerk.store.engine import Store  # noqa: E402
from clerk.store.migrate import upgrade  # noqa: E402
from clerk.store.operations import Case, SeatSession, Ticket  # noqa: E402
from clerk.store.queue_tables import TicketEvent  # noqa: E402
from clerk.store.reference import ServiceItem, ServiceLine, Staff, Window, WindowLine  # noqa: E402

CENTRE = "demo-county"
WINDOWS = 30
TARGETS = {"day": 1.0, "month": 3.0, "year": 10.0, "floor": 0.1}


def widen_hall(store: Store) -> tuple[dict[str, list[str]], list[str]]:
    """Up to 30 windows, each serving every line; returns window -> lines and staff ids."""
    with store.write() as s:
        lines = [x.id for x in s.exec(select(ServiceLine).where(ServiceLine.centre_code == CENTRE))]
        have = {w.number for w in s.exec(select(Window).where(Window.centre_code == CENTRE))}
        for n in range(1, WINDOWS + 1):
            if n not in have:
                s.add(Window(id=f"{CENTRE}:{n}", centre_code=CENTRE, number=n, name=f"综合窗口{n}", kind="general"))
        s.flush()
        windows = [w.id for w in s.exec(select(Window).where(Window.centre_code == CENTRE))]
        served = {(a, b) for a, b in s.exec(select(WindowLine.window_id, WindowLine.line_id))}
        for w in windows:
            for line in lines:
                if (w, line) not in served:
                    s.add(WindowLine(window_id=w, line_id=line))
        staff = [p.id for p in s.exec(select(Staff).where(Staff.centre_code == CENTRE))]
        items = [i.code for i in s.exec(select(ServiceItem))]
    return {w: lines for w in windows}, staff, items


def working_days(last: date, n: int) -> list[date]:
    days, d = [], last
    while len(days) < n:
        if d.weekday() < 5:
            days.append(d)
        d -= timedelta(days=1)
    return sorted(days)


def generate(store: Store, days: list[date], per_day: int, cases_per_day: int) -> int:
    halls, staff, items = widen_hall(store)
    windows = list(halls)
    rng = random.Random(13)
    total = 0
    for day in days:
        opening = datetime(day.year, day.month, day.day, 8, 30, tzinfo=LOCAL_TZ).astimezone(UTC)
        tickets, evs, cases = [], [], []
        for i in range(per_day):
            w = windows[i % len(windows)]
            line = halls[w][i % len(halls[w])]
            who = staff[i % len(staff)]
            issued = opening + timedelta(seconds=rng.triangular(0, 8 * 3600, 2 * 3600))
            called = issued + timedelta(seconds=rng.expovariate(1 / 900))
            done = called + timedelta(seconds=rng.expovariate(1 / 420))
            no_show = rng.random() < 0.08
            tid = f"{day:%Y%m%d}-{i:05d}"
            tickets.append({"id": tid, "centre_code": CENTRE, "line_id": line, "day": day, "seq": i,
                            "number": f"A{i:04d}", "status": "no_show" if no_show else "finished",
                            "issued_at": issued, "called_at": called, "window_id": w, "called_by": who})
            base = {"ticket_id": tid, "window_id": w, "staff_id": who, "line_id": line, "call_kind": "",
                    "fence": 1, "reason": ""}
            evs.append({**base, "id": tid + "i", "at": issued, "kind": "issued", "window_id": None})
            evs.append({**base, "id": tid + "c", "at": called, "kind": "called"})
            evs.append({**base, "id": tid + "f", "at": done, "kind": "no_show" if no_show else "finished"})
        for i in range(cases_per_day):
            at = opening + timedelta(seconds=rng.uniform(0, 8 * 3600))
            via = rng.choice(("full", "full", "full", "deferral", "commitment"))
            cases.append({"id": f"case-{day:%Y%m%d}-{i:04d}", "centre_code": CENTRE, "item_code": rng.choice(items),
                          "applicant_name": "张三", "status": "accepted", "received_at": at, "received_on": day,
                          "accepted_at": at, "accepted_via": via, "due_date": day + timedelta(days=rng.randint(3, 40)),
                          "handler_id": rng.choice(staff), "window_id": rng.choice(windows),
                          "acceptance_no": f"受{day:%Y%m%d}{i:04d}"})
        with store.write() as s:
            s.execute(insert(Ticket), tickets)
            s.execute(insert(TicketEvent), evs)
            if cases:
                s.execute(insert(Case), cases)
        total += len(tickets)
    return total


def today_queue(store: Store, now: datetime) -> None:
    """Today: every window staffed, 300 people waiting, so the floor has work to show."""
    bench = Workbench(store, FrozenClock(now))
    halls, staff, _ = widen_hall(store)
    with store.write() as s:
        for k, w in enumerate(halls):
            s.add(SeatSession(id=f"seat-{k}", staff_id=staff[k % len(staff)], window_id=w, started_at=now))
    lines = sorted({line for ls in halls.values() for line in ls})
    for i in range(300):
        bench.apply("ticket.issue", {"id": f"today-{i}", "line_id": lines[i % len(lines)]})


def timed(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def size(store: Store, path: Path | None) -> str:
    if path is not None:
        return f"{path.stat().st_size / 1e6:.0f} MB"
    with store.engine.connect() as conn:
        return f"{conn.execute(text('SELECT pg_database_size(current_database())')).scalar() / 1e6:.0f} MB"


def run(store: Store, path: Path | None, args) -> None:
    upgrade(store)
    install(store, load_fixtures(REPO_ROOT / "fixtures"))
    workflows.install()
    last = date(2026, 11, 13)
    days = working_days(last, args.days)
    t = time.perf_counter()
    n = generate(store, days, args.per_day, args.cases_per_day)
    print(f"generated {n} tickets, {len(days) * args.cases_per_day} cases over {len(days)} days "
          f"in {time.perf_counter() - t:.0f} s; store {size(store, path)}")
    now = datetime(2026, 11, 16, 10, 0, tzinfo=LOCAL_TZ)
    today_queue(store, now)
    for period in ("day", "month", "year"):
        req = ledger.Request(period, last)
        took = timed(lambda req=req: ledger.build(store, CENTRE, req, now.astimezone(UTC), "super01"), args.runs)
        print(f"ledger {period:5s}: {took:7.3f} s   target < {TARGETS[period]:g} s   "
              f"{'ok' if took < TARGETS[period] else 'MISSED'}")
    floor = FloorDesk(Workbench(store, FrozenClock(now)), store, FrozenClock(now), CENTRE)
    took = timed(floor.floor, args.runs * 5)
    print(f"live floor refresh: {took * 1000:7.1f} ms   target < 100 ms   {'ok' if took < 0.1 else 'MISSED'}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=250)
    parser.add_argument("--per-day", type=int, default=2000)
    parser.add_argument("--cases-per-day", type=int, default=400)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    if args.database_url:
        url = make_url(args.database_url)
        name = f"bench_supervisor_{os.getpid()}"
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name}"))
        store = Store.url(url.set(database=name).render_as_string(hide_password=False))
        try:
            print(f"PostgreSQL ({name})")
            run(store, None, args)
        finally:
            store.dispose()
            with admin.connect() as conn:
                conn.execute(text(f"DROP DATABASE {name}"))
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "year.sqlite3"
        store = Store.sqlite(path)
        print("SQLite")
        run(store, path, args)
        store.dispose()


if __name__ == "__main__":
    main()
