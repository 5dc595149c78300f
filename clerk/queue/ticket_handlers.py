"""Queue-calling mutations: issue, call, recall, no-show, start, finish, transfer, requeue, park, resume.

Handlers are deterministic (time from ``ctx.at``, ids from the arguments, event ids from
the mutation), so the central store replays them to the same result. Whether a ticket is
still waiting is checked here, inside the write transaction: on one store two windows can
never both call it; across stores the central store keeps the first call it applies and
refuses the second, which becomes a visible conflict.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Literal

from pydantic import Field
from sqlmodel import Session

from clerk.clock import local_time
from clerk.mutation import MutationArgs, MutationContext, MutationRefused, mutation
from clerk.queue import closing, events, guards
from clerk.queue.claim import StaleFence
from clerk.queue.hours_guard import overtime_seconds, refuse_outside_hours
from clerk.queue.load import last_called_at, line_served, to_waiting, window_lines
from clerk.queue.numbering import CENTRAL_BAND, OFFLINE_BANDS, format_number, next_seq
from clerk.queue.policy import CallKind, ticket_kind
from clerk.queue.rate_code import PATTERN as RATE_CODE_PATTERN
from clerk.queue.settings import policy_for
from clerk.queue.status import CALLED, FINISHED, NO_SHOW, PARKED, SERVING, WAITING
from clerk.store.operations import Ticket
from clerk.store.queue_tables import WindowState
from clerk.store.reference import STAFF_ROLES

GreenReason = Literal["", "elderly", "disabled", "pregnant", "military"]


class IssueArgs(MutationArgs):
    id: str
    line_id: str
    source: Literal["kiosk", "appointment", "walk_in"] = "kiosk"
    priority_reason: GreenReason = ""
    """A 绿色通道 reason; empty for none."""
    appointment_code: str = ""
    appointment_start: datetime | None = None
    appointment_end: datetime | None = None
    band: int = Field(default=CENTRAL_BAND, ge=CENTRAL_BAND, le=max(OFFLINE_BANDS))
    """Number band of the issuing store: 0 only on the central store, else its offline band."""
    rate_code: str = Field(default="", pattern=RATE_CODE_PATTERN)
    """The slip's 评价码 (clerk.queue.rate_code), made by the issuer; empty from an older issuer."""


class TicketAtWindow(MutationArgs):
    ticket_id: str
    window_id: str
    fence: int | None = None
    """The token of the central store's claim; when given, a stale one is refused."""


class CallArgs(TicketAtWindow):
    reason: str = ""
    """The policy's reason; empty means the clerk picked the ticket by hand."""
    kind: CallKind | None = None
    """The policy's CallKind; None means priority or normal by the ticket's class."""


class TransferArgs(TicketAtWindow):
    to_line_id: str | None = None
    to_window_id: str | None = None
    reason: str = Field(min_length=1)


class ReasonArgs(TicketAtWindow):
    reason: str = ""


class PauseArgs(MutationArgs):
    window_id: str
    reason: str = Field(min_length=1)


class WindowArgs(MutationArgs):
    window_id: str


class EndOfDayArgs(MutationArgs):
    centre_code: str
    day: date
    rule: Literal["serve_today", "cancel", "carry_over"] | None = None
    """None: the centre's configured rule."""


@mutation("ticket.issue", IssueArgs)
def issue(session: Session, args: IssueArgs, ctx: MutationContext) -> Ticket:
    """A new waiting ticket with the next number of its line, day and band."""
    line = guards.get_line(session, args.line_id)
    if not line_served(session, line.id):
        raise MutationRefused(f"“{line.name}”暂无窗口办理，请到咨询台询问", f"no window serves {line.id}")
    if session.get(Ticket, args.id) is not None:
        raise MutationRefused("该号已取过，请勿重复取号", f"ticket {args.id} exists")
    _check_appointment(args)
    refuse_outside_hours(session, line, args.source, ctx.at)
    day = local_time(ctx.at).date()
    seq = next_seq(session, line.id, day, args.band)
    ticket = Ticket(
        id=args.id, centre_code=line.centre_code, line_id=line.id, day=day, seq=seq,
        number=format_number(line.letter, seq), source=args.source,
        priority="green" if args.priority_reason else ("appointment" if args.source == "appointment" else "normal"),
        priority_reason=args.priority_reason, appointment_code=args.appointment_code,
        appointment_start=args.appointment_start, appointment_end=args.appointment_end,
        status=WAITING, issued_at=ctx.at, rate_code=args.rate_code,
    )
    session.add(ticket)
    session.flush()
    events.log(session, ctx, ticket, "issued")
    return ticket


