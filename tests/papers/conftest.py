"""The demo papers (one of every kind, from the shipped fixtures) and their PDFs, made once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlmodel import col, select

from clerk.clock import FrozenClock
from clerk.config import REPO_ROOT, PrintingSettings, Settings
from clerk.fixtures import load_fixtures
from clerk.ids import new_id
from clerk.outbox import Workbench
from clerk.papers.content import Paper
from clerk.papers.demo import demo_papers
from clerk.store.engine import Store
from clerk.store.local import Outbox
from clerk.store.operations import Case, Notice, NoticePrint
from clerk.store.reference import Centre, Department, ServiceItem, Staff
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


# -- a counter's store with the demo reference data, where notices can be issued -------

NOON = datetime(2026, 12, 2, 4, 0, tzinfo=UTC)  # 12:00 in Beijing


@dataclass
class Counter:
    """One counter's store, its clock and its clerk, and a way to issue a notice."""

    store: Store
    clock: FrozenClock
    bench: Workbench
    clerk_id: str

    def issue(self, paper: Paper) -> str:
        """Store ``paper`` as an issued notice (what a case's mutation does) and return its id."""
        with self.store.write() as session:
            case = Case(id=new_id(), centre_code="demo-county", item_code="CL-GG-001",
                        applicant_name=paper.applicant.name if paper.applicant else "", received_at=NOON,
                        handler_id=self.clerk_id)
            notice = Notice(id=new_id(), case_id=case.id, kind=paper.kind, doc_no=paper.doc_no, created_at=NOON,
                            created_by=self.clerk_id, body=paper.model_dump_json())
            session.add(case)
            session.flush()
            session.add(notice)
        return notice.id

    def prints(self, notice_id: str) -> list[NoticePrint]:
        with self.store.session() as session:
            return list(session.exec(select(NoticePrint).where(NoticePrint.notice_id == notice_id)
                                     .order_by(col(NoticePrint.printed_at))))

    def outbox(self, name: str) -> list[Outbox]:
        with self.store.session() as session:
            return list(session.exec(select(Outbox).where(Outbox.name == name)))


@pytest.fixture
def counter(sqlite_store: Store) -> Counter:
    """A counter's store with the few reference rows a notice needs (no password hashing)."""
    clerk_id = new_id()
    with sqlite_store.write() as session:
        session.add(Department(code="cl", name="县残疾人联合会"))
        session.add(Centre(code="demo-county", name="示范县政务服务中心", level="county"))
        session.flush()
        session.add(ServiceItem(code="CL-GG-001", name="残疾人证新办", kind="公共服务", case_type="承诺件",
                                department_code="cl", legal_limit_days=20, promised_limit_days=10))
        session.add(Staff(id=clerk_id, username="clerk01", name="王晓丽", role="clerk", centre_code="demo-county",
                          password_hash="-"))
    clock = FrozenClock(NOON)
    return Counter(sqlite_store, clock, Workbench(sqlite_store, clock), clerk_id)


@pytest.fixture
def a4_settings(tmp_path: Path):
    """Settings whose spools are in tmp_path, A4 papers going where ``a4_printer`` says."""

    def make(a4_printer: str, **printing: object) -> Settings:
        printing.setdefault("spool_dir", str(tmp_path / "spool"))
        printing.setdefault("a4_retry_s", 0.2)
        return Settings(printing=PrintingSettings(a4_printer=a4_printer, **printing))

    return make
