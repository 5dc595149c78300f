"""Cases taken in at the window while a visitor sits there (the simulated hall).

The clerk opens the case on the desk the intake screen uses, checks the guide's checklist
row by row, and gives an outcome: mostly 受理, some 一次性告知 (a material missing or
wrong), some 告知承诺 or 容缺 where the item allows them, a few 不予受理 requests for the
chief representative. A 即办件, once accepted, goes to the chief at once and is handed
out at the same visit. What happens after the visit is clerk.simulate.backoffice.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlmodel import col, select

from clerk.cases.desk import CaseView
from clerk.simulate.office import Item, Office
from clerk.simulate.people import person
from clerk.store.operations import SignOff

REFUSAL_REASON = "申请人不具备法定的经营场所条件，申请事项不符合法定条件"
REFUSAL_BASIS = "《中华人民共和国行政许可法》第三十二条第一款"
DEFECTS = ("未签字", "复印件不清晰", "与原件不一致", "已过有效期")


def later(office: Office, rng: random.Random, low: int = 20, high: int = 120) -> None:
    """Move the simulated clock on by a few seconds of work."""
    office.cases.clock.at += timedelta(seconds=rng.randrange(low, high))


def take_in(office: Office, rng: random.Random, staff_id: str, window_id: str, ticket_id: str, day: date) -> None:
    item = _pick(office, rng)
    case = office.cases.open_case(staff_id, item.code, person(rng), ticket_id=ticket_id, window_id=window_id)
    outcome = _outcome(office, item, rng, day)
    later(office, rng)
    if outcome == "refusal":
        office.cases.decide(staff_id, case.id, case.version, "request_refusal", reason=REFUSAL_REASON,
                            legal_basis=REFUSAL_BASIS, print_papers=False)
    elif outcome == "supplement":
        case = check_rows(office, rng, staff_id, case, _supplement_rows(case, rng))
        office.cases.decide(staff_id, case.id, case.version, "notify_supplement", print_papers=False)
    elif outcome == "deferral":
        case = check_rows(office, rng, staff_id, case, {rng.choice(item.deferrable): "missing"})
        owed_by = office.cases.calendar().add_working_days(day, min(2, item.promised_days)).date
        office.cases.decide(staff_id, case.id, case.version, "accept_deferred", deadline=owed_by, print_papers=False)
    else:
        case = check_rows(office, rng, staff_id, case)
        action = "accept_committed" if outcome == "commitment" else "accept"
        case = office.cases.decide(staff_id, case.id, case.version, action, print_papers=False).case
        after_acceptance(office, rng, staff_id, item, case, day)


def _pick(office: Office, rng: random.Random) -> Item:
    """Three in five cases for items the back office decides, the rest 即办件."""
    decided = [i for i in office.items if not i.instant]
    instant = [i for i in office.items if i.instant]
    if decided and (not instant or rng.random() < 0.6):
        return rng.choice(decided)
    return rng.choice(instant)


def _outcome(office: Office, item: Item, rng: random.Random, day: date) -> str:
    choices = [("accept", 62), ("supplement", 18)]
    if office.chief_for(item, day):
        choices.append(("refusal", 4))
    if item.commitment and not item.instant:
        choices.append(("commitment", 9))
    if item.deferral and item.deferrable and item.promised_days >= 1:
        choices.append(("deferral", 7))
    names, weights = zip(*choices, strict=True)
    return rng.choices(names, weights)[0]


def _supplement_rows(case: CaseView, rng: random.Random) -> dict[int, str]:
    required = [m.seq for m in case.materials if m.required]
    return {rng.choice(required): rng.choice(["missing", "missing", "defective"])}


def check_rows(office: Office, rng: random.Random, staff_id: str, case: CaseView,
               problems: dict[int, str] | None = None) -> CaseView:
    """Mark every row still unchecked: required ones received unless named in ``problems``
    (seq → missing / defective); optional ones missing (they do not apply to this applicant)."""
    problems = problems or {}
    for m in case.materials:
        if m.state != "pending":
            continue
        state = problems.get(m.seq) or ("received" if m.required else "missing")
        case = mark(office, rng, staff_id, case, m.material_id, state)
    return case


def mark(office: Office, rng: random.Random, staff_id: str, case: CaseView, material_id: str,
         state: str) -> CaseView:
    detail: dict = {}
    if state == "received":
        row = next(m for m in case.materials if m.material_id == material_id)
        detail = {"received_form": "copy" if row.form == "复印件" else "original", "copies": max(1, row.copies)}
    elif state == "defective":
        detail = {"defect": rng.choice(DEFECTS)}
    return office.cases.mark(staff_id, case.id, case.version, material_id, state, **detail)


def bring(office: Office, rng: random.Random, staff_id: str, case: CaseView, owed_only: bool = False) -> CaseView:
    """The applicant came back with what was missing or wrong: those rows received."""
    for m in case.materials:
        wanted = m.owed if owed_only else (m.required and m.state in ("missing", "defective", "pending"))
        if wanted:
            case = mark(office, rng, staff_id, case, m.material_id, "received")
    return case


def after_acceptance(office: Office, rng: random.Random, staff_id: str, item: Item, case: CaseView,
                     day: date) -> None:
    """A 即办件 goes to the chief while the applicant waits, and is handed out at once."""
    chief = office.chief_for(item, day)
    if not item.instant or chief is None:
        return
    later(office, rng)
    office.back.request_instant(staff_id, case.id, case.version, "申请人在窗口等候")
    sent_back = office.has_back_office(item) and rng.random() < 0.05
    later(office, rng, 60, 240)
    decide(office, chief, _waiting_sign_off(office, case.id), "sent_back" if sent_back else "approved",
           "需现场核查，转部门审查" if sent_back else "同意即办")
    if not sent_back:
        later(office, rng)
        case = office.cases.case(case.id)
        office.back.deliver(staff_id, case.id, case.version, "window", notice_checked=True, id_checked=True)


def _waiting_sign_off(office: Office, case_id: str) -> str:
    with office.cases.store.session() as s:
        return s.exec(select(SignOff.id).where(SignOff.case_id == case_id, col(SignOff.decision).is_(None))).one()


def decide(office: Office, chief: str, sign_off_id: str, decision: str, opinion: str) -> None:
    # The password is not asked again: the office unlocked the chief's key once (clerk.simulate.office).
    office.signoff.decide(chief, "", sign_off_id, decision, opinion, print_papers=False)
