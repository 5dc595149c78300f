"""Floor actions: a supervisor frees a window whose clerk left and settles its ticket,
unlocks a locked account, mints an enrolment code for a new counter and settles an applicant
message the sender could not (sent perhaps, or failed).

Each is a mutation with the supervisor as its actor (the outbox and the central store's
log name them); ticket actions also write a ticket event with the supervisor's staff id
and the reason, so the ledger and the ticket's history show who did it and why.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from sqlalchemy import select
from sqlmodel import Session

from clerk.central import devices
from clerk.mutation import MutationArgs, MutationContext, MutationRefused, mutation
from clerk.notify import decisions as notify_decisions
from clerk.queue import events, guards
from clerk.queue.load import window_lines
from clerk.queue.status import CALLED, FINISHED, SERVING, WAITING
from clerk.store.operations import AuditEntry, SeatSession, Ticket
from clerk.store.reference import Staff
from clerk.store.shift_tables import AccountUnlock

SUPERVISORS = frozenset({"supervisor"})


class FreeWindow(MutationArgs):
    window_id: str
    reason: str = Field(min_length=1)


class TicketLeft(MutationArgs):
    ticket_id: str
    reason: str = Field(min_length=1)


class Reassign(TicketLeft):
    to_window_id: str


@mutation("floor.free_window", FreeWindow, roles=SUPERVISORS)
def free_window(session: Session, args: FreeWindow, ctx: MutationContext) -> int:
    """End every open seat at the window (the clerk left without signing out)."""
    window = guards.get_window(session, args.window_id)
    seats = session.execute(
        select(SeatSession).where(SeatSession.window_id == window.id, SeatSession.ended_at.is_(None))
    ).scalars().all()
    if not seats:
        raise MutationRefused(f"{window.number} 号窗口没有人就座，无需释放", f"window {window.id} is free")
    for seat in seats:
        seat.ended_at = ctx.at
        session.add(seat)
    return len(seats)


def _left_ticket(session: Session, ticket_id: str) -> Ticket:
    ticket = guards.get_ticket(session, ticket_id)
    if ticket.status not in (CALLED, SERVING) or ticket.window_id is None:
        raise MutationRefused(f"{ticket.number} 号不在任何窗口办理中，无需处理", f"ticket {ticket.id} is {ticket.status}")
    return ticket


@mutation("floor.finish_ticket", TicketLeft, roles=SUPERVISORS)
def finish_ticket(session: Session, args: TicketLeft, ctx: MutationContext) -> Ticket:
    """The visitor was served but the clerk left before pressing 办结."""
    ticket = _left_ticket(session, args.ticket_id)
    ticket.status = FINISHED
    session.add(ticket)
    events.log(session, ctx, ticket, "finished", reason=f"值班长代为办结：{args.reason}")
    return ticket


@mutation("floor.requeue_ticket", TicketLeft, roles=SUPERVISORS)
def requeue_ticket(session: Session, args: TicketLeft, ctx: MutationContext) -> Ticket:
    """Back into its line, for any window; it keeps its number and its place by issue time."""
    ticket = _left_ticket(session, args.ticket_id)
    left_at = ticket.window_id
    ticket.status, ticket.window_id, ticket.called_by, ticket.recall_count = WAITING, None, None, 0
    session.add(ticket)
    events.log(session, ctx, ticket, "released", reason=f"值班长重新排队：{args.reason}", window_id=left_at)
    return ticket


@mutation("floor.reassign_ticket", Reassign, roles=SUPERVISORS)
def reassign_ticket(session: Session, args: Reassign, ctx: MutationContext) -> Ticket:
    """Send the ticket to a named window that serves its line; that window calls it next."""
    ticket = _left_ticket(session, args.ticket_id)
    target = guards.get_window(session, args.to_window_id)
    if target.id == ticket.window_id:
        raise MutationRefused("改派的窗口就是原窗口，请选择其他窗口", "reassign to the same window")
    if target.centre_code != ticket.centre_code:
        raise MutationRefused("不能改派到其他中心的窗口", f"window {target.id} is in another centre")
    if ticket.line_id not in window_lines(session, target.id):
        line = guards.get_line(session, ticket.line_id)
        raise MutationRefused(f"{target.number} 号窗口不办理“{line.name}”，不能改派", f"{target.id} lacks {line.id}")
    left_at = ticket.window_id
    ticket.status, ticket.window_id, ticket.called_by, ticket.recall_count = WAITING, target.id, None, 0
    session.add(ticket)
    events.log(session, ctx, ticket, "transferred", reason=f"值班长改派至{target.number}号窗口：{args.reason}",
               window_id=left_at)
    return ticket


class Unlock(MutationArgs):
    id: str = Field(min_length=1, max_length=64)
    username: str = Field(min_length=1, max_length=64)
    reason: str = Field(min_length=1, max_length=200)


def _supervisor(session: Session, ctx: MutationContext, what: str) -> Staff:
    boss = session.get(Staff, ctx.actor_id) if ctx.actor_id else None
    if boss is None or not boss.active or boss.role not in SUPERVISORS:
        raise MutationRefused(f"只有值班长可以{what}", f"{ctx.actor_id} is not a supervisor")
    return boss


@mutation("floor.unlock_account", Unlock, roles=SUPERVISORS)
def unlock_account(session: Session, args: Unlock, ctx: MutationContext) -> AccountUnlock:
    """Lift the lockout of a staff member of the supervisor's centre, on every counter: the
    row syncs down and each counter's sign-in honours it (clerk.staff.auth)."""
    boss = _supervisor(session, ctx, "解锁账号")
    staff = session.execute(select(Staff).where(Staff.username == args.username)).scalars().first()
    if staff is None or staff.centre_code != boss.centre_code:
        raise MutationRefused(f"本中心没有账号“{args.username}”", f"no staff {args.username!r} in {boss.centre_code}")
    row = AccountUnlock(id=args.id, username=staff.username, staff_id=staff.id, unlocked_by=boss.id, at=ctx.at,
                        reason=args.reason)
    session.add(row)
    return row


