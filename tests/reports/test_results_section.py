"""The ledger's results section: decisions early, on time or late against the promised date,
and the signatures of each delivered case against 001's "最多签两次" (70 % of items)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from report_days import CENTRE, NOW
from sqlmodel import select

from clerk.clock import LOCAL_TZ
from clerk.reports import ledger
from clerk.store.operations import Case, SignOff
from clerk.store.reference import ServiceItem

DAY = date(2026, 3, 10)


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10), LOCAL_TZ).astimezone(UTC)


@pytest.fixture
def results_store(hall_store):
    with hall_store.session() as s:
        items = [i.code for i in s.exec(select(ServiceItem).where(ServiceItem.department_code == "scjg"))][:3]
    a, b, c = items
    # (item, due, decided, result, reviewer, checker, chief of a sign-off, delivered)
    rows = [
        (a, date(2026, 3, 12), DAY, "granted", None, None, "chief_scjg", True),      # 即办: clerk + chief = 2
        (a, date(2026, 3, 10), DAY, "denied", None, None, "chief_scjg", True),       # on time, 2
        (b, date(2026, 3, 9), DAY, "granted", "review_scjg1", "review_scjg2", None, True),  # late, 3 signers
        (c, date(2026, 3, 20), DAY, "granted", "review_scjg1", "chief_scjg", None, False),  # early, not delivered
        (c, date(2026, 3, 20), date(2026, 4, 2), "granted", None, None, None, False),  # decided after the period
    ]
    with hall_store.write() as s:
        for n, (item, due, decided, result, reviewer, checker, chief, delivered) in enumerate(rows):
            s.add(Case(id=f"r-{n}", centre_code=CENTRE, item_code=item, applicant_name="张三", status="finished",
                       received_at=_at(date(2026, 3, 2)), handler_id="clerk01", due_date=due, decided_on=decided,
                       result=result, reviewed_by=reviewer, decided_by=checker or chief,
                       delivered_at=_at(DAY) if delivered else None))
            s.flush()
            if chief and not checker:
                s.add(SignOff(id=f"so-{n}", case_id=f"r-{n}", kind="instant_approval", requested_by="clerk01",
                              requested_at=_at(DAY), department_code="scjg", decided_by=chief, decision="approved"))
    return hall_store, items


def test_decisions_by_timing_and_signatures_per_item(results_store):
    store, (a, b, _c) = results_store
    section = ledger.build(store, CENTRE, ledger.Request("day", DAY), NOW, "super01").section("results")
    f = section.figures
    assert (f["granted"], f["denied"]) == (3, 1)
    assert (f["early"], f["on_time"], f["late"]) == (2, 1, 1)
    # Delivered on the day: three cases of two items; item a's took 2 signatures each, b's took 3.
    assert f["delivered"] == 3 and (f["items_within_two"], f["items"]) == (1, 2)
    assert f["share_within_two"] == 0.5
    rows = dict(section.tables[1].rows)
    assert rows["占比（目标 70%）"] == "50%（未达到）" and rows["两次签字内办结的事项"] == "1 / 2"


def test_an_extension_approver_counts_as_a_signature(results_store):
    store, (a, *_rest) = results_store
    with store.write() as s:
        case = s.get(Case, "r-0")
        case.extended_by = "head_scjg"
        s.add(case)
    f = ledger.build(store, CENTRE, ledger.Request("day", DAY), NOW, "super01").section("results").figures
    assert (f["items_within_two"], f["items"]) == (0, 2)
