"""One action, one local transaction: the domain change and its outbox row live or die together."""

import json
import signal
import subprocess
import sys
import textwrap
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from clerk.clock import FrozenClock
from clerk.hlc import Stamp
from clerk.ids import new_id
from clerk.mutation import MutationRefused, UnknownMutation
from clerk.outbox import Workbench
from clerk.store.engine import Store
from clerk.store.local import Outbox
from clerk.store.operations import AuditEntry, SeatSession
from clerk.store.schema import SCHEMA_VERSION


@pytest.fixture
def bench(sqlite_store):
    return Workbench(sqlite_store, FrozenClock(datetime(2026, 11, 23, 1, 0, tzinfo=UTC)))


def outbox_rows(store: Store) -> list[Outbox]:
    with store.session() as s:
        return list(s.exec(select(Outbox).order_by(Outbox.mutation_id)))


def test_each_action_writes_one_outbox_row_with_gap_free_ids(bench):
    for i in range(5):
        bench.apply("audit.record", {"id": new_id(), "action": "view_id", "subject": str(i)}, actor_id=None)
    rows = outbox_rows(bench.store)
    assert [r.mutation_id for r in rows] == [1, 2, 3, 4, 5]
    assert len({r.client_id for r in rows}) == 1
    assert all(r.schema_version == SCHEMA_VERSION and r.acked_at is None for r in rows)
    assert [json.loads(r.args)["subject"] for r in rows] == ["0", "1", "2", "3", "4"]


def test_refused_action_leaves_no_trace(bench):
    with pytest.raises(MutationRefused) as err:
        bench.apply("seat.take", {"id": new_id(), "staff_id": "nobody", "window_id": "nowhere"})
    assert "工作人员" in err.value.message
    assert outbox_rows(bench.store) == []
    with bench.store.session() as s:
        assert s.exec(select(SeatSession)).all() == []


def test_rows_written_first_commit_with_the_action_or_not_at_all(bench):
    at = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)

    def note(text: str):
        return lambda session: session.add(AuditEntry(id=new_id(), at=at, action="server_row", subject=text))

    bench.apply("audit.record", {"id": new_id(), "action": "mine"}, first=note("kept"))
    with pytest.raises(MutationRefused):
        bench.apply("seat.take", {"id": new_id(), "staff_id": "nobody", "window_id": "nowhere"}, first=note("lost"))
    with bench.store.session() as s:
        assert sorted(s.exec(select(AuditEntry.action, AuditEntry.subject)).all()) == [("mine", ""), ("server_row", "kept")]
    assert [r.name for r in outbox_rows(bench.store)] == ["audit.record"]


def test_bad_arguments_and_unknown_names_are_refused(bench):
    with pytest.raises(MutationRefused):
        bench.apply("audit.record", {"id": new_id(), "action": "x", "surprise": 1})
    with pytest.raises(UnknownMutation):
        bench.apply("no.such.thing", {})
    assert outbox_rows(bench.store) == []


def test_hlc_never_goes_backwards_when_the_wall_clock_does(bench):
    bench.apply("audit.record", {"id": new_id(), "action": "a"})
    bench.clock.advance(minutes=-10)  # someone set the PC clock back
    bench.apply("audit.record", {"id": new_id(), "action": "b"})
    first, second = (Stamp.parse(r.hlc) for r in outbox_rows(bench.store))
    assert second > first


BURST = textwrap.dedent(
    """
    import sys
    from clerk import workflows
    from clerk.clock import SystemClock
    from clerk.ids import new_id
    from clerk.outbox import Workbench
    from clerk.store.engine import Store

    workflows.install()
    bench = Workbench(Store.sqlite(sys.argv[1]), SystemClock())
    i = 0
    while True:
        bench.apply("audit.record", {"id": new_id(), "action": "burst", "subject": str(i)})
        print(i, flush=True)
        i += 1
    """
)


def test_kill_9_mid_burst_keeps_every_committed_action_with_exactly_one_outbox_row(tmp_path, sqlite_store):
    path = sqlite_store.path
    sqlite_store.dispose()
    reported: list[int] = []
    for _ in range(3):  # several kills: each lands at a different point of a transaction
        proc = subprocess.Popen([sys.executable, "-c", BURST, str(path)], stdout=subprocess.PIPE, text=True)
        last = None
        for line in proc.stdout:
            last = int(line)
            if last >= 150:
                break
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        reported.append(last)

    store = Store.sqlite(path)
    with store.session() as s:
        assert s.connection().exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        entries = s.exec(select(AuditEntry)).all()
        rows = s.exec(select(Outbox).order_by(Outbox.mutation_id)).all()
    ids_in_outbox = [json.loads(r.args)["id"] for r in rows]
    assert sorted(ids_in_outbox) == sorted(e.id for e in entries)  # one row per action, both ways
    assert len(set(ids_in_outbox)) == len(ids_in_outbox)
    assert [r.mutation_id for r in rows] == list(range(1, len(rows) + 1))
    # Every action a child reported as done (it printed after commit) survived the kill.
    assert len(entries) >= sum(n + 1 for n in reported)
    # Work goes on after the crash, continuing the same numbering.
    Workbench(store, FrozenClock(datetime.now(UTC))).apply("audit.record", {"id": new_id(), "action": "after"})
    assert outbox_rows(store)[-1].mutation_id == len(rows) + 1


def test_listeners_hear_of_each_committed_action_until_they_stop(bench):
    """The sync agent pushes at once after an action instead of at its next poll."""
    from clerk.outbox import on_new_action

    heard: list[int] = []
    stop = on_new_action(bench.store, lambda: heard.append(len(outbox_rows(bench.store))))
    bench.apply("audit.record", {"id": new_id(), "action": "a"})
    with pytest.raises(MutationRefused):
        bench.apply("seat.leave", {"id": "no-such-seat"})  # refused: nothing committed, nothing heard
    bench.apply("audit.record", {"id": new_id(), "action": "b"})
    stop()
    bench.apply("audit.record", {"id": new_id(), "action": "c"})
    assert heard == [1, 2]  # called after the commit: the outbox row is already there
