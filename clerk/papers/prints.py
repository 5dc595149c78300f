"""Print a stored notice: its frozen body → Paper → PDF in the spool, and the print recorded.

The order keeps both promises: nothing printed without a record, no record without a
paper kept. The PDF is written beside the queue first (a spool folder that cannot be
written stops here, with nothing recorded); then ``notice.print`` is committed; only then
is the PDF queued for the printer, which gets it in the background. A reprint (any print
after the first) carries 补打 and the time on the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pydantic import ValidationError
from sqlmodel import col, select

from clerk.clock import Clock
from clerk.errors import UserFacingError
from clerk.ids import new_id
from clerk.outbox import Workbench
from clerk.papers.content import Paper
from clerk.papers.kinds import kind
from clerk.papers.printer import PaperPrinter, PrinterStatus
from clerk.store.engine import Store
from clerk.store.operations import Notice, NoticePrint
from clerk.store.reference import Staff


class PrintRefused(UserFacingError):
    """The notice cannot be printed (unknown, damaged, no printer)."""


@dataclass(frozen=True)
class Printed:
    print_id: str
    reprint: bool
    file: str
    """The PDF's name in the spool."""
    message: str


@dataclass(frozen=True)
class PrintRecord:
    at: datetime
    by: str
    """The staff member's name."""
    reprint: bool


class NoticePrints:
    """Printing and reprinting stored notices (the service ``desk.notices`` gives the screens)."""

    def __init__(self, bench: Workbench, store: Store, clock: Clock, printer: PaperPrinter | None) -> None:
        self.bench = bench
        self.store = store
        self.clock = clock
        self.printer = printer

    def print_notice(self, notice_id: str, staff_id: str) -> Printed:
        """Print notice ``notice_id`` for ``staff_id``; a reprint when it was printed before.

        Raises PrintRefused or another UserFacingError (Chinese); the notice itself is
        never changed, so a failed print can simply be tried again.
        """
        if self.printer is None:
            raise PrintRefused("本机没有设置A4打印，无法打印通知书（请在设置中配置 [printing] a4_printer）")
        paper, printed_before = self._load(notice_id)
        reprint_at = self.clock.now() if printed_before else None
        staged = self.printer.stage(paper, reprint_at)
        print_id = new_id()
        try:
            self.bench.apply("notice.print", {"id": print_id, "notice_id": notice_id, "reprint": printed_before},
                             staff_id)
        except BaseException:
            staged.discard()
            raise
        staged.release()
        what = f"{kind(paper.kind).title}（{paper.doc_no}）"
        message = f"已补打{what}" if printed_before else f"已送打印：{what}"
        return Printed(print_id, printed_before, staged.name, message)

    def history(self, notice_id: str) -> list[PrintRecord]:
        """Every print of the notice, oldest first, with who printed it."""
        with self.store.session() as session:
            rows = session.exec(
                select(NoticePrint.printed_at, Staff.name, NoticePrint.reprint)
                .join(Staff, col(Staff.id) == col(NoticePrint.printed_by))
                .where(NoticePrint.notice_id == notice_id)
                .order_by(col(NoticePrint.printed_at))
            ).all()
        return [PrintRecord(at, name, reprint) for at, name, reprint in rows]

    def printer_status(self) -> PrinterStatus | None:
        """How many papers wait for the printer and why; None without a printer."""
        return self.printer.status() if self.printer is not None else None

    def _load(self, notice_id: str) -> tuple[Paper, bool]:
        with self.store.session() as session:
            notice = session.get(Notice, notice_id)
            if notice is None:
                raise PrintRefused("找不到这份通知书", f"unknown notice {notice_id}")
            printed = session.exec(select(NoticePrint.id).where(NoticePrint.notice_id == notice_id).limit(1)).first()
            body = notice.body
            doc_no = notice.doc_no
        try:
            return Paper.model_validate_json(body), printed is not None
        except ValidationError as exc:
            raise PrintRefused(f"通知书 {doc_no} 的内容无法读取，不能打印，请联系管理员", str(exc)) from exc
