"""Who may do what in the back office, and what a delivery must carry.

Pure functions over rows and plain values: the counter checks them before it builds a
paper, the handlers again on the counter and on the central store.
"""

from __future__ import annotations

import re
from datetime import date

from sqlmodel import select

from clerk.cases.rules import cn_date
from clerk.mutation import MutationRefused
from clerk.signoff.rules import only_names
from clerk.store.operations import SignOff
from clerk.store.reference import BACK_OFFICE_ROLES, ROLES

EXTENSION_DAYS = 10
"""行政许可法 Art 42: ten working days more, once, with the head's approval."""
GRANT, DENY = "grant", "deny"
PROPOSALS = {GRANT: "准予许可", DENY: "不予许可"}
RESULTS = {GRANT: "granted", DENY: "denied"}
RESULT_LABELS = {"granted": "准予许可", "denied": "不予许可"}
PROCEDURES = ("听证", "招标、拍卖", "检验、检测、检疫", "鉴定", "专家评审")
"""Art 45: the time these take is not counted in the limit (the applicant is told in writing).
Only these: an on-site check (现场核查, Art 34) is part of the review and its time counts."""
MAX_PROCEDURE_DAYS = 120
RETURN_DAYS = (5, 10, 15)
"""退回补正: the working days usually given to supply materials (offered first on the screen)."""
RETURN_DAYS_MAX = 30
"""Longer than this, the case is better refused and applied for again."""


INSTANT = "即办件"


def instant_sent_back():
    """The cases whose 即办 request the chief sent back: those go on to the back office."""
    return select(SignOff.case_id).where(SignOff.kind == "instant_approval", SignOff.decision == "sent_back")


def require_department(role: str, department: str | None, item_department: str, item_name: str) -> None:
    """Only the item's own department reviews, checks and decides it."""
    if role not in BACK_OFFICE_ROLES:
        raise MutationRefused(f"{ROLES.get(role, role)}不能办理后台审查，请由部门审查人员办理")
    if department != item_department:
        raise MutationRefused(f"事项“{item_name}”由其他部门审查决定，您不能办理")


def require_other_person(reviewed_by: str | None, checker: str) -> None:
    """一审一核 (002): the person who checks is never the one who reviewed."""
    if reviewed_by == checker:
        raise MutationRefused("一审一核：审查和核准须由不同人员办理，本件由您审查，请交其他人员核准")


def require_within_limit(due: date | None, extended: bool, today: date) -> None:
    """Past the promised limit, a decision needs the head's approved extension first."""
    if due is not None and today > due and not extended:
        raise MutationRefused(
            f"已超过承诺办结期限（{cn_date(due)}），须经部门负责人批准延期并告知申请人后，才能作出决定")


def require_text(text: str, what: str) -> str:
    value = text.strip()
    if len(value) < 2:
        raise MutationRefused(f"请填写{what}")
    return value


def require_opinion(text: str, what: str, names: tuple[str, ...]) -> str:
    """An opinion says why (what was reviewed, what is agreed), it is not a signature: a name
    alone is refused as a chief's is (clerk.signoff.rules.require_opinion)."""
    value = require_text(text, what)
    if only_names(value, names):
        raise MutationRefused(f"请填写{what}，不能只签名")
    return value


def require_extension(role: str, extended: bool) -> None:
    if role != "head":
        raise MutationRefused("延期须经部门负责人批准，请由负责人办理")
    if extended:
        raise MutationRefused(f"本件已延期一次；依法只能延长{EXTENSION_DAYS}个工作日一次")


def require_procedure(procedure: str, expected_days: int) -> str:
    name = require_text(procedure, "特别程序的名称（如检验、检测、专家评审）")
    if name not in PROCEDURES:
        raise MutationRefused(f"“{name}”不是行政许可法第四十五条规定的特别程序（{'、'.join(PROCEDURES)}），"
                              "所需时间应计入办理期限")
    if not 1 <= expected_days <= MAX_PROCEDURE_DAYS:
        raise MutationRefused(f"特别程序预计所需时间应为1至{MAX_PROCEDURE_DAYS}个工作日")
    return name


def require_return_materials(names: dict[str, str], asked: list[tuple[str, str]]) -> list[dict]:
    """退回补正: at least one material of the case's own checklist, each once, each with what
    is wrong with it; as stored on the sign-off (the notice prints these words)."""
    if not asked:
        raise MutationRefused("请至少选择一项需要补正的材料")
    out, seen = [], set()
    for material_id, defect in asked:
        if material_id not in names:
            raise MutationRefused("所选材料不在本办件的材料清单中", f"material {material_id}")
        if material_id in seen:
            raise MutationRefused(f"“{names[material_id]}”重复选择了")
        seen.add(material_id)
        out.append({"material_id": material_id,
                    "defect": require_text(defect, f"“{names[material_id]}”需要补正的内容")})
    return out


# -- delivery -------------------------------------------------------------------------

WAYS = {"window": "窗口领取", "post": "邮寄送达", "electronic": "电子送达"}
COURIERS = {
    # courier: (pattern of its tracking numbers, an example a clerk recognises)
    "中国邮政EMS": (re.compile(r"^(?:[A-Z]{2}\d{9}[A-Z]{2}|1\d{12})$"), "EA123456785CN 或 1 开头的13位数字"),
    "顺丰速运": (re.compile(r"^SF\d{12,13}$"), "SF 加12至13位数字"),
    "京东物流": (re.compile(r"^JD[A-Z0-9]{13,15}$"), "JD 加13至15位字母或数字"),
}
_S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)
_E_ADDRESS = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _s10_check_digit_ok(number: str) -> bool:
    """UPU S10 (EMS international form): the 9th digit checks the first eight."""
    digits = [int(d) for d in number[2:10]]
    check = 11 - sum(w * d for w, d in zip(_S10_WEIGHTS, digits, strict=True)) % 11
    expected = {10: 0, 11: 5}.get(check, check)
    return int(number[10]) == expected


def require_tracking(courier: str, tracking_no: str) -> str:
    value = tracking_no.strip().upper().replace(" ", "")
    if courier not in COURIERS:
        raise MutationRefused(f"请选择快递公司：{'、'.join(COURIERS)}")
    pattern, example = COURIERS[courier]
    if not pattern.match(value):
        raise MutationRefused(f"{courier}运单号格式不对（应为 {example}），请核对后重新输入")
    if courier == "中国邮政EMS" and value[0].isalpha() and not _s10_check_digit_ok(value):
        raise MutationRefused("EMS运单号校验位不对，可能抄错了一位，请核对")
    return value


def require_e_address(address: str) -> str:
    value = address.strip()
    if not value:
        raise MutationRefused("电子送达须填写申请人确认的电子邮箱地址")
    if not _E_ADDRESS.match(value):
        raise MutationRefused(f"电子邮箱“{value}”格式不对（应如 name@example.cn），请核对后重新输入")
    return value


def require_window_checks(notice_checked: bool, id_checked: bool) -> None:
    if not notice_checked or not id_checked:
        raise MutationRefused("窗口领取须核对受理通知书和领取人身份证件后才能发放")
