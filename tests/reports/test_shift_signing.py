"""The supervisor signs a shift: the signature covers the report's figures and the notes; a
signed shift never changes (a correction is a new, linked note); the central store checks
the signature again and refuses an altered note, digest, signer or a non-supervisor, on
SQLite and on PostgreSQL. Counter rows are applied to the central store as a push applies them."""

from __future__ import annotations

import json
import os
import sys
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from report_days import fresh_store
from shift_helpers import PASSWORD, apply, desk, outbox, refused, serve_one

from clerk import credentials
from clerk.mutation import MutationRefused
from clerk.reports.ledger import ReportRefused
from clerk.shifts import rules
from clerk.shifts.handlers import signature_holds
from clerk.shifts.service import Shift
from clerk.staff.auth import SignInError
from clerk.store.engine import Store
from clerk.store.reference import Staff
from clerk.store.shift_tables import ShiftNote

sys.path.insert(0, str(Path(__file__).parent.parent / "sync"))
from harness import drop_pg_database, require_pg, scratch_pg_database  # noqa: E402

NOTE = "下午两点社保系统中断二十分钟，已向群众解释并登记"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def central(request, tmp_path_factory) -> Iterator[Store]:
    """A central store with the demo hall; every test signs a shift of its own day."""
    if request.param == "sqlite":
        store = fresh_store(tmp_path_factory.mktemp("central"))
        yield store
        store.dispose()
        return
    require_pg()
    from clerk.config import REPO_ROOT
    from clerk.fixtures import load_fixtures
    from clerk.reference_data import install
    from clerk.store.migrate import upgrade

    name = f"clerk_shift_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    store = Store.url(scratch_pg_database(name))
    upgrade(store)
    install(store, load_fixtures(REPO_ROOT / "fixtures"))
    yield store
    store.dispose()
    drop_pg_database(name)


def _signed(hall_store, day: date) -> tuple[str, list]:
    serve_one(hall_store, day, f"t-{day}")
    done = desk(hall_store).sign("super01", PASSWORD, Shift(day), NOTE)
    return done.note.id, outbox(hall_store)


def _note(store: Store, note_id: str) -> ShiftNote:
    with store.session() as s:
        return s.get(ShiftNote, note_id)


def test_the_signature_covers_the_shifts_figures_and_is_accepted_centrally(hall_store, central):
    day = date(2026, 3, 2)
    note_id, rows = _signed(hall_store, day)
    assert [r.name for r in rows] == ["shift.note", "shift.sign"]
    report = desk(hall_store).report("super01", Shift(day))
    assert report.section("queue").figures  # the served ticket is in the figures signed
    signed = _note(hall_store, note_id)
    assert signed.figures_digest == rules.figures_digest(report)
    for row in rows:
        apply(central, row)
    stored = _note(central, note_id)
    assert (stored.note, stored.supervisor_id, stored.signature) == (NOTE, "super01", signed.signature)
    with central.session() as s:
        assert signature_holds(s, stored)


def test_a_ticket_more_in_the_shift_changes_the_digest(hall_store):
    day = date(2026, 3, 3)
    serve_one(hall_store, day, "t-a")
    before = rules.figures_digest(desk(hall_store).report("super01", Shift(day)))
    serve_one(hall_store, day, "t-b")
    assert rules.figures_digest(desk(hall_store).report("super01", Shift(day))) != before


@pytest.mark.parametrize("alter", ["notes", "digest", "signed_at"])
def test_an_altered_signed_shift_is_refused_centrally(hall_store, central, alter):
    day = date(2026, 3, {"notes": 4, "digest": 5, "signed_at": 6}[alter])
    _note_id, (note_row, sign_row) = _signed(hall_store, day)
    note_args, sign_args = json.loads(note_row.args), json.loads(sign_row.args)
    if alter == "notes":
        note_args["text"] = "本班次一切正常"
    elif alter == "digest":
        sign_args["figures_digest"] = "0" * 64
    else:
        sign_args["signed_at"] = "2026-03-07T01:00:00+00:00"
    apply(central, note_row, args=note_args)
    with refused("班次签名无效", MutationRefused):
        apply(central, sign_row, args=sign_args)
    assert not _note(central, note_args["id"]).signature


