"""Write a set of papers into a folder as specimen PDFs (样张), for a centre to proof."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from clerk.errors import UserFacingError
from clerk.papers.content import Paper
from clerk.papers.kinds import kind
from printing.errors import os_reason
from printing.fonts import FontFile
from printing.papers.document import render_paper


class ProofFolderError(UserFacingError):
    """The folder for the specimens cannot be made or written."""


def write_specimens(papers: Sequence[Paper], folder: Path, font: FontFile) -> list[Path]:
    """``NN_标题.pdf`` for each paper, in order; raises ProofFolderError (Chinese)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _unwritable(folder, exc) from exc
    if not os.access(folder, os.W_OK):
        raise ProofFolderError(f"无法写入目录：{folder}（没有写权限）", f"{folder}: not writable")
    written = []
    for n, paper in enumerate(papers, start=1):
        target = folder / f"{n:02d}_{kind(paper.kind).title}.pdf"
        try:
            target.write_bytes(render_paper(paper, font, specimen=True))
        except OSError as exc:
            raise _unwritable(folder, exc) from exc
        written.append(target)
    return written


def _unwritable(folder: Path, exc: OSError) -> ProofFolderError:
    return ProofFolderError(f"无法写入目录：{folder}（{os_reason(exc)}）", str(exc))
