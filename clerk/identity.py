"""Identity numbers: 居民身份证 (GB 11643), 统一社会信用代码 (GB 32100), mobile numbers, masking.

Check digits come from python-stdnum; this module adds the Chinese messages and
the policy: a bad ID card number is refused, a bad credit code only warns (some
codes issued in the wild fail the check and must still be accepted).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidComponent


@dataclass(frozen=True)
class Check:
    valid: bool
    value: str
    """The number in its compact, canonical form (upper-case, no spaces)."""
    message: str = ""
    """Why it is not valid, in Chinese; empty when valid."""
    blocking: bool = True
    """False when the clerk may go on despite the failure (USCC)."""


# Province-level prefixes of GB/T 2260 (81/82/83: 港澳台居民居住证). Only the province is
# checked: stdnum's county check dates counties by birth year, but the code is the one
# where the number was first issued, so it refuses real numbers (110115 + born 1995).
_PROVINCES = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37"}
    | {"41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64"}
    | {"65", "71", "81", "82", "83"}
)
_ID_FORMAT = re.compile(r"^\d{17}[\dX]$")


def check_id_card(text: str, today: date | None = None) -> Check:
    """Check a 居民身份证 number; ``today`` also refuses a birth date in the future."""
    # ric.compact keeps inner spaces; clerks type numbers in groups.
    value = re.sub(r"[\s-]", "", text or "").upper()
    if len(value) != 18:
        return Check(False, value, "身份证号码应为18位")
    if not _ID_FORMAT.match(value):
        return Check(False, value, "身份证号码只能由数字组成，最后一位可以是数字或X")
    if value[:2] not in _PROVINCES:
        return Check(False, value, "身份证号码前两位地区码不正确")
    try:
        born = ric.get_birth_date(value)
    except InvalidComponent:
        return Check(False, value, "身份证号码中的出生日期不正确")
    if value[-1] != ric.calc_check_digit(value):
        return Check(False, value, "身份证号码校验位不正确，请核对")
    if today is not None and born > today:
        return Check(False, value, "身份证号码中的出生日期晚于今天")
    return Check(True, value)


# GB 32100: 18 characters without I, O, Z, S, V; characters 3-8 are the region code.
# The first character may be a letter (A 军队, N 农业, Y 其他), which stdnum refuses.
_USCC_CHAR = "[0-9A-HJ-NP-RTUW-Y]"
_USCC_FORMAT = re.compile(rf"^{_USCC_CHAR}{{2}}\d{{6}}{_USCC_CHAR}{{10}}$")


def check_credit_code(text: str) -> Check:
    """Check a 统一社会信用代码; a bad check character warns but does not block."""
    value = uscc.compact(text or "").upper()
    if len(value) != 18:
        return Check(False, value, "统一社会信用代码应为18位")
    if not _USCC_FORMAT.match(value):
        return Check(False, value, "统一社会信用代码格式不正确：第3至8位应为数字，且不使用I、O、Z、S、V")
    if value[-1] != uscc.calc_check_digit(value):
        return Check(False, value, "统一社会信用代码校验位不符，请核对；如证照上确为此代码可继续办理", blocking=False)
    return Check(True, value)


_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def validate_mobile(text: str) -> Check:
    value = re.sub(r"[\s-]", "", text or "").removeprefix("+86")
    if not _MOBILE.match(value):
        return Check(False, value, "手机号码应为以1开头的11位数字")
    return Check(True, value)


def mask_id(value: str) -> str:
    """``110105********1234``: the region and the last four stay, the birth date goes."""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_mobile(value: str) -> str:
    if len(value) != 11:
        return mask_id(value)
    return value[:3] + "****" + value[-4:]


def mask_name(value: str) -> str:
    """Keep the surname: 张三 → 张*, 欧阳娜娜 → 欧***."""
    if len(value) <= 1:
        return value
    return value[0] + "*" * (len(value) - 1)
