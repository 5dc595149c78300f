"""The states of a case and the only transitions between them (行政许可法 Art 32, PRODUCT.md §3).

Every outcome mutation names the state it leads to; ``require`` refuses any other move
with a message the clerk can act on. The table is the whole state machine: the handlers,
the central store's re-check and the tests all read it, so they cannot disagree.
"""

from __future__ import annotations

from clerk.mutation import MutationRefused

RECEIVED = "received"
"""Opened, materials being checked."""
SUPPLEMENT = "supplement"
"""一次性告知 given: waiting for the applicant to bring what is missing or defective."""
ACCEPTED = "accepted"
DEFERRED = "deferred"
"""容缺受理: accepted, secondary materials owed by a deadline."""
COMMITTED = "committed"
"""告知承诺: accepted on the applicant's commitment; anything still owed is tracked."""
NOT_REQUIRED = "not_required"
"""不需许可: told at once, nothing more to do."""
REFERRED = "referred"
"""非本机关: sent to the competent office with a 指路单."""
REFUSAL_REQUESTED = "refusal_requested"
"""The clerk filed a 不予受理 request; it waits for the chief representative (next issue)."""
WITHDRAWN = "withdrawn"
"""The supplement deadline passed: the application counts as withdrawn (written notice)."""
REFUSED = "refused"
"""不予受理: the chief representative approved the clerk's request (clerk.signoff)."""
DEFERRAL_DENIED = "deferral_denied"
"""What was owed under 容缺 did not come, or came defective: 不予批准 (written decision)."""

LABELS = {
    RECEIVED: "收件中",
    SUPPLEMENT: "待补正",
    ACCEPTED: "已受理",
    DEFERRED: "容缺受理",
    COMMITTED: "告知承诺受理",
    NOT_REQUIRED: "不需许可",
    REFERRED: "非本机关（已指路）",
    REFUSAL_REQUESTED: "不予受理待审批",
    WITHDRAWN: "视为撤回",
    REFUSED: "不予受理",
    DEFERRAL_DENIED: "不予批准",
}

# action -> (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "not_required": (frozenset({RECEIVED}), NOT_REQUIRED),
    "refer": (frozenset({RECEIVED}), REFERRED),
    "request_refusal": (frozenset({RECEIVED, SUPPLEMENT}), REFUSAL_REQUESTED),
    "notify_supplement": (frozenset({RECEIVED}), SUPPLEMENT),
    "accept": (frozenset({RECEIVED, SUPPLEMENT}), ACCEPTED),
    "accept_deferred": (frozenset({RECEIVED, SUPPLEMENT}), DEFERRED),
    "accept_committed": (frozenset({RECEIVED, SUPPLEMENT}), COMMITTED),
    "withdraw": (frozenset({SUPPLEMENT}), WITHDRAWN),
    "deny_deferred": (frozenset({DEFERRED, COMMITTED}), DEFERRAL_DENIED),
    "settle_owed": (frozenset({DEFERRED, COMMITTED}), ACCEPTED),
}

ACTION_LABELS = {
    "not_required": "告知不需许可",
    "refer": "非本机关指路",
    "request_refusal": "提请不予受理",
    "notify_supplement": "一次性告知补正",
    "accept": "受理",
    "accept_deferred": "容缺受理",
    "accept_committed": "告知承诺受理",
    "withdraw": "按撤回处理",
    "deny_deferred": "作出不予批准决定",
    "settle_owed": "补齐容缺材料",
}

OPEN = frozenset({RECEIVED, SUPPLEMENT, DEFERRED, COMMITTED, REFUSAL_REQUESTED})
"""A clerk still has something to do (or to watch) on these."""
INTAKE = frozenset({RECEIVED, SUPPLEMENT})
"""The checklist may still change (owed rows of DEFERRED / COMMITTED too, see rules)."""


def allowed(state: str) -> list[str]:
    """The actions open from ``state``, in table order."""
    return [a for a, (starts, _) in TRANSITIONS.items() if state in starts]


def require(action: str, state: str) -> str:
    """The state ``action`` leads to from ``state``; MutationRefused when it may not."""
    starts, target = TRANSITIONS[action]
    if state not in starts:
        raise MutationRefused(
            f"办件当前为“{LABELS.get(state, state)}”，不能{ACTION_LABELS[action]}",
            f"transition {action} not allowed from {state}",
        )
    return target
