"""The print spool: a directory queue of PDF jobs that survives a crash or a power cut.

Layout: ``<spool>/pending/<id>.pdf`` waits to be printed; ``printed/`` and ``failed/`` keep
finished jobs (a failed job has ``<id>.txt`` with the reason). A job is written to ``tmp/``
and renamed into ``pending/``, so a reader never sees half a PDF.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from clerk.errors import UserFacingError
from clerk.ids import new_id

JobState = Literal["pending", "printed", "failed"]
STATES: tuple[JobState, ...] = ("pending", "printed", "failed")


class SpoolError(UserFacingError):
    """The spool folder cannot be written or a job is not where it should be."""


@dataclass(frozen=True)
class SpoolJob:
    """One PDF in the spool."""

    id: str
    state: JobState
    path: Path
    reason: str = ""


class Spool:
    """A print spool rooted at ``root`` (created on first use)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def add(self, pdf: bytes) -> SpoolJob:
        """Queue ``pdf`` as a new pending job, durably, and return it."""
        job_id = new_id()  # UUIDv7: file names sort in the order jobs were queued
        try:
            path = self._write_atomically(self._dir("pending") / f"{job_id}.pdf", pdf)
        except OSError as exc:
            raise SpoolError(f"无法写入打印队列：{self.root}（{exc.strerror}）", str(exc)) from exc
        return SpoolJob(job_id, "pending", path)

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
        self._write_atomically(job.path.with_suffix(".txt"), reason.encode("utf-8"))
        return SpoolJob(job.id, "failed", job.path, reason)

    def _move(self, job_id: str, state: JobState) -> SpoolJob:
        source = self.root / "pending" / f"{job_id}.pdf"
        if not source.is_file():
            raise SpoolError(f"打印队列中没有待打印的任务 {job_id}", f"no pending job {job_id}")
        target = self._dir(state) / source.name
        os.replace(source, target)
        _fsync_dir(target.parent)
        return SpoolJob(job_id, state, target)

    def _dir(self, name: str) -> Path:
        folder = self.root / name
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def _write_atomically(self, target: Path, data: bytes) -> Path:
        temp = self._dir("tmp") / f"{target.name}.{os.getpid()}.part"
        with open(temp, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())  # counters lose power: the bytes first, then the name
        os.replace(temp, target)
        _fsync_dir(target.parent)
        return target

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
