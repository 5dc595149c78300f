"""The fallback PDF ticket: extractable Chinese text, an embedded TrueType subset, 80 mm wide."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from PIL import Image
from pypdf import PdfReader

from printing.fonts import find_cjk_font
from printing.ticket_data import FOOTER
from printing.ticket_pdf import render_ticket_pdf


@pytest.fixture
def reader(ticket) -> PdfReader:
    return PdfReader(io.BytesIO(render_ticket_pdf(ticket, find_cjk_font())))


def test_text_extracts_with_number_line_and_chinese_words(reader):
    text = reader.pages[0].extract_text()
    for words in [
        "A023",
        "不动产登记",
        "示范县政务服务中心",
        "绿色通道（老年人）",
        "前面还有 12 人等候",
        "约 15 分钟",
        "离线号段",
        "2026-11-03 09:41",
        FOOTER,
    ]:
        assert words in text


def test_the_rate_code_and_its_hint_are_on_the_pdf_ticket(ticket):
    from dataclasses import replace

    from printing.ticket_data import RATE_HINT

    text = PdfReader(io.BytesIO(render_ticket_pdf(replace(ticket, rate_code="4719"), find_cjk_font()))).pages[0]
    assert "评价码 4 7 1 9" in text.extract_text() and RATE_HINT in text.extract_text()


def test_font_is_an_embedded_truetype_subset_not_stsong(reader):
    fonts = reader.pages[0]["/Resources"]["/Font"]
    names = [fonts[key].get_object()["/BaseFont"] for key in fonts]
    assert not any("STSong" in name for name in names)
    cjk = [
        fonts[key].get_object()
        for key in fonts
        if "UMing" in fonts[key].get_object()["/BaseFont"]
        or "WenQuanYi" in fonts[key].get_object()["/BaseFont"]
    ]
    assert cjk, names
    descriptor = cjk[0]["/FontDescriptor"].get_object()
    assert "/FontFile2" in descriptor  # the TrueType program is inside the PDF
    assert re.match(r"/?[A-Z]{6}\+", cjk[0]["/BaseFont"])  # "ABCDEF+Name": a subset


def test_page_is_80mm_wide(reader):
    width = float(reader.pages[0].mediabox.width)
    assert width == pytest.approx(80 / 25.4 * 72, abs=0.5)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_rasterised_ticket_has_ink(ticket, tmp_path):
    pdf = tmp_path / "ticket.pdf"
    pdf.write_bytes(render_ticket_pdf(ticket, find_cjk_font()))
    subprocess.run(
        ["pdftoppm", "-png", "-r", "100", "-singlefile", pdf, tmp_path / "t"], check=True
    )
    image = Image.open(tmp_path / "t.png").convert("L")
    dark = sum(image.histogram()[:100])
    assert dark > 0.02 * image.width * image.height
