"""After a served visit: the rating pad, and now and then a ledger entry (the simulated hall).

Most visitors rate on the pad, mostly well; a bad rating opens its rectification for the
clerk who served (clerk.ledgers.ratings). A few visits are a 首问负责 question answered on
the spot or promised an answer, a few a 办不成事 complaint. Each later working day moves
the open entries one step on (answered, fed back, followed up, closed), by chance, so
some are still open, and some late, when the supervisor looks.
"""

from __future__ import annotations

import random
from datetime import date

from sqlmodel import col, select

from clerk.ledgers.reasons import BAD_GRADES, REASONS
from clerk.ledgers.rules import next_state
from clerk.simulate.cases import later
from clerk.simulate.office import Office
from clerk.simulate.people import person
from clerk.store.ledger_tables import LedgerEntry

GRADES = (5, 4, 3, 2, 1)
GRADE_WEIGHTS = (68, 20, 8, 3, 1)
COMPLAINT_SHARE = 0.25
"""Of the ledger entries made at a visit, the 办不成事 complaints (the rest: first contacts)."""
QUESTIONS = ("咨询食品经营许可的办理条件", "咨询个体工商户设立需要的材料", "咨询社保转移接续流程",
             "咨询医保异地就医备案", "咨询公司变更登记是否可以网上办理")
COMPLAINTS = ("多次来办仍未办成，窗口称需其他部门出具证明", "办事指南未列明的材料被要求提交",
              "线上预约后到现场仍需重新排队")


def after_service(office: Office, rng: random.Random, rating_share: float, ledger_share: float, staff_id: str,
                  window_id: str, ticket_id: str, day: date) -> None:
    """Called once the visit's ticket is finished."""
    if rng.random() < rating_share:
        rate(office, rng, staff_id, ticket_id)
    if rng.random() < ledger_share:
        later(office, rng)
        if rng.random() < COMPLAINT_SHARE:
            _complaint(office, rng, staff_id, window_id, ticket_id)
        else:
            _first_contact(office, rng, staff_id, window_id, ticket_id, day)


def rate(office: Office, rng: random.Random, staff_id: str, ticket_id: str) -> None:
    """The visitor rates the finished visit on the pad the clerk's counter shows."""
    grade = rng.choices(GRADES, GRADE_WEIGHTS)[0]
    codes = sorted(REASONS[grade])
    reasons = rng.sample(codes, rng.randint(1, 2)) if grade in BAD_GRADES or rng.random() < 0.5 else []
    later(office, rng, 5, 30)
    office.ledgers.rate(staff_id, ticket_id, grade, reasons, source="pad")


def _first_contact(office: Office, rng: random.Random, staff_id: str, window_id: str, ticket_id: str,
                   day: date) -> None:
    who = person(rng)
    entry = office.ledgers.register_first_contact(staff_id, channel="window", person=who["name"],
                                                  contact=who["phone"], matter=rng.choice(QUESTIONS),
                                                  ticket_id=ticket_id, window_id=window_id)
    later(office, rng)
    if rng.random() < 0.8:
        office.ledgers.step(staff_id, "answer", entry, result="已当场答复办理条件、所需材料和办理流程")
    else:
        due = office.cases.calendar().add_working_days(day, 2).date
        office.ledgers.step(staff_id, "follow_up_by", entry, due=due, note="需向部门核实后答复")


def _complaint(office: Office, rng: random.Random, staff_id: str, window_id: str, ticket_id: str) -> None:
    who = person(rng)
    kind = rng.choice(["on_spot", "on_spot", "policy", "multi_department"])
    entry = office.ledgers.register_complaint(staff_id, channel="window", person=who["name"], contact=who["phone"],
                                              description=rng.choice(COMPLAINTS), class_code=kind,
                                              ticket_id=ticket_id, window_id=window_id)
    if kind == "on_spot":  # solved and told at the window; the follow-up call comes later
        later(office, rng)
        office.ledgers.step(staff_id, "resolve", entry, result_kind="solved", result="经协调当场办结")
        office.ledgers.step(staff_id, "feed_back", entry, feedback="已当场告知办理结果")


def _next(kind: str, status: str, day: date) -> tuple[str, dict] | None:
    """The step an open entry takes next, with its fields (None: nothing for the simulation to do)."""
    if status == "followed_up":
        return "close", {}
    if status == "fed_back":
        return "follow_up", {"on": day, "method": "phone", "satisfaction": "satisfied", "note": "电话回访，表示满意"}
    if status == "resolved" and kind != "first_contact":
        return "feed_back", {"feedback": "已电话告知办理结果"}
    if status == "resolved":
        return "close", {}
    if kind == "rectification":
        if status == "registered":
            return "verify", {"finding": "valid", "note": "经调取录像核实，情况属实"}
        if status == "verified":
            return "resolve", {"result_kind": "rectified", "result": "已对窗口人员批评教育并整改"}
        return None
    if status in ("registered", "follow_up") and not (kind == "first_contact" and status == "registered"):
        return "resolve", {"result_kind": "solved", "result": "已协调相关部门办理完毕"}
    return None


def follow_through(office: Office, rng: random.Random, day: date, share: float = 0.6) -> None:
    """Move each open entry on, by chance: a step with chance ``share``, then another with
    the same chance, and so on (most move one or two steps, some none)."""
    with office.cases.store.session() as s:
        found = s.exec(select(LedgerEntry).where(LedgerEntry.centre_code == office.cases.centre_code,
                                                 col(LedgerEntry.is_open))
                       .order_by(LedgerEntry.registered_at, LedgerEntry.id)).all()
    for entry in found:
        status = entry.status
        while (step := _next(entry.kind, status, day)) is not None and rng.random() < share:
            later(office, rng)
            office.ledgers.step(entry.owner_id, step[0], entry.id, **step[1])
            status = next_state(entry.kind, status, step[0])
