"""The counter's A4 printer: papers rendered into the A4 spool and sent in the background.

Implements clerk.papers.printer.PaperPrinter. Each paper is a spool job named by its kind
and document number; a SpoolWorker hands the jobs to the destination the settings name
(``[printing] a4_printer``) and keeps retrying while it fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from clerk.config import Settings
from clerk.papers.content import Paper
from clerk.papers.kinds import kind
from clerk.papers.printer import PrinterStatus
from printing.fonts import FontFile, find_cjk_font
from printing.papers.document import render_paper
from printing.spool import Spool, StagedJob
from printing.spool_sender import CupsQueue, Destination, Folder, PrintCommand
from printing.spool_worker import SpoolWorker

FOLDER_PREFIX = "folder:"


def destination_from(settings: Settings) -> Destination:
    """``[printing] a4_printer``: "" the PDF print command, "folder:PATH", or a CUPS queue."""
    setting = settings.printing.a4_printer.strip()
    if not setting:
        return PrintCommand(settings.printing.pdf_print_command)
    if setting.startswith(FOLDER_PREFIX):
        return Folder(Path(setting[len(FOLDER_PREFIX):]).expanduser())
    return CupsQueue(setting)


@dataclass(frozen=True)
class _Staged:
    job: StagedJob
    worker: SpoolWorker

    @property
    def name(self) -> str:
        return f"{self.job.id}.pdf"

    def release(self) -> None:
        self.job.commit()
        self.worker.wake()

    def discard(self) -> None:
        self.job.discard()


class A4Printer:
    """Renders papers into the A4 spool; one background worker sends them."""

    def __init__(self, settings: Settings, *, destination: Destination | None = None,
                 font: FontFile | None = None) -> None:
        self.spool = Spool(settings.paper_spool_path())
        self._font = font
        self._font_setting = settings.printing.font_path
        self.worker = SpoolWorker(self.spool, destination or destination_from(settings), settings.printing.a4_retry_s)

    def start(self) -> A4Printer:
        """Start sending (also what a crash left pending)."""
        self.worker.start()
        return self

    def close(self) -> None:
        self.worker.stop()

    def stage(self, paper: Paper, reprint_at: datetime | None = None) -> _Staged:
        # Looked up at the first paper: a missing font must not stop the workstation starting.
        self._font = self._font or find_cjk_font(self._font_setting)
        pdf = render_paper(paper, self._font, reprint_at=reprint_at)
        label = f"{kind(paper.kind).title}_{paper.doc_no}" + ("_补打" if reprint_at else "")
        return _Staged(self.spool.stage(pdf, label), self.worker)

    def status(self) -> PrinterStatus:
        current = self.worker.status()
        return PrinterStatus(len(self.spool.jobs("pending")), current.problem, current.destination)
