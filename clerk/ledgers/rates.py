"""好评率, 差评率, 差评整改率 and 整改及时率 per window, staff member, department or centre."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, select

from clerk.clock import local_time
from clerk.ledgers.reasons import BAD_GRADES, GOOD_GRADES
from clerk.store.ledger_tables import LedgerEntry, Rating
from clerk.store.reference import Centre, Department, Staff, Window

GroupBy = Literal["window", "staff", "department", "centre"]
GROUP_LABELS = {"centre": "本中心", "department": "按部门", "window": "按窗口", "staff": "按工作人员"}
_NAMES = {"window": (Window.id, Window.name), "staff": (Staff.id, Staff.name),
          "department": (Department.code, Department.name), "centre": (Centre.code, Centre.name)}
_KEY = {"window": Rating.window_id, "staff": Rating.rated_staff_id, "department": Rating.department_code,
        "centre": Rating.centre_code}


@dataclass(frozen=True)
class Rates:
    key: str
    total: int
    good: int
    bad: int
    rectified: int
    """Bad reviews whose rectification is closed."""
    on_time: int
    """…closed by their due date."""

    @property
    def good_rate(self) -> float | None:
        return self.good / self.total if self.total else None

    @property
    def bad_rate(self) -> float | None:
        return self.bad / self.total if self.total else None

    @property
    def rectified_rate(self) -> float | None:
        return self.rectified / self.bad if self.bad else None

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.bad if self.bad else None


def rates(session: Session, visible: ColumnElement[bool], start: datetime, end: datetime, by: GroupBy) -> list[Rates]:
    """The four rates of the valid ratings in ``[start, end)`` that ``visible`` lets through.

    Ratings set aside on appeal do not count (000 wants 差评整改率 and 及时率 of 100 %).
    """
    rows = session.exec(
        select(_KEY[by], Rating.grade, LedgerEntry.status, LedgerEntry.closed_at, LedgerEntry.due_date)
        .outerjoin(LedgerEntry, col(LedgerEntry.rating_id) == col(Rating.id))
        .where(visible, col(Rating.valid), col(Rating.at) >= start, col(Rating.at) < end)
    ).all()
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for key, grade, status, closed_at, due in rows:
        c = counts[key or ""]
        c[0] += 1
        c[1] += grade in GOOD_GRADES
        if grade in BAD_GRADES:
            c[2] += 1
            done = status == "closed" and closed_at is not None
            c[3] += done
            c[4] += done and _on_time(closed_at, due)
    return [Rates(k, *v) for k, v in sorted(counts.items())]


def _on_time(closed_at: datetime, due: date | None) -> bool:
    return due is None or local_time(closed_at).date() <= due


def names(session: Session, by: GroupBy, keys: list[str]) -> dict[str, str]:
    """What the clerk reads for each group key: the window's, person's, department's or centre's name.

    A key of "" is a rating with no one of that kind (a kiosk visit with no window, a case
    whose handler left): it reads “未关联”."""
    key, name = _NAMES[by]
    found = dict(session.exec(select(key, name).where(col(key).in_([k for k in keys if k]))).all())
    return {k: found.get(k, k) if k else "未关联" for k in keys}
