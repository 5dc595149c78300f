"""The ledger keys every signed-in screen has (bound by the app): 首问登记 and 邀请评价.

A screen takes part by having ``staff`` (SignedIn); the calling screen also offers the
ticket being served (``view.current``) and the one it finished last (``last_served``); the
case and ready screens offer a case through ``rateable_case()``.
"""

from __future__ import annotations

from typing import Any

from screens.dialogs.ask import Choice, Choose
from screens.ledgers.first_contact import Context, FirstContactDialog
from screens.ledgers.rating import Rated, RatingDialog


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


def _rateable(screen: Any) -> list[Choice]:
    """What the clerk may invite a rating of here: the visit just finished at this window
    (一次一评) and the accepted case on screen or just delivered (一事一评)."""
    out = []
    served = getattr(screen, "last_served", None)
    if served is not None:
        out.append(Choice(f"本次服务（{served.number} 号）· 一次一评",
                          Rated(f"{served.number} 号的服务", ticket_id=served.id)))
    case = getattr(screen, "rateable_case", lambda: None)()
    if case is not None:
        out.append(Choice(f"{case.title} · 一事一评", case))
    return out


def case_rated(case_id: str, acceptance_no: str | None, item_name: str) -> Rated | None:
    """A case as the rating pad names it; None before acceptance (it cannot be rated yet)."""
    return Rated(f"办件 {acceptance_no}（{item_name}）", case_id=case_id) if acceptance_no else None


def invite_rating(app) -> None:
    """One key: the rating pad for the visit or the case; asks which when both can be rated."""
    screen = app.screen
    staff = getattr(screen, "staff", None)
    choices = _rateable(screen) if staff is not None else []
    if not choices:
        app.notify("这里还没有办结的服务或已受理的办件可以评价", timeout=4)
        return

    def rate(rated: Rated | None) -> None:
        if rated is not None:
            app.push_screen(RatingDialog(staff.staff_id, rated), lambda message: message and app.notify(message, timeout=6))

    if len(choices) == 1:
        rate(choices[0].value)
    else:
        app.push_screen(Choose("邀请评价哪一项", choices), rate)
