"""The 不予受理通知书 an approval prints, read back from the PDF as a person reads it."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent / "papers"))

import subprocess  # noqa: E402

from pdf_checks import flat, need, text_of  # noqa: E402
from signoff_centre import COURT, PASSWORDS, REVIEW_ORGAN  # noqa: E402
from signoff_helpers import REASON, case_of, refusal_request  # noqa: E402
from sqlmodel import select  # noqa: E402

from clerk.papers.content import Paper  # noqa: E402
from clerk.store.operations import Notice  # noqa: E402
from printing.fonts import find_cjk_font  # noqa: E402
from printing.papers.document import render_paper  # noqa: E402

OPINION = "经核，申请人确不具备经营场所，同意不予受理"


def _pdf(cases, signoff, item: str, referred_to: str = "") -> bytes:
    so = refusal_request(cases, item, referred_to=referred_to)
    signoff.decide("k1", PASSWORDS["k1"], so, "approved", OPINION)
    with signoff.store.session() as s:
        notice = s.exec(select(Notice).where(Notice.case_id == case_of(signoff, so))).one()
    return render_paper(Paper.model_validate_json(notice.body), find_cjk_font())


def test_the_notice_names_reasons_office_and_rights(cases, signoff, tmp_path):
    text = text_of(_pdf(cases, signoff, "T-DEF", referred_to="测试县自然资源局"))
    for words in ("不予受理通知书", flat(REASON), "本机关决定不予受理", "请向测试县自然资源局提出申请",
                  f"60日内向{REVIEW_ORGAN}申请行政复议", f"6个月内依法向{COURT}提起行政诉讼",
                  "批准人：赵首席（首席事务代表）", "测市监不受〔2026〕"):  # the department's number
        assert words in text, words
    # A county department's decision: its seal (NOTICES.md), not the centre's 测试县行政审批局 one.
    assert "测试县市场监督管理局行政审批专用章" in text and "测试县行政审批局" not in text


def test_review_first_wording_where_the_item_requires_it(cases, signoff):
    text = text_of(_pdf(cases, signoff, "T-PLAIN"))
    assert f"应当自收到本通知书之日起60日内向{REVIEW_ORGAN}申请行政复议" in text
    assert "对行政复议决定不服的" in text and "也可以自收到" not in text


def test_the_rasterised_page(cases, signoff, tmp_path):
    """Rendered to a PNG (kept in the test's tmp_path, to look at)."""
    need("pdftoppm", "poppler-utils")
    pdf = tmp_path / "refusal.pdf"
    pdf.write_bytes(_pdf(cases, signoff, "T-DEF", referred_to="测试县自然资源局"))
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(tmp_path / "page")], check=True)
    png = tmp_path / "page.png"
    assert png.stat().st_size > 10_000  # a page with text on it, not a blank one
