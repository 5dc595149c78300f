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
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength, ValidationError


@dataclass(frozen=True)
class Check:
    valid: bool
    value: str
    """The number in its compact, canonical form (upper-case, no spaces)."""
    message: str = ""
    """Why it is not valid, in Chinese; empty when valid."""
    blocking: bool = True
    """False when the clerk may go on despite the failure (USCC)."""


def check_id_card(text: str, today: date | None = None) -> Check:
    value = ric.compact(text or "").upper()
    try:
        ric.validate(value)
    except InvalidLength:
        return Check(False, value, "身份证号码应为18位")
    except InvalidFormat:
        return Check(False, value, "身份证号码只能由数字组成，最后一位可以是数字或X")
    except InvalidComponent:
        return Check(False, value, "身份证号码中的出生日期不正确")
    except InvalidChecksum:
        return Check(False, value, "身份证号码校验位不正确，请核对")
    except ValidationError:
        return Check(False, value, "身份证号码不正确")
    if today is not None and ric.get_birth_date(value) > today:
        return Check(False, value, "身份证号码中的出生日期晚于今天")
    return Check(True, value)


def check_credit_code(text: str) -> Check:
    value = uscc.compact(text or "").upper()
    try:
        uscc.validate(value)
    except InvalidLength:
        return Check(False, value, "统一社会信用代码应为18位")
    except InvalidFormat:
        return Check(False, value, "统一社会信用代码含有不允许的字符（不使用I、O、Z、S、V）")
    except InvalidChecksum:
        return Check(False, value, "统一社会信用代码校验位不符，请核对；如证照上确为此代码可继续办理", blocking=False)
    except ValidationError:
        return Check(False, value, "统一社会信用代码不正确", blocking=False)
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
