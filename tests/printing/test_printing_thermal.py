"""A ticket printed to a file device: the exact ESC/POS bytes and the picture they carry."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PIL import Image, ImageChops
from printing_escpos_stream import parse

from printing import print_ticket
from printing.fonts import find_cjk_font
from printing.ticket import render_ticket_image
from printing.ticket_data import TicketData


def _print_to_file(ticket: TicketData, make_settings, tmp_path: Path) -> bytes:
    device = tmp_path / "lp0"
    result = print_ticket(ticket, make_settings(f"file:{device}"))
    assert result.sent_to == "printer", result.message
    assert "A023" in result.message
    return device.read_bytes()


def test_stream_is_init_raster_feed_cut_and_nothing_else(ticket, make_settings, tmp_path):
    stream = parse(_print_to_file(ticket, make_settings, tmp_path))
    # No text commands at all: nothing that a printer could turn into "?".
    assert stream.commands[0] == "init"
    assert set(stream.commands[1:-2]) == {"raster"}
    assert stream.commands[-2:] == ["feed 6", "cut"]


def test_raster_decodes_to_the_rendered_ticket(ticket, make_settings, tmp_path):
    printed = parse(_print_to_file(ticket, make_settings, tmp_path)).image()
    expected = render_ticket_image(ticket, find_cjk_font(), 576)
    assert printed.size == (576, expected.height)
    assert ImageChops.difference(printed.convert("L"), expected.convert("L")).getbbox() is None


def test_ticket_number_and_chinese_line_name_are_drawn(ticket):
    font = find_cjk_font()
    image = render_ticket_image(ticket, font, 576)
    bands = _ink_bands(image)
    # centre name, line name, number, ... : each band is a printed line.
    line_name, number = bands[1], bands[2]
    assert number[1] - number[0] > 100, "the number is the biggest line"
    assert _ink(image, line_name) > 500, "the Chinese line name is not blank"
    # Question marks (what a printer without Chinese mode prints) look different.
    placeholder = render_ticket_image(replace(ticket, line_name="?????"), font, 576)
    assert _crop(image, line_name).tobytes() != _crop(placeholder, line_name).tobytes()
    other = render_ticket_image(replace(ticket, number="B457"), font, 576)
    assert _crop(image, number).tobytes() != _crop(other, number).tobytes()


def test_58mm_roll_renders_384_dots_wide(ticket, make_settings, tmp_path):
    device = tmp_path / "lp0"
    result = print_ticket(ticket, make_settings(f"file:{device}", paper_width_mm=58))
    assert result.sent_to == "printer"
    assert parse(device.read_bytes()).image().width == 384


def _ink_bands(image: Image.Image) -> list[tuple[int, int]]:
    """Row ranges with printed dots, ignoring the thin dashed rules."""
    rows = [_ink(image, (y, y + 1)) for y in range(image.height)]
    bands, start = [], None
    for y, count in enumerate([*rows, 0]):
        if count and start is None:
            start = y
        elif not count and start is not None:
            if y - start > 4:
                bands.append((start, y))
            start = None
    return bands


def _crop(image: Image.Image, band: tuple[int, int]) -> Image.Image:
    return image.crop((0, band[0], image.width, band[1]))


def _ink(image: Image.Image, band: tuple[int, int]) -> int:
    return _crop(image, band).convert("L").histogram()[0]


def test_the_rate_code_is_printed_last_below_its_own_rule(ticket):
    """评价码 and its hint are two more lines at the foot; a ticket of before it has neither."""
    font = find_cjk_font()
    without = render_ticket_image(ticket, font, 576)
    coded = render_ticket_image(replace(ticket, rate_code="4719"), font, 576)
    other = render_ticket_image(replace(ticket, rate_code="4718"), font, 576)
    plain_bands, bands = _ink_bands(without), _ink_bands(coded)
    assert len(bands) == len(plain_bands) + 2
    assert _crop(coded, (0, without.height - 16)).tobytes() == _crop(without, (0, without.height - 16)).tobytes()
    code_line = bands[-2]
    assert _crop(coded, code_line).tobytes() != _crop(other, code_line).tobytes()
    assert coded.height < 1000  # still a short slip
