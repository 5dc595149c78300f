"""Helpers for the booking tests: a slot plan on the seeded hall, platforms, bookings over HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, time

from clerk.booking import platforms
from clerk.store.booking_tables import SlotPlan
from clerk.store.engine import Store

B = "/api/v1/bookings"
P = "/api/v1/platform"
MONDAY_10 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 Beijing, an hour after harness.START
LABOUR_DAY_10 = datetime(2026, 5, 1, 2, 0, tzinfo=UTC)


def plan_slots(store: Store, line: str = "c1:A", capacity: int = 2) -> None:
    """Weekdays 09:00–12:00, half-hour slots of ``capacity`` places."""
    with store.write() as s:
        for weekday in range(1, 8):  # every day planned: only the calendar may close one
            s.add(SlotPlan(id=f"{line}:{weekday}", line_id=line, weekday=weekday, start=time(9), end=time(12),
                           slot_minutes=30, capacity=capacity))


def add_platform(store: Store, centre: str = "c1", name: str = "善美政务") -> dict[str, str]:
    with store.write() as s:
        token = platforms.add_platform(s, centre, name, datetime.now(UTC))
    return {"Authorization": f"Bearer {token}"}


def platform_book(http, headers: dict, start: datetime = MONDAY_10, line: str = "c1:A"):
    return http.post(f"{P}/bookings", json={"line_id": line, "start": start.isoformat(), "name": "张三",
                                            "phone": "13800000000"}, headers=headers)


def check_in(http, dev, code: str, ticket_id: str):
    return http.post(f"{B}/check-in", json={"code": code, "ticket_id": ticket_id}, headers=dev.headers)
