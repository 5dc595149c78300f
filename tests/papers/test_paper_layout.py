"""How the papers come out: A4, the Song face embedded, no line opening with closing
punctuation, a QR code a phone can read, a long list running on with its header, typed
markup printed as typed, reprints and provisional dates marked."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pdf_checks import (
    A4_POINTS,
    flat,
    fonts_of,
    lines_of,
    page_sizes,
    page_texts,
    qr_codes,
    text_of,
)

from clerk.papers import content as c
from clerk.papers.kinds import KINDS
from printing.papers import render_paper

FORBIDDEN = "，；：！？》"


@pytest.mark.parametrize("code", list(KINDS))
def test_every_page_is_a4(code, demo_pdfs):
    for width, height in page_sizes(demo_pdfs[code]):
        assert (width, height) == pytest.approx(A4_POINTS, abs=0.5)


@pytest.mark.parametrize("code", list(KINDS))
def test_every_font_is_an_embedded_truetype_subset(code, demo_pdfs, out):
    fonts = fonts_of(demo_pdfs[code], out)
    assert fonts, "no font at all"
    for font in fonts:
        assert font["emb"] == "yes" and font["sub"] == "yes", font
        assert "TrueType" in font["type"] and "STSong" not in font["name"], font


@pytest.mark.parametrize("code", list(KINDS))
def test_no_line_starts_with_closing_punctuation(code, demo_pdfs, out):
    lines = lines_of(demo_pdfs[code], out)
    assert len(lines) > 20
    assert [line for line in lines if line[:1] in FORBIDDEN] == []


def test_dense_punctuation_in_every_width_never_opens_a_line(demo, font, out):
    """Reasons full of 》， and ）。 pairs, which reportlab alone lets open a line."""
    reason = "依据《中华人民共和国行政许可法》，《行政复议法》；（一）项）。是否？是！" * 6
    paper = demo["refusal"]
    for extra in range(8):  # shift every break point by a character
        body = paper.body.model_copy(update={"reasons": "甲" * extra + reason})
        pdf = render_paper(paper.model_copy(update={"body": body}), font)
        lines = lines_of(pdf, out)
        assert [line for line in lines if line[:1] in FORBIDDEN] == [], extra
        assert flat("甲" * extra + reason).rstrip("。") in text_of(pdf)  # nothing lost on the way


def test_the_qr_code_reads_as_the_public_page(demo, demo_pdfs, out):
    assert qr_codes(demo_pdfs["acceptance"], out) == [demo["acceptance"].public_url]


def test_the_guidance_slip_carries_the_items_guide_as_a_qr_code(demo, demo_pdfs, out):
    assert demo["guidance_slip"].body.guide_url in qr_codes(demo_pdfs["guidance_slip"], out)


def test_a_paper_without_a_public_page_has_no_qr_code(demo, demo_pdfs, out):
    assert demo["supervision_slip"].public_url == ""
    assert qr_codes(demo_pdfs["supervision_slip"], out) == []


def test_a_long_material_list_runs_on_with_its_header_repeated(demo, font):
    paper = demo["receipt"]
    line = paper.body.materials[0]
    many = tuple(line.model_copy(update={"name": f"第{n}号证明材料"}) for n in range(1, 41))
    pdf = render_paper(paper.model_copy(update={"body": c.ReceiptBody(materials=many, total_copies=40)}), font)
    pages = [flat(t) for t in page_texts(pdf)]
    assert len(pages) >= 2
    for page in pages[:2]:
        assert "序号材料名称形式及份数材料要求" in page  # the header row, on each page it runs on to
    assert "第1号证明材料" in pages[0] and "第1号证明材料" not in pages[1]
    assert "第40号证明材料" in "".join(pages[1:])
    assert "收件凭证（续）" in pages[1] and paper.doc_no in pages[1]  # which paper a loose page is


def test_markup_typed_by_anyone_is_printed_as_typed(demo, font):
    typed = "<b>王</b>[red]五[/red]&amp;&<i>"
    paper = demo["refusal"]
    applicant = paper.applicant.model_copy(update={"name": typed})
    body = paper.body.model_copy(update={"reasons": f"理由{typed}", "approved_by": typed})
    pdf = render_paper(paper.model_copy(update={"applicant": applicant, "body": body, "item_name": typed}), font)
    text = text_of(pdf)
    assert text.count(flat(typed)) >= 4  # grid, addressee, reasons, approval, stub …
    assert "理由" + flat(typed) in text


def test_a_reprint_says_so_on_every_page_with_when(demo, font):
    paper = demo["commitment"]
    pdf = render_paper(paper, font, reprint_at=datetime(2026, 12, 3, 2, 31, tzinfo=UTC))
    for page in page_texts(pdf):
        assert "补打" in page and "补打时间：2026年12月3日 10:31" in page
    assert "补打" not in text_of(render_paper(paper, font))


def test_provisional_dates_are_marked(demo, font):
    paper = demo["supplement"]
    deadline = paper.body.deadline
    plain = text_of(render_paper(paper.model_copy(update={"provisional_dates": False}), font))
    marked = text_of(render_paper(paper.model_copy(update={"provisional_dates": True}), font))
    day = f"{deadline.year}年{deadline.month}月{deadline.day}日"
    assert "暂定" not in plain
    assert f"{day}（暂定）" in marked and "双休日推算" in marked


def test_the_refusal_names_review_first_where_the_law_requires_it(demo, font):
    paper = demo["refusal"]
    rights = paper.body.rights.model_copy(update={"review_first": True})
    text = text_of(render_paper(paper.model_copy(update={"body": paper.body.model_copy(update={"rights": rights})}),
                                font))
    assert "应当自收到本通知书之日起60日内向示范县人民政府申请行政复议" in text
    assert "对行政复议决定不服的" in text and "可以" + "自收到本通知书之日起6个月内" not in text


