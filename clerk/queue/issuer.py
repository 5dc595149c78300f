"""Issuing a ticket (kiosk, walk-in, appointment check-in) and handing it to a printer.

:class:`LocalIssuer` issues on this store. An enrolled counter numbers in the band its
enrolment gave it (``local_meta`` ``queue_band``, 1–4, unique in the centre): band 0 belongs
to the central store (see ``clerk.queue.numbering``), so such a ticket is an offline-band
ticket (``offline``). A standalone counter that was never enrolled is the only issuer of
its hall: it numbers in band 0 (``A001``), as a central store would.

Printing is injected: the screens may not import ``printing``, so the composition root
passes a :data:`TicketPrinter` that turns a :class:`TicketSlip` into paper (or a PDF).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, Protocol

from clerk.clock import Clock
from clerk.ids import new_id
from clerk.mutation import MutationRefused
from clerk.outbox import Workbench
from clerk.queue.load import handling_times, people_ahead, serving_windows
from clerk.queue.numbering import CENTRAL_BAND, OFFLINE_BANDS, band_of
from clerk.queue.policy import GREEN_REASONS, describe_wait, estimate_wait
from clerk.queue.rate_code import new_rate_code
from clerk.queue.settings import policy_for
from clerk.store.engine import Store
from clerk.store.operations import Ticket
from clerk.store.reference import ServiceLine
from clerk.sync import meta

CHECK_IN_OFFLINE = "暂时无法核验预约码（未连接中心库）：请返回选择普通取号，或到服务台登记，预约记录不受影响"
"""Bookings live on the central store and their codes are random: a counter or kiosk cut off
from it cannot tell a real code from a made-up one, so it does not check anyone in."""

NO_ESTIMATE = -1.0
"""``IssueResult.wait_minutes`` when no open window serves the line (no honest estimate)."""


@dataclass(frozen=True)
class IssueResult:
    ticket_id: str
    number: str
    line_name: str
    people_ahead: int
    wait_minutes: float
    """Estimated wait; :data:`NO_ESTIMATE` (negative) when no window is open for the line."""
    offline: bool
    """Numbered in this installation's offline band (not by the central store)."""
    rate_code: str = ""
    """The 评价码 for the slip (clerk.queue.rate_code); empty only from an older central store."""


class Issuer(Protocol):
    def issue(
        self,
        line_id: str,
        priority: str = "normal",
        priority_reason: str = "",
        appointment_code: str = "",
        source: str = "kiosk",
        staff_id: str | None = None,
    ) -> IssueResult: ...


def wait_text(minutes: float) -> str:
    """``约 15 分钟`` / ``无需等待`` / ``暂无窗口办理``, as the kiosk and the ticket say it."""
    if minutes < 0:
        return describe_wait(None)
    return describe_wait(timedelta(minutes=minutes))


def priority_label(priority_reason: str, appointment_code: str = "") -> str:
    """``绿色通道（老年人）`` / ``预约`` / empty for a normal ticket."""
    if priority_reason:
        return f"绿色通道（{GREEN_REASONS.get(priority_reason, priority_reason)}）"
    return "预约" if appointment_code else ""


def store_band(store: Store) -> int:
    """This installation's number band: its enrolment's, or band 0 when never enrolled."""
    with store.session() as session:
        band, enrolled = meta.get(session, meta.BAND), meta.get(session, meta.DEVICE_ID)
    if not band:
        if enrolled:  # band 0 is the central store's: numbering in it here could collide
            raise MutationRefused("本机没有离线号段，连不上中心库时不能取号，请到咨询台", "enrolled without a band")
        return CENTRAL_BAND
    if int(band) not in OFFLINE_BANDS:
        raise ValueError(f"local_meta {meta.BAND}={band} is not an offline number band")
    return int(band)


class LocalIssuer:
    """``ticket.issue`` on this store, in this installation's band."""

    def __init__(self, workbench: Workbench, store: Store, clock: Clock) -> None:
        self.bench = workbench
        self.store = store
        self.clock = clock
        self._band: int | None = None

    @property
    def band(self) -> int:
        if self._band is None:
            self._band = store_band(self.store)
        return self._band

    def issue(
        self,
        line_id: str,
        priority: str = "normal",
        priority_reason: str = "",
        appointment_code: str = "",
        source: str = "kiosk",
        staff_id: str | None = None,
    ) -> IssueResult:
        args: dict = {"id": new_id(), "line_id": line_id, "source": source, "band": self.band,
                      "rate_code": new_rate_code()}
        if priority == "green" or priority_reason:
            args["priority_reason"] = priority_reason
        if appointment_code:
            # A check-in code is verified only by the central store that holds the bookings.
            raise MutationRefused(CHECK_IN_OFFLINE, "appointment check-in needs the central store")
        ticket: Ticket = self.bench.apply("ticket.issue", args, staff_id)
        return self._result(ticket)

    def _result(self, ticket: Ticket) -> IssueResult:
        policy = policy_for(ticket.centre_code)
        with self.store.session() as session:
            line = session.get(ServiceLine, ticket.line_id)
            ahead = people_ahead(session, ticket)
            times = handling_times(session, ticket.line_id, policy.handling_sample_size)
            windows = serving_windows(session, ticket.line_id)
        estimate = estimate_wait(ahead, times, windows, policy)
        minutes = NO_ESTIMATE if estimate is None else estimate.total_seconds() / 60
        name = line.name if line else ticket.line_id
        offline = band_of(ticket.seq) != CENTRAL_BAND
        return IssueResult(ticket.id, ticket.number, name, ahead, minutes, offline, ticket.rate_code)


@dataclass(frozen=True)
class TicketSlip:
    """What goes on paper; the printer adapter in the composition root maps it to its format."""

    ticket_id: str
    centre_name: str
    line_name: str
    number: str
    people_ahead: int
    wait_text: str
    issued_at: datetime
    priority_label: str = ""
    note: str = ""
    rate_code: str = ""
    """The 评价码: printed, and shown on the kiosk's screen only when the slip was not printed."""


@dataclass(frozen=True)
class PrintOutcome:
    sent_to: Literal["printer", "spool", "none"]
    message: str
    """What to tell the visitor or clerk, e.g. "已打印" or "打印机缺纸，已转存 PDF"."""


TicketPrinter = Callable[[TicketSlip], PrintOutcome]
"""Prints a slip; must not raise for printer faults (it reports them in the outcome)."""


def no_printer(slip: TicketSlip) -> PrintOutcome:
    """The default when nothing was wired: the screen shows the number instead."""
    return PrintOutcome("none", "未连接打印机，请记下号码")


def make_slip(result: IssueResult, centre_name: str, issued_at: datetime, label: str = "") -> TicketSlip:
    return TicketSlip(
        ticket_id=result.ticket_id, centre_name=centre_name, line_name=result.line_name,
        number=result.number, people_ahead=result.people_ahead, wait_text=wait_text(result.wait_minutes),
        issued_at=issued_at, priority_label=label, note="离线号段" if result.offline else "",
        rate_code=result.rate_code,
    )
