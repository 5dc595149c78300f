"""A case's time-limit state: how far it is from its promised limit, in working days.

Special procedures (Art 45) and 退回补正 stop the clock: the case shows "paused", and when it
restarts its due date moves by the working days it stood (clerk.backoffice.clock).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from clerk.calendar import WorkCalendar
from clerk.cases import states

NEAR_DAYS = 2
"""Working days left at which the screen turns yellow: time enough to extend or decide."""

RUNNING, NEAR, OVER, PAUSED, NONE = "running", "near", "over", "paused", "none"
PAUSED_STATES = {states.SUSPENDED: "特别程序中", states.RETURNED: "退回补正中"}
"""The clock stands still: Art 45's procedures, and the applicant supplying materials."""


@dataclass(frozen=True)
class Limit:
    state: str
    label: str


def limit(cal: WorkCalendar, status: str, due: date | None, today: date) -> Limit:
    """The limit of a case in the back office (or waiting at 出件) on ``today``. The dates are
    month and day: a limit is weeks away, and the label must fit its column at 120 columns."""
    if due is None:
        return Limit(NONE, "无承诺时限")
    if status in PAUSED_STATES:
        return Limit(PAUSED, f"{PAUSED_STATES[status]}，暂停计时（原定{_day(due)}）")
    if today > due:
        over = cal.working_days_between(due, today).days
        return Limit(OVER, f"已超期{max(over, 1)}个工作日（{_day(due)}到期）")
    left = cal.working_days_between(today, due).days
    if today == due:
        return Limit(NEAR, "今日到期")
    return Limit(NEAR if left <= NEAR_DAYS else RUNNING, f"剩余{left}个工作日（{_day(due)}到期）")


def _day(d: date) -> str:
    return f"{d.month}月{d.day}日"


def finished_on_time(due: date | None, decided_on: date | None) -> str:
    """"early" / "on_time" / "late" (decided before, on or after the due date); "" when unknown."""
    if due is None or decided_on is None:
        return ""
    if decided_on < due:
        return "early"
    return "on_time" if decided_on == due else "late"
