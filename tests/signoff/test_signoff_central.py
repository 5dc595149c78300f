"""The central store re-runs every decision and checks its signature and the authorisation:
a decision signed with another person's key, replayed from another counter or altered after
signing is refused, on SQLite and on PostgreSQL. The counter's outbox rows are applied to
the central store's database exactly as a push applies them (the handler, the pushing
counter's client id as the context)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from signoff_centre import PASSWORDS
from signoff_helpers import apply_pushed, case_of, outbox_rows, refusal_request, refused
from sqlmodel import select

from clerk.cases import states
from clerk.mutation import MutationRefused
from clerk.store.engine import Store
from clerk.store.local import Outbox
from clerk.store.operations import Case, Notice, SignOff
from clerk.store.signoff_tables import Authorisation

OPINION = "经核，申请人确不具备经营场所，同意不予受理"


def _decided_on_counter(cases, signoff, chief: str = "k1") -> tuple[str, list[Outbox]]:
    so = refusal_request(cases)
    signoff.decide(chief, PASSWORDS[chief], so, "approved", OPINION)
    return so, outbox_rows(signoff.store)


def _before_decision(central: Store, rows: list[Outbox]) -> Outbox:
    *earlier, last = rows
    assert last.name == "signoff.decide"
    for row in earlier:
        apply_pushed(central, row)
    return last


def _status(central: Store, case_id: str) -> tuple[str, int]:
    with central.session() as s:
        case = s.get(Case, case_id)
        return case.status, len(s.exec(select(Notice).where(Notice.case_id == case_id)).all())


def test_the_genuine_decision_is_accepted(cases, signoff, central):
    so, rows = _decided_on_counter(cases, signoff)
    apply_pushed(central, _before_decision(central, rows))
    assert _status(central, case_of(signoff, so)) == (states.REFUSED, 1)
    with central.session() as s:
        assert s.get(SignOff, so).decided_by == "k1"


def test_replayed_from_another_counter_it_is_refused(cases, signoff, central):
    so, rows = _decided_on_counter(cases, signoff)
    last = _before_decision(central, rows)
    with refused(MutationRefused, "签批签名无效"):
        apply_pushed(central, last, client_id="another-counter")
    assert _status(central, case_of(signoff, so)) == (states.REFUSAL_REQUESTED, 0)


def test_signed_with_another_persons_key_it_is_refused(cases, signoff, central):
    # k2 signed; a tampered counter sends it in k1's name (k2 is a deputy, so it would count).
    so, rows = _decided_on_counter(cases, signoff, chief="k2")
    last = _before_decision(central, rows)
    with refused(MutationRefused, "签批签名无效"):
        apply_pushed(central, last, actor="k1")
    assert _status(central, case_of(signoff, so)) == (states.REFUSAL_REQUESTED, 0)


@pytest.mark.parametrize("alter", ["opinion", "decision", "reasons"])
def test_altered_after_signing_it_is_refused(cases, signoff, central, alter):
    so, rows = _decided_on_counter(cases, signoff)
    last = _before_decision(central, rows)
    args = json.loads(last.args)
    if alter == "opinion":
        args["opinion"] = "同意"
    elif alter == "decision":
        args["decision"], args["notices"] = "sent_back", []
    else:
        args["notices"][0]["paper"]["body"]["reasons"] = "另写的理由"
    with refused(MutationRefused, "签批签名无效"):
        apply_pushed(central, last, args=args)
    assert _status(central, case_of(signoff, so)) == (states.REFUSAL_REQUESTED, 0)


def test_the_central_store_checks_its_own_authorisations(cases, signoff, central):
    """The counter still had the old letter; the central store already knows it expired."""
    so, rows = _decided_on_counter(cases, signoff)
    last = _before_decision(central, rows)
    with central.write() as s:
        auth = s.get(Authorisation, "k1:2026-01-01")
        auth.expires = date(2026, 2, 27)
        s.add(auth)
    with refused(MutationRefused, "授权已于2026年2月27日到期"):
        apply_pushed(central, last)
    assert _status(central, case_of(signoff, so)) == (states.REFUSAL_REQUESTED, 0)
