"""Printing a stored notice: rendered from its frozen body, kept in the A4 spool, sent in
the background, every print and reprint recorded; a printer or a spool that fails loses
nothing and says why in Chinese."""

from __future__ import annotations

import dataclasses
import sys
import threading
import time
from pathlib import Path

import pytest
from pdf_checks import flat, text_of
from sqlmodel import Session

from clerk import mutation
from clerk.errors import UserFacingError
from clerk.ids import new_id
from clerk.papers.prints import NoticePrints, PrintRefused
from clerk.store.operations import Notice
from printing.papers.printer import A4Printer
from printing.spool import Spool
from printing.spool_sender import Folder, PrintCommand, send_pending
from printing.spool_worker import SpoolWorker


def _wait(predicate, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.fixture
def folder_printer(a4_settings, tmp_path):
    printer = A4Printer(a4_settings(f"folder:{tmp_path / 'printed'}")).start()
    yield printer, tmp_path / "printed"
    printer.close()


def test_a_print_goes_to_the_printer_in_the_background_named_by_kind_and_number(counter, demo, folder_printer):
    printer, out = folder_printer
    paper = demo["acceptance"]
    notice_id = counter.issue(paper)
    printed = NoticePrints(counter.bench, counter.store, counter.clock, printer).print_notice(notice_id, counter.clerk_id)
    assert not printed.reprint and "业务受理通知书" in printed.message and paper.doc_no in printed.message
    _wait(lambda: any(out.glob("*.pdf")))
    [pdf] = out.glob("*.pdf")
    assert pdf.name == f"业务受理通知书_{paper.doc_no}.pdf"
    assert paper.doc_no in text_of(pdf.read_bytes()) and "补打" not in text_of(pdf.read_bytes())
    [record] = counter.prints(notice_id)
    assert (record.printed_by, record.printed_at, record.reprint) == (counter.clerk_id, counter.clock.now(), False)
    assert [row.actor_id for row in counter.outbox("notice.print")] == [counter.clerk_id]  # synced like any action


def test_every_later_print_is_a_reprint_marked_on_the_page_and_in_the_record(counter, demo, folder_printer):
    printer, out = folder_printer
    notice_id = counter.issue(demo["supplement"])
    prints = NoticePrints(counter.bench, counter.store, counter.clock, printer)
    prints.print_notice(notice_id, counter.clerk_id)
    counter.clock.advance(minutes=90)
    again = prints.print_notice(notice_id, counter.clerk_id)
    assert again.reprint and again.message.startswith("已补打")
    assert [r.reprint for r in counter.prints(notice_id)] == [False, True]
    _wait(lambda: len(list(out.glob("*.pdf"))) == 2)
    [reprinted] = [p for p in out.glob("*.pdf") if "补打" in p.name]
    assert "补打时间：2026年12月2日13:30" in text_of(reprinted.read_bytes())
    assert [(h.by, h.reprint) for h in prints.history(notice_id)] == [("王晓丽", False), ("王晓丽", True)]


def test_the_page_is_rendered_from_the_frozen_body_not_from_anything_newer(counter, demo, folder_printer):
    printer, out = folder_printer
    notice_id = counter.issue(demo["acceptance"])
    NoticePrints(counter.bench, counter.store, counter.clock, printer).print_notice(notice_id, counter.clerk_id)
    _wait(lambda: any(out.glob("*.pdf")))
    assert flat(demo["acceptance"].body.delivery) in text_of(next(out.glob("*.pdf")).read_bytes())


def test_an_unwritable_spool_says_so_and_records_no_print(counter, demo, a4_settings, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the spool should be")
    printer = A4Printer(a4_settings("folder:" + str(tmp_path / "out"), spool_dir=str(blocker)))
    notice_id = counter.issue(demo["acceptance"])
    with pytest.raises(UserFacingError) as caught:
        NoticePrints(counter.bench, counter.store, counter.clock, printer).print_notice(notice_id, counter.clerk_id)
    assert "无法写入打印队列文件夹" in caught.value.message and str(blocker) in caught.value.message
    assert counter.prints(notice_id) == [] and counter.outbox("notice.print") == []
    with counter.store.session() as session:
        assert session.get(Notice, notice_id) is not None  # the notice itself is untouched: print it later


def test_a_print_that_cannot_be_recorded_leaves_no_paper_behind(counter, demo, a4_settings, tmp_path):
    printer = A4Printer(a4_settings("folder:" + str(tmp_path / "out")))
    notice_id = counter.issue(demo["acceptance"])
    with pytest.raises(UserFacingError):
        NoticePrints(counter.bench, counter.store, counter.clock, printer).print_notice(notice_id, "no-such-staff")
    assert printer.spool.jobs() == [] and list((printer.spool.root / "tmp").glob("*.part")) == []


def test_unknown_and_damaged_notices_are_refused_in_chinese(counter, demo, folder_printer):
    printer, _ = folder_printer
    prints = NoticePrints(counter.bench, counter.store, counter.clock, printer)
    with pytest.raises(PrintRefused) as unknown:
        prints.print_notice(new_id(), counter.clerk_id)
    assert unknown.value.message == "找不到这份通知书"
    notice_id = counter.issue(demo["acceptance"])
    with counter.store.write() as session:
        session.get(Notice, notice_id).body = '{"doc_no": "cut off'
    with pytest.raises(PrintRefused) as damaged:
        prints.print_notice(notice_id, counter.clerk_id)
    assert "示范县政服受〔2026〕1号 的内容无法读取" in damaged.value.message
    assert counter.prints(notice_id) == []


def test_without_a_printer_the_clerk_is_told_how_to_set_one(counter, demo):
    with pytest.raises(PrintRefused) as caught:
        NoticePrints(counter.bench, counter.store, counter.clock, None).print_notice(counter.issue(demo["receipt"]),
                                                                                    counter.clerk_id)
    assert "a4_printer" in caught.value.message


def test_the_print_record_needs_a_known_notice_and_a_person(counter):
    ctx = mutation.MutationContext(client_id="c", mutation_id=1, hlc="h", at=counter.clock.now(), actor_id=None)
    with Session(counter.store.engine) as session:
        args = {"id": new_id(), "notice_id": new_id(), "reprint": False}
        with pytest.raises(mutation.MutationRefused) as nobody:
            mutation.run(session, "notice.print", args, ctx)
        assert "工作人员" in nobody.value.message
        with pytest.raises(mutation.MutationRefused) as unknown:
            mutation.run(session, "notice.print", args, dataclasses.replace(ctx, actor_id=counter.clerk_id))
        assert unknown.value.message == "没有这份通知书，无法记录打印"


# -- the spool worker, with real print commands -------------------------------------

FLAKY = """
import shutil, sys
from pathlib import Path
if Path(sys.argv[1]).exists():
    sys.stderr.write("lp: Error - Scheduler is not running.\\n"); sys.exit(1)
out = Path(sys.argv[2]); out.mkdir(exist_ok=True)
shutil.copy(sys.argv[-1], out / f"{len(list(out.iterdir())):03d}.pdf")
"""


def test_a_failed_print_is_kept_retried_and_reported_until_it_goes(tmp_path):
    down, out = tmp_path / "printer-is-down", tmp_path / "paper"
    down.touch()
    script = tmp_path / "lp.py"
    script.write_text(FLAKY)
    spool = Spool(tmp_path / "spool")
    worker = SpoolWorker(spool, PrintCommand(f"{sys.executable} {script} {down} {out} -- {{file}}"), retry_s=0.1)
    jobs = [spool.add(f"%PDF-1.4 paper {n}".encode(), f"业务受理通知书_第{n}号") for n in range(3)]
    worker.start()
    try:
        _wait(lambda: worker.status().problem != "")
        status = worker.status()
        assert status.waiting == 3 and "打印服务（CUPS）未运行" in status.problem and status.since is not None
        assert [j.id for j in spool.jobs("pending")] == [j.id for j in jobs]  # all kept, in order
        rounds = worker.rounds
        worker.wait_round(rounds + 1, 5)  # and it keeps trying by itself
        down.unlink()  # the printer is back
        _wait(lambda: len(spool.jobs("printed")) == 3)
        assert [p.read_bytes() for p in sorted(out.iterdir())] == [f"%PDF-1.4 paper {n}".encode() for n in range(3)]
        _wait(lambda: worker.status().problem == "")
    finally:
        worker.stop()


def test_a_job_left_by_a_crash_is_sent_when_the_worker_starts(tmp_path):
    spool = Spool(tmp_path / "spool")
    left = spool.add(b"%PDF-1.4 left over", "收件凭证_示范县政服收〔2026〕9号")
    worker = SpoolWorker(spool, Folder(tmp_path / "out"), retry_s=0.1).start()
    try:
        _wait(lambda: (tmp_path / "out" / "收件凭证_示范县政服收〔2026〕9号.pdf").exists())
        assert [j.id for j in spool.jobs("printed")] == [left.id]
    finally:
        worker.stop()


def test_a_folder_that_cannot_be_written_keeps_the_job_and_says_why(tmp_path):
    blocker = tmp_path / "hot-folder"
    blocker.write_text("not a folder")
    spool = Spool(tmp_path / "spool")
    spool.add(b"%PDF-1.4", "指路单_1号")
    sent = send_pending(spool, Folder(blocker))
    assert (sent.sent, sent.waiting) == (0, 1)
    assert sent.problem.startswith(f"无法写入打印文件夹 {blocker}（")
    assert len(spool.jobs("pending")) == 1


def test_two_programs_sending_one_spool_never_print_a_job_twice(tmp_path):
    slow = tmp_path / "slow.py"
    slow.write_text("import shutil, sys, time\ntime.sleep(0.05)\nshutil.copy(sys.argv[-1], sys.argv[1] + '/' + "
                    "str(time.monotonic_ns()) + '.pdf')\n")
    out = tmp_path / "out"
    out.mkdir()
    spool = Spool(tmp_path / "spool")
    for n in range(6):
        spool.add(f"%PDF-1.4 {n}".encode(), f"job{n}")
    command = f"{sys.executable} {slow} {out} -- {{file}}"
    threads = [threading.Thread(target=send_pending, args=(Spool(spool.root), command)) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(list(out.iterdir())) == 6 and len(spool.jobs("printed")) == 6


def test_the_spool_names_jobs_so_a_person_can_tell_them_apart(tmp_path):
    job = Spool(tmp_path).add(b"%PDF", "不予受理通知书_示范县政服不受〔2026〕3号/补打")
    assert job.path.name.endswith("_不予受理通知书_示范县政服不受〔2026〕3号-补打.pdf")
    assert job.label == "不予受理通知书_示范县政服不受〔2026〕3号-补打"
    assert Path(job.path).parent.name == "pending"


def test_the_desk_gives_the_screens_the_printer_the_composition_root_chose(counter, demo, folder_printer):
    from clerk.config import Settings
    from clerk.desk import Desk, action_label

    printer, out = folder_printer
    desk = Desk(Settings(), counter.store, counter.clock)
    with pytest.raises(PrintRefused):
        desk.notices.print_notice(counter.issue(demo["receipt"]), counter.clerk_id)  # none chosen yet
    desk.use_paper_printer(printer)
    desk.notices.print_notice(counter.issue(demo["acceptance"]), counter.clerk_id)
    _wait(lambda: any(out.glob("*.pdf")))
    assert desk.notices.printer_status().problem == ""
    assert action_label("notice.print") == "打印通知书"


def test_without_any_print_command_papers_wait_in_the_spool_and_the_status_says_where(tmp_path):
    spool = Spool(tmp_path / "spool")
    spool.add(b"%PDF-1.4", "收件凭证_1号")
    sent = send_pending(spool, PrintCommand(""))
    assert sent.waiting == 1 and "请手工打印" in sent.problem and str(spool.root / "pending") in sent.problem
