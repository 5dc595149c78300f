"""Ledger mutations: registering first contacts and 办不成事 entries, and every later step.

Each step is its own mutation, with typed arguments, applied through clerk.ledgers.steps
(role check, state table, log row). Time comes from ``ctx.at`` and ids from the arguments,
so the central store replays a step to the same result.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session

from clerk.clock import local_time
from clerk.ledgers import deadlines, settings
from clerk.ledgers.classes import (
    COMPLAINT,
    COMPLAINT_CHANNELS,
    FIRST_CONTACT,
    FIRST_CONTACT_CHANNELS,
    FOLLOW_UP_METHODS,
    SATISFACTION,
    WRITTEN_CHANNELS,
)
from clerk.ledgers.registration import (
    check_refs,
    class_due,
    item_department,
    materials_json,
    need,
    new_entry,
    today,
)
from clerk.ledgers.steps import get_entry, take, with_detail
from clerk.mutation import MutationArgs, MutationContext, MutationRefused, mutation
from clerk.store.ledger_tables import LedgerEntry
from clerk.store.reference import STAFF_ROLES, Department, Staff

FirstContactChannel = Literal["window", "phone", "letter", "email", "online"]
ComplaintChannel = Literal["window", "phone", "12345", "online", "box"]


class Material(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(min_length=1)
    count: int = Field(default=1, ge=1)


class FirstContactArgs(MutationArgs):
    id: str
    channel: FirstContactChannel = "window"
    person: str = ""
    contact: str = ""
    matter: str = ""
    item_code: str = ""
    materials: tuple[Material, ...] = ()
    ticket_id: str | None = None
    window_id: str | None = None


class ComplaintArgs(MutationArgs):
    id: str
    channel: ComplaintChannel = "window"
    person: str = ""
    contact: str = ""
    matter: str = ""
    item_code: str = ""
    case_ref: str = ""
    description: str = ""
    class_code: str = ""
    """Empty: classified later (``ledger.classify``)."""
    legal: bool = False
    ticket_id: str | None = None
    window_id: str | None = None


@mutation("first_contact.register", FirstContactArgs, roles=STAFF_ROLES)
def register_first_contact(session: Session, args: FirstContactArgs, ctx: MutationContext) -> LedgerEntry:
    """A 首问负责 record; a letter or e-mail gets its answer deadline at once."""
    if args.channel not in FIRST_CONTACT_CHANNELS:
        raise MutationRefused("请选择咨询渠道", f"channel {args.channel}")
    check_refs(session, args.ticket_id, args.window_id)
    due = None
    if args.channel in WRITTEN_CHANNELS:
        due = deadlines.due(session, today(ctx), settings.limits().letter_answer_days)
    return new_entry(
        session, ctx, FIRST_CONTACT, args.id, channel=args.channel, person=args.person.strip(),
        contact=args.contact.strip(), matter=need(args.matter, "咨询事项"), item_code=args.item_code,
        department_code=item_department(session, args.item_code), ticket_id=args.ticket_id,
        window_id=args.window_id, detail=materials_json(args.materials),
        due_date=due.date if due else None, due_provisional=bool(due and due.provisional),
    )


@mutation("complaint.register", ComplaintArgs, roles=STAFF_ROLES)
def register_complaint(session: Session, args: ComplaintArgs, ctx: MutationContext) -> LedgerEntry:
    """A 办不成事 entry; with its class it gets the class's limit at once."""
    if args.channel not in COMPLAINT_CHANNELS:
        raise MutationRefused("请选择反映渠道", f"channel {args.channel}")
    check_refs(session, args.ticket_id, args.window_id)
    description = need(args.description, "问题描述")
    due, provisional = (None, False)
    if args.class_code and not args.legal:
        due, provisional = class_due(session, today(ctx), args.class_code)
    return new_entry(
        session, ctx, COMPLAINT, args.id, channel=args.channel, person=args.person.strip(),
        contact=args.contact.strip(), matter=args.matter.strip(), item_code=args.item_code, case_ref=args.case_ref,
        description=description, class_code=args.class_code, legal=args.legal,
        department_code=item_department(session, args.item_code), ticket_id=args.ticket_id,
        window_id=args.window_id, due_date=due, due_provisional=provisional,
    )


# -- steps -----------------------------------------------------------------------------


class EntryArgs(MutationArgs):
    entry_id: str


class NoteArgs(EntryArgs):
    note: str = ""


class ReferArgs(EntryArgs):
    place: str = ""
    """A window or department of this hall, or an outside office."""
    address: str = ""
    phone: str = ""
    reason: str = ""
    bring: tuple[str, ...] = ()


class DueArgs(EntryArgs):
    due: date
    note: str = ""


class ExpertArgs(EntryArgs):
    expert: str = ""
    question: str = ""


class ClassifyArgs(EntryArgs):
    class_code: str = ""
    legal: bool = False


class AssignArgs(EntryArgs):
    unit: str = ""
    assignee_id: str
    department_code: str | None = None
    note: str = ""


