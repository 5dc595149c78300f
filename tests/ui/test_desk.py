"""The Desk facade the screens use: plain data, no Textual."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from ui_helpers import MONDAY_9AM

from clerk.clock import LOCAL_TZ, FrozenClock
from clerk.desk import FIRST_START, Desk, action_label, open_desk
from clerk.staff.auth import SignInError


@pytest.mark.parametrize(
    ("at", "label"),
    [
        (MONDAY_9AM, "2026年11月16日 星期一 · 工作日"),
        (datetime(2026, 10, 1, 9, tzinfo=LOCAL_TZ), "2026年10月1日 星期四 · 休息日（国庆节）"),
        (datetime(2026, 10, 10, 9, tzinfo=LOCAL_TZ), "2026年10月10日 星期六 · 工作日（调休上班）"),
        (datetime(2027, 3, 1, 9, tzinfo=LOCAL_TZ), "2027年3月1日 星期一 · 工作日（暂定）"),
    ],
)
def test_today_label(settings, store, at, label):
    assert Desk(settings, store, FrozenClock(at)).today().label == label


def test_today_is_counted_in_beijing_time(settings, store):
    # 17:30 UTC on Sunday is already Monday 01:30 in Beijing.
    sunday_evening_utc = MONDAY_9AM - timedelta(hours=7, minutes=30)
    assert (
        Desk(settings, store, FrozenClock(sunday_evening_utc)).today().date.isoformat()
        == "2026-11-16"
    )


def test_windows_carry_kind_labels_and_lines(settings, store, clock):
    windows = Desk(settings, store, clock).windows()
    assert len(windows) >= 20
    first = windows[0]
    assert first.number == 1 and first.kind_label == "无差别综合"
    assert first.lines and first.lines[0].startswith("A ")


def test_conflict_actions_read_in_chinese():
    assert action_label("seat.take") == "窗口就座"
    assert action_label("ticket.call") == "叫号"
    assert action_label("test.unknown") == "test.unknown"


def test_staff_of_another_centre_cannot_sign_in_here(settings, store, clock):
    with pytest.raises(SignInError) as err:
        Desk(settings, store, clock).sign_in("town01", "demo1234")
    assert "不是本中心的工作人员" in err.value.message


def test_an_enrolled_counter_waits_for_central_reference_data(settings, tmp_path, clock):
    from clerk.bootstrap import has_reference_data
    from clerk.desk import open_desk
    from clerk.store.engine import Store
    from clerk.store.migrate import upgrade
    from clerk.sync import meta

    store = Store.sqlite(tmp_path / "enrolled.sqlite3")
    upgrade(store)
    with store.write() as session:
        meta.put(session, meta.DEVICE_ID, "device-1")
        meta.put(session, meta.SECRET, "secret")
    opened = open_desk(settings, clock, store)
    assert opened.loaded is None
    assert not has_reference_data(store)  # the demo fixtures never mix with the centre's data


def test_the_first_start_says_it_takes_a_moment_and_later_starts_do_not(settings, clock):
    said: list[str] = []
    first = open_desk(settings, clock, say=said.append)
    assert first.loaded is not None and said == [FIRST_START]
    first.desk.store.dispose()
    again = open_desk(settings, clock, say=said.append)
    assert again.loaded is None and said == [FIRST_START]
    again.desk.store.dispose()


def test_papers_of_an_enrolled_counter_carry_the_case_page(settings, store, clock):
    """A counter enrolled with `clerk enrol URL CODE` (no [sync] central_url set) printed
    every paper without its QR code, while the paper said “扫描二维码查看办理进度”."""
    from clerk.sync import meta

    assert settings.sync.central_url == ""
    with store.write() as session:
        meta.put(session, meta.URL, "http://10.0.0.5:8600")
    assert Desk(settings, store, clock).cases.public_base == "http://10.0.0.5:8600"
