"""Identity numbers: 居民身份证, 统一社会信用代码, mobile numbers, masking."""

from __future__ import annotations

import re
from datetime import date

import pytest
from stdnum.cn import ric, uscc

from clerk.identity import (
    check_credit_code,
    check_id_card,
    mask_id,
    mask_mobile,
    mask_name,
    validate_mobile,
)

TODAY = date(2026, 11, 2)
CHINESE = re.compile(r"[\u4e00-\u9fff]")

# GB 11643 weights; the check character is indexed by the weighted sum mod 11.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def gb11643(body: str) -> str:
    """An independent implementation of the check digit, to cross-check stdnum."""
    return body + _CHECK[sum(int(c) * w for c, w in zip(body, _WEIGHTS, strict=True)) % 11]


def with_stdnum_check(body: str) -> str:
    return body + ric.calc_check_digit(body + "0")


def assert_chinese_failure(check) -> None:
    assert not check.valid
    assert check.message
    assert CHINESE.search(check.message)


# --- 居民身份证 ---------------------------------------------------------------

HAND_VERIFIED_IDS = [
    # The example of GB 11643: weighted sum 167, 167 % 11 = 2 → "X".
    "11010519491231002X",
    # 4*7+4*9+0+3*5+0+4*4+1*2+9*1+9*6+0+0+3*9+0+7*5+0+0+1*2 = 224, 224 % 11 = 4 → "8".
    "440304199003070018",
]


@pytest.mark.parametrize("number", HAND_VERIFIED_IDS)
def test_hand_verified_ids_are_valid(number):
    assert gb11643(number[:17]) == number
    check = check_id_card(number, TODAY)
    assert check.valid
    assert check.value == number
    assert check.message == ""


@pytest.mark.parametrize(
    "body",
    [
        "51010719851120453",
        "32058219770228123",
        "65010220000229001",  # born on a leap day
        "81000019880808123",  # 港澳台居民居住证 prefixes
        "11011519950101001",  # 大兴区 code, assigned in 2001, holder born 1995
        "44030420261102001",  # born today
    ],
)
def test_computed_ids_are_valid(body):
    number = with_stdnum_check(body)
    assert number == gb11643(body)
    assert check_id_card(number, TODAY).valid


def test_lower_case_x_is_accepted_and_normalised():
    check = check_id_card("11010519491231002x", TODAY)
    assert check.valid
    assert check.value == "11010519491231002X"


def test_spaces_and_dashes_are_ignored():
    check = check_id_card(" 110105 19491231 002X ", TODAY)
    assert check.valid
    assert check.value == "11010519491231002X"
    assert check_id_card("110105-19491231-002X").valid


def test_without_today_the_future_is_not_checked():
    assert check_id_card(with_stdnum_check("11010520300101001")).valid


@pytest.mark.parametrize(
    ("number", "words"),
    [
        ("110105194912310021", "校验位"),  # right format, wrong check digit
        ("11010519491231002", "18位"),
        ("11010519491231002X1", "18位"),
        ("110105491231002", "18位"),  # an old 15-digit number
        ("", "18位"),
        (with_stdnum_check("11010519491331002"), "出生日期"),  # month 13
        (with_stdnum_check("11010519490230002"), "出生日期"),  # 30 February
        (with_stdnum_check("11010520261103001"), "晚于今天"),  # born tomorrow
        ("11010519491231002A", "数字"),
        ("1101051949123100XX", "数字"),
        ("ABCDEF19491231002X", "数字"),
        (with_stdnum_check("99010519491231002"), "地区"),
    ],
)
def test_invalid_ids_are_refused(number, words):
    check = check_id_card(number, TODAY)
    assert_chinese_failure(check)
    assert check.blocking
    assert words in check.message


def test_none_is_treated_as_empty():
    assert_chinese_failure(check_id_card(None))  # type: ignore[arg-type]


# --- 统一社会信用代码 ---------------------------------------------------------

VALID_CODES = ["91110108772551611J", "91350100M000100Y43"]


@pytest.mark.parametrize("code", VALID_CODES)
def test_valid_credit_codes(code):
    assert uscc.is_valid(code)
    check = check_credit_code(code)
    assert check.valid
    assert check.value == code


@pytest.mark.parametrize("body", ["12100000400010398", "53110000500021676", "92440300MA5D1R0Y2"])
def test_computed_credit_codes(body):
    assert check_credit_code(body + uscc.calc_check_digit(body)).valid


@pytest.mark.parametrize("body", ["N2370181000000000", "A1110000MA0000001", "Y1110108MA0000001"])
def test_letter_departments_are_accepted(body):
    # GB 32100 department codes A (军队), N (农业), Y (其他) start with a letter.
    assert check_credit_code(body + uscc.calc_check_digit(body)).valid


def test_lower_case_and_spaces_are_normalised():
    check = check_credit_code(" 91110108 772551611j ")
    assert check.valid
    assert check.value == "91110108772551611J"


def test_wrong_check_character_warns_but_does_not_block():
    check = check_credit_code("91110108772551611K")
    assert_chinese_failure(check)
    assert not check.blocking
    assert "校验" in check.message


@pytest.mark.parametrize(
    "code",
    [
        "9111010877255161",  # too short
        "91110108772551611JJ",  # too long
        "",
        "911101O8772551611J",  # letter O inside the region code
        "91110108772551611I",  # I is never used
        "9111010877255161SJ",  # S is never used
        "91110108-7725516/1J",
    ],
)
def test_malformed_credit_codes_block(code):
    check = check_credit_code(code)
    assert_chinese_failure(check)
    assert check.blocking


# --- mobile numbers ---------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["13800138000", "+8613800138000", "+86 138 0013 8000", "138-0013-8000", " 19912345678 "],
)
def test_valid_mobiles(text):
    check = validate_mobile(text)
    assert check.valid
    assert check.value in {"13800138000", "19912345678"}


@pytest.mark.parametrize(
    "text",
    ["1380013800", "138001380001", "12800138000", "23800138000", "010-12345678", "1380013800a", ""],
)
def test_invalid_mobiles(text):
    assert_chinese_failure(validate_mobile(text))


# --- masking ----------------------------------------------------------------


def test_mask_id():
    assert mask_id("110105194912310021") == "110105********0021"
    assert mask_id("11010519491231002X") == "110105********002X"
    assert mask_id("1234567890") == "**********"


def test_mask_mobile():
    assert mask_mobile("13800138000") == "138****8000"


def test_mask_name():
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_name("李") == "李"
    assert mask_name("") == ""
