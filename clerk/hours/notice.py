"""What the kiosk and the hall board say about the hours, in Chinese."""

from __future__ import annotations

from datetime import date, datetime

from clerk.hours.rules import CentreHours, DayHours, hours_on, next_opening

_WEEKDAYS = "一二三四五六日"


def _day_text(day: date, today: date) -> str:
    label = f"{day.month}月{day.day}日（星期{_WEEKDAYS[day.weekday()]}）"
    if day == today:
        return f"今天{label}"
    return f"明天{label}" if (day - today).days == 1 else label


def _next_text(at: datetime, centre: CentreHours, line: str | None) -> str:
    nxt = next_opening(at, centre, line)
    if nxt is None:
        return "近期暂无开放安排，请咨询服务台"
    return f"下次开放：{_day_text(nxt.date(), at.date())} {nxt:%H:%M}"


def closed_reason(at: datetime, centre: CentreHours, line: str | None = None, line_name: str = "") -> str | None:
    """Why a ticket cannot be taken at ``at`` (local time), or None when open.

    Says whether the day is closed, the hall is not open yet, at lunch or closed for the
    day, and when it next opens.
    """
    today = hours_on(at.date(), centre, line)
    if today is not None and today.holds(at.time()):
        return None
    nxt = _next_text(at, centre, line)
    if today is None:
        return f"{_closed_day(at.date(), centre, line, line_name)}。{nxt}"
    t = at.time()
    if t < today.opens:
        return f"尚未开始办公，今天{today.opens:%H:%M}开始取号。{nxt}"
    if t >= today.closes:
        return f"今天的办公时间已结束（{today.closes:%H:%M}）。{nxt}"
    return f"午间休息，暂停取号。{nxt}"


def _closed_day(day: date, centre: CentreHours, line: str | None, line_name: str) -> str:
    info = centre.calendar.is_working_day(day)
    if not info.working and info.name not in ("", "周末"):
        return f"今天是{info.name}假期，不办理业务"
    if line is not None and hours_on(day, centre) is not None:
        return f"“{line_name or line}”今天不办理"
    return "今天休息，不办理业务"


def hours_text(today: DayHours | None, line_names: dict[str, str] | None = None) -> str:
    """The board's line: ``今日办公时间 08:30–17:30 · 午间不间断（1、2号窗口）``."""
    if today is None:
        return "今日休息"
    parts = ["今日办公时间 " + "、".join(i.text() for i in today.intervals)]
    if today.lunch is not None and today.lunch_windows:
        windows = "、".join(str(n) for n in sorted(today.lunch_windows))
        parts.append(f"午间不间断（{today.lunch.text()} {windows}号窗口值守）")
    if today.lines:
        names = line_names or {}
        parts.append("仅办理：" + "、".join(names.get(letter, letter) for letter in sorted(today.lines)))
    return " · ".join(parts)


def lunch_text(today: DayHours | None, window_number: int) -> str:
    """What a window's clerk reads about lunch today, compactly; "" when lunch changes nothing.

    With 午间不间断 the hall stays open and only the windows on the day's rota serve through
    lunch; the others close for it, as every window does on a day with a lunch close.
    """
    if today is None or today.lunch is None:
        return ""
    span = today.lunch.text()
    if not today.lunch_windows:
        return f"午休闭厅 {span}"
    if today.on_lunch_duty(window_number):
        return f"今日午间值守 {span}"
    rota = "、".join(str(n) for n in sorted(today.lunch_windows))
    return f"午休 {span}（{rota}号窗口值守）"
