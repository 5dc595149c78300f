"""Opening hours on explicit 2026 days: weekday, Saturday, 调休 Saturday, holiday, township Sunday."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from demo_hours import demo_hours

from clerk.hours.rules import Interval, hours_on, is_open_at, next_opening, within_flexible_hours

MONDAY = date(2026, 3, 2)
SATURDAY = date(2026, 3, 7)
SWAPPED_SATURDAY = date(2026, 10, 10)  # 调休上班 after 国庆
NATIONAL_DAY = date(2026, 10, 1)  # a Thursday
HOLIDAY_SATURDAY = date(2026, 10, 3)
SUNDAY = date(2026, 3, 8)


@pytest.fixture(scope="module")
def county():
    return demo_hours("demo-county")


@pytest.fixture(scope="module")
def township():
    return demo_hours("demo-township")


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm))


def test_weekday_is_open_straight_through_lunch_with_a_rota(county):
    today = hours_on(MONDAY, county)
    assert today.intervals == (Interval(time(8, 30), time(17, 30)),)
    assert today.lunch == Interval(time(12, 0), time(14, 0))
    assert today.on_lunch_duty(1) and today.on_lunch_duty(19) and not today.on_lunch_duty(5)
    assert is_open_at(at(MONDAY, 12, 30), county, "A")
    assert not is_open_at(at(MONDAY, 8, 29), county) and not is_open_at(at(MONDAY, 17, 30), county)


def test_saturday_is_closed_except_for_the_saturday_lines(county):
    assert hours_on(SATURDAY, county, "A") is None
    assert hours_on(SATURDAY, county, "C").intervals == (Interval(time(9), time(12)),)
    centre = hours_on(SATURDAY, county)
    assert centre.lines == {"C", "F"} and not centre.working_day
    assert is_open_at(at(SATURDAY, 10), county, "F") and not is_open_at(at(SATURDAY, 10), county, "B")


def test_a_swapped_saturday_has_weekday_hours_for_every_line(county):
    for line in ("A", "C", None):
        today = hours_on(SWAPPED_SATURDAY, county, line)
        assert today.intervals == (Interval(time(8, 30), time(17, 30)),) and today.working_day


def test_holidays_are_closed_even_for_saturday_lines_and_township_sundays(county, township):
    assert hours_on(NATIONAL_DAY, county) is None
    assert hours_on(HOLIDAY_SATURDAY, county, "C") is None
    assert hours_on(date(2026, 10, 4), township) is None  # a Sunday in the 国庆 holiday
    assert hours_on(SUNDAY, township).intervals == (Interval(time(9), time(12)),)
    assert hours_on(SUNDAY, county) is None


def test_township_closes_at_lunch_without_a_rota(township):
    assert hours_on(MONDAY, township).intervals == (
        Interval(time(8, 30), time(12)), Interval(time(14), time(17, 30)))
    assert not is_open_at(at(MONDAY, 12, 30), township)


def test_next_opening_skips_holidays_and_closed_lines(county):
    assert next_opening(at(MONDAY, 18), county) == at(date(2026, 3, 3), 8, 30)
    assert next_opening(at(date(2026, 3, 6), 18), county, "C") == at(SATURDAY, 9)  # Friday evening
    assert next_opening(at(date(2026, 3, 6), 18), county, "A") == at(date(2026, 3, 9), 8, 30)
    # 国庆: closed 1–7 October, then Thursday 8th
    assert next_opening(at(date(2026, 9, 30), 18), county, "A") == at(date(2026, 10, 8), 8, 30)


def test_flexible_hours_an_hour_either_side_on_working_days_only(county):
    assert within_flexible_hours(at(MONDAY, 7, 30), county)
    assert not within_flexible_hours(at(MONDAY, 7, 29), county)
    assert within_flexible_hours(at(MONDAY, 18, 29), county)
    assert not within_flexible_hours(at(MONDAY, 18, 30), county)
    assert within_flexible_hours(at(SWAPPED_SATURDAY, 7, 45), county, "A")
    assert not within_flexible_hours(at(SATURDAY, 8, 30), county, "C")  # not a 法定工作日
    assert not within_flexible_hours(at(NATIONAL_DAY, 9), county)


def test_a_window_reads_its_lunch_from_the_days_hours(county, township):
    from clerk.hours.notice import lunch_text

    monday = hours_on(MONDAY, county)
    assert lunch_text(monday, 1) == "今日午间值守 12:00–14:00"
    assert lunch_text(monday, 5) == "午休 12:00–14:00（1、2、19号窗口值守）"
    assert lunch_text(hours_on(MONDAY, township), 1) == "午休闭厅 12:00–14:00"
    assert lunch_text(hours_on(SATURDAY, county), 1) == ""
    assert lunch_text(None, 1) == ""
