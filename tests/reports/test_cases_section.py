"""The ledger's cases section equals a plain recount of the case table, per period and scope."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

import pytest
from report_days import CENTRE, NOW
from sqlmodel import select

from clerk.clock import LOCAL_TZ, local_time
from clerk.reports import ledger
from clerk.store.operations import Case
from clerk.store.reference import ServiceItem, Staff, Window

STATES = ["received", "supplement", "accepted", "reviewed", "deferred", "committed", "refusal_requested",
          "not_required", "referred", "withdrawn", "deferral_denied"]
VIA = {"accepted": ["full", "deferral", "commitment"], "reviewed": ["full"], "deferred": ["deferral"],
       "committed": ["commitment"], "deferral_denied": ["deferral"]}
DAYS = [date(2026, 3, 2) + timedelta(days=i) for i in range(40)]


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), LOCAL_TZ).astimezone(UTC)


@pytest.fixture
def cases_store(hall_store):
    rnd = random.Random(11)
    with hall_store.session() as s:
        items = [i.code for i in s.exec(select(ServiceItem)).all()][:6]
        staff = [p.id for p in s.exec(select(Staff).where(Staff.centre_code == CENTRE, Staff.role == "clerk"))]
        windows = [w.id for w in s.exec(select(Window).where(Window.centre_code == CENTRE))]
    with hall_store.write() as s:
        for n in range(300):
            day, status = rnd.choice(DAYS), rnd.choice(STATES)
            accepted = status in VIA and status != "deferral_denied" or (status == "deferral_denied" and rnd.random() < .5)
            acc_day = day + timedelta(days=rnd.randint(0, 5))
            s.add(Case(
                id=f"case-{n:03d}", centre_code=CENTRE, item_code=rnd.choice(items), applicant_name="张三",
                status=status, received_at=_at(day, rnd.randint(8, 17)), received_on=day,
                handler_id=rnd.choice(staff), window_id=rnd.choice(windows),
                accepted_at=_at(acc_day, 10) if accepted else None,
                accepted_via=rnd.choice(VIA[status]) if accepted else "",
                acceptance_no=f"受{n:04d}" if accepted else None,
                supplement_notified_on=day + timedelta(days=1) if rnd.random() < .3 else None,
                due_date=acc_day + timedelta(days=rnd.randint(1, 30)) if accepted else None,
                owed_due=acc_day + timedelta(days=rnd.randint(1, 20)) if status in ("deferred", "committed") else None,
            ))
    return hall_store


def recount(store, first: date, last: date, asof: date, column: str | None, key: str) -> tuple[dict, set]:
    """Walk every case in Python: the obviously-correct version of the section's SQL."""
    with store.session() as s:
        cases = s.exec(select(Case).where(Case.centre_code == CENTRE)).all()
    field = {"window_id": "window_id", "staff_id": "handler_id", "line_id": "ticket_line_id"}.get(column)
    mine = [c for c in cases if field is None or getattr(c, field) == key]

    def local_day(at):
        return local_time(at.replace(tzinfo=at.tzinfo or UTC)).date() if at else None

    def in_period(at):
        return at is not None and first <= local_day(at) <= last

    n = {"received": sum(in_period(c.received_at) for c in mine),
         "supplement": sum(c.supplement_notified_on is not None and first <= c.supplement_notified_on <= last
                           for c in mine)}
    for k, via in (("accepted_full", "full"), ("deferral", "deferral"), ("commitment", "commitment")):
        n[k] = sum(c.accepted_via == via and in_period(c.accepted_at) for c in mine)
    for k, state in (("refused", "refusal_requested"), ("not_required", "not_required"), ("referred", "referred"),
                     ("withdrawn", "withdrawn"), ("deferral_denied", "deferral_denied")):
        n[k] = sum(c.status == state and in_period(c.received_at) for c in mine)
    late = set()
    for c in mine:
        if c.status in ("deferred", "committed") and c.owed_due and first <= c.owed_due < asof:
            late.add((c.acceptance_no, "容缺材料未补齐", (asof - c.owed_due).days))
        elif c.status in ("accepted", "deferred", "committed", "reviewed") and c.due_date and first <= c.due_date < asof:
            late.add((c.acceptance_no, "超过承诺办结期限", (asof - c.due_date).days))
    return n, late


@pytest.mark.parametrize("kind", ["day", "xun", "month", "quarter"])
def test_case_figures_match_a_plain_recount(cases_store, kind):
    with cases_store.session() as s:
        staff = [p.username for p in s.exec(select(Staff).where(Staff.centre_code == CENTRE, Staff.role == "clerk"))]
    checked = 0
    for day in (date(2026, 3, 10), date(2026, 3, 23)):
        for scope in ({}, {"window": 1}, {"window": 3}, *({"staff": u} for u in staff[:3])):
            report = ledger.build(cases_store, CENTRE, ledger.Request(kind, day, **scope), NOW, "super01")
            section = report.section("cases")
            p, sc = report.period, report.scope
            asof = min(p.last_day + timedelta(days=1), local_time(NOW).date())
            want, late = recount(cases_store, p.first_day, p.last_day, asof, sc.column, sc.key)
            got = {k: v for k, v in section.figures.items() if k != "overdue"}
            assert got == want, (kind, day, scope)
            listed = {(r[0], r[2], r[4]) for r in section.tables[1].rows}
            assert listed == late, (kind, day, scope)
            checked += want["received"] > 0 and (bool(late) or kind == "day")
    assert checked >= 4  # the figures were not all zero


def test_cases_section_is_in_the_csv_with_its_chart_labels(cases_store):
    report = ledger.build(cases_store, CENTRE, ledger.Request("month", date(2026, 3, 10)), NOW, "super01")
    section = report.section("cases")
    assert section.charts[0].labels[:4] == ("受理（材料齐全）", "一次性告知补正", "容缺受理", "告知承诺受理")
    assert section.tables[0].rows[0] == ("收件", section.figures["received"]) and section.figures["received"] > 0
    late = section.tables[1].rows
    assert late and all(r[4] >= 1 for r in late)  # the day after the date is one day over
