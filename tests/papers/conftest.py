"""The demo papers (one of every kind, from the shipped fixtures) and their PDFs, made once."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from clerk.config import REPO_ROOT
from clerk.fixtures import load_fixtures
from clerk.papers.content import Paper
from clerk.papers.demo import demo_papers
from printing.fonts import FontFile, find_cjk_font
from printing.papers import render_paper

DEMO_DAY = date(2026, 12, 2)


@pytest.fixture(scope="session")
def font() -> FontFile:
    return find_cjk_font()


@pytest.fixture(scope="session")
def demo() -> dict[str, Paper]:
    papers = demo_papers(load_fixtures(REPO_ROOT / "fixtures"), "demo-county", DEMO_DAY)
    return {paper.kind: paper for paper in papers}


@pytest.fixture(scope="session")
def demo_pdfs(demo: dict[str, Paper], font: FontFile) -> dict[str, bytes]:
    return {code: render_paper(paper, font) for code, paper in demo.items()}


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return tmp_path
