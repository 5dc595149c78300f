"""Edges of the ledger: a shift across midnight, an empty day, a counter offline all shift."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from report_days import CENTRE, NOW

from clerk.central.state import ensure_state
from clerk.clock import LOCAL_TZ
from clerk.outbox import Workbench
from clerk.reports import csv_export, ledger
from clerk.simulate.clock import SimClock
from clerk.simulate.hall import load_hall
from clerk.store.central_tables import Device, PushReceipt


def _local(day: date, hh: int, mm: int) -> datetime:
    return datetime.combine(day, time(hh, mm), LOCAL_TZ).astimezone(UTC)


def _serve(bench: Workbench, clock: SimClock, window: str, line: str, staff: str, issue: datetime, call: datetime,
           ticket: str) -> None:
    clock.at = issue  # the clerk's walk-in: the kiosk is shut at night (opening hours)
    bench.apply("ticket.issue", {"id": ticket, "line_id": line, "band": 1, "source": "walk_in"}, staff)
    clock.at = call
    bench.apply("ticket.call", {"ticket_id": ticket, "window_id": window}, staff)
    clock.at = call + timedelta(minutes=20)
    bench.apply("ticket.finish", {"ticket_id": ticket, "window_id": window}, staff)


def test_a_night_shift_runs_across_midnight(hall_store):
    clock = SimClock(NOW)
    bench = Workbench(hall_store, clock)
    hall = load_hall(bench, CENTRE)
    window, lines = next(iter(hall.windows.items()))
    staff, monday, tuesday = hall.staff[window], date(2026, 3, 9), date(2026, 3, 10)
    _serve(bench, clock, window, lines[0], staff, _local(monday, 23, 50), _local(monday, 23, 55), "t-before")
    _serve(bench, clock, window, lines[0], staff, _local(tuesday, 0, 30), _local(tuesday, 0, 40), "t-after")
    _serve(bench, clock, window, lines[0], staff, _local(tuesday, 3, 0), _local(tuesday, 3, 1), "t-outside")
    night = ledger.Request("shift", monday, shift_start=time(18), shift_end=time(2))
    report = ledger.build(hall_store, CENTRE, night, NOW, "super01")
    assert report.period.start == _local(monday, 18, 0) and report.period.end == _local(tuesday, 2, 0)
    assert "（次日）" in report.period.label
    queue = report.section("queue").figures
    assert queue["counts"]["issued"] == 2  # 23:50 and 00:30, not 03:00
    assert queue["waits"]["all"] == (2, 300, 600, 600, 900)  # 5 and 10 minutes, nearest rank
    days = [ledger.build(hall_store, CENTRE, ledger.Request("day", d), NOW, "super01") for d in (monday, tuesday)]
    assert [d.section("queue").figures["counts"]["issued"] for d in days] == [1, 2]


def test_an_empty_day_reports_zeros_and_no_waits(hall_store):
    report = ledger.build(hall_store, CENTRE, ledger.Request("day", date(2026, 3, 11)), NOW, "super01")
    queue = report.section("queue")
    assert queue.figures["counts"] == {} and queue.figures["waits"] == {}
    counts = {row[0]: row[1] for row in queue.tables[0].rows}
    assert counts["取号"] == 0 and counts["办结"] == 0
    assert queue.tables[1].rows[0] == ("全部", 0, "—", "—", "—")
    assert "值班台账" in csv_export.render(report)


def _device(session, name: str, seen: datetime | None) -> Device:
    device = Device(id=f"dev-{name}", client_id=f"client-{name}", centre_code=CENTRE, name=name,
                    secret_hash="x", enrolled_at=datetime(2026, 1, 5, tzinfo=UTC), last_seen_at=seen)
    session.add(device)
    return device


def test_a_counter_offline_all_shift_and_one_cut_off_for_a_while(hall_store):
    ensure_state(hall_store)  # this store is now a central store
    day = date(2026, 3, 9)
    start, end = _local(day, 8, 30), _local(day, 17, 30)
    with hall_store.write() as s:
        _device(s, "1号窗口机", start - timedelta(hours=15))  # last heard of the evening before
        _device(s, "2号窗口机", end + timedelta(minutes=1))
        _device(s, "3号窗口机", end + timedelta(minutes=1))
        # 2号 queued actions from 10:00 and sent them at 10:45: cut off for 45 minutes.
        s.add(PushReceipt(client_id="client-2号窗口机", first_mutation_id=1, last_mutation_id=9,
                          oldest_at=_local(day, 10, 0), newest_at=_local(day, 10, 40), received_at=_local(day, 10, 45)))
        # 3号's pushes arrive within seconds: never offline.
        s.add(PushReceipt(client_id="client-3号窗口机", first_mutation_id=1, last_mutation_id=3,
                          oldest_at=_local(day, 11, 0), newest_at=_local(day, 11, 0),
                          received_at=_local(day, 11, 0) + timedelta(seconds=3)))
    report = ledger.build(hall_store, CENTRE, ledger.Request("shift", day), NOW, "super01")
    offline = report.section("counters").figures["offline_minutes"]
    assert offline == {"1号窗口机": 540, "2号窗口机": 45, "3号窗口机": 0}
    rows = {r[0]: r for r in report.section("counters").tables[0].rows}
    assert rows["1号窗口机"][1] == "03-09 08:30–03-09 17:30"
    assert rows["3号窗口机"][1] == "无"
