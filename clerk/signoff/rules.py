"""What a chief representative may sign, what a decision signs, and where a decision leads.

Pure functions over reference rows and plain values: the counter checks them before it
asks for the password, the handler (clerk.signoff.handlers) again on the counter and on
the central store, so the three cannot disagree.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import date

from clerk.cases import states
from clerk.cases.rules import cn_date
from clerk.mutation import MutationRefused
from clerk.store.signoff_tables import Authorisation

APPROVED, SENT_BACK = "approved", "sent_back"
DECISIONS = {APPROVED: "同意", SENT_BACK: "退回"}
DECIDED_LABELS = {APPROVED: "已同意", SENT_BACK: "已退回"}
KINDS = {
    "refusal": "不予受理审批",
    "instant_approval": "即办件审批",
    "return_supplement": "退回补正审批",
    "urgent_report": "先批后报",
}
APPROVAL_PAPERS = {"refusal": "refusal", "return_supplement": "return_supplement"}
"""Kind → the paper its approval prints (built at the chief's counter, checked by the handler);
the other kinds, and every sending back, print none."""
REPORT_DUE_LABEL = "待报告（先批后报）"
URGENT_KINDS = frozenset({"urgent_report"})
"""Shown first in the chief's queue: the applicant waits, or the report is due."""


URGENT_REPORT_DAYS = 3
"""先批后报: working days after the approval by which the chief reports it to the department.
003 grants the power (先审批再报告) without a limit; three days keeps the report close to the
decision it explains."""


def require_authority(auths: Iterable[Authorisation], staff_id: str, department: str, item_code: str,
                      item_name: str, day: date, kind: str = "") -> Authorisation:
    """The authorisation under which ``staff_id`` signs ``item_code`` on ``day``, else refused.
    An urgent approval (``kind`` urgent_report) is the chief's special power over the items
    they pre-review as well as those they decide (003 第一条)."""
    mine = [a for a in auths if a.department_code == department and staff_id in (a.chief_id, a.deputy_id)]
    if not mine:
        raise MutationRefused("您没有本部门的首席事务代表授权，不能签批", f"no authorisation of {staff_id} in {department}")
    special = kind in URGENT_KINDS
    covering = [a for a in mine if item_code in (a.final_items or []) or (special and item_code in (a.review_items or []))]
    if not covering:
        if any(item_code in (a.review_items or []) for a in mine):
            raise MutationRefused(f"授权委托书中您对“{item_name}”只有预审、协调权限，须由部门作出决定")
        raise MutationRefused(f"事项“{item_name}”不在您的授权范围内，不能签批")
    live = [a for a in covering if a.valid_from <= day <= a.expires]
    if live:
        return live[0]
    last = max(covering, key=lambda a: a.expires)
    if day > last.expires:
        raise MutationRefused(f"您的授权已于{cn_date(last.expires)}到期，不能签批；请部门更新授权委托书")
    first = min(covering, key=lambda a: a.valid_from)
    raise MutationRefused(f"您的授权自{cn_date(first.valid_from)}起生效，现在还不能签批")


def only_names(text: str, names: Sequence[str]) -> bool:
    """``text`` says nothing but these names (and punctuation): a signature, not an opinion."""
    bare = text
    for n in names:
        bare = bare.replace(n, "")
    return len(bare.strip(" ，。,.；;：:")) < 2


def require_opinion(opinion: str, names: Sequence[str]) -> str:
    """The opinion is the reasoning, not a signature: a name alone (or nothing) is refused."""
    text = opinion.strip()
    if only_names(text, names):
        raise MutationRefused("请填写审批意见（如“同意不予受理”“可容缺受理”），不能只签名")
    return text


def digest(notices: Sequence[dict]) -> str:
    """The papers a decision prints, as the signature covers them (canonical JSON)."""
    text = json.dumps(list(notices), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def statement(client_id: str, sign_off_id: str, staff_id: str, decision: str, opinion: str, papers: str,
              signed_at: str) -> bytes:
    """The bytes a decision signs: bound to the counter, the request, the words and the papers,
    so it is worth nothing for another request, at another counter, or once altered."""
    return "\n".join(("clerk-signoff/1", client_id, sign_off_id, staff_id, decision, opinion, papers,
                      signed_at)).encode()


def sent_back_state(supplement_notified: bool) -> str:
    """A refusal sent back returns the case to the clerk where it stood before the request."""
    return states.SUPPLEMENT if supplement_notified else states.RECEIVED


def require_open(decision: str | None, decided_by_name: str, decided_at_label: str) -> None:
    if decision is not None:
        raise MutationRefused(
            f"该申请已由{decided_by_name}于{decided_at_label}{DECISIONS.get(decision, decision)}，不能再次签批",
            "sign-off already decided",
        )


def require_report(kind: str, decision: str | None, reported_by: str | None, report: str) -> str:
    """The report of an urgent approval: once, after the approval, in the chief's own words."""
    if kind not in URGENT_KINDS or decision != APPROVED:
        raise MutationRefused("只有已同意的急办（先批后报）才需要报告", f"report on {kind}/{decision}")
    if reported_by is not None:
        raise MutationRefused("该急办件已经报告过部门，不能重复报告")
    text = report.strip()
    if len(text) < 10:
        raise MutationRefused("请写明向部门报告的内容（急办理由、审批结论和依据，不少于10个字）")
    return text
