"""What a report covers: the centre, one window, one staff member or one line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlmodel import Session, select

from clerk.errors import UserFacingError
from clerk.store.reference import Centre, ServiceLine, Staff, Window

ScopeKind = Literal["centre", "window", "staff", "line"]
KIND_LABELS = {"centre": "全中心", "window": "窗口", "staff": "工作人员", "line": "业务"}


class ScopeError(UserFacingError):
    pass


@dataclass(frozen=True)
class Scope:
    kind: ScopeKind
    centre_code: str
    key: str
    """The centre code, window id, staff id or line id."""
    label: str

    @property
    def column(self) -> str | None:
        """The ticket_event column the scope filters on (None for the whole centre)."""
        return {"centre": None, "window": "window_id", "staff": "staff_id", "line": "line_id"}[self.kind]


def centre_scope(session: Session, centre_code: str) -> Scope:
    centre = session.get(Centre, centre_code)
    if centre is None:
        raise ScopeError(f"没有这个中心：{centre_code}", f"no centre {centre_code!r}")
    return Scope("centre", centre.code, centre.code, centre.name)


def window_scope(session: Session, centre_code: str, number: int) -> Scope:
    window = session.exec(select(Window).where(Window.centre_code == centre_code, Window.number == number)).first()
    if window is None:
        raise ScopeError(f"本中心没有 {number} 号窗口", f"no window {number} in {centre_code}")
    return Scope("window", centre_code, window.id, f"{window.number}号窗口 {window.name}")


def staff_scope(session: Session, centre_code: str, username: str) -> Scope:
    staff = session.exec(select(Staff).where(Staff.username == username)).first()
    if staff is None or staff.centre_code != centre_code:
        raise ScopeError(f"本中心没有工作人员“{username}”", f"no staff {username!r} in {centre_code}")
    return Scope("staff", centre_code, staff.id, f"{staff.name}（{staff.username}）")


def line_scope(session: Session, centre_code: str, letter: str) -> Scope:
    line = session.exec(
        select(ServiceLine).where(ServiceLine.centre_code == centre_code, ServiceLine.letter == letter.upper())
    ).first()
    if line is None:
        raise ScopeError(f"本中心没有 {letter} 类业务", f"no line {letter!r} in {centre_code}")
    return Scope("line", centre_code, line.id, f"{line.letter} {line.name}")
