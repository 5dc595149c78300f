"""Who applies: a person, an organisation, or an agent with a 委托书 for either.

Checked in the handler, so the central store checks again what the counter checked: a
居民身份证 with a wrong check digit or an impossible birth date is refused, a 统一社会信用代码
that fails its check is accepted with a warning kept on the case (codes issued in the wild
fail it). Text is kept exactly as typed — markup like ``[red]x[/red]`` is only text; the
screens and the papers print it literally.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import Field

from clerk.identity import check_credit_code, check_id_card, mask_id, validate_mobile
from clerk.mutation import MutationArgs, MutationRefused

NAME_MAX = 50
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")
EMAIL_MAX = 254


class ApplicantArgs(MutationArgs):
    kind: Literal["person", "organisation"] = "person"
    name: str
    id_number: str
    phone: str = ""
    legal_representative: str = ""
    agent_name: str = ""
    agent_id_number: str = ""
    power_of_attorney: bool = False
    """The agent showed a 授权委托书."""
    id_kind: str = Field(default="", max_length=20)
    """Empty: 居民身份证 for a person, 统一社会信用代码 for an organisation."""
    notify_consent: bool = False
    """The applicant agreed to be told by SMS / e-mail at acceptance and decision (clerk.notify)."""
    email: str = ""


def _text(label: str, value: str, required: bool = True) -> str:
    value = value.strip()
    if required and not value:
        raise MutationRefused(f"请填写{label}")
    if len(value) > NAME_MAX:
        raise MutationRefused(f"{label}不能超过{NAME_MAX}个字（现为{len(value)}个字）")
    if _CONTROL.search(value):
        raise MutationRefused(f"{label}含有不可见的控制字符，请重新输入")
    return value


def _phone(value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    mobile = validate_mobile(value)
    if mobile.valid:
        return mobile.value
    if _LANDLINE.match(value):
        return value
    raise MutationRefused("联系电话不正确：手机号码应为以1开头的11位数字，固定电话如 0571-12345678")


def _email(value: str) -> str:
    """An address a mail server will take: ASCII, one @, a dotted domain (no display names)."""
    value = value.strip()
    if not value:
        return ""
    if len(value) > EMAIL_MAX or not _EMAIL.match(value):
        raise MutationRefused("电子邮箱格式不正确，应如 zhangsan@example.com（不含空格和中文）")
    return value


def _person_id(label: str, value: str, today: date) -> str:
    check = check_id_card(value, today)
    if not check.valid:
        raise MutationRefused(f"{label}：{check.message}")
    return check.value


class Applicant:
    """The checked applicant, ready to be stored on the case."""

    def __init__(self, args: ApplicantArgs, today: date) -> None:
        self.kind = args.kind
        self.name = _text("申请人名称" if args.kind == "organisation" else "申请人姓名", args.name)
        self.phone = _phone(args.phone)
        self.warning = ""
        if args.kind == "person":
            self.id_kind = args.id_kind or "居民身份证"
            self.id_number = _person_id("申请人身份证号码", args.id_number, today)
            self.legal_rep = ""
        else:
            self.id_kind = args.id_kind or "统一社会信用代码"
            check = check_credit_code(args.id_number)
            if not check.valid and check.blocking:
                raise MutationRefused(f"统一社会信用代码：{check.message}")
            self.id_number, self.warning = check.value, check.message
            self.legal_rep = _text("法定代表人", args.legal_representative)
        self.agent_name = _text("代理人姓名", args.agent_name, required=False)
        self.agent_id_number = ""
        self.power_of_attorney = args.power_of_attorney
        if self.agent_name:
            self.agent_id_number = _person_id("代理人身份证号码", args.agent_id_number, today)
            if not args.power_of_attorney:
                raise MutationRefused("代理人办理须提交申请人签署的授权委托书")
        self.email = _email(args.email)
        self.notify_consent = args.notify_consent
        if self.notify_consent and not (validate_mobile(self.phone).valid or self.email):
            raise MutationRefused("申请人同意接收办理进度通知，请填写手机号码或电子邮箱")


def masked(id_number: str) -> str:
    return mask_id(id_number)
