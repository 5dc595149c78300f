"""Taking and leaving a seat at a window: the start and end of a clerk's time there."""

from __future__ import annotations

from sqlmodel import Session, select

from clerk.mutation import MutationArgs, MutationContext, MutationRefused, mutation
from clerk.store.operations import SeatSession
from clerk.store.reference import STAFF_ROLES, Staff, Window


class TakeSeat(MutationArgs):
    id: str
    staff_id: str
    window_id: str


class LeaveSeat(MutationArgs):
    id: str


@mutation("seat.take", TakeSeat, roles=STAFF_ROLES)
def take_seat(session: Session, args: TakeSeat, ctx: MutationContext) -> SeatSession:
    staff = session.get(Staff, args.staff_id)
    window = session.get(Window, args.window_id)
    if staff is None or not staff.active:
        raise MutationRefused("该工作人员不存在或已停用")
    if window is None:
        raise MutationRefused("窗口不存在")
    # A clerk sits at one window at a time: leaving the old seat is implied.
    for open_seat in session.exec(
        select(SeatSession).where(SeatSession.staff_id == args.staff_id, SeatSession.ended_at.is_(None))
    ):
        open_seat.ended_at = ctx.at
        session.add(open_seat)
    seat = SeatSession(id=args.id, staff_id=args.staff_id, window_id=args.window_id, started_at=ctx.at)
    session.add(seat)
    session.flush()
    return seat


@mutation("seat.leave", LeaveSeat, roles=STAFF_ROLES)
def leave_seat(session: Session, args: LeaveSeat, ctx: MutationContext) -> None:
    seat = session.get(SeatSession, args.id)
    if seat is None:
        raise MutationRefused("没有这个窗口就座记录")
    if seat.ended_at is None:
        seat.ended_at = ctx.at
        session.add(seat)
