"""The working-day calendar (PRODUCT.md §9).

Dates for 2026 were read from chinese-calendar 1.11.0:
- Spring Festival: off 2026-02-15 (Sun) to 2026-02-23 (Mon); 调休 working Saturdays
  2026-02-14 and 2026-02-28.
- Mid-autumn Festival: off 2026-09-25 to 2026-09-27; National Day: off 2026-10-01 to
  2026-10-07; 调休 working days 2026-09-20 (Sun) and 2026-10-10 (Sat).
- December 2026 has no holiday; 2027 is unknown to the package.
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import create_engine
from sqlmodel import Session, SQLModel, select

from clerk.calendar import CalendarError, DayCount, DayInfo, DueDate, WorkCalendar, package_covers
from clerk.errors import UserFacingError
from clerk.fixtures import HolidayDay, HolidayTable
from clerk.store.reference import CalendarDay

CAL = WorkCalendar()

# A made-up 2027 table: New Year's Day off, and Saturday 2027-01-16 a 调休 working day.
TABLE_2027 = {date(2027, 1, 1): False, date(2027, 1, 16): True}


def test_package_range_is_what_we_pinned():
    assert package_covers(2026)
    assert not package_covers(2027)


# --- is_working_day ---------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 10, 1), DayInfo(False, name="国庆节")),
        (date(2026, 10, 7), DayInfo(False, name="国庆节")),
        (date(2026, 9, 25), DayInfo(False, name="中秋节")),
        (date(2026, 10, 10), DayInfo(True, name="调休上班")),
        (date(2026, 9, 20), DayInfo(True, name="调休上班")),
        (date(2026, 10, 11), DayInfo(False, name="周末")),
        (date(2026, 10, 8), DayInfo(True, name="")),
        (date(2026, 2, 15), DayInfo(False, name="春节")),
        (date(2026, 2, 23), DayInfo(False, name="春节")),
        (date(2026, 2, 14), DayInfo(True, name="调休上班")),
        (date(2026, 2, 28), DayInfo(True, name="调休上班")),
        (date(2026, 1, 1), DayInfo(False, name="元旦")),
        (date(2026, 4, 6), DayInfo(False, name="清明节")),
        (date(2026, 5, 5), DayInfo(False, name="劳动节")),
        (date(2026, 6, 19), DayInfo(False, name="端午节")),
    ],
)
def test_is_working_day_2026(day, expected):
    assert CAL.is_working_day(day) == expected


def test_unknown_year_falls_back_to_weekends_provisionally():
    assert CAL.is_working_day(date(2027, 1, 1)) == DayInfo(True, provisional=True)
    assert CAL.is_working_day(date(2027, 1, 2)) == DayInfo(False, provisional=True, name="周末")


def test_table_year_is_not_provisional():
    cal = WorkCalendar(TABLE_2027, {2027}, names={date(2027, 1, 1): "元旦"})
    assert cal.is_working_day(date(2027, 1, 1)) == DayInfo(False, name="元旦")
    assert cal.is_working_day(date(2027, 1, 16)) == DayInfo(True, name="调休上班")
    assert cal.is_working_day(date(2027, 1, 17)) == DayInfo(False, name="周末")
    assert cal.is_working_day(date(2027, 3, 1)) == DayInfo(True)
    # A year outside the table is still provisional.
    assert cal.is_working_day(date(2028, 1, 3)).provisional


def test_table_without_names_says_holiday():
    cal = WorkCalendar(TABLE_2027)
    assert cal.is_working_day(date(2027, 1, 1)) == DayInfo(False, name="节假日")


def test_package_wins_over_table_for_its_years():
    cal = WorkCalendar({date(2026, 10, 1): True})
    assert not cal.is_working_day(date(2026, 10, 1)).working


# --- add_working_days -------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        # PRODUCT.md §9: 10-08 Thu, 10-09 Fri, 10-10 Sat (调休), 10-12 Mon, 10-13 Tue.
        (date(2026, 9, 30), 5, date(2026, 10, 13)),
        (date(2026, 9, 30), 1, date(2026, 10, 8)),
        (date(2026, 9, 30), 3, date(2026, 10, 10)),
        # Mid-autumn 09-25..27 off, then 09-28 Mon.
        (date(2026, 9, 24), 1, date(2026, 9, 28)),
        # Sat 09-19 is off, Sun 09-20 is a 调休 working day.
        (date(2026, 9, 18), 1, date(2026, 9, 20)),
        (date(2026, 9, 29), 2, date(2026, 10, 8)),
        # Spring Festival: Fri 02-13 → Sat 02-14 (调休) → Tue 02-24 after the break.
        (date(2026, 2, 13), 1, date(2026, 2, 14)),
        (date(2026, 2, 13), 2, date(2026, 2, 24)),
        # 02-24..02-27 Tue–Fri are 4 days, Sat 02-28 (调休) the 5th.
        (date(2026, 2, 23), 5, date(2026, 2, 28)),
        (date(2026, 2, 23), 6, date(2026, 3, 2)),
    ],
)
def test_add_working_days_across_holidays(start, n, due):
    assert CAL.add_working_days(start, n) == DueDate(due, provisional=False)


def test_start_on_a_holiday_or_weekend():
    # Accepted on a holiday or weekend: counting starts with the next day as usual.
    assert CAL.add_working_days(date(2026, 10, 3), 1).date == date(2026, 10, 8)
    assert CAL.add_working_days(date(2026, 2, 18), 1).date == date(2026, 2, 24)
    assert CAL.add_working_days(date(2026, 10, 11), 1).date == date(2026, 10, 12)
    assert CAL.add_working_days(date(2026, 11, 7), 2).date == date(2026, 11, 10)


def test_zero_days_is_the_same_day_or_the_next_working_day():
    assert CAL.add_working_days(date(2026, 10, 9), 0) == DueDate(date(2026, 10, 9))
    assert CAL.add_working_days(date(2026, 10, 10), 0) == DueDate(date(2026, 10, 10))
    assert CAL.add_working_days(date(2026, 10, 1), 0) == DueDate(date(2026, 10, 8))
    assert CAL.add_working_days(date(2026, 10, 11), 0) == DueDate(date(2026, 10, 12))


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        CAL.add_working_days(date(2026, 10, 9), -1)


def test_limit_running_into_an_unknown_year_is_provisional():
    # Dec 2026: 16–18, 21–25, 28–31 = 12 days; 2027 by weekends: 01-01 (13),
    # 01-04..08 (14–18), 01-11 (19), 01-12 (20).
    assert CAL.add_working_days(date(2026, 12, 15), 20) == DueDate(date(2027, 1, 12), True)


def test_limit_running_into_a_table_year_uses_the_table():
    # 01-01 off: 01-04..08 (13–17), 01-11..13 (18–20); the 调休 01-16 comes after.
    cal = WorkCalendar(TABLE_2027, {2027})
    assert cal.add_working_days(date(2026, 12, 15), 20) == DueDate(date(2027, 1, 13), False)
    # 01-14 Thu (21), 01-15 Fri (22), Sat 01-16 调休 (23).
    assert cal.add_working_days(date(2026, 12, 15), 23) == DueDate(date(2027, 1, 16), False)


def test_provisional_is_sticky():
    assert CAL.add_working_days(date(2026, 12, 31), 1) == DueDate(date(2027, 1, 1), True)
    # Ending in a year the table covers does not clear what was guessed on the way.
    cal = WorkCalendar({date(2028, 1, 3): True})
    due = cal.add_working_days(date(2026, 12, 31), 300)
    assert due.date.year == 2028
    assert due.provisional


def test_limit_within_a_known_year_ignores_the_fallback():
    cal = WorkCalendar(fallback="error")
    assert cal.add_working_days(date(2026, 9, 30), 5) == DueDate(date(2026, 10, 13))


def test_fallback_error_raises_a_chinese_message():
    cal = WorkCalendar(fallback="error")
    with pytest.raises(CalendarError) as info:
        cal.add_working_days(date(2026, 12, 15), 20)
    assert isinstance(info.value, UserFacingError)
    assert "2027" in info.value.message
    assert "节假日" in info.value.message
    with pytest.raises(CalendarError):
        cal.is_working_day(date(2027, 1, 4))


def test_unknown_fallback_is_refused():
    with pytest.raises(ValueError):
        WorkCalendar(fallback="guess")  # type: ignore[arg-type]


def test_broken_table_does_not_hang():
    every_day_off = {date(2027, 1, 1) + timedelta(days=i): False for i in range(365)}
    cal = WorkCalendar(every_day_off, {2027}, fallback="error")
    with pytest.raises(CalendarError):
        cal.add_working_days(date(2026, 12, 31), 1)


# --- working_days_between ---------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "days"),
    [
        (date(2026, 9, 30), date(2026, 10, 13), 5),
        (date(2026, 9, 30), date(2026, 10, 7), 0),
        (date(2026, 9, 24), date(2026, 10, 8), 4),  # 09-28, 09-29, 09-30, 10-08
        (date(2026, 2, 13), date(2026, 2, 28), 6),  # 02-14, 02-24..27 and 02-28
        (date(2026, 10, 13), date(2026, 10, 13), 0),
        (date(2026, 10, 13), date(2026, 9, 30), 0),
    ],
)
def test_working_days_between(a, b, days):
    assert CAL.working_days_between(a, b) == DayCount(days, False)


def test_working_days_between_into_an_unknown_year():
    assert CAL.working_days_between(date(2026, 12, 15), date(2027, 1, 12)) == DayCount(20, True)
    assert CAL.working_days_between(date(2026, 12, 15), date(2026, 12, 31)) == DayCount(12, False)


def test_working_days_between_over_years_matches_the_package():
    a, b = date(2020, 1, 1), date(2026, 12, 31)
    expected = len(chinese_calendar.get_workdays(a + timedelta(days=1), b))
    assert CAL.working_days_between(a, b) == DayCount(expected, False)


# --- building from stored rows ----------------------------------------------


def test_from_calendar_day_rows_in_a_session():
    engine = create_engine("sqlite://")
    SQLModel.metadata.create_all(engine, tables=[CalendarDay.__table__])
    with Session(engine) as session:
        session.add(CalendarDay(day=date(2027, 1, 1), workday=False, name="元旦"))
        session.add(CalendarDay(day=date(2027, 1, 16), workday=True, name="元旦"))
        session.commit()
        cal = WorkCalendar.from_rows(session.exec(select(CalendarDay)).all())
    assert cal.covers(2027)
    assert cal.is_working_day(date(2027, 1, 1)) == DayInfo(False, name="元旦")
    assert cal.is_working_day(date(2027, 1, 16)) == DayInfo(True, name="调休上班")
    assert cal.add_working_days(date(2026, 12, 15), 20) == DueDate(date(2027, 1, 13))


def test_from_holiday_tables():
    table = HolidayTable(
        year=2027,
        days=[
            HolidayDay(date=date(2027, 1, 1), workday=False, name="元旦"),
            HolidayDay(date=date(2027, 1, 16), workday=True),
        ],
    )
    cal = WorkCalendar.from_holiday_tables([table], fallback="error")
    assert cal.add_working_days(date(2026, 12, 15), 20) == DueDate(date(2027, 1, 13))
    assert cal.is_working_day(date(2027, 1, 1)).name == "元旦"


def test_empty_table_still_covers_its_year():
    cal = WorkCalendar.from_holiday_tables([HolidayTable(year=2027, days=[])], fallback="error")
    assert cal.is_working_day(date(2027, 1, 1)) == DayInfo(True)


# --- properties -------------------------------------------------------------

days_2024_2027 = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 11, 30))
table_calendars = st.sampled_from([CAL, WorkCalendar(TABLE_2027, {2027})])


@given(cal=table_calendars, start=days_2024_2027, n=st.integers(min_value=1, max_value=40))
def test_due_date_is_a_working_day_after_start(cal, start, n):
    due = cal.add_working_days(start, n)
    assert due.date > start
    assert cal.is_working_day(due.date).working


@given(cal=table_calendars, start=days_2024_2027, n=st.integers(min_value=1, max_value=40))
def test_between_inverts_add(cal, start, n):
    due = cal.add_working_days(start, n)
    assert cal.working_days_between(start, due.date) == DayCount(n, due.provisional)


@given(start=days_2024_2027, n=st.integers(min_value=0, max_value=40))
def test_provisional_only_when_an_unknown_year_is_touched(start, n):
    due = CAL.add_working_days(start, n)
    assert due.provisional == (due.date.year >= 2027)