def test_a_signature_made_with_another_persons_key_is_refused(hall_store, central):
    day = date(2026, 3, 9)
    _note_id, (note_row, sign_row) = _signed(hall_store, day)
    apply(central, note_row)
    args = json.loads(sign_row.args)
    with hall_store.session() as s:
        other = credentials.unlock(s.get(Staff, "town_super").signing_key, PASSWORD)
        message = rules.statement(sign_row.client_id, s.get(ShiftNote, args["note_id"]), "super01",
                                  args["figures_digest"], args["signed_at"])
    args["signature"] = other.sign(message)
    with refused("班次签名无效", MutationRefused):
        apply(central, sign_row, args=args)
    with refused("班次签名无效", MutationRefused):  # the genuine one, replayed from another counter
        apply(central, sign_row, client_id="another-counter")


def test_a_non_supervisor_is_refused_on_the_counter_and_centrally(hall_store, central):
    day = date(2026, 3, 10)
    with pytest.raises(ReportRefused):
        desk(hall_store).sign("clerk01", PASSWORD, Shift(day), NOTE)
    assert outbox(hall_store) == []
    _note_id, (note_row, sign_row) = _signed(hall_store, day)
    with refused("须由签到的值班长", MutationRefused):
        apply(central, note_row, actor="chief_zrj")
    apply(central, note_row)
    with refused("须由签到的值班长", MutationRefused):
        apply(central, sign_row, actor="clerk01")


def test_a_signed_shift_cannot_change_a_correction_is_a_new_linked_note(hall_store, central):
    day = date(2026, 3, 11)
    shifts = desk(hall_store)
    note_id, rows = _signed(hall_store, day)
    for row in rows:
        apply(central, row)
    with refused("已由黄振华签名", MutationRefused):
        shifts.sign("super01", PASSWORD, Shift(day), "再签一次")
    with refused("不能修改或再次签名", MutationRefused):
        shifts.save("super01", Shift(day), "改写的说明", note_id=note_id)
    # The same refusals from the central store, for rows a tampered counter could push.
    with refused("不能修改或再次签名", MutationRefused):
        apply(central, rows[1])
    edit = {**json.loads(rows[0].args), "text": "改写的说明"}
    with refused("不能修改或再次签名", MutationRefused):
        apply(central, rows[0], args=edit)
    fixed = shifts.sign("super01", PASSWORD, Shift(day), "更正：中断时长为三十分钟", corrects=note_id)
    assert fixed.note.corrects == note_id and fixed.note.holds
    for row in outbox(hall_store)[2:]:
        apply(central, row)
    views = shifts.notes("super01", Shift(day))
    assert [(v.text, v.corrects, v.holds) for v in views] == [
        (NOTE, None, True), ("更正：中断时长为三十分钟", note_id, True)]
    assert _note(central, fixed.note.id).corrects == note_id


def test_a_wrong_password_stores_nothing_and_counts_toward_the_lockout(hall_store):
    shifts = desk(hall_store)
    with refused("签名前密码验证失败.*还可以再试2次", SignInError):
        shifts.sign("super01", "wrong", Shift(date(2026, 3, 12)), NOTE)
    assert outbox(hall_store) == []


def test_a_note_altered_in_the_database_no_longer_holds(hall_store, central):
    day = date(2026, 3, 13)
    note_id, rows = _signed(hall_store, day)
    for row in rows:
        apply(central, row)
    with central.write() as s:
        s.get(ShiftNote, note_id).note = "本班次一切正常"
    with central.session() as s:
        assert not signature_holds(s, s.get(ShiftNote, note_id))
