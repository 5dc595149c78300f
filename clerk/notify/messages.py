"""The text of each message: Chinese, short enough for an SMS, no ID numbers.

Only what the applicant needs to recognise the case and act: the item, the acceptance
number, the centre, and for a decision what it is and how the result reaches them. The
name is given with its surname only (an SMS can be read by whoever holds the phone).
"""

from __future__ import annotations

from dataclasses import dataclass

from clerk.store.operations import Case
from clerk.store.reference import Centre

ACCEPTED = "accepted"
DECIDED = "decided"
RETURNED = "returned"
EVENT_LABELS = {ACCEPTED: "受理通知", DECIDED: "办理结果通知", RETURNED: "补正材料通知"}


def label(event: str) -> str:
    """``returned:2`` (a case's second 退回补正) reads 补正材料通知（第2次）."""
    base, _sep, n = event.partition(":")
    name = EVENT_LABELS.get(base, base)
    return f"{name}（第{n}次）" if n else name

_RESULTS = {"granted": "准予许可", "denied": "不予许可"}


@dataclass(frozen=True)
class Message:
    subject: str
    body: str


def _salutation(case: Case) -> str:
    if case.applicant_kind == "organisation":
        return f"{case.applicant_name}："
    return f"{case.applicant_name[:1]}先生/女士：" if case.applicant_name else "您好："


def _how_to_collect(case: Case, centre: Centre) -> str:
    if case.delivery == "post":
        return "结果将免费邮寄送达，请留意快递。"
    if case.delivery == "electronic":
        return "结果将以电子方式送达。"
    where = f"{centre.name}（{centre.address}）" if centre.address else centre.name
    return f"请携带受理通知书和本人身份证件到{where}出件窗口领取。"


def accepted(case: Case, item_name: str, centre: Centre) -> Message:
    due = f"，承诺办结日期{case.due_date.isoformat()}" if case.due_date else ""
    body = (f"{_salutation(case)}您申请的“{item_name}”已于{_day(case)}受理，受理编号{case.acceptance_no}{due}。"
            f"{_contact(centre)}【{centre.name}】")
    return Message(subject=f"【{centre.name}】办件已受理：{item_name}", body=body)


def decided(case: Case, item_name: str, centre: Centre) -> Message:
    result = _RESULTS.get(case.result, "已作出决定")
    body = (f"{_salutation(case)}您申请的“{item_name}”（受理编号{case.acceptance_no}）已办理完毕，"
            f"决定为{result}。{_how_to_collect(case, centre)}{_contact(centre)}【{centre.name}】")
    return Message(subject=f"【{centre.name}】办理结果：{item_name}（{result}）", body=body)


def returned(case: Case, item_name: str, centre: Centre) -> Message:
    due = case.owed_due.isoformat() if case.owed_due else "期限内"
    body = (f"{_salutation(case)}您申请的“{item_name}”（受理编号{case.acceptance_no}）经审查需要补正材料，"
            f"请于{due}前到{centre.name}受理窗口补正（补正通知书可到窗口领取），补正期间不计入办理时限。"
            f"{_contact(centre)}【{centre.name}】")
    return Message(subject=f"【{centre.name}】请补正材料：{item_name}", body=body)


def _day(case: Case) -> str:
    return case.complete_on.isoformat() if case.complete_on else (
        case.accepted_at.date().isoformat() if case.accepted_at else "近日")


def _contact(centre: Centre) -> str:
    return f"咨询电话{centre.phone}。" if centre.phone else ""


COMPOSE = {ACCEPTED: accepted, DECIDED: decided, RETURNED: returned}
