"""好差评: one rating per visit (一次一评) and per case (一事一评); a bad one opens a
rectification owned by the handler of that visit or case.

``rating.give`` comes from the counter (the clerk keys in what the rating pad shows), the
kiosk (no staff member) or the case's public page on the central store (anonymous, see
clerk.central.public_rating). Who rated is stored but never shown to whoever is rated
(clerk.ledgers.service shows it to supervisors only).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import Field
from sqlmodel import Session, select

from clerk.ledgers import deadlines, rate_code, settings
from clerk.ledgers.classes import NUMBER_PREFIX, RECTIFICATION
from clerk.ledgers.reasons import BAD_GRADES, GRADES, MAX_TEXT, REASONS, reason_text
from clerk.ledgers.registration import today
from clerk.ledgers.steps import entry_no, record
from clerk.mutation import MutationArgs, MutationContext, MutationRefused, mutation
from clerk.queue.status import FINISHED
from clerk.store.ledger_tables import LedgerEntry, Rating
from clerk.store.operations import Case, Ticket
from clerk.store.reference import Staff

ALREADY_RATED = "该办件已评价，每件办件只能评价一次"
NOT_ACCEPTED = "该办件尚未受理，受理后才能评价"


class RateArgs(MutationArgs):
    id: str
    ticket_id: str | None = None
    """The served visit rated; or else ``case_id``, never both."""
    case_id: str | None = None
    source: Literal["pad", "kiosk", "public"] = "pad"
    grade: int
    reasons: tuple[str, ...] = ()
    text: str = ""
    rater_name: str = ""
    rater_phone: str = ""
    rate_code: str = Field(default="", max_length=16)
    """The 评价码 the visitor typed at the kiosk; checked against the ticket's for ``kiosk``."""
    rectification_id: str | None = Field(default=None)
    """Made by the caller with the rating, so a bad review's rectification has the same id
    on the counter and on the central store."""


@dataclass(frozen=True)
class _Rated:
    """What a rating is of: a served visit or an accepted case, and who handled it."""

    centre_code: str
    ticket_id: str | None
    case_id: str | None
    window_id: str | None
    item_code: str
    handler: Staff | None


@mutation("rating.give", RateArgs)
def give(session: Session, args: RateArgs, ctx: MutationContext) -> Rating:
    """Store one rating of a served visit or an accepted case (and open its rectification when it is bad)."""
    check(args)
    if args.source == "pad" and not ctx.actor_id:
        # The pad needs no 评价码 because a clerk records it with the visitor in front of them;
        # in nobody's name it would rate any called-out number without the slip.
        raise MutationRefused("窗口评价须由签到的工作人员录入；在自助机评价请输入号票上的评价码",
                              "pad rating without a staff member")
    rated = _visit(session, args) if args.ticket_id else _case(session, args.case_id or "")
    if session.get(Rating, args.id) is not None:
        raise MutationRefused("这条评价已经保存过了", f"rating {args.id} exists")
    handler = rated.handler
    rating = Rating(
        id=args.id, centre_code=rated.centre_code, ticket_id=rated.ticket_id, case_ref=rated.case_id,
        source=args.source, grade=args.grade, reasons=",".join(args.reasons), text=args.text.strip(), at=ctx.at,
        rated_staff_id=handler.id if handler else None, window_id=rated.window_id,
        department_code=handler.department_code if handler else None,
        recorded_by=ctx.actor_id if args.source == "pad" else None, rater_name=args.rater_name.strip(),
        rater_phone=args.rater_phone.strip(), real_name=bool(args.rater_name.strip() and args.rater_phone.strip()),
    )
    session.add(rating)
    session.flush()
    if args.grade in BAD_GRADES:
        _open_rectification(session, ctx, rating, rated, args.rectification_id)
    return rating


