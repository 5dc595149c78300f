"""Shared ticket data and settings for the printing tests."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from clerk.config import PrintingSettings, Settings
from printing.ticket_data import TicketData


@pytest.fixture
def ticket() -> TicketData:
    return TicketData(
        centre_name="示范县政务服务中心",
        line_name="不动产登记",
        number="A023",
        people_ahead=12,
        wait_text="约 15 分钟",
        issued_at=datetime(2026, 11, 3, 1, 41, tzinfo=UTC),  # 09:41 in Beijing
        priority_label="绿色通道（老年人）",
        note="离线号段",
        qr_text="https://zw.example.cn/q/0192",
        ticket_id="0192f0c4-0000-7000-8000-000000000001",
    )


@pytest.fixture
def make_settings(tmp_path: Path):
    """Settings whose spool is in tmp_path, with the given ticket_printer; spooled PDFs stay
    in the spool unless a test gives a ``pdf_print_command``."""

    def make(ticket_printer: str = "", **printing: object) -> Settings:
        printing.setdefault("spool_dir", str(tmp_path / "spool"))
        printing.setdefault("pdf_print_command", "")
        return Settings(printing=PrintingSettings(ticket_printer=ticket_printer, **printing))

    return make
