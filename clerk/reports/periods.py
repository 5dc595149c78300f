"""Report periods: a shift, a day, a 旬, a month, a quarter or a year, as a UTC interval.

Centres count days in Beijing time (clerk.clock.LOCAL_TZ); the interval is half-open,
``[start, end)``. A shift whose end is not after its start ends on the next day.
"""

from __future__ import annotations

import calendar as month_calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

from clerk.calendar import WorkCalendar
from clerk.clock import LOCAL_TZ
from clerk.errors import UserFacingError

PeriodKind = Literal["shift", "day", "xun", "month", "quarter", "year"]
KINDS: tuple[PeriodKind, ...] = ("shift", "day", "xun", "month", "quarter", "year")
_XUN_NAMES = ("上旬", "中旬", "下旬")


class PeriodError(UserFacingError):
    """A period the report cannot be made for."""


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    first_day: date
    last_day: date
    start: datetime
    """Aware UTC, inclusive."""
    end: datetime
    """Aware UTC, exclusive."""
    label: str

    def days(self) -> list[date]:
        n = (self.last_day - self.first_day).days + 1
        return [self.first_day + timedelta(days=i) for i in range(n)]


def _utc(day: date, at: time = time(0)) -> datetime:
    return datetime.combine(day, at, LOCAL_TZ).astimezone(UTC)


def _bounds(kind: PeriodKind, d: date) -> tuple[date, date, str]:
    """First and last local day of the period of ``kind`` holding ``d``, and its label."""
    if kind in ("day", "shift"):
        return d, d, f"{d:%Y年%m月%d日}"
    if kind == "xun":
        index = min((d.day - 1) // 10, 2)
        first = d.replace(day=1 + 10 * index)
        last = d.replace(day=month_calendar.monthrange(d.year, d.month)[1]) if index == 2 else first + timedelta(days=9)
        return first, last, f"{d.year}年{d.month}月{_XUN_NAMES[index]}"
    if kind == "month":
        last = d.replace(day=month_calendar.monthrange(d.year, d.month)[1])
        return d.replace(day=1), last, f"{d.year}年{d.month}月"
    if kind == "quarter":
        q = (d.month - 1) // 3
        first = date(d.year, 3 * q + 1, 1)
        end_month = 3 * q + 3
        return first, date(d.year, end_month, month_calendar.monthrange(d.year, end_month)[1]), f"{d.year}年第{q + 1}季度"
    if kind == "year":
        return date(d.year, 1, 1), date(d.year, 12, 31), f"{d.year}年"
    raise PeriodError(f"未知的统计周期：{kind}", f"unknown period kind {kind!r}")


def span(kind: PeriodKind, d: date) -> tuple[datetime, datetime, str]:
    """[start, end) in UTC and the label of the calendar period of ``kind`` holding ``d``
    (for screens that show "today / this month" figures, which need no holiday data)."""
    first, last, label = _bounds(kind, d)
    return _utc(first), _utc(last + timedelta(days=1)), label


def resolve(
    kind: str, d: date, now: datetime, work_calendar: WorkCalendar,
    shift_start: time = time(8, 30), shift_end: time = time(17, 30),
) -> Period:
    """The period of ``kind`` holding local day ``d``, refused when it has not started yet
    or falls in a year the working-day calendar has no data for."""
    if kind not in KINDS:
        raise PeriodError(f"未知的统计周期：{kind}（可选 {' / '.join(KINDS)}）", f"unknown period kind {kind!r}")
    if not work_calendar.covers(d.year):
        raise PeriodError(f"日历中没有{d.year}年的节假日安排，无法出具该年的台账", f"calendar does not cover {d.year}")
    first, last, label = _bounds(kind, d)
    if kind == "shift":
        start = _utc(d, shift_start)
        end_day = d if shift_end > shift_start else d + timedelta(days=1)
        end = _utc(end_day, shift_end)
        label = f"{label} 班次 {shift_start:%H:%M}–{shift_end:%H:%M}{'（次日）' if end_day != d else ''}"
    else:
        start, end = _utc(first), _utc(last + timedelta(days=1))
    if start > now:
        raise PeriodError(f"{label}尚未开始，没有可统计的数据", f"period {kind} {d} starts {start} after {now}")
    return Period(kind, first, last, start, end, label)  # type: ignore[arg-type]


def parse_time(text: str) -> time:
    """ "08:30" → 08:30, for the shift settings."""
    try:
        hours, minutes = text.split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise PeriodError(f"班次时间格式应为 时:分，例如 08:30（收到 {text!r}）", f"bad time {text!r}") from None


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise PeriodError(f"日期格式应为 年-月-日，例如 2026-03-09（收到 {text!r}）", f"bad date {text!r}") from None
