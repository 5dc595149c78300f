"""The print spool: atomic pending jobs, a job list, printed and failed marks."""

from __future__ import annotations

import pytest

from printing.spool import Spool, SpoolError


def test_add_writes_a_pending_job_and_leaves_no_temp_file(tmp_path):
    spool = Spool(tmp_path / "spool")
    job = spool.add(b"%PDF-1.4 one")
    assert job.state == "pending"
    assert job.path == tmp_path / "spool" / "pending" / f"{job.id}.pdf"
    assert job.path.read_bytes() == b"%PDF-1.4 one"
    assert list((tmp_path / "spool" / "tmp").iterdir()) == []


def test_jobs_are_listed_oldest_first(tmp_path):
    spool = Spool(tmp_path)
    ids = [spool.add(b"%PDF").id for _ in range(3)]
    assert [job.id for job in spool.jobs()] == ids
    assert Spool(tmp_path / "empty").jobs() == []


def test_mark_printed_and_failed(tmp_path):
    spool = Spool(tmp_path)
    first, second = spool.add(b"%PDF 1"), spool.add(b"%PDF 2")
    spool.mark_printed(first.id)
    spool.mark_failed(second.id, "卡纸")
    assert spool.jobs("pending") == []
    assert [job.id for job in spool.jobs("printed")] == [first.id]
    [failed] = spool.jobs("failed")
    assert (failed.id, failed.reason) == (second.id, "卡纸")


def test_marking_an_unknown_job_is_a_clear_error(tmp_path):
    with pytest.raises(SpoolError) as caught:
        Spool(tmp_path).mark_printed("no-such-job")
    assert "打印队列中没有" in caught.value.message
