"""The hall board shows today's hours and the windows on lunch duty."""

from __future__ import annotations

from datetime import date

from hours_store import demo_store

from clerk.central.display import board


def test_board_shows_todays_hours(tmp_path):
    store = demo_store(tmp_path / "s.sqlite3")
    with store.session() as s:
        assert board(s, "demo-county", date(2026, 3, 2))["hours"] == (
            "今日办公时间 08:30–17:30 · 午间不间断（12:00–14:00 1、2、19号窗口值守）")
        assert board(s, "demo-county", date(2026, 3, 7))["hours"] == "今日办公时间 09:00–12:00 · 仅办理：社保医保、户籍"
        assert board(s, "demo-county", date(2026, 10, 1))["hours"] == "今日休息"
        assert board(s, "demo-township", date(2026, 3, 2))["hours"] == "今日办公时间 08:30–12:00、14:00–17:30"
    store.dispose()
