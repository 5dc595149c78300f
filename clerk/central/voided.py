"""作废登记 on the central store: the numbers of the papers a refused action carried.

A counter numbers and prints a paper before the central store has seen the action (offline
first, clerk.cases.numbers); if the central store then refuses the action, the paper still
exists. Its number is recorded here, in the refusal's own transaction, as a row that syncs
to the centre's counters like any other, so the register explains every gap in a series and
no counter gives the number to another paper.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import ValidationError
from sqlmodel import Session

from clerk.cases.handlers import NoticeArgs
from clerk.papers.kinds import kind as paper_kind
from clerk.store.central_tables import Device
from clerk.store.operations import Case, Notice, SignOff, VoidedNumber


def record(session: Session, device: Device, mutation_id: int, args: dict, reason: str, at: datetime) -> int:
    """Register the papers in a refused action's ``args``; returns how many.

    Only what the pushing counter could have printed: a case of its own centre (or one its
    back office decides) and a number in its own series — a forged push cannot spend the
    numbers of another centre or another counter."""
    case = _case_of(session, args)
    if case is None or device.centre_code not in (case.centre_code, case.back_office_centre):
        return 0
    count = 0
    for raw in args.get("notices") or ():
        try:
            n = NoticeArgs.model_validate(raw)
        except ValidationError:
            continue  # not a paper this store could have numbered: nothing was spent here
        if n.series != (device.band or 0):
            continue
        if session.get(Notice, n.id) is not None or session.get(VoidedNumber, n.id) is not None:
            continue
        issued: date = n.paper.issued_on
        session.add(VoidedNumber(id=n.id, case_id=case.id, kind=n.paper.kind, doc_no=n.paper.doc_no,
                                 centre_code=device.centre_code, type_code=paper_kind(n.paper.kind).type_code,
                                 year=issued.year, series=n.series, seq=n.seq, reason=reason,
                                 client_id=device.client_id,
                                 mutation_id=mutation_id, voided_at=at))
        count += 1
    session.flush()
    return count


def _case_of(session: Session, args: dict) -> Case | None:
    """The case the refused action was on: named in its arguments, or — a chief's decision
    (signoff.decide prints the 不予受理通知书) — through the sign-off row it decided."""
    case_id = args.get("case_id")
    if not isinstance(case_id, str) and isinstance(args.get("sign_off_id"), str):
        row = session.get(SignOff, args["sign_off_id"])
        case_id = row.case_id if row is not None else None
    return session.get(Case, case_id) if isinstance(case_id, str) else None
