"""Booking slots follow the opening hours: a 调休 working Saturday offers Monday's slots, a
holiday and an ordinary Saturday offer none on a weekday line, and a plan reaching past
closing is cut at the 早晚弹性 hour (booked matters may be served until an hour after)."""

from __future__ import annotations

from datetime import date, time

from hours_store import demo_store

from clerk.booking.slots import closed_reason, day_slots
from clerk.store.booking_tables import SlotPlan

LINE = "demo-county:A"


def _starts(session, day: date) -> list[str]:
    return [f"{s.start:%H:%M}" for s in day_slots(session, LINE, day)]


def test_slots_follow_the_hours_across_the_calendar(tmp_path):
    store = demo_store(tmp_path / "s.sqlite3")
    with store.session() as s:
        monday = _starts(s, date(2026, 3, 2))
        assert monday[0] == "09:00" and monday[-1] == "16:30" and len(monday) == 12
        assert _starts(s, date(2026, 10, 10)) == monday  # 调休上班 after 国庆: Monday's timetable
        assert _starts(s, date(2026, 10, 1)) == [] and closed_reason(s, date(2026, 10, 1), LINE)
        assert _starts(s, date(2026, 3, 7)) == []  # an ordinary Saturday: A is not a Saturday line
        assert closed_reason(s, date(2026, 3, 2), LINE) == ""
    store.dispose()


def test_a_plan_past_closing_stops_at_the_flexible_hour(tmp_path):
    store = demo_store(tmp_path / "s.sqlite3")
    with store.write() as s:  # the county closes at 17:30: booked matters until 18:30
        s.add(SlotPlan(id=f"{LINE}:1:1700", line_id=LINE, weekday=1, start=time(17, 0), end=time(19, 30),
                       slot_minutes=30, capacity=2))
    with store.session() as s:
        assert _starts(s, date(2026, 3, 2))[-4:] == ["16:30", "17:00", "17:30", "18:00"]
    store.dispose()
