"""潮汐窗口: the supervisor moves service lines between windows during the day.

``window.assign_lines`` sets the lines one window serves (the WindowLine rows). It is
deterministic (no clock, no ids) so the central store replays it to the same rows.
"""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlmodel import Session

from clerk.mutation import MutationArgs, MutationContext, MutationRefused, mutation
from clerk.queue import guards
from clerk.queue.status import WAITING
from clerk.store.operations import Ticket
from clerk.store.reference import WindowLine


class AssignLines(MutationArgs):
    window_id: str
    line_ids: tuple[str, ...]
    """Every line the window serves afterwards (empty: the window serves none)."""


@mutation("window.assign_lines", AssignLines, roles={"supervisor"})
def assign_lines(session: Session, args: AssignLines, ctx: MutationContext) -> tuple[str, ...]:
    """Replace the window's lines; refuse to leave waiting visitors without any window."""
    window = guards.get_window(session, args.window_id)
    wanted = tuple(dict.fromkeys(args.line_ids))
    for line_id in wanted:
        line = guards.get_line(session, line_id)
        if line.centre_code != window.centre_code:
            raise MutationRefused(f"“{line.name}”不是本中心的业务", f"line {line_id} is in another centre")
    current = set(session.execute(select(WindowLine.line_id).where(WindowLine.window_id == window.id)).scalars())
    for line_id in sorted(current - set(wanted)):
        _refuse_if_last_window(session, line_id, window.id)
    session.execute(delete(WindowLine).where(WindowLine.window_id == window.id))
    session.add_all(WindowLine(window_id=window.id, line_id=line_id) for line_id in wanted)
    return wanted


def _refuse_if_last_window(session: Session, line_id: str, window_id: str) -> None:
    """Visitors already holding a ticket of the line must keep at least one window."""
    others = session.execute(
        select(func.count()).select_from(WindowLine).where(WindowLine.line_id == line_id, WindowLine.window_id != window_id)
    ).scalar_one()
    if others:
        return
    waiting = session.execute(
        select(func.count()).select_from(Ticket).where(Ticket.line_id == line_id, Ticket.status == WAITING)
    ).scalar_one()
    if waiting:
        line = guards.get_line(session, line_id)
        raise MutationRefused(
            f"“{line.name}”还有 {waiting} 人等候，不能撤下办理它的最后一个窗口",
            f"{window_id} is the last window of {line_id} with {waiting} waiting",
        )
