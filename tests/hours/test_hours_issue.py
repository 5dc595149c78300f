"""``ticket.issue`` by the hours, on explicit 2026 days: a weekday, a Saturday (closed except
the Saturday lines), a 调休 working Saturday and a holiday; 早晚弹性 for booked matters."""

from __future__ import annotations

import shutil
from datetime import date, datetime, time, timedelta

import pytest
from hours_store import demo_store

from clerk.clock import LOCAL_TZ, FrozenClock
from clerk.ids import new_id
from clerk.mutation import MutationRefused
from clerk.outbox import Workbench

A, C = "demo-county:A", "demo-county:C"  # 综合受理; 社保医保 (a Saturday line)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("hours") / "template.sqlite3"
    demo_store(path).dispose()
    return path


@pytest.fixture
def store(template, tmp_path):
    from clerk.store.engine import Store

    shutil.copy(template, tmp_path / "s.sqlite3")
    s = Store.sqlite(tmp_path / "s.sqlite3")
    yield s
    s.dispose()


def issue(store, day: date, hh: int, mm: int = 0, line: str = A, source: str = "kiosk"):
    at = datetime.combine(day, time(hh, mm), LOCAL_TZ)
    args = {"id": new_id(), "line_id": line, "source": source}
    if source == "appointment":
        args |= {"appointment_code": "K7Q2M9", "appointment_start": at.isoformat(),
                 "appointment_end": (at + timedelta(minutes=30)).isoformat()}
    return Workbench(store, FrozenClock(at)).apply("ticket.issue", args)


def refused(store, *args, **kw) -> str:
    with pytest.raises(MutationRefused) as err:
        issue(store, *args, **kw)
    return err.value.message


def test_weekday(store):
    monday = date(2026, 3, 2)
    assert issue(store, monday, 8, 30).number == "A001"
    assert issue(store, monday, 12, 30).number == "A002"  # 午间不间断
    assert "尚未开始办公，今天08:30开始取号" in refused(store, monday, 8, 0)
    msg = refused(store, monday, 17, 30)
    assert "今天的办公时间已结束（17:30）" in msg and "下次开放：明天3月3日（星期二） 08:30" in msg


def test_saturday_only_the_saturday_lines(store):
    saturday = date(2026, 3, 7)
    msg = refused(store, saturday, 10, line=A)
    assert "“综合受理”今天不办理" in msg and "下次开放：3月9日（星期一） 08:30" in msg
    assert issue(store, saturday, 10, line=C).number == "C001"
    assert "今天的办公时间已结束（12:00）" in refused(store, saturday, 12, line=C)


def test_swapped_working_saturday_has_weekday_hours(store):
    swapped = date(2026, 10, 10)  # 调休上班 after 国庆
    assert issue(store, swapped, 9, line=A).number == "A001"
    assert issue(store, swapped, 16, line=C).number == "C001"  # past the Saturday lines' noon
    assert "已结束（17:30）" in refused(store, swapped, 17, 45, line=A)


def test_holiday_closed_for_every_line(store):
    national_day = date(2026, 10, 1)
    for line in (A, C):
        msg = refused(store, national_day, 10, line=line)
        assert "今天是国庆节假期，不办理业务" in msg and "下次开放：10月8日（星期四） 08:30" in msg
    assert "国庆节" in refused(store, date(2026, 10, 3), 10, line=C)  # a Saturday in the holiday


def test_booked_matters_an_hour_either_side_on_working_days(store):
    monday = date(2026, 3, 2)
    assert issue(store, monday, 7, 45, source="appointment").priority == "appointment"
    assert issue(store, monday, 18, 15, source="appointment").priority == "appointment"
    assert "前后一小时内" in refused(store, monday, 18, 45, source="appointment")
    assert "前后一小时内" in refused(store, date(2026, 3, 7), 8, 30, line=C, source="appointment")


def test_a_clerks_walk_in_is_not_limited(store):
    assert issue(store, date(2026, 3, 2), 18, 0, source="walk_in").number == "A001"
