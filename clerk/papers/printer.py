"""What the counter needs from an A4 printer, so clerk/ can print without importing printing/.

The composition root (cli/) passes an implementation (printing.papers.printer.A4Printer);
screens reach it through ``desk.notices``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from clerk.papers.content import Paper


@dataclass(frozen=True)
class PrinterStatus:
    waiting: int
    """Papers rendered and kept, not yet taken by the printer."""
    problem: str
    """Why they wait (Chinese); "" when nothing is wrong."""
    destination: str


class StagedPaper(Protocol):
    """A paper rendered and kept on disk, not yet queued for the printer."""

    name: str
    """Its file name in the spool (kind and document number)."""

    def release(self) -> None:
        """Queue it: the printer gets it in the background."""

    def discard(self) -> None:
        """Drop it (the print could not be recorded)."""


class PaperPrinter(Protocol):
    def stage(self, paper: Paper, reprint_at: datetime | None = None) -> StagedPaper:
        """Render ``paper`` (marked 补打 with ``reprint_at``) and keep it on disk.
        Raises UserFacingError (Chinese) when it cannot be kept."""

    def status(self) -> PrinterStatus: ...
