"""The queue side of the counter for the screens: calling, walk-ins, the kiosk, 潮汐窗口.

Plain Python like :mod:`clerk.desk`; every method may block, so screens call them from
thread workers. Calls and issues go through the injected :class:`Caller` and
:class:`Issuer` (local or through the central store), printing through a
:data:`TicketPrinter` given by the composition root.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from clerk.clock import Clock, local_time, local_today
from clerk.errors import UserFacingError
from clerk.hours.load import centre_hours, parse_hhmm
from clerk.hours.notice import hours_text, lunch_text
from clerk.hours.rules import DayHours, hours_on, within_flexible_hours
from clerk.mutation import MutationRefused
from clerk.outbox import Workbench
from clerk.queue import views
from clerk.queue.caller import Caller, CallResult
from clerk.queue.closing import DayClosed
from clerk.queue.hours_guard import refusal
from clerk.queue.issuer import (
    Issuer,
    IssueResult,
    PrintOutcome,
    TicketPrinter,
    TicketSlip,
    make_slip,
    no_printer,
    priority_label,
)
from clerk.queue.settings import policy_for
from clerk.queue.status import WAITING
from clerk.queue.tidal import LineLoad, Suggestion, Thresholds, WindowLoad, suggest
from clerk.store.engine import Store
from clerk.store.local import Outbox, SyncConflict
from clerk.store.operations import Ticket
from clerk.store.reference import Centre, ServiceLine, Window


@dataclass(frozen=True)
class Issued:
    """A ticket issued and sent to the printer (or the spool)."""

    result: IssueResult
    slip: TicketSlip
    printed: PrintOutcome


@dataclass(frozen=True)
class Hall:
    """The supervisor's view: windows, lines and suggested moves."""

    windows: list[WindowLoad]
    lines: list[LineLoad]
    suggestions: list[Suggestion]


