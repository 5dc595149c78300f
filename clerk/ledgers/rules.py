"""The shared shape of the three ledgers as a table: (state, action) → state, per kind.

Counter and central store both apply a step through :func:`next_state`, so a step the
counter allowed and the central store refuses can only come from a different state there
(a visible conflict). ``tests/ledgers/test_ledger_rules.py`` walks every pair.
"""

from __future__ import annotations

from collections.abc import Mapping

from clerk.ledgers.classes import (
    CLOSED_STATES,
    COMPLAINT,
    FIRST_CONTACT,
    RECTIFICATION,
    STATUS_LABELS,
)
from clerk.mutation import MutationRefused

BACK = "<back>"
"""An appeal turned down returns the entry to the state it was appealed from."""

# The steps every kind shares once a result exists: feed back, follow up, close.
_TAIL = {
    ("resolved", "feed_back"): "fed_back",
    ("fed_back", "follow_up"): "followed_up",
    ("followed_up", "close"): "closed",
}

TRANSITIONS: dict[str, dict[tuple[str, str], str]] = {
    FIRST_CONTACT: {
        ("registered", "answer"): "closed",
        ("registered", "refer"): "referred",
        ("referred", "refer"): "referred",
        ("follow_up", "refer"): "referred",
        ("registered", "follow_up_by"): "follow_up",
        ("referred", "follow_up_by"): "follow_up",
        ("registered", "ask_expert"): "expert",
        ("referred", "ask_expert"): "expert",
        ("follow_up", "ask_expert"): "expert",
        ("expert", "expert_answer"): "follow_up",
        ("referred", "resolve"): "resolved",
        ("follow_up", "resolve"): "resolved",
        # A first contact closes on its result: the visitor was answered or served.
        ("resolved", "close"): "closed",
    },
    COMPLAINT: {
        ("registered", "classify"): "registered",
        ("registered", "refer_out"): "referred_out",
        ("registered", "assign"): "assigned",
        ("assigned", "assign"): "assigned",
        ("assigned", "dispute"): "disputed",
        ("disputed", "rule"): "assigned",
        ("registered", "resolve"): "resolved",
        ("assigned", "resolve"): "resolved",
        **_TAIL,
    },
    RECTIFICATION: {
        ("registered", "verify"): "verified",
        ("verified", "resolve"): "resolved",
        ("registered", "appeal"): "appealed",
        ("verified", "appeal"): "appealed",
        ("appealed", "rule_appeal"): BACK,
        **_TAIL,
    },
}

# Steps that change nothing but the log or a flag, allowed in every open state.
ANYTIME = frozenset({"log", "supervise"})

SUPERVISOR_ONLY = frozenset({"rule", "rule_appeal", "supervise"})
"""Disputes over responsibility, appeals against a rating and 督办 are the supervisor's."""

ACTION_LABELS = {
    "register": "登记", "answer": "当场答复", "refer": "引导", "follow_up_by": "限期答复",
    "ask_expert": "转首席专家", "expert_answer": "专家答复", "classify": "分类", "refer_out": "转交有权机关",
    "assign": "交办", "dispute": "职责争议", "rule": "裁定责任单位", "resolve": "办理结果", "verify": "核实",
    "appeal": "申诉", "rule_appeal": "申诉裁定", "feed_back": "反馈", "follow_up": "回访", "close": "办结",
    "log": "办理记录", "supervise": "督办",
}

CLOSE_NEEDS = {
    FIRST_CONTACT: ("result",),
    COMPLAINT: ("result", "feedback", "follow_up"),
    RECTIFICATION: ("verification", "result", "feedback", "follow_up"),
}
_NEED_LABELS = {"verification": "核实情况", "result": "办理结果", "feedback": "反馈情况", "follow_up": "回访记录"}


def is_open(state: str) -> bool:
    return state not in CLOSED_STATES


def next_state(kind: str, state: str, action: str) -> str:
    """The state after ``action``; a refusal in Chinese when it is not allowed now.

    ``BACK`` is returned as it is: the caller knows where an appeal came from.
    """
    if action in ANYTIME:
        if not is_open(state):
            raise MutationRefused("该记录已办结，不能再操作", f"{action} on a closed {kind}")
        return state
    new = TRANSITIONS[kind].get((state, action))
    if new is None:
        raise MutationRefused(_refusal(kind, state, action), f"{kind}: no {action} in state {state}")
    return new


def _refusal(kind: str, state: str, action: str) -> str:
    what = ACTION_LABELS.get(action, action)
    now = STATUS_LABELS.get(state, state)
    if action == "close":
        missing = [_NEED_LABELS[n] for n in CLOSE_NEEDS[kind] if not _has_reached(kind, state, n)]
        if missing:
            return f"尚缺{'、'.join(missing)}，不能办结"
    if not is_open(state):
        return "该记录已办结，不能再操作"
    return f"该记录当前为“{now}”，不能{what}"


_REACHED = {
    "verification": {"verified", "resolved", "fed_back", "followed_up"},
    "result": {"resolved", "fed_back", "followed_up"},
    "feedback": {"fed_back", "followed_up"},
    "follow_up": {"followed_up"},
}


def _has_reached(kind: str, state: str, need: str) -> bool:
    return state in _REACHED[need]


def actions_from(kind: str, state: str) -> list[str]:
    """The steps possible now, for the screen's key line."""
    if not is_open(state):
        return []
    table: Mapping[tuple[str, str], str] = TRANSITIONS[kind]
    return [a for (s, a) in table if s == state] + sorted(ANYTIME)
