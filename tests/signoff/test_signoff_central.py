"""The central store re-runs every decision and checks its signature and the authorisation:
a decision signed with another person's key, replayed from another counter or altered after
signing is refused, on SQLite and on PostgreSQL. The counter's outbox rows are applied to
the central store's database exactly as a push applies them (the handler, the pushing
counter's client id as the context)."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from datetime import date

import pytest
from harness import drop_pg_database, require_pg, scratch_pg_database
from signoff_centre import PASSWORDS, install_signoff
from signoff_helpers import case_of, refusal_request, refused
from sqlmodel import select

from clerk import mutation
from clerk.cases import states
from clerk.mutation import MutationRefused
from clerk.store.engine import Store
from clerk.store.local import Outbox
from clerk.store.migrate import upgrade
from clerk.store.operations import Case, Notice, SignOff
from clerk.store.signoff_tables import Authorisation

OPINION = "经核，申请人确不具备经营场所，同意不予受理"


@pytest.fixture(scope="module")
def pg_central_url() -> Iterator[str]:
    require_pg()
    name = f"clerk_signoff_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    url = scratch_pg_database(name)
    s = Store.url(url)
    upgrade(s)
    s.dispose()
    yield url
    drop_pg_database(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def central(request, tmp_path) -> Iterator[Store]:
    if request.param == "sqlite":
        s = Store.sqlite(tmp_path / "central.sqlite3")
        upgrade(s)
    else:
        from harness import truncate_all

        s = Store.url(request.getfixturevalue("pg_central_url"))
        truncate_all(s)
    install_signoff(s)
    yield s
    s.dispose()


def _outbox(store: Store) -> list[Outbox]:
    with store.session() as s:
        return list(s.exec(select(Outbox).order_by(Outbox.mutation_id)).all())


def _apply(central: Store, row: Outbox, *, client_id: str | None = None, actor: str | None = None,
           args: dict | None = None) -> None:
    """One pushed mutation, as clerk.central.apply runs it (one transaction here)."""
    ctx = mutation.MutationContext(client_id=client_id or row.client_id, mutation_id=row.mutation_id, hlc=row.hlc,
                                   at=row.created_at, actor_id=actor or row.actor_id)
    with central.write() as session:
        mutation.run(session, row.name, args if args is not None else json.loads(row.args), ctx)


def _decided_on_counter(cases, signoff, chief: str = "k1") -> tuple[str, list[Outbox]]:
    so = refusal_request(cases)
    signoff.decide(chief, PASSWORDS[chief], so, "approved", OPINION)
    return so, _outbox(signoff.store)


def _before_decision(central: Store, rows: list[Outbox]) -> Outbox:
    *earlier, last = rows
    assert last.name == "signoff.decide"
    for row in earlier:
        _apply(central, row)
    return last


def _status(central: Store, case_id: str) -> tuple[str, int]:
    with central.session() as s:
        case = s.get(Case, case_id)
        return case.status, len(s.exec(select(Notice).where(Notice.case_id == case_id)).all())


def test_the_genuine_decision_is_accepted(cases, signoff, central):
    so, rows = _decided_on_counter(cases, signoff)
    _apply(central, _before_decision(central, rows))
    assert _status(central, case_of(signoff, so)) == (states.REFUSED, 1)
    with central.session() as s:
        assert s.get(SignOff, so).decided_by == "k1"


def test_replayed_from_another_counter_it_is_refused(cases, signoff, central):
    so, rows = _decided_on_counter(cases, signoff)
    last = _before_decision(central, rows)
    with refused(MutationRefused, "签批签名无效"):
        _apply(central, last, client_id="another-counter")
    assert _status(central, case_of(signoff, so)) == (states.REFUSAL_REQUESTED, 0)


def test_signed_with_another_persons_key_it_is_refused(cases, signoff, central):
    # k2 signed; a tampered counter sends it in k1's name (k2 is a deputy, so it would count).
    so, rows = _decided_on_counter(cases, signoff, chief="k2")
    last = _before_decision(central, rows)
    with refused(MutationRefused, "签批签名无效"):
        _apply(central, last, actor="k1")
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
        _apply(central, last, args=args)
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
        _apply(central, last)
    assert _status(central, case_of(signoff, so)) == (states.REFUSAL_REQUESTED, 0)