def _visit(session: Session, args: RateArgs) -> _Rated:
    ticket = session.get(Ticket, args.ticket_id)
    if ticket is None or ticket.status != FINISHED:
        raise MutationRefused("只能对已办结的服务评价", f"ticket {args.ticket_id} not finished")
    # At the kiosk nobody sees the visitor: the slip's code stands for the slip. (At the
    # counter the clerk records the pad with the visitor in front of them.)
    if args.source == "kiosk" and not rate_code.matches(ticket, args.rate_code):
        raise MutationRefused(rate_code.WRONG_CODE, f"kiosk rating of {ticket.id} with a wrong code")
    if session.exec(select(Rating.id).where(Rating.ticket_id == ticket.id)).first() is not None:
        raise MutationRefused(f"{ticket.number} 号的这次服务已经评价过了，每次服务只能评价一次",
                              f"ticket {ticket.id} already rated")
    handler = session.get(Staff, ticket.called_by) if ticket.called_by else None
    return _Rated(ticket.centre_code, ticket.id, None, ticket.window_id, "", handler)


def _case(session: Session, case_id: str) -> _Rated:
    """一事一评: a case can be rated once it is accepted (its handler answers for it from then)."""
    case = session.get(Case, case_id)
    if case is None:
        raise MutationRefused("没有这个办件", f"no case {case_id}")
    if (refusal := case_refusal(session, case)) is not None:
        raise MutationRefused(refusal, f"case {case.id} in {case.status}, not rateable")
    return _Rated(case.centre_code, None, case.id, case.window_id, case.item_code,
                  session.get(Staff, case.handler_id))


def case_refusal(session: Session, case: Case) -> str | None:
    """Why ``case`` cannot be rated now, or None when it can (the public page asks it too)."""
    if case.accepted_at is None:
        return NOT_ACCEPTED
    if session.exec(select(Rating.id).where(Rating.case_ref == case.id)).first() is not None:
        return ALREADY_RATED
    return None


def check(args: RateArgs) -> None:
    """The checks that need no database: what is rated, grade, reasons of that grade, text length."""
    if bool(args.ticket_id) == bool(args.case_id):
        raise MutationRefused("评价须针对一次服务或一件办件", f"ticket {args.ticket_id!r}, case {args.case_id!r}")
    if args.grade not in GRADES:
        raise MutationRefused("请选择评价等级（非常满意至非常不满意）", f"grade {args.grade}")
    unknown = [r for r in args.reasons if r not in REASONS[args.grade]]
    if unknown:
        raise MutationRefused(f"评价理由与所选等级“{GRADES[args.grade]}”不符", f"reasons {unknown}")
    if args.grade in BAD_GRADES and not args.reasons:
        raise MutationRefused(f"“{GRADES[args.grade]}”的评价须选择至少一项理由", "bad review without reason")
    if len(args.text.strip()) > MAX_TEXT:
        raise MutationRefused(f"评价内容不能超过{MAX_TEXT}个字（现有{len(args.text.strip())}字）", "text too long")
    if args.grade in BAD_GRADES and not args.rectification_id:
        raise MutationRefused("差评须同时建立整改记录", "bad review without rectification id")


def _open_rectification(session: Session, ctx: MutationContext, rating: Rating, rated: _Rated,
                        entry_id: str | None) -> LedgerEntry:
    handler = rated.handler
    if handler is None or entry_id is None:
        raise MutationRefused("没有办理人员，无法建立整改记录", f"rating {rating.id} without handler")
    limits = settings.limits()
    start = today(ctx)
    verify = deadlines.due(session, start, limits.verify_days)
    rectify = deadlines.due(session, start, max(limits.rectify_days, limits.verify_days))
    reasons = "；".join(reason_text(r) for r in rating.reasons.split(",") if r)
    # The rater's name and phone stay on the rating: the handler owns this entry and must not see them.
    entry = LedgerEntry(
        id=entry_id, kind=RECTIFICATION, entry_no=entry_no(NUMBER_PREFIX[RECTIFICATION], ctx, entry_id),
        centre_code=rating.centre_code, registered_at=ctx.at, registered_by=handler.id, owner_id=handler.id,
        window_id=rating.window_id, ticket_id=rating.ticket_id, case_ref=rating.case_ref or "",
        item_code=rated.item_code, rating_id=rating.id, channel=rating.source,
        matter=f"差评：{GRADES[rating.grade]}", description="；".join(p for p in (reasons, rating.text) if p),
        department_code=rating.department_code, due_date=rectify.date,
        due_provisional=rectify.provisional or verify.provisional, updated_at=ctx.at,
        detail=f'{{"verify_due": "{verify.date.isoformat()}"}}',
    )
    session.add(entry)
    session.flush()
    return record(session, ctx, entry, "register", "registered", "差评自动建立整改", None)