class EnrolCodeArgs(MutationArgs):
    id: str = Field(min_length=1, max_length=64)
    """The audit entry that records who minted the code."""
    code_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    valid_hours: float = Field(gt=0, le=24 * 7)


@mutation("floor.enrol_code", EnrolCodeArgs, roles=SUPERVISORS)
def enrol_code(session: Session, args: EnrolCodeArgs, ctx: MutationContext) -> AuditEntry:
    """A one-time enrolment code for a new counter of the supervisor's centre. Run by the central
    store's floor API only (the code table lives there); the audit entry syncs to every counter."""
    boss = _supervisor(session, ctx, "生成登记码")
    row = devices.add_code(session, args.code_hash, boss.centre_code, ctx.at, args.valid_hours)
    audit = AuditEntry(id=args.id, at=ctx.at, staff_id=boss.id, action="enrol_code",
                       subject=f"有效至 {row.expires_at.isoformat()}")
    session.add(audit)
    return audit


class NotificationArgs(MutationArgs):
    id: str = Field(min_length=1, max_length=64)
    """The audit entry that records the decision."""
    notification_id: str = Field(min_length=1, max_length=64)
    decision: Literal["resend", "close"]
    note: str = Field(default="", max_length=200)


@mutation("floor.notification", NotificationArgs, roles=SUPERVISORS)
def decide_notification(session: Session, args: NotificationArgs, ctx: MutationContext) -> AuditEntry:
    """A person settles a message the sender would not decide alone (clerk.notify.delivery):
    send it again — from the first try, which may reach the applicant twice if an uncertain
    one did arrive — or close it. Run by the central store's floor API only (the outbox lives
    there); the audit entry syncs to every counter."""
    boss = _supervisor(session, ctx, "处理申请人通知")
    audit = AuditEntry(id=args.id, at=ctx.at, staff_id=boss.id, action=f"notification_{args.decision}",
                       subject=notify_decisions.decide(session, args.notification_id, boss, args.decision,
                                                       args.note, ctx.at))
    session.add(audit)
    return audit
