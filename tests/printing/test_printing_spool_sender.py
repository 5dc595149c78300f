"""Spooled PDFs go to paper through the print command; nothing is lost when it fails.

The document printer itself cannot be here: the print command in these tests is a real
program that files what it is given into a folder (as CUPS would hand it to a printer),
or fails the way ``lp`` fails when the printing system is down.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from printing import Spool, print_ticket
from printing.spool_sender import send_pending

PRINTER = """
import shutil, sys
from pathlib import Path
out = Path(sys.argv[1]); out.mkdir(exist_ok=True)
name = sys.argv[-1]
shutil.copy(name, out / f"{len(list(out.iterdir())):03d}-{Path(name).name}")
"""
DOWN = "import sys; sys.stderr.write('lp: Error - Scheduler not responding.\\n'); sys.exit(1)"


@pytest.fixture
def paper(tmp_path: Path) -> tuple[str, Path]:
    """A print command that "prints" into a folder, and that folder."""
    script = tmp_path / "printer.py"
    script.write_text(PRINTER)
    return f"{sys.executable} {script} {tmp_path / 'paper'} -- {{file}}", tmp_path / "paper"


def test_pending_jobs_go_in_order_and_are_marked_printed(tmp_path, paper):
    command, out = paper
    spool = Spool(tmp_path / "spool")
    jobs = [spool.add(f"%PDF-1.4 job {n}".encode()) for n in range(3)]
    sent = send_pending(spool, command)
    assert (sent.sent, sent.waiting, sent.problem) == (3, 0, "")
    assert [p.read_bytes() for p in sorted(out.iterdir())] == [b"%PDF-1.4 job 0", b"%PDF-1.4 job 1", b"%PDF-1.4 job 2"]
    assert [j.id for j in spool.jobs("printed")] == [j.id for j in jobs] and spool.jobs("pending") == []
    assert send_pending(spool, command).sent == 0  # nothing is printed twice


def test_a_failing_command_keeps_every_job_pending_with_the_reason(tmp_path):
    spool = Spool(tmp_path / "spool")
    jobs = [spool.add(b"%PDF-1.4") for _ in range(2)]
    sent = send_pending(spool, f'{sys.executable} -c "{DOWN}"')
    assert (sent.sent, sent.waiting) == (0, 2)
    assert sent.problem.endswith("出错：Scheduler not responding.")
    assert [j.id for j in spool.jobs("pending")] == [j.id for j in jobs]


def test_a_missing_command_says_what_to_install(tmp_path):
    spool = Spool(tmp_path / "spool")
    spool.add(b"%PDF-1.4")
    sent = send_pending(spool, "no-such-print-program -- {file}")
    assert sent.problem == "找不到打印命令 no-such-print-program，需安装 cups-client"
    assert len(spool.jobs("pending")) == 1


def test_no_command_leaves_the_pdfs_for_printing_by_hand(tmp_path):
    spool = Spool(tmp_path / "spool")
    spool.add(b"%PDF-1.4")
    sent = send_pending(spool, "")
    assert sent.off and sent.waiting == 1 and len(spool.jobs("pending")) == 1


def test_a_ticket_the_thermal_printer_cannot_take_reaches_the_document_printer(ticket, make_settings, paper):
    command, out = paper
    settings = make_settings("", pdf_print_command=command)  # no thermal printer set
    result = print_ticket(ticket, settings)
    assert result.sent_to == "spool" and result.message.endswith("A023 号小票已存为 PDF，已由文档打印机打印")
    [printed] = out.iterdir()
    assert printed.read_bytes().startswith(b"%PDF") and Spool(settings.spool_path()).jobs("pending") == []


def test_when_the_document_printer_is_down_too_the_clerk_is_told(ticket, make_settings):
    settings = make_settings("", pdf_print_command=f'{sys.executable} -c "{DOWN}"')
    result = print_ticket(ticket, settings)
    assert "A023 号小票已存为 PDF，留在打印队列，未能送打印机" in result.message and "Scheduler" in result.message
    assert [j.id for j in Spool(settings.spool_path()).jobs("pending")] == [result.spool_job]
