"""``clerk simulate`` makes what a real hall makes after a visitor sits down: cases with their
outcomes through the back office to 办结, the chief's signed sign-offs, ratings and ledger
entries; and the report's results section counts them as a plain recount of the tables does."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pytest
from report_days import CENTRE, NOW, SIM_DAYS
from sqlmodel import select

from clerk import credentials
from clerk.backoffice.limits import finished_on_time
from clerk.clock import local_time
from clerk.reports import ledger
from clerk.signoff import rules
from clerk.simulate.hall import DayPlan
from clerk.simulate.run import simulate
from clerk.store.engine import Store
from clerk.store.ledger_tables import LedgerEntry, Rating
from clerk.store.local import Outbox
from clerk.store.operations import Case, SignOff
from clerk.store.reference import Staff


def _all(store, model):
    with store.session() as s:
        return list(s.exec(select(model)).all())


def test_cases_go_through_every_stage_to_delivery(simulated_store):
    cases = _all(simulated_store, Case)
    states = Counter(c.status for c in cases)
    assert states["finished"] >= 10 and len(states) >= 4, states
    assert {"full", "commitment"} <= {c.accepted_via for c in cases}
    assert any(c.supplement_notified_on for c in cases)  # 一次性告知
    assert any(c.result == "denied" for c in cases) and any(c.extended_by for c in cases)
    for c in cases:
        if c.reviewed_by and c.decided_by:
            assert c.decided_by != c.reviewed_by  # 一审一核
        if c.status == "finished":
            assert c.delivered_at and c.delivered_by and c.decided_on


def test_sign_offs_are_decided_by_chiefs_with_their_keys(simulated_store):
    sign_offs = _all(simulated_store, SignOff)
    staff = {p.id: p for p in _all(simulated_store, Staff)}
    decided = [so for so in sign_offs if so.decision]
    assert {so.kind for so in decided} == {"instant_approval", "refusal"}
    assert {so.decision for so in decided if so.kind == "refusal"} >= {"approved"}
    for so in decided:
        chief = staff[so.decided_by]
        assert chief.role == "chief" and chief.department_code == so.department_code
        message = rules.statement(so.decided_client, so.id, chief.id, so.decision, so.comment,
                                  rules.digest(_papers(simulated_store, so)), so.signed_at)
        assert credentials.verify(chief.signing_key, message, so.signature)


def _papers(store, so: SignOff) -> list[dict]:
    """The papers the decision signed, as its mutation in the outbox carried them."""
    with store.session() as s:
        for row in s.exec(select(Outbox).where(Outbox.name == "signoff.decide")).all():
            args = json.loads(row.args)
            if args["sign_off_id"] == so.id:
                return args["notices"]
    raise AssertionError(f"no signoff.decide for {so.id}")


def test_ratings_and_ledger_entries_exist_and_bad_ratings_open_rectifications(simulated_store):
    ratings = _all(simulated_store, Rating)
    entries = _all(simulated_store, LedgerEntry)
    assert ratings and all(r.source == "pad" for r in ratings)
    good = [r for r in ratings if r.grade >= 3]
    bad = [r for r in ratings if r.grade <= 2]
    assert bad and len(good) > 5 * len(bad)
    rectified = {e.rating_id for e in entries if e.kind == "rectification"}
    assert {r.id for r in bad} == rectified
    kinds = Counter(e.kind for e in entries)
    assert kinds["first_contact"] > 0 and kinds["complaint"] > 0
    assert any(not e.is_open for e in entries if e.kind != "first_contact")  # some followed through to 办结


def recount(cases: list[Case], sign_offs: list[SignOff], first: date, last: date) -> dict:
    """Decisions and 办结 in [first, last], the obvious way."""
    out = Counter()
    for c in cases:
        if c.decided_on and first <= c.decided_on <= last:
            out[c.result] += 1
            out[finished_on_time(c.due_date, c.decided_on)] += 1
    chiefs = defaultdict(set)
    for so in sign_offs:
        if so.decided_by:
            chiefs[so.case_id].add(so.decided_by)
    worst: dict[str, int] = {}
    for c in cases:
        if c.delivered_at and first <= local_time(c.delivered_at).date() <= last:
            out["delivered"] += 1
            people = {p for p in (c.handler_id, c.reviewed_by, c.decided_by, c.extended_by) if p} | chiefs[c.id]
            worst[c.item_code] = max(worst.get(c.item_code, 0), len(people))
    out["items"] = len(worst)
    out["items_within_two"] = sum(n <= 2 for n in worst.values())
    return out


@pytest.mark.parametrize("kind", ["day", "month", "quarter"])
def test_results_section_matches_a_recount_of_the_simulated_cases(simulated_store, kind):
    cases, sign_offs = _all(simulated_store, Case), _all(simulated_store, SignOff)
    decided = 0
    for day in SIM_DAYS:
        report = ledger.build(simulated_store, CENTRE, ledger.Request(kind, day), NOW, "super01")
        f = report.section("results").figures
        want = recount(cases, sign_offs, report.period.first_day, report.period.last_day)
        for key in ("granted", "denied", "early", "on_time", "late", "delivered", "items", "items_within_two"):
            assert f[key] == want[key], (kind, day, key)
        decided += f["granted"] + f["denied"]
    assert decided > 0
    if kind == "quarter":  # the first quarter holds Feb and March: every timing occurs
        q1 = ledger.build(simulated_store, CENTRE, ledger.Request(kind, SIM_DAYS[1]), NOW, "super01")
        f = q1.section("results").figures
        assert f["early"] > 0 and f["on_time"] + f["late"] > 0 and f["delivered"] > 0


def _outcomes(store) -> Counter:
    return Counter((c.item_code, c.status, c.result, c.accepted_via) for c in _all(store, Case))


def test_the_same_seed_makes_the_same_hall_and_cases_can_be_switched_off(hall_store, tmp_path):
    twin = tmp_path / "twin.sqlite3"
    twin.write_bytes(Path(hall_store.path).read_bytes())
    off = tmp_path / "off.sqlite3"
    off.write_bytes(Path(hall_store.path).read_bytes())
    plan = DayPlan(tickets=60, case_share=0.8)
    days = [SIM_DAYS[1], SIM_DAYS[2]]
    simulate(hall_store, CENTRE, days, plan, seed=11)
    other = Store.sqlite(twin)
    simulate(other, CENTRE, days, plan, seed=11)
    assert _outcomes(hall_store) == _outcomes(other) and sum(_outcomes(hall_store).values()) > 5
    other.dispose()
    bare = Store.sqlite(off)
    simulate(bare, CENTRE, days[:1], DayPlan(tickets=30, case_share=0, rating_share=0, ledger_share=0), seed=11)
    assert (_all(bare, Case), _all(bare, Rating), _all(bare, LedgerEntry)) == ([], [], [])
    bare.dispose()