def _check_appointment(args: IssueArgs) -> None:
    if args.source != "appointment":
        return
    if not args.appointment_code or args.appointment_start is None:
        raise MutationRefused("预约取号须有预约码和预约时段", "appointment without code or slot")
    if args.appointment_end is not None and args.appointment_end < args.appointment_start:
        raise MutationRefused("预约时段不正确：结束早于开始", "appointment ends before it starts")


@mutation("ticket.call", CallArgs, roles=STAFF_ROLES)
def call(session: Session, args: CallArgs, ctx: MutationContext) -> Ticket:
    """Call a waiting ticket to the window (the policy's pick, or one the clerk chose)."""
    ticket = guards.get_ticket(session, args.ticket_id)
    window = guards.get_window(session, args.window_id)
    if args.fence is not None and _claimed_here(ticket, args):
        return ticket  # the central store's claim, recorded again by the counter: nothing to do
    if args.fence is not None and ticket.fence > args.fence:
        raise StaleFence(  # never move a token backwards: the ticket was called again since
            f"{ticket.number} 号已被重新呼叫，本窗口的这次呼叫已失效",
            f"stale fence {args.fence} for ticket {ticket.id} (now {ticket.fence})",
        )
    guards.refuse_if_paused(session, window)
    guards.refuse_if_busy(session, window, ticket.id)
    guards.refuse_if_not_callable(session, ticket, window)
    kind = args.kind or ticket_kind(to_waiting(ticket), ctx.at, policy_for(ticket.centre_code))
    ticket.status, ticket.window_id, ticket.called_by = CALLED, window.id, ctx.actor_id
    ticket.call_reason = args.reason or "指定叫号"
    ticket.fence = args.fence if args.fence is not None else ticket.fence + 1
    ticket.called_at = ticket.called_at or ctx.at
    ticket.recall_count = 0
    session.add(ticket)
    events.log(session, ctx, ticket, "called", reason=ticket.call_reason, call_kind=kind)
    return ticket


def _claimed_here(ticket: Ticket, args: CallArgs) -> bool:
    return ticket.status == CALLED and ticket.window_id == args.window_id and ticket.fence == args.fence


@mutation("ticket.recall", TicketAtWindow, roles=STAFF_ROLES)
def recall(session: Session, args: TicketAtWindow, ctx: MutationContext) -> Ticket:
    """Call the same ticket again, at most ``recall_limit`` times and not too quickly."""
    ticket = guards.held_ticket(session, args.ticket_id, args.window_id, args.fence, "recall")
    policy = policy_for(ticket.centre_code)
    if ticket.recall_count >= policy.recall_limit:
        raise MutationRefused(
            f"{ticket.number} 号已重呼 {ticket.recall_count} 次，已达上限，请作过号处理",
            f"recall limit {policy.recall_limit} reached",
        )
    last = last_called_at(session, ticket.id)
    gap = timedelta(seconds=policy.recall_min_gap_seconds)
    if last is not None and ctx.at - last < gap:
        wait = int((gap - (ctx.at - last)).total_seconds()) + 1
        raise MutationRefused(f"刚刚呼叫过，请 {wait} 秒后再重呼", f"recall within {gap}")
    ticket.recall_count += 1
    session.add(ticket)
    events.log(session, ctx, ticket, "recalled", reason=f"第 {ticket.recall_count} 次重呼")
    return ticket


