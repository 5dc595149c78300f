"""What happens to the cases after the visit, in one pass of the simulated working day.

Run at the start of a day (for what earlier days left) and at its end (for the day's
own cases). In each pass every waiting case moves at most one step, by chance: the chief
decides the 不予受理 requests (mostly approved, some sent back); applicants come back with
what a 一次性告知 asked for (or the deadline passes and it counts as withdrawn) and bring
what 容缺 owed; the department reviews, a second person checks (一审一核), the head
extends a case before its limit passes or after; results are handed out at the window,
by post or electronically. Every step goes through the desks, as a mutation.
"""

from __future__ import annotations

import random
from datetime import date

from sqlmodel import col, select

from clerk.backoffice import limits
from clerk.cases import states
from clerk.simulate.cases import after_acceptance, bring, check_rows, decide, later
from clerk.simulate.office import Dept, Office
from clerk.store.operations import Case

DENY_SHARE = 0.06
"""Of the reviews, those that propose 不予许可."""
EXTEND_SHARE = 0.03
"""Of the cases in the department's queue, those the head extends before the limit passes."""


def work(office: Office, rng: random.Random, day: date) -> None:
    _sign_offs(office, rng)
    _come_back(office, rng, day)
    for dept in office.departments.values():
        if len(dept.back_office) >= 2:
            _department(office, rng, dept)
    _hand_out(office, rng)


def _sign_offs(office: Office, rng: random.Random) -> None:
    chiefs = sorted({c for d in office.departments.values() for grants in d.chiefs.values() for c, *_ in grants})
    for chief in chiefs:
        for line in office.signoff.queue(chief).lines:
            later(office, rng)
            if line.kind == "refusal" and rng.random() < 0.2:
                decide(office, chief, line.id, "sent_back", "材料可当场补正，退回窗口继续办理")
            elif rng.random() < 0.7:
                decide(office, chief, line.id, "approved", "同意不予受理" if line.kind == "refusal" else "同意")


def _come_back(office: Office, rng: random.Random, day: date) -> None:
    """Cases still at intake from an earlier day: supplements, sent-back refusals, owed materials."""
    items = {i.code: i for i in office.items}
    with office.cases.store.session() as s:
        found = s.exec(select(Case).where(Case.centre_code == office.cases.centre_code, Case.received_on < day,
                                          col(Case.status).in_((states.RECEIVED, states.SUPPLEMENT, states.DEFERRED)))
                       .order_by(Case.received_at, Case.id)).all()
    for row in found:
        item = items.get(row.item_code)
        if item is None:
            continue
        later(office, rng)
        case, clerk = office.cases.case(row.id), row.handler_id
        if row.status == states.DEFERRED:
            _owed(office, rng, clerk, case, row, day)
        elif row.status == states.SUPPLEMENT and row.supplement_due and day > row.supplement_due:
            office.cases.decide(clerk, case.id, case.version, "withdraw", print_papers=False)
        elif rng.random() < 0.5:
            case = check_rows(office, rng, clerk, bring(office, rng, clerk, case))
            case = office.cases.decide(clerk, case.id, case.version, "accept", print_papers=False).case
            after_acceptance(office, rng, clerk, item, case, day)


def _owed(office: Office, rng: random.Random, clerk: str, case, row: Case, day: date) -> None:
    if row.owed_due and day > row.owed_due:
        office.cases.decide(clerk, case.id, case.version, "deny_deferred", print_papers=False)
    elif rng.random() < 0.6:
        case = bring(office, rng, clerk, case, owed_only=True)
        office.cases.decide(clerk, case.id, case.version, "settle_owed", print_papers=False)


def _department(office: Office, rng: random.Random, dept: Dept) -> None:
    for line in office.back.queue(dept.back_office[0]).lines:
        if line.state == states.SUSPENDED:
            continue
        later(office, rng, 60, 400)
        if dept.heads and not line.extended and (line.limit.state == limits.OVER or rng.random() < EXTEND_SHARE):
            office.back.extend(dept.heads[0], line.case_id, line.version, "需现场核查经营场所，延长审查期限",
                               print_papers=False)
            continue
        if line.limit.state == limits.OVER and not line.extended:
            continue  # no head to extend it: it waits, past its limit (the report shows it)
        if line.state in (states.ACCEPTED, states.COMMITTED) and rng.random() < 0.7:
            _review(office, rng, dept, line)
        elif line.state == states.REVIEWED and rng.random() < 0.75:
            _check(office, rng, dept, line)


def _review(office: Office, rng: random.Random, dept: Dept, line) -> None:
    reviewer = rng.choice(_reviewers(dept))
    if rng.random() < DENY_SHARE:
        office.back.review(reviewer, line.case_id, line.version, "deny", "经现场核查，经营场所与申请材料不符",
                           "《中华人民共和国行政许可法》第三十八条第二款")
    else:
        office.back.review(reviewer, line.case_id, line.version, "grant", "经审查，申请材料齐全，符合法定条件和标准")


def _reviewers(dept: Dept) -> list[str]:
    """Who reviews: the department's reviewers, or anyone of its back office when it has none."""
    return dept.reviewers or dept.back_office[:1]


def _check(office: Office, rng: random.Random, dept: Dept, line) -> None:
    with office.cases.store.session() as s:
        reviewed_by = s.get(Case, line.case_id).reviewed_by
    # 一审一核: never the reviewer; mostly the head, else a second reviewer.
    heads = [p for p in dept.heads if p != reviewed_by] if rng.random() < 0.7 else []
    checker = (heads or [p for p in dept.back_office if p != reviewed_by])[0]
    office.back.check(checker, line.case_id, line.version, "同意", print_papers=False)


def _hand_out(office: Office, rng: random.Random) -> None:
    for line in office.back.ready():
        if rng.random() >= 0.6:
            continue  # the applicant has not come yet
        later(office, rng)
        clerk = rng.choice(office.clerks)
        way = rng.choices(["window", "electronic", "post"], [70, 20, 10])[0]
        detail = {"window": {"notice_checked": True, "id_checked": True},
                  "electronic": {"e_address": "shenqing@example.cn"},
                  "post": {"address": "示范县城关镇人民路1号", "courier": "顺丰速运",
                           "tracking_no": f"SF{rng.randrange(10**12):012d}"}}[way]
        office.back.deliver(clerk, line.case_id, line.version, way, **detail)
