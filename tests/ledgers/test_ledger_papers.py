"""The ledgers' papers: 指路单, 交办单 and 督办单 built from their entries, stored as notices
of the entry, printed through desk.notices, and read back from the PDF."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from ledger_centre import ITEM, refusal

from clerk.config import PrintingSettings, Settings
from clerk.papers.content import Paper
from clerk.papers.prints import NoticePrints
from clerk.store.operations import Notice
from printing.fonts import find_cjk_font
from printing.papers import render_paper
from printing.papers.printer import A4Printer

sys.path.insert(0, str(Path(__file__).parent.parent / "papers"))
from pdf_checks import text_of  # noqa: E402


@pytest.fixture(scope="module")
def font():
    return find_cjk_font()


def _pdf(store, notice_id, font) -> str:
    with store.session() as s:
        notice = s.get(Notice, notice_id)
        assert notice.entry_id and notice.case_id is None
        return text_of(render_paper(Paper.model_validate_json(notice.body), font))


def _complaint(ledgers) -> str:
    entry_id = ledgers.register_complaint("s1", channel="12345", person="周先生", contact="13800001111",
                                          matter="个体户开办", item_code=ITEM, class_code="policy",
                                          description="自建房无产权证明，多次往返未能办理")
    ledgers.step("s1", "assign", entry_id, assignee_id="chief", note="请研究办理")
    return entry_id


def test_the_assignment_slip_carries_the_entry(ledgers, store, font):
    entry_id = _complaint(ledgers)
    text = _pdf(store, ledgers.issue_paper("s1", entry_id, "assignment_slip"), font)
    entry = ledgers.entry("s1", entry_id).line
    for field in ("办不成事", "问题交办单", entry.entry_no, "12345热线", "周先生", "138****1111",
                  "自建房无产权证明，多次往返未能办理", "政策原因", "县市场监督管理局", "王建国", "2026年3月9日"):
        assert field in text, field
    assert "13800001111" not in text


def test_the_supervision_slip_of_an_overdue_entry(ledgers, store, font, clock):
    entry_id = _complaint(ledgers)
    assert "没有督办" in refusal(ledgers.issue_paper, "boss", entry_id, "supervision_slip")
    clock.advance(days=10)  # due 03-09; now Thursday 03-12: three working days over
    ledgers.step("boss", "supervise", entry_id, note="请于2个工作日内办结并书面报告超期原因")
    text = _pdf(store, ledgers.issue_paper("boss", entry_id, "supervision_slip"), font)
    for field in ("督办单", "县市场监督管理局", "王建国", "陈值班", "请于2个工作日内办结并书面报告超期原因"):
        assert field in text, field
    assert "已超期3个工作日" in text


def test_the_guidance_slip_of_a_referral(ledgers, store, font):
    entry_id = ledgers.register_first_contact("s1", person="刘女士", matter="社保转移", item_code=ITEM,
                                              window_id="lc:1")
    assert "还没有引导去向" in refusal(ledgers.issue_paper, "s1", entry_id, "guidance_slip")
    ledgers.step("s1", "refer", entry_id, place="县人力资源和社会保障局三楼", address="示范县人民路8号",
                 phone="0000-6666", reason="社保关系转移需到社保局办理", bring=["居民身份证原件", "社保卡"])
    text = _pdf(store, ledgers.issue_paper("s1", entry_id, "guidance_slip", "https://hall.example"), font)
    for field in ("指路单", "县人力资源和社会保障局三楼", "示范县人民路8号", "0000-6666", "社保关系转移需到社保局办理",
                  "居民身份证原件；社保卡", "张晓燕", "1号窗口", "个体工商户设立登记"):
        assert field in text, field


def test_a_slip_prints_through_desk_notices(ledgers, store, bench, clock, tmp_path):
    entry_id = _complaint(ledgers)
    notice_id = ledgers.issue_paper("s1", entry_id, "assignment_slip")
    settings = Settings(printing=PrintingSettings(a4_printer=f"folder:{tmp_path / 'printed'}",
                                                  spool_dir=str(tmp_path / "spool"), a4_retry_s=0.2))
    printer = A4Printer(settings).start()
    try:
        printed = NoticePrints(bench, store, clock, printer).print_notice(notice_id, "s1")
        assert printed.message.startswith("已送打印：“办不成事”问题交办单")
        deadline = time.monotonic() + 60
        while not list((tmp_path / "printed").glob("*.pdf")):
            assert time.monotonic() < deadline, "the slip never reached the printer"
            time.sleep(0.05)
    finally:
        printer.close()
