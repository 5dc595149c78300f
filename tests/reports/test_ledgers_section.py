"""The report's ledgers section equals a plain recount of the rows it was given."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from report_days import CENTRE, NOW
from sqlalchemy import insert
from sqlmodel import select

from clerk.ids import new_id
from clerk.reports import ledger
from clerk.store.ledger_tables import LedgerEntry, Rating
from clerk.store.reference import Staff, Window

DAY = date(2026, 3, 10)
START = datetime(2026, 3, 1, tzinfo=UTC)


def _fill(store, seed: int = 3):
    """Entries and ratings spread over March and April 2026 (some closed, some past their limit)."""
    rng = random.Random(seed)
    with store.session() as s:
        staff = [p.id for p in s.exec(select(Staff).where(Staff.centre_code == CENTRE))]
        windows = [w.id for w in s.exec(select(Window).where(Window.centre_code == CENTRE))]
    entries, ratings = [], []
    for i in range(240):
        at = START + timedelta(hours=rng.randrange(0, 24 * 50))
        kind = ("first_contact", "complaint", "rectification")[i % 3]
        closed = rng.random() < 0.5
        closed_at = at + timedelta(days=rng.randrange(0, 12)) if closed else None
        rating_id = None
        if kind == "rectification":
            rating_id = new_id()
            ratings.append(dict(id=rating_id, centre_code=CENTRE, source="pad", grade=rng.choice([1, 2]),
                                at=at, rated_staff_id=rng.choice(staff), window_id=rng.choice(windows), valid=True))
        entries.append(dict(
            id=new_id(), kind=kind, entry_no=f"X{i}", centre_code=CENTRE, status="closed" if closed else "assigned",
            is_open=not closed, registered_at=at, registered_by=staff[0], owner_id=rng.choice(staff),
            window_id=rng.choice(windows), rating_id=rating_id, result_kind=rng.choice(["answered", "referred", ""]),
            due_date=(at + timedelta(days=rng.randrange(1, 10))).date(), closed_at=closed_at,
            supervised_at=at + timedelta(days=9) if rng.random() < 0.3 else None, updated_at=at, matter="m",
            description="d", result="", feedback="", detail=""))
    for _ in range(300):
        at = START + timedelta(hours=rng.randrange(0, 24 * 50))
        ratings.append(dict(id=new_id(), centre_code=CENTRE, source="pad", grade=rng.choice([3, 4, 5, 5, 5]), at=at,
                            rated_staff_id=rng.choice(staff), window_id=rng.choice(windows), valid=rng.random() > 0.05))
    with store.write() as s:
        s.execute(insert(Rating), ratings)
        s.execute(insert(LedgerEntry), entries)
    return entries, ratings


def _recount(entries, ratings, start, end, now, owner=None):
    until = min(end, now)
    mine = [e for e in entries if owner is None or e["owner_id"] == owner]
    comp = [e for e in mine if e["kind"] == "complaint"]
    still = [e for e in comp if e["registered_at"] < until and not (e["closed_at"] and e["closed_at"] < until)]
    day = (until + timedelta(hours=8)).date()  # Beijing time
    late = [e for e in still if day > e["due_date"]]
    fc = [e for e in mine if e["kind"] == "first_contact" and start <= e["registered_at"] < end]
    by_rating = {e["rating_id"]: e for e in entries if e["rating_id"]}
    rated = [r for r in ratings if r["valid"] and start <= r["at"] < end
             and (owner is None or r["rated_staff_id"] == owner)]
    bad = [r for r in rated if r["grade"] <= 2]
    done = [r for r in bad if by_rating[r["id"]]["closed_at"] is not None]
    on_time = [r for r in done if (by_rating[r["id"]]["closed_at"] + timedelta(hours=8)).date()
               <= by_rating[r["id"]]["due_date"]]
    return {
        "new": sum(start <= e["registered_at"] < end for e in comp),
        "closed": sum(e["closed_at"] is not None and start <= e["closed_at"] < until for e in comp),
        "open": len(still), "overdue": len(late), "supervised": sum(e["supervised_at"] is not None for e in late),
        "fc_total": len(fc), "fc_answered": sum(e["result_kind"] == "answered" for e in fc),
        "rates": {"total": len(rated), "good": sum(r["grade"] >= 3 for r in rated), "bad": len(bad),
                  "rectified": len(done), "on_time": len(on_time)},
    }


def test_ledgers_section_matches_a_plain_recount(hall_store):
    entries, ratings = _fill(hall_store)
    with hall_store.session() as s:
        someone = s.exec(select(Staff).where(Staff.centre_code == CENTRE, Staff.role == "clerk")).first()
    checked = 0
    for kind in ("day", "xun", "month"):
        for scope in ({}, {"staff": someone.username}):
            req = ledger.Request(kind, DAY, shift_start=time(9), shift_end=time(16), **scope)
            report = ledger.build(hall_store, CENTRE, req, NOW, "super01")
            fig = report.section("ledgers").figures
            p = report.period
            want = _recount(entries, ratings, p.start, p.end, NOW, someone.id if scope else None)
            cp = fig["complaints"]
            assert (cp["new"], cp["closed"], cp["open"], cp["overdue"], cp["supervised"]) == \
                (want["new"], want["closed"], want["open"], want["overdue"], want["supervised"]), (kind, scope)
            assert fig["first_contact"]["total"] == want["fc_total"]
            assert fig["first_contact"].get("answered", 0) == want["fc_answered"]
            assert fig["rates"] == want["rates"], (kind, scope)
            checked += want["rates"]["bad"] > 0 and want["overdue"] > 0
    assert checked >= 2  # the data really has bad reviews and overdue entries in those periods


def test_ledgers_section_shows_the_targets(hall_store):
    _fill(hall_store)
    report = ledger.build(hall_store, CENTRE, ledger.Request("month", DAY), NOW, "super01")
    table = next(t for t in report.section("ledgers").tables if t.title == "好差评")
    targets = {row[0]: row[3] for row in table.rows}
    assert targets["差评整改"] == "100%" and targets["按时整改"] == "100%"
