"""Leaving a window that still holds a ticket (签退, 退出): finish, requeue or transfer it first.

Without this the ticket stayed "办理中" at an empty window and the next clerk there
inherited it. Sign-out and quit both ask here; the action runs in a thread and the
leaving goes on only once the ticket is dealt with.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App

from clerk.errors import UserFacingError
from clerk.queue.desk import QueueDesk
from clerk.queue.views import CurrentTicket
from screens.dialogs.ask import Choice, Choose
from screens.queue.transfer_dialog import TransferDialog, TransferTo, transfer_choices

SETTLE_CHOICES = [
    Choice("办结，然后离开", "finish"),
    Choice("重新排队（保留原顺序，不算过号），然后离开", "requeue"),
    Choice("转移到其他业务或窗口，然后离开", "transfer"),
    Choice("不离开，留在窗口", None),
]


class SettleTicket(Choose):
    """The warning: which ticket is open, and the three ways to deal with it."""

    def __init__(self, ticket: CurrentTicket, leaving: str) -> None:
        title = f"{ticket.number} 号仍在本窗口（{ticket.status_label}），{leaving}前请先处理："
        super().__init__(title, SETTLE_CHOICES, "↑↓ 选择 · 回车确认 · Esc 不离开")


def settle_then_leave(
    app: App, queue: QueueDesk, ticket: CurrentTicket, window_id: str, staff_id: str,
    leaving: str, leave: Callable[[], None],
) -> None:
    """Warn about ``ticket``, do what the clerk picks, then ``leave()`` (on the UI thread)."""

    def act(action: str, **extra) -> None:
        def run() -> None:
            try:
                queue.act(action, ticket, window_id, staff_id, **extra)
            except UserFacingError as exc:  # e.g. a transfer refused: stay, say why
                app.call_from_thread(app.notify, exc.message, title="未能离开", severity="error", timeout=8)
                return
            app.call_from_thread(leave)

        app.run_worker(run, thread=True, exit_on_error=False)

    def transfer_to(to: TransferTo | None) -> None:
        if to is not None:
            act("transfer", to_line_id=to.line_id, to_window_id=to.window_id, reason=to.reason)

    def targets() -> None:
        choices = transfer_choices(queue, ticket.line_id, window_id)
        app.call_from_thread(app.push_screen, TransferDialog(ticket.number, choices), transfer_to)

    def chosen(how: str | None) -> None:
        if how == "transfer":
            app.run_worker(targets, thread=True, exit_on_error=False)
        elif how is not None:
            act(how)

    app.push_screen(SettleTicket(ticket, leaving), chosen)
