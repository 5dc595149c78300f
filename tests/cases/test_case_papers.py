"""Each outcome's papers go through the real A4 print path: stored, rendered, sent to the
printer (a folder here), and the PDF's text holds what NOTICES.md lists for it."""

from __future__ import annotations

import io
import os
import re
import shutil
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from case_helpers import checked, mark, open_case
from pypdf import PdfReader

from clerk.cases.desk import CaseDesk
from clerk.config import PrintingSettings, Settings
from clerk.papers.prints import NoticePrints
from printing.papers.printer import A4Printer


def _text(pdf: Path) -> str:
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages))


@pytest.fixture
def printed(bench, store, clock, tmp_path):
    out = tmp_path / "printed"
    settings = Settings(printing=PrintingSettings(a4_printer=f"folder:{out}", spool_dir=str(tmp_path / "spool"),
                                                  a4_retry_s=0.2))
    printer = A4Printer(settings).start()
    desk = CaseDesk(bench, store, clock, "tc", NoticePrints(bench, store, clock, printer),
                    public_base="https://zwfw.example.cn")
    yield desk, out
    printer.close()


def _pdf(out: Path, doc_no: str, timeout: float = 90.0) -> str:
    deadline = time.monotonic() + timeout
    while True:
        found = [p for p in out.glob("*.pdf") if doc_no in p.name] if out.exists() else []
        if found:
            return _text(found[0])
        assert time.monotonic() < deadline, f"{doc_no} never reached the printer"
        time.sleep(0.05)


def test_a_visit_supplement_then_acceptance_prints_both_papers_with_their_fields(printed, clock):
    desk, out = printed
    case = checked(desk, s2="missing", s3="defective")
    sup = desk.decide("c1", case.id, case.version, "notify_supplement", deadline=date(2026, 3, 13))
    assert [m.startswith("已送打印") for m in sup.messages] == [True]
    text = _pdf(out, sup.notices[0].doc_no)
    for field in ("一次性告知书", sup.notices[0].doc_no, "测试事项T-DEF", "张三", "110105********002X",
                  "居民身份证", "经营场所证明", "未签字", "2026年3月13日", "视为申请人撤回申请", "第三十二条",
                  "测试县政务服务中心", "窗口1", "0000-2222222"):
        assert field in text, field
    assert "11010519491231002X" not in text
    clock.advance(days=2)
    case = mark(desk, sup.case, 2, "received")
    case = mark(desk, case, 3, "received")
    acc = desk.decide("c1", case.id, case.version, "accept", receipt=True)
    text = _pdf(out, acc.case.acceptance_no)
    for field in ("业务受理通知书", acc.case.acceptance_no, "2026年3月4日", "2026年3月11日", "不收费", "予以受理", "第三十二条第一款第（五）项"):
        assert field in text, field
    receipt = next(n for n in acc.notices if n.kind == "receipt")
    assert "收件凭证" in _pdf(out, receipt.doc_no)


def test_deferral_prints_the_pledge_and_the_notice_naming_what_is_owed(printed):
    desk, out = printed
    case = checked(desk, s3="missing")
    got = desk.decide("c1", case.id, case.version, "accept_deferred", deadline=date(2026, 3, 6))
    pledge = next(n for n in got.notices if n.kind == "deferral_pledge")
    notice = next(n for n in got.notices if n.kind == "deferral_notice")
    for doc in (pledge, notice):
        text = _pdf(out, doc.doc_no)
        assert "经营场所证明" in text and "2026年3月6日" in text and "不予批准" in text
    assert "容缺受理通知书" in _pdf(out, notice.doc_no)


# -- the remaining case papers: fields, embedded fonts, A4, no forbidden line starts ----

sys.path.insert(0, str(Path(__file__).parent.parent / "papers"))
from pdf_checks import fonts_of, lines_of, page_sizes  # noqa: E402

A4 = (595.2756, 841.8898)
FORBIDDEN_STARTS = tuple("，；：！？》")


def _go(desk, case, action, **kw):
    return desk.decide("c1", case.id, case.version, action, **kw)


def _made(desk, clock, kind: str):
    """The outcome that prints ``kind``, reached through the real flow; (notice, fields)."""
    if kind == "guidance_slip":
        got = _go(desk, open_case(desk), "refer", referred_to="市不动产登记中心")
        return got.notices[0], ("指路单", "市不动产登记中心", "测试县政务服务中心")
    if kind == "commitment":
        got = _go(desk, checked(desk, "T-COM", s3="missing"), "accept_committed", deadline=date(2026, 3, 6))
        return next(n for n in got.notices if n.kind == kind), ("告知承诺书", "张三", "2026年3月6日")
    if kind == "withdrawal":
        sup = _go(desk, checked(desk, s3="missing"), "notify_supplement", deadline=date(2026, 3, 3))
        clock.advance(days=5)
        got = _go(desk, sup.case, "withdraw")
        return got.notices[0], ("视为撤回", sup.notices[0].doc_no, "2026年3月3日", "张三")
    acc = _go(desk, checked(desk, s3="missing"), "accept_deferred", deadline=date(2026, 3, 6))
    clock.advance(days=7)  # what was owed never came
    got = _go(desk, acc.case, "deny_deferred", reason="补交的材料仍不符合要求")
    return got.notices[0], ("不予批准", "补交的材料仍不符合要求", acc.case.acceptance_no, "行政复议")


@pytest.mark.parametrize("kind", ["guidance_slip", "commitment", "withdrawal", "deferral_denial"])
def test_the_remaining_case_papers_are_whole_a4_with_embedded_fonts(kind, printed, clock, tmp_path):
    desk, out = printed
    notice, fields = _made(desk, clock, kind)
    assert notice.kind == kind
    text = _pdf(out, notice.doc_no)
    for field in (*fields, notice.doc_no):
        assert field in text, field
    assert "11010519491231002X" not in text
    [path] = [p for p in out.glob("*.pdf") if notice.doc_no in p.name]
    pdf = path.read_bytes()
    assert all(abs(w - A4[0]) < 1 and abs(h - A4[1]) < 1 for w, h in page_sizes(pdf))
    assert all(f["emb"] == "yes" for f in fonts_of(pdf, tmp_path))
    assert [ln for ln in lines_of(pdf, tmp_path) if ln.startswith(FORBIDDEN_STARTS)] == []
    if keep := os.environ.get("CLERK_TEST_KEEP_PAPERS"):  # to rasterise and look at them
        shutil.copy(path, Path(keep) / f"{kind}.pdf")
