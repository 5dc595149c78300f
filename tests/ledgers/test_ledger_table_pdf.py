"""A period's 办不成事 ledger printed as a PDF table: the rows' text is on the page."""

from __future__ import annotations

import subprocess
from datetime import datetime

from ledger_centre import ITEM

from clerk.clock import LOCAL_TZ
from printing.ledger_table import render_ledger_pdf

MARCH = (datetime(2026, 3, 1, tzinfo=LOCAL_TZ), datetime(2026, 4, 1, tzinfo=LOCAL_TZ))


def test_the_periods_ledger_prints_as_a_table(ledgers, tmp_path):
    entry_id = ledgers.register_complaint(
        "s1", channel="window", person="周先生", matter="个体户开办", item_code=ITEM, class_code="policy",
        description="自建房无产权证明，多次往返未能办理，窗口未一次性告知可用住所使用证明代替")
    ledgers.step("s1", "assign", entry_id, assignee_id="chief")
    rows = ledgers.period_rows("boss", *MARCH)
    pdf = tmp_path / "ledger.pdf"
    pdf.write_bytes(render_ledger_pdf("“办不成事”反映台账　2026年3月", rows))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    for expected in ("“办不成事”反映台账", "问题描述", "周先生", "个体户开办", "政策原因", "县市场监督管理局",
                     "2026-03-09", "已交办", rows[0][0], "窗口未一次性告知"):
        assert expected in flat, expected


def test_an_empty_period_says_so(ledgers, tmp_path):
    pdf = tmp_path / "empty.pdf"
    pdf.write_bytes(render_ledger_pdf("台账", ledgers.period_rows("s2", *MARCH)))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "本期无记录" in text