class ResolveArgs(EntryArgs):
    result_kind: Literal["answered", "solved", "explained", "rectified"] = "solved"
    result: str = ""


class FeedbackArgs(EntryArgs):
    feedback: str = ""


class FollowUpArgs(EntryArgs):
    on: date
    method: str = "phone"
    satisfaction: str = ""
    note: str = ""


@mutation("ledger.log", NoteArgs, roles=STAFF_ROLES)
def log(session: Session, args: NoteArgs, ctx: MutationContext) -> LedgerEntry:
    """A line of the handling log."""
    return take(session, ctx, args.entry_id, "log", need(args.note, "办理情况"))


@mutation("ledger.answer", ResolveArgs, roles=STAFF_ROLES)
def answer(session: Session, args: ResolveArgs, ctx: MutationContext) -> LedgerEntry:
    """Answered on the spot: the first contact closes with its answer."""
    result = need(args.result, "答复内容")
    return take(session, ctx, args.entry_id, "answer", result, result_kind="answered", result=result)


@mutation("ledger.refer", ReferArgs, roles=STAFF_ROLES)
def refer(session: Session, args: ReferArgs, ctx: MutationContext) -> LedgerEntry:
    """Sent to another window or department with a 指路单; the officer keeps the record."""
    entry = get_entry(session, args.entry_id)
    place, reason = need(args.place, "引导去向"), need(args.reason, "引导原因")
    referral = {"place": place, "address": args.address.strip(), "phone": args.phone.strip(), "reason": reason,
                "bring": list(args.bring), "at": ctx.at.isoformat(), "by": ctx.actor_id}
    return take(session, ctx, entry.id, "refer", f"引导至{place}：{reason}", result_kind="referred",
                detail=with_detail(entry, referrals=[referral]))


@mutation("ledger.follow_up_by", DueArgs, roles=STAFF_ROLES)
def follow_up_by(session: Session, args: DueArgs, ctx: MutationContext) -> LedgerEntry:
    """Promised an answer by a date."""
    entry = get_entry(session, args.entry_id)
    _not_before_registration(args.due, entry, "答复期限")
    return take(session, ctx, entry.id, "follow_up_by", args.note.strip(), result_kind="follow_up",
                due_date=args.due, due_provisional=False)


@mutation("ledger.ask_expert", ExpertArgs, roles=STAFF_ROLES)
def ask_expert(session: Session, args: ExpertArgs, ctx: MutationContext) -> LedgerEntry:
    """A hard question passed to the department's resident expert, with a due date for the answer."""
    entry = get_entry(session, args.entry_id)
    expert, question = need(args.expert, "首席专家"), need(args.question, "咨询问题")
    due = deadlines.due(session, today(ctx), settings.limits().expert_answer_days)
    changes = {"detail": with_detail(entry, expert={"name": expert, "question": question, "due": due.date.isoformat()})}
    if entry.due_date is None or entry.due_date > due.date:
        changes |= {"due_date": due.date, "due_provisional": due.provisional}
    return take(session, ctx, entry.id, "ask_expert", f"转{expert}：{question}", **changes)


@mutation("ledger.expert_answer", NoteArgs, roles=STAFF_ROLES)
def expert_answer(session: Session, args: NoteArgs, ctx: MutationContext) -> LedgerEntry:
    """The expert's answer came back; the officer now answers the visitor."""
    return take(session, ctx, args.entry_id, "expert_answer", need(args.note, "专家答复"))


@mutation("ledger.classify", ClassifyArgs, roles=STAFF_ROLES)
def classify(session: Session, args: ClassifyArgs, ctx: MutationContext) -> LedgerEntry:
    """Set the class; its limit counts from the day of registration."""
    entry = get_entry(session, args.entry_id)
    changes: dict = {"class_code": args.class_code, "legal": args.legal}
    if not args.legal:
        due, provisional = class_due(session, deadlines_start(entry), args.class_code)
        changes |= {"due_date": due, "due_provisional": provisional}
    return take(session, ctx, entry.id, "classify", "", **changes)


def deadlines_start(entry: LedgerEntry) -> date:
    """Limits count from the day of registration (that day not counted)."""
    return local_time(entry.registered_at).date()


@mutation("ledger.refer_out", NoteArgs, roles=STAFF_ROLES)
def refer_out(session: Session, args: NoteArgs, ctx: MutationContext) -> LedgerEntry:
    """涉法涉诉涉访: not handled here, referred to the competent organ."""
    entry = get_entry(session, args.entry_id)
    if not entry.legal:
        raise MutationRefused("只有涉法涉诉涉访事项才转交有权机关办理", "refer_out of a non-legal entry")
    to = need(args.note, "转交机关")
    return take(session, ctx, entry.id, "refer_out", to, result_kind="referred_out", result=f"已转交{to}")


