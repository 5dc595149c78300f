"""Queue fixtures for the TUI tests: tickets issued straight into the test store, a recording printer."""

from __future__ import annotations

from clerk.clock import Clock
from clerk.outbox import Workbench
from clerk.queue.issuer import IssueResult, LocalIssuer, PrintOutcome, TicketSlip
from clerk.store.engine import Store

CENTRE = "demo-county"


def line(letter: str) -> str:
    return f"{CENTRE}:{letter}"


def issue(store: Store, clock: Clock, letter: str = "A", reason: str = "", code: str = "") -> IssueResult:
    issuer = LocalIssuer(Workbench(store, clock), store, clock)
    return issuer.issue(line(letter), "green" if reason else "normal", reason, code)


class RecordingPrinter:
    """Stands in for the thermal printer: keeps every slip; ``fail`` makes it fall back."""

    def __init__(self, fail: bool = False) -> None:
        self.slips: list[TicketSlip] = []
        self.fail = fail

    def __call__(self, slip: TicketSlip) -> PrintOutcome:
        self.slips.append(slip)
        if self.fail:
            return PrintOutcome("spool", "小票打印机缺纸，已转为 PDF 打印，请到服务台领取")
        return PrintOutcome("printer", "已打印")
