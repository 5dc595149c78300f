"""What the checklist must look like for each outcome; the law's clocks in working days.

Pure functions over plain rows (the checklist and the item), used by the handlers on the
counter and again on the central store, and by the desk to show what is open. Every
refusal says in Chinese what stands in the way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from clerk.calendar import WorkCalendar
from clerk.cases import states
from clerk.mutation import MutationRefused

PENDING, RECEIVED, MISSING, DEFECTIVE, EXEMPT = "pending", "received", "missing", "defective", "exempt"
MATERIAL_STATES = (PENDING, RECEIVED, MISSING, DEFECTIVE, EXEMPT)
STATE_LABELS = {PENDING: "未核对", RECEIVED: "已收", MISSING: "缺", DEFECTIVE: "有误", EXEMPT: "免提交"}
EXEMPT_WAYS = {"data_sharing": "数据共享获取", "e_licence": "电子证照", "online": "已网上提交"}
RECEIVED_FORMS = {"original": "原件", "copy": "复印件"}

NOTIFY_DAYS = 5
"""行政许可法 Art 32 ¶4: tell everything missing within 5 working days of receipt."""


class Row(Protocol):
    """What ``clerk.store.operations.CaseMaterial`` looks like to these rules."""

    name: str
    required: bool
    deferrable: bool
    state: str
    owed: bool


class Item(Protocol):
    name: str
    deferral_allowed: bool
    commitment_allowed: bool
    promised_limit_days: int
    legal_limit_days: int


def _names(rows: Iterable[Row]) -> str:
    return "、".join(f"“{r.name}”" for r in rows)


def blocking(rows: Sequence[Row]) -> list[Row]:
    """Rows that stand between the case and a full acceptance."""
    return [r for r in rows if (r.required and r.state not in (RECEIVED, EXEMPT)) or r.state == DEFECTIVE]


def to_supply(rows: Sequence[Row]) -> list[Row]:
    """Every required row missing and every row defective: what a 一次性告知书 lists, or
    what is owed. An optional material marked missing does not apply to this applicant."""
    return [r for r in rows if (r.state == MISSING and r.required) or r.state == DEFECTIVE]


def require_checked(rows: Sequence[Row]) -> None:
    pending = [r for r in rows if r.state == PENDING and r.required]
    if pending:
        raise MutationRefused(f"还有材料未核对：{_names(pending)}，请逐项核对后再出具结论")


def require_complete(rows: Sequence[Row]) -> None:
    """受理: every required material received or 免提交, nothing defective."""
    require_checked(rows)
    missing = [r for r in rows if r.required and r.state == MISSING]
    if missing:
        raise MutationRefused(f"材料{_names(missing)}缺失，不能受理；请一次性告知补正，或按规定容缺受理")
    defective = [r for r in rows if r.state == DEFECTIVE]
    if defective:
        raise MutationRefused(f"材料{_names(defective)}有误，不能受理；可当场更正或一次性告知补正")


def require_supplement(rows: Sequence[Row]) -> list[Row]:
    require_checked(rows)
    listed = to_supply(rows)
    if not listed:
        raise MutationRefused("没有缺少或有误的材料，无需一次性告知，可直接受理")
    return listed


def require_deferral(item: Item, rows: Sequence[Row]) -> list[Row]:
    """容缺: only an item that allows it, and only 可容缺 materials missing."""
    if not item.deferral_allowed:
        raise MutationRefused(f"事项“{item.name}”不适用容缺受理")
    require_checked(rows)
    owed = to_supply(rows)
    if not owed:
        raise MutationRefused("材料已齐全，无需容缺，可直接受理")
    hard = [r for r in owed if not r.deferrable]
    if hard:
        raise MutationRefused(f"材料{_names(hard)}不属于可容缺材料，不能容缺受理；请一次性告知补正")
    return owed


def commitment_exclusion(item: object) -> str:
    """Why the item may not go under 告知承诺 though it allows it (reference data), or ""."""
    return str(getattr(item, "commitment_exclusion", "") or "")


def require_commitment(item: Item, rows: Sequence[Row], exclusion: str) -> list[Row]:
    """告知承诺: only items under it, never an excluded matter (国办发〔2020〕42号)."""
    if not item.commitment_allowed:
        raise MutationRefused(f"事项“{item.name}”未实行告知承诺制")
    reason = commitment_exclusion(item) or exclusion
    if reason:
        raise MutationRefused(f"本申请属于不适用告知承诺的情形（{reason}），不能告知承诺受理")
    require_checked(rows)
    return to_supply(rows)


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


@dataclass(frozen=True)
class Clocks:
    accepted_on: date
    due: date
    statutory_due: date
    provisional: bool


def acceptance_clocks(cal: WorkCalendar, item: Item, accepted_on: date) -> Clocks:
    """The decision due date from the promised limit, the statutory one beside it."""
    due = cal.add_working_days(accepted_on, item.promised_limit_days)
    legal = cal.add_working_days(accepted_on, max(item.legal_limit_days, item.promised_limit_days))
    return Clocks(accepted_on, due.date, legal.date, due.provisional or legal.provisional)


def notify_by(cal: WorkCalendar, received_on: date) -> date:
    """The last day a 一次性告知 may be given; after it the case counts as accepted."""
    return cal.add_working_days(received_on, NOTIFY_DAYS).date


def acceptance_date(cal: WorkCalendar, state_received: bool, received_on: date, complete_on: date | None,
                    today: date) -> date:
    """The day the case counts as accepted.

    Not told within 5 working days: accepted from the day received (Art 32 ¶4). After a
    补正: the day the last material came in. Otherwise today.
    """
    if state_received and today > notify_by(cal, received_on):
        return received_on
    return complete_on or today


def require_owed_deadline(deadline: date | None, today: date, promised_due: date) -> date:
    """A 容缺 / 告知承诺 deadline: after today, never after the promised limit."""
    if deadline is None:
        raise MutationRefused("请填写容缺材料的补齐期限")
    if deadline <= today:
        raise MutationRefused("补齐期限应晚于今天")
    if deadline > promised_due:
        raise MutationRefused(f"补齐期限不能晚于承诺办结期限（{cn_date(promised_due)}）")
    return deadline


def next_deadline(cal: WorkCalendar, case) -> tuple[date | None, str]:
    """The next date a case must meet and what it is; ``case``: a Case or a row with its
    status and date columns (the live floor reads columns, not cases)."""
    if case.status == states.RECEIVED and case.received_on:
        return notify_by(cal, case.received_on), "一次性告知期限"
    if case.status == states.SUPPLEMENT:
        return case.supplement_due, "补正期限"
    if case.status == states.RETURNED and case.owed_due:
        return case.owed_due, "退回补正期限"
    if case.status in (states.DEFERRED, states.COMMITTED) and case.owed_due:
        return case.owed_due, "容缺材料补齐期限"
    if case.due_date:
        return case.due_date, "承诺办结期限"
    return None, ""