@mutation("ledger.assign", AssignArgs, roles=STAFF_ROLES)
def assign(session: Session, args: AssignArgs, ctx: MutationContext) -> LedgerEntry:
    """The responsible unit and person (a 交办单 prints)."""
    entry = get_entry(session, args.entry_id)
    if entry.legal:
        raise MutationRefused("涉法涉诉涉访事项不在本台账办理，请转交有权机关", "assign of a legal entry")
    if not entry.class_code:
        raise MutationRefused("请先选择问题分类（分类决定办理时限）", "assign before classify")
    changes = _responsible(session, args)
    return take(session, ctx, entry.id, "assign", args.note.strip() or f"交办{changes['unit']}", **changes)


def _responsible(session: Session, args: AssignArgs) -> dict:
    person = session.get(Staff, args.assignee_id)
    if person is None:
        raise MutationRefused("没有这位工作人员", f"unknown staff {args.assignee_id}")
    department = args.department_code or person.department_code
    if department and session.get(Department, department) is None:
        raise MutationRefused("没有这个部门", f"unknown department {department}")
    unit = args.unit.strip() or (session.get(Department, department).name if department else "")
    return {"unit": need(unit, "责任单位"), "assignee_id": person.id, "department_code": department}


@mutation("ledger.dispute", NoteArgs, roles=STAFF_ROLES)
def dispute(session: Session, args: NoteArgs, ctx: MutationContext) -> LedgerEntry:
    """The assigned unit says it is not theirs: the supervisor rules."""
    return take(session, ctx, args.entry_id, "dispute", need(args.note, "争议理由"))


@mutation("ledger.rule", AssignArgs, roles={"supervisor"})
def rule(session: Session, args: AssignArgs, ctx: MutationContext) -> LedgerEntry:
    """The supervisor decides who is responsible."""
    changes = _responsible(session, args)
    return take(session, ctx, args.entry_id, "rule", need(args.note, "裁定意见"), **changes)


@mutation("ledger.resolve", ResolveArgs, roles=STAFF_ROLES)
def resolve(session: Session, args: ResolveArgs, ctx: MutationContext) -> LedgerEntry:
    """The result of the handling (for a rectification: rectified or explained)."""
    entry = get_entry(session, args.entry_id)
    allowed = {"rectified", "explained"} if entry.kind == "rectification" else {"answered", "solved", "explained"}
    if args.result_kind not in allowed:
        raise MutationRefused("办理结果的类别不正确", f"{args.result_kind} for {entry.kind}")
    result = need(args.result, "办理结果")
    return take(session, ctx, entry.id, "resolve", result, result_kind=args.result_kind, result=result)


@mutation("ledger.feed_back", FeedbackArgs, roles=STAFF_ROLES)
def feed_back(session: Session, args: FeedbackArgs, ctx: MutationContext) -> LedgerEntry:
    """What the person was told of the result."""
    feedback = need(args.feedback, "反馈情况")
    return take(session, ctx, args.entry_id, "feed_back", feedback, feedback=feedback, fed_back_at=ctx.at)


@mutation("ledger.follow_up", FollowUpArgs, roles=STAFF_ROLES)
def follow_up(session: Session, args: FollowUpArgs, ctx: MutationContext) -> LedgerEntry:
    """The follow-up visit: date, method, satisfaction."""
    entry = get_entry(session, args.entry_id)
    _not_before_registration(args.on, entry, "回访日期")
    if args.on > today(ctx):
        raise MutationRefused("回访日期不能晚于今天", f"follow-up on {args.on}")
    if args.method not in FOLLOW_UP_METHODS:
        raise MutationRefused("请选择回访方式", f"method {args.method}")
    if args.satisfaction not in SATISFACTION:
        raise MutationRefused("请选择回访满意度", f"satisfaction {args.satisfaction!r}")
    return take(session, ctx, entry.id, "follow_up", args.note.strip(), followed_up_on=args.on,
                follow_up_method=args.method, satisfaction=args.satisfaction)


def _not_before_registration(day: date, entry: LedgerEntry, what: str) -> None:
    registered = deadlines_start(entry)
    if day < registered:
        raise MutationRefused(f"{what}（{day:%Y-%m-%d}）不能早于登记日期（{registered:%Y-%m-%d}）",
                              f"{what} {day} before {registered}")


@mutation("ledger.close", EntryArgs, roles=STAFF_ROLES)
def close(session: Session, args: EntryArgs, ctx: MutationContext) -> LedgerEntry:
    """办结: only from the end of its shape (result, feedback and follow-up where the kind needs them)."""
    return take(session, ctx, args.entry_id, "close")


@mutation("ledger.supervise", NoteArgs, roles={"supervisor"})
def supervise(session: Session, args: NoteArgs, ctx: MutationContext) -> LedgerEntry:
    """督办: an entry past its limit raised by the supervisor (a 督办单 prints)."""
    entry = get_entry(session, args.entry_id)
    if not deadlines.is_overdue(entry.due_date, today(ctx), True):
        raise MutationRefused("该记录尚未超过办理时限，无需督办", f"{entry.id} not overdue")
    demand = need(args.note, "督办要求")
    return take(session, ctx, entry.id, "supervise", demand, supervised_at=ctx.at,
                detail=with_detail(entry, supervision={"demand": demand, "at": ctx.at.isoformat(),
                                                       "by": ctx.actor_id}))