@mutation("ticket.no_show", TicketAtWindow, roles=STAFF_ROLES)
def no_show(session: Session, args: TicketAtWindow, ctx: MutationContext) -> Ticket:
    """The visitor did not come: back to the end of the queue up to N times, then 过号."""
    ticket = guards.held_ticket(session, args.ticket_id, args.window_id, args.fence, "no_show")
    policy = policy_for(ticket.centre_code)
    if ticket.no_show_count < policy.no_show_requeue_limit:
        ticket.no_show_count += 1
        ticket.status, ticket.window_id, ticket.called_by, ticket.recall_count = WAITING, None, None, 0
        reason, kind = f"第 {ticket.no_show_count} 次未到，重新排队", "requeued"
    else:
        ticket.no_show_count += 1
        ticket.status = NO_SHOW
        reason, kind = "过号", "no_show"
    session.add(ticket)
    events.log(session, ctx, ticket, kind, reason=reason, window_id=args.window_id)
    return ticket


@mutation("ticket.start", TicketAtWindow, roles=STAFF_ROLES)
def start(session: Session, args: TicketAtWindow, ctx: MutationContext) -> Ticket:
    """The visitor is at the window: serving starts; the clerk becomes the first contact."""
    ticket = guards.held_ticket(session, args.ticket_id, args.window_id, args.fence, "start")
    ticket.status = SERVING
    ticket.first_contact_staff_id = ticket.first_contact_staff_id or ctx.actor_id
    session.add(ticket)
    events.log(session, ctx, ticket, "started")
    return ticket


@mutation("ticket.finish", TicketAtWindow, roles=STAFF_ROLES)
def finish(session: Session, args: TicketAtWindow, ctx: MutationContext) -> Ticket:
    """Serving ended (also straight from called, when the clerk skipped "start")."""
    ticket = guards.held_ticket(session, args.ticket_id, args.window_id, args.fence, "finish")
    ticket.status = FINISHED
    ticket.first_contact_staff_id = ticket.first_contact_staff_id or ctx.actor_id
    ticket.overtime_s = overtime_seconds(session, ticket, ctx.at)
    session.add(ticket)
    events.log(session, ctx, ticket, "finished")
    return ticket


@mutation("ticket.transfer", TransferArgs, roles=STAFF_ROLES)
def transfer(session: Session, args: TransferArgs, ctx: MutationContext) -> Ticket:
    """Send the visitor to another line or window; the number and first contact stay."""
    ticket = guards.held_ticket(session, args.ticket_id, args.window_id, args.fence, "transfer")
    to_line = guards.get_line(session, args.to_line_id or ticket.line_id)
    if to_line.centre_code != ticket.centre_code:
        raise MutationRefused("不能转往其他中心的业务", f"line {to_line.id} is in another centre")
    if args.to_window_id:
        _check_target_window(session, args, to_line.id)
    elif to_line.id == ticket.line_id:
        raise MutationRefused("请选择要转往的业务或窗口", "transfer without a destination")
    elif not line_served(session, to_line.id):
        raise MutationRefused(f"没有窗口办理“{to_line.name}”，不能转入", f"no window serves {to_line.id}")
    ticket.first_contact_staff_id = ticket.first_contact_staff_id or ctx.actor_id
    ticket.line_id, ticket.window_id = to_line.id, args.to_window_id
    ticket.status, ticket.called_by, ticket.recall_count = WAITING, None, 0
    session.add(ticket)
    events.log(session, ctx, ticket, "transferred", reason=args.reason, window_id=args.window_id)
    return ticket


