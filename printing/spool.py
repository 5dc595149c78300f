"""The print spool: a directory queue of PDF jobs that survives a crash or a power cut.

Layout: ``<spool>/pending/<id>.pdf`` waits to be printed; ``printed/`` and ``failed/`` keep
finished jobs (a failed job has ``<id>.txt`` with the reason). A job is written to ``tmp/``
and renamed into ``pending/``, so a reader never sees half a PDF. A job's id is a UUIDv7
(ids sort in the order jobs were queued) followed by its label, e.g.
``0193…_业务受理通知书_示范县政服受〔2026〕37号``: a person looking into the folder can
tell which paper is which.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from clerk.errors import UserFacingError
from clerk.ids import new_id
from printing.errors import os_reason

JobState = Literal["pending", "printed", "failed"]
STATES: tuple[JobState, ...] = ("pending", "printed", "failed")
LABEL_SEPARATOR = "_"
# Characters no file system (or a print server's job name) takes well, and runs of space.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+|\s+')
MAX_LABEL = 80


class SpoolError(UserFacingError):
    """The spool folder cannot be written or a job is not where it should be."""


@dataclass(frozen=True)
class SpoolJob:
    """One PDF in the spool."""

    id: str
    state: JobState
    path: Path
    reason: str = ""

    @property
    def label(self) -> str:
        """What the job is, as named when it was queued ("" for an unlabelled job)."""
        return self.id.partition(LABEL_SEPARATOR)[2]


@dataclass(frozen=True)
class StagedJob:
    """A PDF written durably beside the queue, not yet in it: ``commit`` queues it,
    ``discard`` drops it. Lets a caller record the print first and queue it after."""

    spool: Spool
    id: str
    temp: Path

    def commit(self) -> SpoolJob:
        target = self.spool._dir("pending") / f"{self.id}.pdf"
        try:
            os.replace(self.temp, target)
            _fsync_dir(target.parent)
        except OSError as exc:
            raise self.spool._unwritable(exc) from exc
        return SpoolJob(self.id, "pending", target)

    def discard(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.temp.unlink()


class Spool:
    """A print spool rooted at ``root`` (created on first use)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def add(self, pdf: bytes, label: str = "") -> SpoolJob:
        """Queue ``pdf`` as a new pending job, durably, and return it."""
        return self.stage(pdf, label).commit()

    def stage(self, pdf: bytes, label: str = "") -> StagedJob:
        """Write ``pdf`` durably next to the queue; nothing prints it until ``commit``."""
        job_id = new_id()
        safe = _UNSAFE.sub("-", label).strip("-.")[:MAX_LABEL]
        if safe:
            job_id += LABEL_SEPARATOR + safe
        try:
            temp = self._write_temp(f"{job_id}.pdf", pdf)
        except OSError as exc:
            raise self._unwritable(exc) from exc
        return StagedJob(self, job_id, temp)

    def jobs(self, state: JobState | None = None) -> list[SpoolJob]:
        """Jobs in ``state`` (all states when None), oldest first within each state."""
        found = []
        for each in (state,) if state else STATES:
            folder = self.root / each
            for path in sorted(folder.glob("*.pdf")) if folder.is_dir() else ():
                found.append(SpoolJob(path.stem, each, path, self._reason(path)))
        return found

    def mark_printed(self, job_id: str) -> SpoolJob:
        """Move a pending job to ``printed/``."""
        return self._move(job_id, "printed")

    def mark_failed(self, job_id: str, reason: str) -> SpoolJob:
        """Move a pending job to ``failed/`` and keep ``reason`` beside it."""
        job = self._move(job_id, "failed")
        note = self._write_temp(f"{job_id}.txt", reason.encode("utf-8"))
        os.replace(note, job.path.with_suffix(".txt"))
        _fsync_dir(job.path.parent)
        return SpoolJob(job.id, "failed", job.path, reason)

    @contextlib.contextmanager
    def sending(self) -> Iterator[None]:
        """Held while jobs are handed to the printer: two programs sharing the spool
        (the kiosk and the workstation, or ``clerk spool``) never send one job twice."""
        try:
            lock = open(self._dir("tmp") / ".sending.lock", "a+b")  # noqa: SIM115 (held across the yield)
        except OSError as exc:
            raise self._unwritable(exc) from exc
        with lock:
            _lock(lock)
            yield

    def _move(self, job_id: str, state: JobState) -> SpoolJob:
        source = self.root / "pending" / f"{job_id}.pdf"
        if not source.is_file():
            raise SpoolError(f"打印队列中没有待打印的任务 {job_id}", f"no pending job {job_id}")
        try:
            target = self._dir(state) / source.name
            os.replace(source, target)
            _fsync_dir(target.parent)
        except OSError as exc:
            raise self._unwritable(exc) from exc
        return SpoolJob(job_id, state, target)

    def _dir(self, name: str) -> Path:
        folder = self.root / name
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def _write_temp(self, name: str, data: bytes) -> Path:
        temp = self._dir("tmp") / f"{name}.{os.getpid()}.part"
        with open(temp, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())  # counters lose power: the bytes first, then the name
        return temp

    def _unwritable(self, exc: OSError) -> SpoolError:
        return SpoolError(f"无法写入打印队列文件夹：{self.root}（{os_reason(exc)}），请检查该文件夹的权限和磁盘空间",
                          str(exc))

    @staticmethod
    def _reason(path: Path) -> str:
        note = path.with_suffix(".txt")
        return note.read_text(encoding="utf-8") if note.is_file() else ""


def _fsync_dir(folder: Path) -> None:
    # Makes the rename itself durable (POSIX); directories cannot be opened on Windows.
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _lock(handle) -> None:
    if os.name == "posix":
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
