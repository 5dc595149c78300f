"""Two clients book the last place of a slot at once, on a real server: one wins."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, time, timedelta

import httpx
from booking_helpers import P, add_platform, plan_slots
from harness import ServerProcess
from sqlalchemy import func, select

from clerk.booking.slots import calendar
from clerk.clock import LOCAL_TZ
from clerk.store.booking_tables import Booking, BookingSlot

SLOTS = 6  # 09:00–12:00 in half hours: six races


def _next_working_day(store) -> datetime:
    with store.session() as s:
        cal = calendar(s)
    day = datetime.now(UTC).astimezone(LOCAL_TZ).date() + timedelta(days=1)
    while not cal.is_working_day(day).working:
        day += timedelta(days=1)
    return datetime.combine(day, time(9), LOCAL_TZ)


def _race(base_url: str, headers: dict, start: datetime) -> list[int]:
    barrier, statuses = threading.Barrier(2), []

    def one() -> None:
        with httpx.Client(base_url=base_url, timeout=30) as http:
            barrier.wait()
            resp = http.post(f"{P}/bookings", json={"line_id": "c1:A", "start": start.isoformat()}, headers=headers)
            statuses.append(resp.status_code)

    threads = [threading.Thread(target=one) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(statuses)


def test_two_clients_racing_for_the_last_place_one_wins(real_db, request):
    url, store = real_db
    plan_slots(store, capacity=2)
    headers = add_platform(store)
    workers = 2 if store.engine.dialect.name == "postgresql" else 0  # two processes share PostgreSQL
    server = ServerProcess(url, cli_workers=workers).start()
    request.addfinalizer(server.stop)
    first = _next_working_day(store)
    starts = [first + timedelta(minutes=30 * n) for n in range(SLOTS)]
    with httpx.Client(base_url=server.base_url, timeout=30) as http:
        for start in starts:  # one place of two taken: the race is for the last
            resp = http.post(f"{P}/bookings", json={"line_id": "c1:A", "start": start.isoformat()}, headers=headers)
            assert resp.status_code == 200, resp.text
    results = [_race(server.base_url, headers, start) for start in starts]
    assert results == [[200, 409]] * SLOTS
    with store.session() as s:
        assert s.execute(select(func.count()).select_from(Booking)).scalar_one() == 2 * SLOTS
        assert set(s.execute(select(BookingSlot.booked)).scalars()) == {2}
