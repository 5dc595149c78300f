"""Opening hours as pure functions: which intervals a centre (or one line) is open on a day.

The rules come from the centre's reference data (``[[hours]]`` in its fixture file). A day
is looked up on the working-day calendar first (PRODUCT.md §9):

- a statutory holiday is closed, even on a Saturday line or a township Sunday;
- a 调休 working Saturday or Sunday is an ordinary working day with weekday hours;
- an ordinary weekend day follows its own rules (``sat`` / ``sun``), if any.

A rule with ``lines`` is an override for those lines on its days (周六个人高频事项); a rule
without applies to the whole centre. 午间不间断 (002): when a rule names the windows that
stay open at lunch, the centre is open straight through; without them it closes at lunch.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from clerk.calendar import WEEKEND, WorkCalendar

DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WORKDAY_KEYS = DAY_KEYS[:5]
FLEXIBLE = timedelta(hours=1)
"""早晚弹性办 (002): booked matters up to an hour before opening and after closing."""
_LOOKAHEAD_DAYS = 60


@dataclass(frozen=True)
class Interval:
    start: time
    end: time

    def holds(self, t: time) -> bool:
        return self.start <= t < self.end

    def text(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


@dataclass(frozen=True)
class HoursRule:
    days: frozenset[str]
    opens: time
    closes: time
    lunch: Interval | None = None
    lunch_windows: frozenset[int] = frozenset()
    """Windows on lunch duty (午间不间断); empty with a lunch break: closed at lunch."""
    lines: frozenset[str] = frozenset()
    """Line letters this rule is for; empty: the whole centre."""


@dataclass(frozen=True)
class CentreHours:
    """A centre's hours rules and the calendar they are read against."""

    rules: tuple[HoursRule, ...]
    calendar: WorkCalendar = field(default_factory=WorkCalendar)


@dataclass(frozen=True)
class DayHours:
    intervals: tuple[Interval, ...]
    lunch: Interval | None = None
    lunch_windows: frozenset[int] = frozenset()
    working_day: bool = True
    """False on a weekend day that is open (Saturday lines, township Sundays)."""
    lines: frozenset[str] = frozenset()
    """On a day only some lines are open: those lines (empty: the whole centre)."""

    @property
    def opens(self) -> time:
        return self.intervals[0].start

    @property
    def closes(self) -> time:
        return self.intervals[-1].end

    def holds(self, t: time) -> bool:
        return any(i.holds(t) for i in self.intervals)

    def on_lunch_duty(self, window_number: int) -> bool:
        return window_number in self.lunch_windows


def _day_key(day: date, hours: CentreHours) -> str | None:
    """Whose rules a day follows: its weekday, ``mon`` for a 调休 weekend day, None if closed."""
    info = hours.calendar.is_working_day(day)
    weekday = DAY_KEYS[day.weekday()]
    if info.working:
        return weekday if weekday in WORKDAY_KEYS else _workday_key(hours)
    if weekday in WORKDAY_KEYS or info.name != WEEKEND:
        return None  # a holiday: closed whatever the weekday
    return weekday


def _workday_key(hours: CentreHours) -> str:
    # A 调休 day stands in for a weekday; they all have the same hours in practice, so the
    # first weekday with centre-wide hours speaks for it.
    return next((k for k in WORKDAY_KEYS if any(k in r.days and not r.lines for r in hours.rules)), "mon")


def _rules_for(key: str, hours: CentreHours, line: str | None) -> list[HoursRule]:
    todays = [r for r in hours.rules if key in r.days]
    if line is None:
        return todays
    own = [r for r in todays if line in r.lines]
    return own or [r for r in todays if not r.lines]


def _intervals(rule: HoursRule) -> list[Interval]:
    if rule.lunch is None or rule.lunch_windows:
        return [Interval(rule.opens, rule.closes)]
    return [Interval(rule.opens, rule.lunch.start), Interval(rule.lunch.end, rule.closes)]


def _merge(intervals: Iterable[Interval]) -> tuple[Interval, ...]:
    out: list[Interval] = []
    for i in sorted(intervals, key=lambda i: i.start):
        if out and i.start <= out[-1].end:
            out[-1] = Interval(out[-1].start, max(out[-1].end, i.end))
        else:
            out.append(i)
    return tuple(out)


def hours_on(day: date, centre: CentreHours, line: str | None = None) -> DayHours | None:
    """The open hours of ``centre`` (or of its ``line``, a letter) on ``day``; None if closed."""
    key = _day_key(day, centre)
    if key is None:
        return None
    rules = _rules_for(key, centre, line)
    if not rules:
        return None
    general = [r for r in rules if not r.lines]
    lunch_rule = (general or rules)[0]
    only = frozenset() if general or line else frozenset().union(*(r.lines for r in rules))
    return DayHours(
        _merge(i for r in rules for i in _intervals(r)),
        lunch_rule.lunch,
        frozenset().union(*(r.lunch_windows for r in rules)),
        working_day=centre.calendar.is_working_day(day).working,
        lines=only,
    )


def is_open_at(at: datetime, centre: CentreHours, line: str | None = None) -> bool:
    """Whether ``at`` (local time) falls in the open hours."""
    today = hours_on(at.date(), centre, line)
    return today is not None and today.holds(at.time())


def next_opening(at: datetime, centre: CentreHours, line: str | None = None) -> datetime | None:
    """The first opening strictly after ``at`` (local, naive or aware as given); None if none
    in the next two months (a centre with no hours for that line at all)."""
    for offset in range(_LOOKAHEAD_DAYS):
        day = at.date() + timedelta(days=offset)
        today = hours_on(day, centre, line)
        for interval in today.intervals if today else ():
            start = datetime.combine(day, interval.start, at.tzinfo)
            if start > at:
                return start
    return None


def within_flexible_hours(at: datetime, centre: CentreHours, line: str | None = None) -> bool:
    """Whether a booked matter may be served at ``at``: the open hours, or 早晚弹性 — up to
    an hour before opening and after closing, on a working day only (法定工作日期间)."""
    today = hours_on(at.date(), centre, line)
    if today is None:
        return False
    if today.holds(at.time()):
        return True
    if not today.working_day:
        return False
    opens = datetime.combine(at.date(), today.opens, at.tzinfo)
    closes = datetime.combine(at.date(), today.closes, at.tzinfo)
    return opens - FLEXIBLE <= at < closes + FLEXIBLE


def closing_on(day: date, centre: CentreHours) -> time | None:
    """When the centre's last line closes on ``day``: the start of 延时服务."""
    today = hours_on(day, centre)
    return today.closes if today else None