def _check_target_window(session: Session, args: TransferArgs, line_id: str) -> None:
    window = guards.get_window(session, args.to_window_id)
    if window.id == args.window_id:
        raise MutationRefused("不能转给本窗口", "transfer to the same window")
    here = guards.get_window(session, args.window_id)
    if window.centre_code != here.centre_code:
        raise MutationRefused("不能转往其他中心的窗口", f"window {window.id} is in another centre")
    # Checked for a transfer that keeps the line too: a window that does not serve the line
    # could never call the ticket (it would sit listed where nobody can take it).
    if line_id not in window_lines(session, window.id):
        line = guards.get_line(session, line_id)
        raise MutationRefused(
            f"{window.number} 号窗口不办理“{line.name}”，不能转入；请选其他窗口，或先在潮汐窗口为它增办该业务",
            f"{window.id} does not serve {line_id}",
        )


@mutation("ticket.requeue", TicketAtWindow, roles=STAFF_ROLES)
def requeue(session: Session, args: TicketAtWindow, ctx: MutationContext) -> Ticket:
    """The clerk leaves the window with the ticket open: it goes back to its line, in its
    old place (the visitor did nothing wrong; not a no-show, nothing counted against them)."""
    ticket = guards.held_ticket(session, args.ticket_id, args.window_id, args.fence, "requeue")
    ticket.status, ticket.window_id, ticket.called_by, ticket.recall_count = WAITING, None, None, 0
    session.add(ticket)
    events.log(session, ctx, ticket, "released", reason="窗口签退，按原顺序重新排队", window_id=args.window_id)
    return ticket


@mutation("ticket.park", ReasonArgs, roles=STAFF_ROLES)
def park(session: Session, args: ReasonArgs, ctx: MutationContext) -> Ticket:
    """Set the visitor aside (e.g. to fetch a document); the window calls them back later."""
    ticket = guards.held_ticket(session, args.ticket_id, args.window_id, args.fence, "park")
    ticket.status = PARKED
    session.add(ticket)
    events.log(session, ctx, ticket, "parked", reason=args.reason)
    return ticket


@mutation("ticket.resume", TicketAtWindow, roles=STAFF_ROLES)
def resume(session: Session, args: TicketAtWindow, ctx: MutationContext) -> Ticket:
    """Call a parked ticket back to the window that parked it (a new call: a new token)."""
    ticket = guards.held_ticket(session, args.ticket_id, args.window_id, args.fence, "resume")
    window = guards.get_window(session, args.window_id)
    guards.refuse_if_paused(session, window)
    guards.refuse_if_busy(session, window, ticket.id)
    ticket.status = CALLED
    ticket.fence += 1
    session.add(ticket)
    events.log(session, ctx, ticket, "resumed", reason="回叫")
    return ticket


@mutation("window.pause", PauseArgs, roles=STAFF_ROLES)
def pause_window(session: Session, args: PauseArgs, ctx: MutationContext) -> WindowState:
    """The window takes no calls until resumed; the reason shows to the supervisor."""
    window = guards.get_window(session, args.window_id)
    state = session.get(WindowState, window.id)
    if state is not None and state.paused:
        raise MutationRefused(f"{window.number} 号窗口已暂停", f"window {window.id} already paused")
    state = state or WindowState(window_id=window.id, since=ctx.at)
    state.paused, state.reason, state.since, state.staff_id = True, args.reason, ctx.at, ctx.actor_id
    session.add(state)
    return state


@mutation("window.resume", WindowArgs, roles=STAFF_ROLES)
def resume_window(session: Session, args: WindowArgs, ctx: MutationContext) -> WindowState:
    window = guards.get_window(session, args.window_id)
    state = session.get(WindowState, window.id)
    if state is None or not state.paused:
        raise MutationRefused(f"{window.number} 号窗口未暂停", f"window {window.id} not paused")
    state.paused, state.reason, state.since, state.staff_id = False, "", ctx.at, ctx.actor_id
    session.add(state)
    return state


@mutation("queue.end_of_day", EndOfDayArgs, roles={"supervisor"})
def end_of_day(session: Session, args: EndOfDayArgs, ctx: MutationContext) -> closing.DayClosed:
    """Tickets left at closing: cancelled with a record, or carried over to the next day."""
    rule = args.rule or policy_for(args.centre_code).end_of_day
    return closing.close_day(session, ctx, args.centre_code, args.day, rule)
