"""The ticket's states and which action may move it from which state."""

from __future__ import annotations

from clerk.mutation import MutationRefused
from clerk.store.operations import Ticket

WAITING = "waiting"
CALLED = "called"
SERVING = "serving"
PARKED = "parked"
FINISHED = "finished"
NO_SHOW = "no_show"
CANCELLED = "cancelled"

LABELS = {
    WAITING: "等候中",
    CALLED: "已叫号",
    SERVING: "办理中",
    PARKED: "暂挂",
    FINISHED: "已办结",
    NO_SHOW: "过号",
    CANCELLED: "已作废",
}

# action → states it may start from; the handler decides the state it ends in.
ALLOWED_FROM: dict[str, frozenset[str]] = {
    "call": frozenset({WAITING}),
    "recall": frozenset({CALLED}),
    "no_show": frozenset({CALLED}),
    "start": frozenset({CALLED}),
    "finish": frozenset({CALLED, SERVING}),
    "transfer": frozenset({CALLED, SERVING}),
    "park": frozenset({CALLED, SERVING}),
    "requeue": frozenset({CALLED, SERVING}),
    "resume": frozenset({PARKED}),
    "end_of_day": frozenset({WAITING, CALLED, PARKED}),
}

ACTION_LABELS = {
    "call": "叫号",
    "recall": "重呼",
    "no_show": "过号处理",
    "start": "开始办理",
    "finish": "办结",
    "transfer": "转移",
    "park": "暂挂",
    "requeue": "重新排队",
    "resume": "回叫",
    "end_of_day": "日终处理",
}


def require(ticket: Ticket, action: str) -> None:
    """Refuse ``action`` unless the ticket is in a state it may start from."""
    if ticket.status not in ALLOWED_FROM[action]:
        state = LABELS.get(ticket.status, ticket.status)
        raise MutationRefused(
            f"{ticket.number} 号当前为“{state}”，不能{ACTION_LABELS[action]}",
            f"ticket {ticket.id} is {ticket.status}; {action} not allowed",
        )
