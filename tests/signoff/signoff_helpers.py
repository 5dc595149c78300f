"""A clerk's 不予受理 request, ready for the chief."""

from __future__ import annotations

import json
import re
from contextlib import contextmanager

import pytest
from case_centre import GOOD_ID
from sqlmodel import select

from clerk import mutation
from clerk.cases.desk import CaseDesk
from clerk.errors import UserFacingError
from clerk.signoff.service import SignOffDesk
from clerk.store.engine import Store
from clerk.store.local import Outbox
from clerk.store.operations import SignOff

PERSON = {"kind": "person", "name": "张三", "id_number": GOOD_ID, "phone": "13800138000"}
REASON = "申请人不具备经营场所，不符合法定条件"
BASIS = "《中华人民共和国行政许可法》第三十二条第一款第（三）项"


def refusal_request(cases: CaseDesk, item: str = "T-DEF", referred_to: str = "") -> str:
    """The id of the sign-off row a clerk's request for 不予受理 on a new ``item`` case made."""
    case = cases.open_case("c1", item, PERSON, window_id="tc:1")
    cases.decide("c1", case.id, case.version, "request_refusal", reason=REASON, legal_basis=BASIS,
                 referred_to=referred_to, print_papers=False)
    with cases.store.session() as session:
        return session.exec(select(SignOff.id).where(SignOff.case_id == case.id)).one()


def case_of(signoff: SignOffDesk, sign_off_id: str) -> str:
    return signoff.entry(sign_off_id).line.case_id


@contextmanager
def refused(kind: type[UserFacingError], pattern: str):
    """Like pytest.raises(match=...), on the Chinese message the person sees."""
    with pytest.raises(kind) as caught:
        yield
    assert re.search(pattern, caught.value.message), caught.value.message


def outbox_rows(store: Store) -> list[Outbox]:
    with store.session() as s:
        return list(s.exec(select(Outbox).order_by(Outbox.mutation_id)).all())


def apply_pushed(central: Store, row: Outbox, *, client_id: str | None = None, actor: str | None = None,
                 args: dict | None = None) -> None:
    """One pushed mutation, as clerk.central.apply runs it (one transaction here)."""
    ctx = mutation.MutationContext(client_id=client_id or row.client_id, mutation_id=row.mutation_id, hlc=row.hlc,
                                   at=row.created_at, actor_id=actor or row.actor_id)
    with central.write() as session:
        mutation.run(session, row.name, args if args is not None else json.loads(row.args), ctx)
