"""The change log keeps each row's last version only (compaction), on SQLite and PostgreSQL:
a ticket issued, called and finished over three pushes leaves one entry, the newest; rows
inserted in bulk keep theirs; and a counter that pulls after all of it gets the final state."""

from __future__ import annotations

from harness import enrolled_counter
from queue_helpers import enrol_device, issue, push
from sqlalchemy import func, select

from clerk.ids import new_id
from clerk.store.central_tables import ChangeLog
from clerk.store.operations import Ticket


def _entries(central, table: str, key: str) -> list[ChangeLog]:
    with central.session() as s:
        rows = s.execute(select(ChangeLog).where(ChangeLog.table_name == table,
                                                 ChangeLog.row_key == f'["{key}"]'))
        return list(rows.scalars())


def test_a_row_written_three_times_leaves_one_entry_the_newest(central, api, template, tmp_path):
    kiosk, window = enrol_device(api, central, "kiosk"), enrol_device(api, central, "window")
    tid = issue(api, kiosk)["ticket"]["id"]
    first = _entries(central, "ticket", tid)
    assert len(first) == 1 and '"waiting"' in first[0].row
    body = push(api, window, "ticket.call", {"ticket_id": tid, "window_id": "c1:1"}, "clerk1")
    assert body["conflicts"] == []
    body = push(api, window, "ticket.finish", {"ticket_id": tid, "window_id": "c1:1", "fence": 1}, "clerk1")
    assert body["conflicts"] == []
    [last] = _entries(central, "ticket", tid)
    assert '"finished"' in last.row and last.seq > first[0].seq

    counter = enrolled_counter(tmp_path, "w1", central, template, api, "http://central")
    counter.agent.sync_once()
    with counter.store.session() as s:
        assert s.get(Ticket, tid).status == "finished"


def test_notes_pushed_in_bulk_each_keep_their_entry(central, api):
    window = enrol_device(api, central, "window")
    ids = [new_id() for _ in range(3)]
    for aid in ids:
        assert push(api, window, "audit.record", {"id": aid, "action": "note"}, "clerk1")["conflicts"] == []
    for aid in ids:
        assert len(_entries(central, "audit_entry", aid)) == 1
    with central.session() as s:
        dupes = s.execute(
            select(ChangeLog.table_name, ChangeLog.row_key).group_by(ChangeLog.table_name, ChangeLog.row_key)
            .having(func.count() > 1)
        ).all()
    assert dupes == []
