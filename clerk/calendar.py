"""Working days on the Chinese statutory calendar with 调休 (PRODUCT.md §9).

Three sources, in this order:

1. the pinned ``chinese-calendar`` package, for the years it was released with;
2. a holiday table handed down by the central store (or loaded from the holiday
   fixtures), for years the package does not know yet;
3. the fallback: weekends alone, every result marked provisional — or, with
   ``fallback="error"``, a :class:`CalendarError`.

The package wins over the table for the years it covers: its data is the
published State Council schedule, while a table row for such a year can only be
a stale or partial copy.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Literal, Protocol

import chinese_calendar

from clerk.errors import UserFacingError

Fallback = Literal["weekends", "error"]

# chinese-calendar names its holidays in English; the clerk reads Chinese.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}
WEEKEND = "周末"
SWAPPED_WORKDAY = "调休上班"
HOLIDAY = "节假日"

# A table that marks this many days in a row as off is broken; stop rather than hang.
_MAX_DAYS_OFF_IN_A_ROW = 400


class CalendarError(UserFacingError):
    """No holiday data for a year and the configured fallback is "error"."""


@dataclass(frozen=True)
class DayInfo:
    working: bool
    provisional: bool = False
    """True when the answer comes from weekends alone (no holiday data for the year)."""
    name: str = ""
    """"国庆节", "调休上班", "周末", or "" for an ordinary working day."""


@dataclass(frozen=True)
class DueDate:
    date: date
    provisional: bool = False


@dataclass(frozen=True)
class DayCount:
    days: int
    provisional: bool = False


class _CalendarRow(Protocol):
    """What ``clerk.store.reference.CalendarDay`` looks like to this module."""

    day: date
    workday: bool
    name: str


@cache
def package_covers(year: int) -> bool:
    """Whether the installed chinese-calendar has data for ``year``."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def _is_weekend(d: date) -> bool:
    return d.weekday() >= 5


class WorkCalendar:
    """Answers "is this a working day" and counts working days for time limits."""

    def __init__(
        self,
        table: Mapping[date, bool] | None = None,
        years: Iterable[int] = (),
        *,
        names: Mapping[date, str] | None = None,
        fallback: Fallback = "weekends",
    ) -> None:
        """``table`` holds the exceptions (holidays off, 调休 days on) for ``years``.

        Days of a covered year that are not in the table follow the weekend rule.
        A year with a row in the table counts as covered even if not in ``years``.
        """
        if fallback not in ("weekends", "error"):
            raise ValueError(f"unknown calendar fallback: {fallback!r}")
        self._table = dict(table or {})
        self._names = dict(names or {})
        self._years = frozenset(years) | {d.year for d in self._table}
        self.fallback = fallback

    @classmethod
    def from_rows(
        cls, rows: Iterable[_CalendarRow], *, fallback: Fallback = "weekends"
    ) -> WorkCalendar:
        """Build from ``CalendarDay`` rows the caller has read from its session."""
        rows = list(rows)
        return cls(
            {r.day: r.workday for r in rows},
            names={r.day: r.name for r in rows if r.name},
            fallback=fallback,
        )

    @classmethod
    def from_holiday_tables(
        cls, tables: Iterable, *, fallback: Fallback = "weekends"
    ) -> WorkCalendar:
        """Build from ``clerk.fixtures.HolidayTable`` records (one per year)."""
        tables = list(tables)
        days = [d for t in tables for d in t.days]
        return cls(
            {d.date: d.workday for d in days},
            years={t.year for t in tables},
            names={d.date: d.name for d in days if d.name},
            fallback=fallback,
        )

    def covers(self, year: int) -> bool:
        """Whether ``year`` has real holiday data (package or table)."""
        return package_covers(year) or year in self._years

    def is_working_day(self, d: date) -> DayInfo:
        """Whether ``d`` is a working day, why not, and whether that is provisional."""
        if package_covers(d.year):
            return self._from_package(d)
        if d.year in self._years:
            return self._from_table(d)
        if self.fallback == "error":
            raise CalendarError(
                f"尚无{d.year}年的节假日安排，无法计算工作日，请联系中心更新节假日表",
                f"no holiday data for {d.year} and calendar.fallback is 'error'",
            )
        weekend = _is_weekend(d)
        return DayInfo(not weekend, provisional=True, name=WEEKEND if weekend else "")

    def add_working_days(self, start: date, n: int) -> DueDate:
        """The day ``n`` working days after ``start``; ``start`` itself is not counted.

        ``n == 0`` (an 即办件, done the same day) gives ``start`` if it is a working
        day, otherwise the next working day: a case taken in on a weekend or
        holiday can only be finished when the centre is open again.
        """
        if n < 0:
            raise ValueError("n must not be negative")
        if n == 0:
            today = self.is_working_day(start)
            if today.working:
                return DueDate(start, today.provisional)
            nxt = self.add_working_days(start, 1)
            return DueDate(nxt.date, nxt.provisional or today.provisional)
        d, counted, days_off, provisional = start, 0, 0, False
        while counted < n:
            d += timedelta(days=1)
            info = self.is_working_day(d)
            provisional = provisional or info.provisional
            counted, days_off = (counted + 1, 0) if info.working else (counted, days_off + 1)
            self._guard(days_off, d)
        return DueDate(d, provisional)

    def working_days_between(self, a: date, b: date) -> DayCount:
        """Working days after ``a`` up to and including ``b``; 0 when ``b <= a``."""
        days, provisional = 0, False
        d = a
        while d < b:
            d += timedelta(days=1)
            info = self.is_working_day(d)
            days += info.working
            provisional = provisional or info.provisional
        return DayCount(days, provisional)

    def _from_package(self, d: date) -> DayInfo:
        off, english = chinese_calendar.get_holiday_detail(d)
        if not off:
            # A named working day is a weekend made into a working day (调休).
            return DayInfo(True, name=SWAPPED_WORKDAY if english else "")
        if english is None:
            return DayInfo(False, name=WEEKEND)
        return DayInfo(False, name=HOLIDAY_NAMES.get(english, english))

    def _from_table(self, d: date) -> DayInfo:
        weekend = _is_weekend(d)
        working = self._table.get(d, not weekend)
        if working:
            return DayInfo(True, name=SWAPPED_WORKDAY if weekend else "")
        name = self._names.get(d, "")
        name = HOLIDAY_NAMES.get(name, name) or (HOLIDAY if d in self._table else WEEKEND)
        return DayInfo(False, name=name)

    def _guard(self, days_off: int, d: date) -> None:
        if days_off >= _MAX_DAYS_OFF_IN_A_ROW:
            raise CalendarError(
                f"节假日表有误：{d}之前连续{days_off}天均为休息日",
                f"holiday table marks {days_off} days off in a row up to {d}",
            )
