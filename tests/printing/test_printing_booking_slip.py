"""A 预约凭条 printed to a file device: the same raster path as a ticket, the code drawn in
it, and a printer fault reported (never spooled: the code in clear is not kept)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from printing_escpos_stream import parse

from clerk.booking.slip import CANCEL_RULE, HOW_TO_USE, BookingSlip
from printing.booking_slip import (
    BookingSlipData,
    clauses,
    lay_out_booking_slip,
    print_booking_slip,
    render_booking_slip,
)
from printing.fonts import find_cjk_font
from printing.line_break import units, wrap
from printing.ticket import ticket_width_px


@pytest.fixture
def slip() -> BookingSlipData:
    return BookingSlipData(
        centre_name="示范县政务服务中心", line_name="不动产登记", when_text="2026年11月4日 09:00–09:30",
        code="K7M2Q-XR9TB", how_to_use=HOW_TO_USE, cancel_rule=CANCEL_RULE,
        booked_at=datetime(2026, 11, 3, 1, 41, tzinfo=UTC),
    )


def test_the_slip_goes_to_the_device_as_a_raster_of_its_picture(slip, make_settings, tmp_path):
    device = tmp_path / "lp0"
    result = print_booking_slip(slip, make_settings(f"file:{device}"))
    assert (result.sent_to, result.message) == ("printer", "已打印预约凭条")
    stream = parse(device.read_bytes())
    assert stream.commands[0] == "init" and set(stream.commands[1:-2]) == {"raster"}
    printed = stream.image().convert("L").tobytes()
    font = find_cjk_font()
    assert printed == render_booking_slip(slip, font).convert("L").tobytes()
    assert printed != render_booking_slip(replace(slip, code="K7M2Q-XR9TC"), font).convert("L").tobytes()


@pytest.mark.parametrize(("setting", "said"), [("", "本机未设置小票打印机"), ("file:{tmp}/off/lp0", "小票打印机未连接"),
                                               ("serial:COM1", "打印机设置有误")])
def test_a_slip_that_cannot_print_says_why_and_leaves_nothing_behind(slip, make_settings, tmp_path, setting, said):
    result = print_booking_slip(slip, make_settings(setting.format(tmp=tmp_path)))
    assert result.sent_to == "none" and said in result.message, result.message
    assert not (tmp_path / "spool").exists() or not list((tmp_path / "spool").rglob("*.pdf"))


def test_a_rule_is_printed_a_clause_a_line():
    assert clauses("甲，乙；丙") == ["甲", "乙", "丙"]


@pytest.mark.parametrize("paper_mm", [58, 80])
def test_the_slip_never_breaks_a_phone_number_a_code_or_a_date(slip, paper_mm):
    phone = BookingSlip("示范县政务服务中心", "0000-12345678", "", slip.booked_at, slip.booked_at, "", slip.booked_at)
    lines = lay_out_booking_slip(replace(slip, cancel_rule=phone.cancel_text()), find_cjk_font(),
                                 ticket_width_px(paper_mm)).lines
    text = "".join(lines)
    for whole in ("0000-12345678", "K7M2Q-XR9TB", "2026年11月4日 09:00–09:30", "“预约签到”", "15 分钟"):
        assert whole in text and any(whole in line for line in lines), (whole, lines)
    assert not any(line[0] in "，。；）”" or line[-1] in "（“" for line in lines), lines


def test_lines_break_between_units_and_drop_the_space_they_broke_at():
    narrow = lambda line: len(line) <= 13  # noqa: E731 - a width in characters
    assert wrap("不能前来请致电 0000-12345678 取消", narrow) == ["不能前来请致电", "0000-12345678", "取消"]
    assert wrap("自助取号机上选择“预约签到”，再输入", narrow) == ["自助取号机上选择", "“预约签到”，再输入"]
    assert wrap("ABCDEFGHIJKLMNOP", narrow) == ["ABCDEFGHIJKLM", "NOP"]  # too wide alone: cut, not lost
    assert units("2026年11月4日 09:00–09:30") == ["2026年11月4日", " ", "09:00–09:30"]
