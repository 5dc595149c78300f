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
# After acceptance (PRODUCT.md §4): the chief's 即办 approval, or 一审一核 in the back office.
INSTANT_REQUESTED = "instant_requested"
"""即办件: waits for the chief representative's approval while the applicant waits."""
URGENT_REQUESTED = "urgent_requested"
"""急需办理 (先批后报, 003): a case that would go to the back office waits for the chief's
approval now; the chief reports it to the department afterwards (clerk.signoff)."""
REVIEWED = "reviewed"
"""审查: one person proposed the decision; another must check it (一审一核, 002)."""
RETURN_REQUESTED = "return_requested"
"""退回补正 (003: 首席代表对确定退件、补件行使决定权): the back office found materials to be
supplied after acceptance; the chief representative decides whether the case goes back."""
RETURNED = "returned"
"""The chief approved: the applicant supplies the materials by a deadline (a 退回补正通知书),
the clock stands still meanwhile; missed or still defective, 不予批准 (002 第十七条)."""
SUSPENDED = "suspended"
"""特别程序 (inspection, expert review, hearing …): the clock stands still (Art 45)."""
READY = "ready"
"""The decision is made (准予 with its result, or 不予许可 with its paper): waits at 出件."""
FINISHED = "finished"
"""办结: the result is in the applicant's hands (window, post, electronic)."""
APPLICANT_WITHDREW = "applicant_withdrew"
"""The applicant withdrew the application in writing before the decision: 终止办理."""

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
    INSTANT_REQUESTED: "即办待签批",
    URGENT_REQUESTED: "急办待签批",
    REVIEWED: "已审查待核准",
    RETURN_REQUESTED: "退回补正待签批",
    RETURNED: "退回补正中",
    SUSPENDED: "特别程序中",
    READY: "待领取",
    FINISHED: "已办结",
    APPLICANT_WITHDREW: "申请人撤回",
}

# action -> (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "not_required": (frozenset({RECEIVED}), NOT_REQUIRED),
    "refer": (frozenset({RECEIVED}), REFERRED),
    "request_refusal": (frozenset({RECEIVED, SUPPLEMENT}), REFUSAL_REQUESTED),
    "notify_supplement": (frozenset({RECEIVED}), SUPPLEMENT),
    "accept": (frozenset({RECEIVED, SUPPLEMENT}), ACCEPTED),
    "accept_deferred": (frozenset({RECEIVED, SUPPLEMENT}), DEFERRED),
    "accept_committed": (frozenset({RECEIVED, SUPPLEMENT}), COMMITTED),
    "withdraw": (frozenset({SUPPLEMENT}), WITHDRAWN),
    # The materials came in before the denial: the first choice a reflex Enter picks is the benign one.
    "settle_owed": (frozenset({DEFERRED, COMMITTED, RETURNED}), ACCEPTED),
    "deny_deferred": (frozenset({DEFERRED, COMMITTED, RETURNED}), DEFERRAL_DENIED),
    # the back office (clerk.backoffice); None: the action leaves the state as it is
    "request_instant": (frozenset({ACCEPTED}), INSTANT_REQUESTED),
    "request_urgent": (frozenset({ACCEPTED}), URGENT_REQUESTED),
    "request_return": (frozenset({ACCEPTED}), RETURN_REQUESTED),
    "review": (frozenset({ACCEPTED, COMMITTED}), REVIEWED),
    "check": (frozenset({REVIEWED}), READY),
    "return_review": (frozenset({REVIEWED}), ACCEPTED),
    "extend": (frozenset({ACCEPTED, COMMITTED, REVIEWED}), None),
    "suspend": (frozenset({ACCEPTED, COMMITTED, REVIEWED}), SUSPENDED),
    "resume": (frozenset({SUSPENDED}), None),
    "deliver": (frozenset({READY}), FINISHED),
    "applicant_withdraw": (frozenset({RECEIVED, SUPPLEMENT, ACCEPTED, DEFERRED, COMMITTED, REFUSAL_REQUESTED,
                                      INSTANT_REQUESTED, URGENT_REQUESTED, RETURN_REQUESTED, RETURNED, REVIEWED,
                                      SUSPENDED}),
                           APPLICANT_WITHDREW),
}

INTAKE_ACTIONS = ("not_required", "refer", "request_refusal", "notify_supplement", "accept", "accept_deferred",
                  "accept_committed", "withdraw", "deny_deferred", "settle_owed")
"""The outcomes of intake (clerk.cases.handlers); the rest belong to the back office."""

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
    "settle_owed": "登记所欠材料已补齐",
    "request_instant": "提请即办签批",
    "request_urgent": "提请急办（先批后报）",
    "request_return": "提请退回补正",
    "review": "审查",
    "check": "核准",
    "return_review": "退回重新审查",
    "extend": "延期",
    "suspend": "启动特别程序",
    "resume": "恢复计时",
    "deliver": "送达办结",
    "applicant_withdraw": "登记申请人撤回",
}

OPEN = frozenset({RECEIVED, SUPPLEMENT, DEFERRED, COMMITTED, REFUSAL_REQUESTED, INSTANT_REQUESTED, URGENT_REQUESTED,
                  RETURN_REQUESTED, RETURNED, READY})
"""A clerk still has something to do (or to watch) on these."""
INTAKE = frozenset({RECEIVED, SUPPLEMENT})
"""The checklist may still change (owed rows of DEFERRED / COMMITTED / RETURNED too)."""
OWING = frozenset({DEFERRED, COMMITTED, RETURNED})
"""Accepted, with materials owed by ``owed_due``: only those rows may still be marked."""
BACK_OFFICE = frozenset({ACCEPTED, COMMITTED, REVIEWED, SUSPENDED})
"""Waiting for the department: its time limit runs (or stands still while suspended)."""


def allowed(state: str) -> list[str]:
    """The actions open from ``state``, in table order."""
    return [a for a, (starts, _) in TRANSITIONS.items() if state in starts]


def require(action: str, state: str) -> str:
    """The state ``action`` leads to from ``state`` (itself for an action that keeps it);
    MutationRefused when it may not."""
    starts, target = TRANSITIONS[action]
    if state not in starts:
        raise MutationRefused(
            f"办件当前为“{LABELS.get(state, state)}”，不能{ACTION_LABELS[action]}",
            f"transition {action} not allowed from {state}",
        )
    return state if target is None else target
