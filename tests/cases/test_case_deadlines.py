"""Working-day deadlines of a case across the 2026 holidays with 调休, into 2027 (holiday
table from the central store) and into 2028 (no data: provisional), from chinese-calendar
1.11.0's published 2026 schedule: Spring Festival off 15–23 Feb, 调休 Sat 14 and Sat 28 Feb;
Mid-autumn off 25–27 Sep, National Day off 1–7 Oct, 调休 Sun 20 Sep and Sat 10 Oct. The
test centre's 2027 table: 1 Jan off, Sat 9 Jan a working day."""

from __future__ import annotations

from datetime import date

import pytest
from case_helpers import checked
from sqlmodel import select

from clerk.calendar import WorkCalendar
from clerk.cases import rules
from clerk.clock import LOCAL_TZ
from clerk.store.reference import CalendarDay, ServiceItem

ITEM = ServiceItem(code="X", name="x", kind="行政许可", case_type="承诺件", department_code="sj",
                   legal_limit_days=20, promised_limit_days=5)

TABLE = [
    # accepted on, promised due (5 working days), why
    (date(2026, 2, 13), date(2026, 2, 27), "调休 Sat 14 Feb counts, the Spring Festival does not"),
    (date(2026, 2, 24), date(2026, 3, 2), "调休 Sat 28 Feb counts"),
    (date(2026, 9, 18), date(2026, 9, 24), "调休 Sun 20 Sep counts"),
    (date(2026, 9, 24), date(2026, 10, 9), "Mid-autumn and National Day skipped"),
    (date(2026, 10, 9), date(2026, 10, 15), "调休 Sat 10 Oct counts"),
    (date(2026, 12, 28), date(2027, 1, 5), "into 2027: New Year's Day off (table)"),
    (date(2027, 1, 7), date(2027, 1, 13), "2027 调休 Sat 9 Jan counts (table)"),
]


@pytest.fixture
def cal(store) -> WorkCalendar:
    with store.session() as s:
        return WorkCalendar.from_rows(s.exec(select(CalendarDay)).all())


@pytest.mark.parametrize(("accepted", "due", "why"), TABLE, ids=[t[2] for t in TABLE])
def test_promised_due_dates(cal, accepted, due, why):
    clocks = rules.acceptance_clocks(cal, ITEM, accepted)
    assert (clocks.due, clocks.provisional) == (due, False), why
    assert rules.notify_by(cal, accepted) == due  # the 5-working-day 补正 clock counts the same way


def test_the_statutory_limit_beside_the_promised_one(cal):
    clocks = rules.acceptance_clocks(cal, ITEM, date(2026, 9, 24))
    assert (clocks.due, clocks.statutory_due) == (date(2026, 10, 9), date(2026, 10, 29))


def test_a_year_without_holiday_data_gives_provisional_dates(cal):
    clocks = rules.acceptance_clocks(cal, ITEM, date(2027, 12, 30))
    assert (clocks.due, clocks.provisional) == (date(2028, 1, 6), True)


def test_a_case_accepted_before_national_day_is_due_after_it(desk, clock):
    clock.advance(days=(date(2026, 9, 24) - date(2026, 3, 2)).days)
    assert clock.now().astimezone(LOCAL_TZ).date() == date(2026, 9, 24)
    case = checked(desk)
    assert case.notify_by == date(2026, 10, 9)
    v = desk.decide("c1", case.id, case.version, "accept").case
    assert (v.due_date, v.statutory_due) == (date(2026, 10, 9), date(2026, 10, 29))


def test_open_cases_show_the_next_deadline_yellow_near_red_past(desk, clock):
    supplement = desk.decide("c1", (c := checked(desk, s3="missing")).id, c.version, "notify_supplement",
                             deadline=date(2026, 3, 4)).case
    received = checked(desk)
    lines = {ln.id: ln for ln in desk.open_cases("c1")}
    assert (lines[supplement.id].deadline, lines[supplement.id].deadline_label) == (date(2026, 3, 4), "补正期限")
    assert lines[supplement.id].urgency == "" and lines[received.id].deadline == date(2026, 3, 9)
    clock.advance(days=1)  # Tue 3 March: the supplement deadline is one working day away
    assert {ln.id: ln.urgency for ln in desk.open_cases("c1")}[supplement.id] == "near"
    clock.advance(days=7)  # Tue 10 March: both past
    urgency = {ln.id: ln.urgency for ln in desk.open_cases("c1")}
    assert urgency == {supplement.id: "past", received.id: "past"}
    assert desk.open_cases("c2") == []
