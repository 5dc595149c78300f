"""Two supervisors' counters push the first note of one shift at the same moment, on a real
server over real PostgreSQL: the database keeps one (uq_shift_note_first), the other push is
refused in words and shows on its counter as a conflict, and nothing of it is stored.

The server pauses the first push after its handler ran and before its commit (the
CLERK_TEST_PAUSE_DIR probe of server_main), so the second push's check really cannot see
the first note: the race happens every run, not once in a while."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx
import pytest
from conftest_shared import clone_pg
from harness import (
    START,
    ServerProcess,
    drop_pg_database,
    enrolled_counter,
    seed_hall,
    staff_row,
    waiting_on_a_lock,
)
from sqlalchemy import select, text

from clerk.central import reference, state
from clerk.ids import new_id
from clerk.store.engine import Store
from clerk.store.local import Outbox, SyncConflict
from clerk.store.shift_tables import ShiftNote

SHIFT = {"day": "2026-03-02", "shift": "08:30-17:30", "scope_kind": "centre", "scope_key": "c1"}


@pytest.fixture
def pg_central(pg_template):
    name, url = clone_pg(pg_template)
    store = Store.url(url)
    state.ensure_state(store)
    seed_hall(store)
    reference.publish(store, lambda s: s.add(staff_row("sup2", "supervisor", "c1")))
    yield url, store
    store.dispose()
    drop_pg_database(name)


def _write_note(counter, supervisor: str, words: str) -> int:
    counter.sign_in(supervisor)
    counter.agent.sync_once()  # the signed sign-in goes up first: only the note is raced
    counter.bench.apply("shift.note", {"id": new_id(), **SHIFT, "text": words}, actor_id=supervisor)
    with counter.store.session() as s:
        return s.execute(select(Outbox.mutation_id).where(Outbox.name == "shift.note")).scalar_one()



def test_two_first_notes_pushed_at_once_one_is_stored_the_other_refused(pg_central, template, tmp_path):
    url, central = pg_central
    pause = tmp_path / "pause"
    pause.mkdir()
    server = ServerProcess(url, env={"CLERK_TEST_PAUSE_DIR": str(pause)}).start()
    try:
        _race(server.base_url, central, template, tmp_path, pause)
    finally:
        (pause / "release").touch()
        server.stop()


def _race(base_url: str, central: Store, template: Path, tmp: Path, pause: Path) -> None:
    with httpx.Client(base_url=base_url, timeout=60) as ha, httpx.Client(base_url=base_url, timeout=60) as hb:
        a = enrolled_counter(tmp, "a", central, template, ha, base_url)
        b = enrolled_counter(tmp, "b", central, template, hb, base_url)
        at = _write_note(a, "sup1", "上午社保系统中断二十分钟")
        assert _write_note(b, "sup2", "下午叫号机卡纸一次") == at
        (pause / "pause_at").write_text(str(at))
        first = threading.Thread(target=a.agent.sync_once)
        first.start()
        deadline = time.monotonic() + 30
        while not (pause / "paused").exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert (pause / "paused").exists(), "the first push never reached its note"
        second = threading.Thread(target=b.agent.sync_once)
        second.start()
        # Without the index the second push commits its own note at once and ends here.
        blocked = waiting_on_a_lock(central, timeout=10) if second.is_alive() else False
        (pause / "release").touch()
        first.join(60)
        second.join(60)
        assert blocked, "the second note was not held back by the first"
        b.agent.sync_once()  # the refused note's local effects are undone by this pull
    with central.session() as s:
        notes = s.execute(select(ShiftNote)).scalars().all()
        refusal = s.execute(text("SELECT reason FROM refused_mutation")).scalars().all()
    assert [(n.supervisor_id, n.note) for n in notes] == [("sup1", "上午社保系统中断二十分钟")]
    # Refused by the index, then (the push retried one by one, the first note committed) by the
    # handler's own check, which names who wrote it: either way in words, not a driver error.
    assert len(refusal) == 1 and "写的说明" in refusal[0], refusal
    with b.store.session() as s:
        shown = s.execute(select(SyncConflict)).scalars().all()
        local = s.execute(select(ShiftNote.supervisor_id)).scalars().all()
    assert [(c.name, c.reason) for c in shown] == [("shift.note", refusal[0])]
    assert local == ["sup1"]  # B's counter now holds the stored note, not its own


def test_a_first_note_committed_between_check_and_write_is_refused_in_words(pg_central):
    """The handler's own write meets the index: a Chinese refusal, not a driver's error."""
    from clerk import mutation
    from clerk.mutation import MutationContext, MutationRefused

    _url, central = pg_central
    args = {**SHIFT, "text": "上午社保系统中断二十分钟"}
    other = central.write()
    held = other.__enter__()  # sup2's first note, written and not yet committed
    mutation.run(held, "shift.note", {**args, "id": new_id()}, MutationContext("c-b", 1, "h", START, "sup2"))
    held.flush()
    outcome: list[BaseException | None] = []

    def mine() -> None:
        try:
            with central.write() as s:
                mutation.run(s, "shift.note", {**args, "id": new_id()}, MutationContext("c-a", 1, "h", START, "sup1"))
            outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 - the test looks at what came out
            outcome.append(exc)

    thread = threading.Thread(target=mine)
    thread.start()
    assert waiting_on_a_lock(central)  # sup1's check saw nothing; its insert waits on sup2's
    other.__exit__(None, None, None)  # sup2 commits
    thread.join(30)
    assert isinstance(outcome[0], MutationRefused) and "同时写的说明" in outcome[0].message, outcome
    with central.session() as s:
        assert s.execute(select(ShiftNote.supervisor_id)).scalars().all() == ["sup2"]
