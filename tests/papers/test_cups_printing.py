"""Papers through a real CUPS scheduler (a private one the test starts): the job reaches
the printer; CUPS down, the queue gone or stopped keep the papers and say so, and they
print when the printer is back."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from cups_server import CUPSD, PPD, PrivateCups
from pdf_checks import need, text_of
from pypdf import PdfReader

from clerk.papers.prints import NoticePrints
from printing.papers.printer import A4Printer

QUEUE = "A4Counter3"


@pytest.fixture
def cups(monkeypatch):
    for path, package in ((CUPSD, "cups-daemon"), (str(PPD), "cups-filters")):
        if not Path(path).exists():
            need(path, package)  # skips, or fails under CI
    need("lp", "cups-client")
    server = PrivateCups()
    monkeypatch.setenv("CUPS_SERVER", str(server.socket))  # lp and lpstat, also in the worker's children
    server.start()
    yield server
    server.close()


@pytest.fixture
def paper(cups):
    out = cups.add_printer(QUEUE)
    yield out
    out.close()


@pytest.fixture
def printing(counter, a4_settings, cups):
    printer = A4Printer(a4_settings(QUEUE, a4_retry_s=0.3)).start()
    yield NoticePrints(counter.bench, counter.store, counter.clock, printer), printer
    printer.close()


def _waiting_with(printer: A4Printer, words: str, timeout: float = 60.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while words not in printer.status().problem:
        assert time.monotonic() < deadline, f"status never said {words!r}: {printer.status()}"
        time.sleep(0.05)


def _doc_numbers(jobs: list[bytes], papers) -> list[str]:
    found = []
    for job in jobs:
        text = text_of(job)
        found += [p.doc_no for p in papers if p.doc_no in text]
    return found


def test_a_notice_reaches_the_printer_through_cups_titled_by_its_number(counter, demo, printing, paper, cups):
    prints, _ = printing
    notice = demo["acceptance"]
    prints.print_notice(counter.issue(notice), counter.clerk_id)
    [job] = paper.wait_for(1)
    assert notice.doc_no in text_of(job) and len(PdfReader(io.BytesIO(job)).pages) >= 1
    done = cups.lp("lpstat", "-W", "completed", "-o", QUEUE).stdout
    assert QUEUE in done
    listing = cups.lp("lpstat", "-W", "completed", "-l", "-o", QUEUE).stdout + (cups.root / "logs" / "page_log").read_text()
    assert notice.doc_no in listing or "业务受理通知书" in listing  # the job is named by its paper


def test_cups_down_keeps_the_paper_and_it_prints_when_cups_is_back(counter, demo, printing, paper, cups):
    prints, printer = printing
    cups.stop()
    notice = demo["supplement"]
    prints.print_notice(counter.issue(notice), counter.clerk_id)  # the clerk is not kept waiting
    _waiting_with(printer, "打印服务（CUPS）")
    assert printer.status().waiting == 1 and paper.jobs == []
    assert [j.label for j in printer.spool.jobs("pending")] == [f"一次性告知书（材料补正通知书）_{notice.doc_no}"]
    cups.start()
    [job] = paper.wait_for(1)
    assert notice.doc_no in text_of(job)
    assert printer.spool.jobs("pending") == []


def test_the_printer_removed_between_papers_keeps_the_rest_until_it_returns(counter, demo, printing, paper, cups):
    prints, printer = printing
    first, second, third = demo["receipt"], demo["acceptance"], demo["refusal"]
    prints.print_notice(counter.issue(first), counter.clerk_id)
    paper.wait_for(1)
    cups.remove_printer(QUEUE)
    prints.print_notice(counter.issue(second), counter.clerk_id)
    prints.print_notice(counter.issue(third), counter.clerk_id)
    _waiting_with(printer, f"打印机 {QUEUE} 不存在")
    assert printer.status().waiting == 2
    paper.close()
    again = cups.add_printer(QUEUE)
    try:
        jobs = again.wait_for(2)
        assert _doc_numbers(jobs, [second, third]) == [second.doc_no, third.doc_no]  # in the order printed
    finally:
        again.close()


def test_a_stopped_printer_is_reported_and_its_papers_come_out_when_it_resumes(counter, demo, printing, paper, cups):
    prints, printer = printing
    assert cups.lp("cupsdisable", "-r", "卡纸", QUEUE).returncode == 0  # the printer stops mid-day
    notice = demo["withdrawal"]
    prints.print_notice(counter.issue(notice), counter.clerk_id)
    _waiting_with(printer, f"打印机 {QUEUE} 已停止（卡纸）")
    assert printer.spool.jobs("pending") == [] and paper.jobs == []  # CUPS holds it: nothing lost
    assert cups.lp("cupsenable", QUEUE).returncode == 0
    [job] = paper.wait_for(1)
    assert notice.doc_no in text_of(job)
    _waiting_with(printer, "", timeout=5)


def test_the_private_scheduler_runs_without_root(cups):
    owner = os.stat(cups.socket).st_uid
    assert owner != 0 or os.geteuid() != 0