class QueueDesk:
    """Queue actions for one counter (or kiosk) of ``centre_code``."""

    def __init__(
        self,
        centre_code: str,
        store: Store,
        clock: Clock,
        workbench: Workbench,
        caller: Caller,
        issuer: Issuer,
        printer: TicketPrinter | None = None,
        thresholds: Thresholds | None = None,
        *,
        central: bool = False,
    ) -> None:
        self.centre_code = centre_code
        self.central = central
        """A central store confirms this counter's calls (else a local call is final)."""
        self.store = store
        self.clock = clock
        self.bench = workbench
        self.caller = caller
        self.issuer = issuer
        self.printer = printer or no_printer
        self.thresholds = thresholds or Thresholds()

    @property
    def policy(self):
        return policy_for(self.centre_code)

    # -- the calling screen -------------------------------------------------------

    def view(self, window_id: str, with_lines: bool = True) -> views.DeskView:
        """The window's desk; without the per-line waits when ``with_lines`` is False."""
        with self.store.session() as session:
            return views.desk_view(session, window_id, self.policy, with_lines=with_lines, now=self.clock.now())

    def call_next(self, window_id: str, staff_id: str) -> CallResult | None:
        return self.caller.call_next(window_id, staff_id)

    def call_number(self, number: str, window_id: str, staff_id: str) -> CallResult:
        """Call the waiting ticket the clerk typed (``a23`` finds ``A023``)."""
        return self.caller.call_ticket(self.find_waiting(number), window_id, staff_id)

    def find_waiting(self, number: str) -> str:
        wanted = _normalise(number)
        with self.store.session() as session:
            stmt = (
                select(Ticket.id)
                .where(Ticket.centre_code == self.centre_code, Ticket.number == wanted, Ticket.status == WAITING)
                .order_by(Ticket.day.desc())
                .limit(1)
            )
            found = session.execute(stmt).scalar_one_or_none()
        if found is None:
            raise MutationRefused(f"没有等候中的 {wanted or number} 号", f"no waiting ticket {number!r}")
        return found

    def act(self, action: str, ticket: views.CurrentTicket, window_id: str, staff_id: str, **extra) -> str:
        """recall / no_show / start / finish / transfer / park on the window's current ticket;
        returns the ticket's status after it (a no-show is requeued or 过号 by the policy)."""
        args = {"ticket_id": ticket.id, "window_id": window_id, "fence": ticket.fence, **extra}
        self.bench.apply(f"ticket.{action}", args, staff_id)
        with self.store.session() as session:
            return session.get(Ticket, ticket.id).status

    def holding(self, window_id: str) -> views.CurrentTicket | None:
        """The ticket the window still holds (called or being served), if any."""
        with self.store.session() as session:
            return views.current_ticket(session, window_id)

    def call_standing(self, ticket_id: str, window_id: str) -> str:
        """Where a call this window made stands: ``pending`` (not yet confirmed by the central
        store), ``confirmed``, or ``lost`` (the ticket is no longer at this window: another
        window's call was kept, or the central store refused this one)."""
        with self.store.session() as session:
            ticket = session.get(Ticket, ticket_id)
            if ticket is None or ticket.window_id != window_id:
                return "lost"
            if not self.central:
                return "confirmed"  # nobody else can take it: the call is final as made
            calls = session.execute(
                select(Outbox.mutation_id, Outbox.acked_at)
                .where(Outbox.name == "ticket.call", Outbox.args.contains(ticket_id))
                .order_by(Outbox.mutation_id.desc()).limit(1)
            ).first()
            if calls is None:
                return "confirmed"  # called through the central store, or long acknowledged
            mutation_id, acked_at = calls
            refused = session.execute(
                select(SyncConflict.id).where(SyncConflict.mutation_id == mutation_id, SyncConflict.name == "ticket.call")
            ).first()
        if refused is not None:
            return "lost"
        return "pending" if acked_at is None else "confirmed"

    def refuse_if_holding(self, window_id: str) -> None:
        """Signing out or quitting with a ticket open would leave it to the next clerk."""
        if (ticket := self.holding(window_id)) is not None:
            raise TicketLeftOpen(ticket)

    def resume_parked(self, ticket_id: str, window_id: str, staff_id: str) -> None:
        self.bench.apply("ticket.resume", {"ticket_id": ticket_id, "window_id": window_id}, staff_id)

    def pause(self, window_id: str, reason: str, staff_id: str) -> None:
        self.bench.apply("window.pause", {"window_id": window_id, "reason": reason.strip()}, staff_id)

    def resume_window(self, window_id: str, staff_id: str) -> None:
        self.bench.apply("window.resume", {"window_id": window_id}, staff_id)

    def windows(self) -> list[WindowLoad]:
        with self.store.session() as session:
            return views.hall_windows(session, self.centre_code)

    def lines(self) -> list[LineLoad]:
        """The centre's lines with their queue and wait (the kiosk and transfer targets)."""
        with self.store.session() as session:
            return views.centre_lines(session, self.centre_code, self.policy)

    # -- issuing ------------------------------------------------------------------

    def issue(
        self, line_id: str, priority_reason: str = "", appointment_code: str = "",
        source: str = "kiosk", staff_id: str | None = None,
    ) -> Issued:
        """Issue a ticket and print it; a printer fault is in ``printed``, never raised."""
        priority = "green" if priority_reason else "normal"
        result = self.issuer.issue(line_id, priority, priority_reason, appointment_code, source, staff_id)
        slip = make_slip(result, self.centre_name(), self.clock.now(), priority_label(priority_reason, appointment_code))
        try:
            printed = self.printer(slip)
        except UserFacingError as exc:  # neither printed nor spooled: the screen says the number
            printed = PrintOutcome("none", exc.message)
        except Exception as exc:  # noqa: BLE001 - the ticket exists: the visitor must still get the number
            printed = PrintOutcome("none", f"打印失败（{type(exc).__name__}），请记下号码 {result.number}")
        return Issued(result, slip, printed)

    def centre_name(self) -> str:
        with self.store.session() as session:
            centre = session.get(Centre, self.centre_code)
        return centre.name if centre else self.centre_code

    # -- 潮汐窗口 (supervisor) ------------------------------------------------------

    def hall(self) -> Hall:
        with self.store.session() as session:
            windows = views.hall_windows(session, self.centre_code)
            lines = views.centre_lines(session, self.centre_code, self.policy)
        return Hall(windows, lines, suggest(windows, lines, self.thresholds))

    def assign_lines(self, window_id: str, line_ids: tuple[str, ...], staff_id: str, role: str) -> None:
        _require_supervisor(role)
        self.bench.apply("window.assign_lines", {"window_id": window_id, "line_ids": list(line_ids)}, staff_id)

    # -- opening hours --------------------------------------------------------------

    def hours_today(self) -> DayHours | None:
        """Today's hours of the centre; None when closed today or it has no hours data."""
        with self.store.session() as session:
            hours = centre_hours(session, self.centre_code)
        return hours_on(local_today(self.clock), hours) if hours else None

    def lunch_note(self, window_number: int) -> str:
        """Lunch today for this window: on the 午间不间断 rota, or closing for lunch and when
        (the hours the kiosk and ``ticket.issue`` go by); "" when lunch changes nothing."""
        return lunch_text(self.hours_today(), window_number)

    def hours_line(self) -> str:
        """``今日办公时间 08:30–17:30 · …`` for the kiosk and the board; "" without hours data."""
        with self.store.session() as session:
            hours = centre_hours(session, self.centre_code)
            names = {line.letter: line.name for line in session.execute(
                select(ServiceLine).where(ServiceLine.centre_code == self.centre_code)).scalars()}
        return hours_text(hours_on(local_today(self.clock), hours), names) if hours else ""

    def kiosk_refusal(self, line_id: str, source: str = "kiosk") -> str | None:
        """Why the kiosk would not issue for ``line_id`` now (``ticket.issue`` says the same)."""
        with self.store.session() as session:
            line = session.get(ServiceLine, line_id)
            hours = centre_hours(session, self.centre_code)
        return refusal(hours, line, source, self.clock.now()) if line else None

    def booked_may_be_served(self, line_id: str | None = None) -> bool:
        """早晚弹性: whether a booked matter may be served now (open hours, or an hour either
        side on a working day). True when the centre has no hours data."""
        with self.store.session() as session:
            hours = centre_hours(session, self.centre_code)
            line = session.get(ServiceLine, line_id) if line_id else None
        if hours is None:
            return True
        return within_flexible_hours(local_time(self.clock.now()), hours, line.letter if line else None)

    def closing(self) -> str | None:
        """Today's closing time (HH:MM): from the opening hours; the ``queue.closes_at``
        setting only for a centre without hours data. None on a day the centre is closed."""
        with self.store.session() as session:
            hours = centre_hours(session, self.centre_code)
        if hours is None:
            return policy_for(self.centre_code).closes_at
        today = hours_on(local_today(self.clock), hours)
        return f"{today.closes:%H:%M}" if today else None

    def closes_at(self) -> str | None:
        """The closing time (HH:MM) if it is not reached yet, else None."""
        closes = self.closing()
        if closes is not None and local_time(self.clock.now()).time() < parse_hhmm(closes):
            return closes
        return None

    def end_of_day(self, staff_id: str, role: str, early: bool = False) -> DayClosed:
        """Close the day; before closing time only with ``early`` (a second, explicit step).

        Under 当日号当日办结 the day closes once today's tickets are served; closing early is
        the supervisor's explicit decision to end them, so it cancels what is left.
        """
        _require_supervisor(role)
        if not early and (closes := self.closes_at()) is not None:
            raise MutationRefused(f"未到下班时间（{closes}），不能日终清号；确需提前清号请再次确认", "before closing time")
        args = {"centre_code": self.centre_code, "day": local_today(self.clock).isoformat()}
        if early and self.policy.end_of_day == "serve_today":
            args["rule"] = "cancel"
        return self.bench.apply("queue.end_of_day", args, staff_id)

    def window_number(self, window_id: str) -> int:
        with self.store.session() as session:
            window = session.get(Window, window_id)
        return window.number if window else 0


class TicketLeftOpen(MutationRefused):
    """The window still holds a ticket: finish, requeue or transfer it before leaving."""

    def __init__(self, ticket: views.CurrentTicket) -> None:
        super().__init__(
            f"{ticket.number} 号仍在本窗口（{ticket.status_label}），请先办结、重新排队或转移",
            f"window holds {ticket.id}",
        )
        self.ticket = ticket


def _normalise(number: str) -> str:
    """``a23`` → ``A023``: letters upper-case, the digits padded to three."""
    text = number.strip().upper()
    letters = text.rstrip("0123456789")
    digits = text[len(letters):]
    if not letters or not digits:
        return text
    return f"{letters}{int(digits):03d}"


def _require_supervisor(role: str) -> None:
    # The local workbench does not check roles (the central store does again): check here.
    if role != "supervisor":
        raise MutationRefused("只有值班长可以调整窗口业务或日终清号", f"role {role} is not supervisor")
