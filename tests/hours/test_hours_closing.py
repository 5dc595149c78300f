"""延时服务: the default end-of-day rule serves every ticket of today (当日号当日办结), calling
goes on after closing, and the time served after closing is recorded as overtime."""

from __future__ import annotations

import shutil
from datetime import datetime

import pytest
from hours_store import demo_store

from clerk.clock import LOCAL_TZ, FrozenClock
from clerk.ids import new_id
from clerk.mutation import MutationRefused
from clerk.outbox import Workbench
from clerk.store.operations import SeatSession, Ticket
from clerk.store.reference import Staff

W1 = "demo-county:1"


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("closing") / "t.sqlite3"
    store = demo_store(path)
    with store.write() as s:
        s.add(Staff(id="c1", username="c1", name="窗口一", role="clerk", centre_code="demo-county", password_hash="x"))
        s.add(Staff(id="boss", username="boss", name="值班长", role="supervisor", centre_code="demo-county",
                    password_hash="x"))
        s.flush()
        s.add(SeatSession(id="seat1", staff_id="c1", window_id=W1, started_at=datetime(2026, 3, 2, 8, tzinfo=LOCAL_TZ)))
    store.dispose()
    return path


@pytest.fixture
def bench(template, tmp_path):
    from clerk.store.engine import Store

    shutil.copy(template, tmp_path / "s.sqlite3")
    store = Store.sqlite(tmp_path / "s.sqlite3")
    yield Workbench(store, FrozenClock(datetime(2026, 3, 2, 17, 0, tzinfo=LOCAL_TZ)))
    store.dispose()


def test_tickets_of_today_are_served_after_closing_with_overtime(bench):
    clock = bench.clock
    first = bench.apply("ticket.issue", {"id": new_id(), "line_id": "demo-county:A"})
    second = bench.apply("ticket.issue", {"id": new_id(), "line_id": "demo-county:A"})
    clock.advance(minutes=20)
    bench.apply("ticket.call", {"ticket_id": first.id, "window_id": W1}, "c1")  # 17:20
    clock.advance(minutes=20)  # 17:40, closed at 17:30
    day = {"centre_code": "demo-county", "day": "2026-03-02"}
    with pytest.raises(MutationRefused) as refused:
        bench.apply("queue.end_of_day", day, "boss")
    assert "当日号当日办结：还有 2 个今日号未办结（A001、A002）" in refused.value.message
    bench.apply("ticket.finish", {"ticket_id": first.id, "window_id": W1}, "c1")  # 10 min after closing
    bench.apply("ticket.call", {"ticket_id": second.id, "window_id": W1}, "c1")  # calling goes on
    clock.advance(minutes=15)
    bench.apply("ticket.finish", {"ticket_id": second.id, "window_id": W1}, "c1")
    with bench.store.session() as s:
        assert [s.get(Ticket, t.id).overtime_s for t in (first, second)] == [10 * 60, 15 * 60]
    closed = bench.apply("queue.end_of_day", day, "boss")
    assert closed.cancelled == 0 and closed.overtime_s == 25 * 60


def test_cancel_and_carry_over_stay_available_as_settings(bench):
    bench.apply("ticket.issue", {"id": new_id(), "line_id": "demo-county:A"})
    day = {"centre_code": "demo-county", "day": "2026-03-02"}
    assert bench.apply("queue.end_of_day", day | {"rule": "carry_over"}, "boss").carried_over == 1
