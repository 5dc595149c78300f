"""The ledger keys every signed-in screen has (bound by the app): 首问登记 and 邀请评价.

A screen takes part by having ``staff`` (SignedIn); the calling screen also offers the
ticket being served (``view.current``) and the one it finished last (``last_served``).
"""

from __future__ import annotations

from typing import Any

from screens.ledgers.first_contact import Context, FirstContactDialog
from screens.ledgers.rating import RatingDialog


def _window_id(screen: Any) -> str | None:
    seat = getattr(screen, "seat", None)
    return seat.window.id if seat is not None else None


def _served(screen: Any):
    view = getattr(screen, "view", None)
    current = getattr(view, "current", None) if view is not None else None
    return current or getattr(screen, "last_served", None)


def open_first_contact(app) -> None:
    screen = app.screen
    staff = getattr(screen, "staff", None)
    if staff is None:
        app.notify("请先签到后再登记首问", timeout=4)
        return
    ticket = _served(screen)
    context = Context(staff.staff_id, ticket.id if ticket else None, ticket.number if ticket else "",
                      _window_id(screen))
    app.push_screen(FirstContactDialog(context), lambda message: message and app.notify(message, timeout=6))


def invite_rating(app) -> None:
    """一次一评 for the visit just finished at this window."""
    screen = app.screen
    staff = getattr(screen, "staff", None)
    served = getattr(screen, "last_served", None)
    if staff is None or served is None:
        app.notify("本窗口还没有办结的服务可以评价", timeout=4)
        return
    app.push_screen(RatingDialog(staff.staff_id, served.id, served.number),
                    lambda message: message and app.notify(message, timeout=6))
