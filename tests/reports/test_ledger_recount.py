"""The ledger's queue figures equal a plain recount, for every period and scope."""

from __future__ import annotations

from datetime import date, time

import pytest
from ledger_recount import counts, handling, load, overtime, waits
from report_days import CENTRE, NOW, SIM_DAYS
from sqlmodel import select

from clerk.clock import local_time
from clerk.reports import ledger
from clerk.simulate.run import working_days_before
from clerk.store.reference import ServiceLine, Staff, Window

PERIODS = ["shift", "day", "xun", "month", "quarter", "year"]


def _scopes(store):
    with store.session() as s:
        windows = [w.number for w in s.exec(select(Window).where(Window.centre_code == CENTRE))]
        staff = [p.username for p in s.exec(select(Staff).where(Staff.centre_code == CENTRE))]
        lines = [x.letter for x in s.exec(select(ServiceLine).where(ServiceLine.centre_code == CENTRE))]
    yield {}
    for n in windows:
        yield {"window": n}
    for u in staff:
        yield {"staff": u}
    for letter in lines:
        yield {"line": letter}


@pytest.mark.parametrize("kind", PERIODS)
def test_queue_figures_match_a_plain_recount(simulated_store, kind):
    tickets, events = load(simulated_store)
    checked = late = 0
    for day in SIM_DAYS[1:3] if kind in ("shift", "day") else SIM_DAYS[:2]:
        for scope in _scopes(simulated_store):
            req = ledger.Request(kind, day, shift_start=time(9), shift_end=time(16), **scope)
            report = ledger.build(simulated_store, CENTRE, req, NOW, "super01")
            fig = report.section("queue").figures
            p, sc = report.period, report.scope
            column = sc.column
            assert fig["counts"] == counts(tickets, events, p.start, p.end, column, sc.key), (kind, scope)
            assert fig["waits"] == waits(tickets, events, p.start, p.end, column, sc.key), (kind, scope)
            assert fig["handling"] == handling(tickets, events, p.start, p.end, column, sc.key), (kind, scope)
            assert fig["overtime"] == overtime(tickets, events, p.start, p.end, column, sc.key), (kind, scope)
            checked += bool(fig["counts"])
            late += fig["overtime"][0] > 0
    assert checked > 10  # the simulated days really put records into most scopes
    assert late > 0 or kind == "shift"  # and tickets served after closing (a 9–16 shift has none)


def test_periods_cover_what_they_say(simulated_store):
    tickets, _events = load(simulated_store)
    by_kind = {}
    for kind in PERIODS:
        req = ledger.Request(kind, SIM_DAYS[1], shift_start=time(9), shift_end=time(16))
        report = ledger.build(simulated_store, CENTRE, req, NOW, "super01")
        by_kind[kind] = report.section("queue").figures["counts"].get("issued", 0)
    per_day = {d: sum(1 for t in tickets.values() if t.day == d) for d in SIM_DAYS}
    assert by_kind["day"] == per_day[SIM_DAYS[1]]
    assert by_kind["xun"] == per_day[SIM_DAYS[1]] + per_day[SIM_DAYS[2]]  # 3月上旬: the 9th and 10th
    assert by_kind["month"] == sum(per_day[d] for d in SIM_DAYS if d.month == 3)
    assert by_kind["quarter"] == sum(per_day[d] for d in SIM_DAYS if d.month <= 3)
    assert by_kind["year"] == len(tickets)
    issued_in_shift = [t for t in tickets.values() if t.day == SIM_DAYS[1] and 9 <= local_time(t.issued_at).hour < 16]
    assert by_kind["shift"] == len(issued_in_shift) < by_kind["day"]


def test_a_swapped_saturday_is_a_day_like_any_other(simulated_store):
    """2026-02-14 is a Saturday worked in exchange for the Spring Festival: simulated and reported."""
    saturday = SIM_DAYS[0]
    with simulated_store.session() as s:
        assert saturday in working_days_before(date(2026, 2, 16), 1, ledger.work_calendar(s))
    tickets, _events = load(simulated_store)
    report = ledger.build(simulated_store, CENTRE, ledger.Request("day", saturday), NOW, "super01")
    issued = report.section("queue").figures["counts"]["issued"]
    assert issued == sum(1 for t in tickets.values() if t.day == saturday) > 0


def test_overtime_stands_in_the_queue_section_as_its_figure(simulated_store):
    tickets, events = load(simulated_store)
    report = ledger.build(simulated_store, CENTRE, ledger.Request("year", SIM_DAYS[1]), NOW, "super01")
    p = report.period
    n, secs = overtime(tickets, events, p.start, p.end, None, "")
    table = next(t for t in report.section("queue").tables if t.title == "延时服务")
    assert n > 0 and table.rows[0] == ("闭厅后办结（件）", n)
    assert table.rows[1] == ("闭厅后办理时长合计（分）", f"{secs / 60:.1f}")
