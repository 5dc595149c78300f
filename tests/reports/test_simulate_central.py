"""``clerk simulate --database-url`` on a fresh PostgreSQL central store makes tickets and
cases through the real mutations, and ``clerk report --database-url`` on that store says
what a plain recount of its rows says, day by day."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import datetime, time, timedelta

import pytest
from ledger_recount import counts, load, overtime
from sqlmodel import select

from clerk.clock import LOCAL_TZ, local_time
from clerk.store.engine import Store
from clerk.store.operations import Case
from cli.main import main

QUEUE_ROWS = {"取号": "issued", "叫号（人次）": "called", "办结": "finished", "转移": "transferred"}


@pytest.fixture
def simulated_central(pg_database_url, monkeypatch, capsys) -> Store:
    """A fresh database made a central store the operator's way, then two simulated days."""
    monkeypatch.setenv("CLERK_PASSWORD", "demo1234")
    assert main(["publish", "--database-url", pg_database_url]) == 0
    assert main(["simulate", "--days", "2", "--tickets", "80", "--database-url", pg_database_url]) == 0
    said = capsys.readouterr().out
    store = Store.url(pg_database_url)
    with store.session() as s:
        cases = s.exec(select(Case)).all()
    assert f"收件 {len(cases)} 件" in said and len(cases) >= 5, said
    assert len(Counter(c.status for c in cases)) >= 2  # cases with their outcomes, not only tickets
    yield store
    store.dispose()


def _tables(path) -> dict[str, dict[str, str]]:
    """Each ``section·table`` of the CSV as {first column: second column}."""
    tables, title = {}, None
    for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))):
        if not row:
            title = None
        elif title is None and len(row) == 1 and "·" in row[0]:
            title = row[0]
            tables[title] = {}
        elif title is not None and len(row) >= 2:
            tables[title][row[0]] = row[1]
    return tables


def _case_recount(cases: list[Case], day) -> dict[str, int]:
    on = [c for c in cases if local_time(c.received_at).date() == day]
    accepted = Counter(c.accepted_via for c in cases if c.accepted_at and local_time(c.accepted_at).date() == day)
    return {"收件": len(on), "受理（材料齐全）": accepted["full"], "容缺受理": accepted["deferral"],
            "告知承诺受理": accepted["commitment"],
            "一次性告知补正": sum(1 for c in cases if c.supplement_notified_on == day)}


def test_the_central_report_agrees_with_a_recount_of_the_simulated_days(simulated_central, pg_database_url, tmp_path):
    tickets, events = load(simulated_central)
    with simulated_central.session() as s:
        cases = list(s.exec(select(Case)).all())
    days = sorted({t.day for t in tickets.values()})
    assert len(days) == 2
    for day in days:
        out = tmp_path / f"{day}.csv"
        assert main(["report", "--period", "day", "--date", day.isoformat(), "--format", "csv", "--out", str(out),
                     "--user", "super01", "--database-url", pg_database_url]) == 0
        shown = _tables(out)
        start = datetime.combine(day, time(0), LOCAL_TZ)
        expected = counts(tickets, events, start, start + timedelta(days=1), None, "")
        queue = shown["排队叫号·票号统计"]
        assert {label: int(queue[label]) for label in QUEUE_ROWS} == {
            label: expected.get(kind, 0) for label, kind in QUEUE_ROWS.items()}, day
        assert int(queue["取号"]) == sum(1 for t in tickets.values() if t.day == day) > 0
        done = shown["办件·办件"]
        recounted = _case_recount(cases, day)
        assert {label: int(done[label]) for label in recounted} == recounted, day
        late, _secs = overtime(tickets, events, start, start + timedelta(days=1), None, "")
        assert int(shown["排队叫号·延时服务"]["闭厅后办结（件）"]) == late
    assert sum(_case_recount(cases, d)["收件"] for d in days) == len(cases)  # every case fell on a simulated day
