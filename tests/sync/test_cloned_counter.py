"""Two PCs sharing one installation (a disk image, a restored backup, another counter's id),
against a real `clerk serve` process on SQLite and PostgreSQL, the counters' SQLite files
copied as a disk image would copy them.

Enrolled with a fresh code, the copy becomes an installation of its own: its own id,
sequence and number band. Pushing with the copied credential, its history does not match
the installation's: the push is refused and the device flagged, never acknowledged and
dropped; both counters and the supervisor see it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from harness import (
    START,
    Counter,
    FaultyTransport,
    enrolled_counter,
    server_audit_ids,
)
from sqlalchemy import select
from test_catch_up import serve_tickets

from clerk.central import devices
from clerk.clock import FrozenClock, SystemClock
from clerk.outbox import CLIENT_ID_KEY
from clerk.store.central_tables import Device
from clerk.store.local import SyncConflict
from clerk.store.operations import Ticket
from clerk.sync import meta
from clerk.sync.client import Rejected
from clerk.sync.enrol import enrol
from clerk.sync.status import sync_status


def _http() -> httpx.Client:
    return httpx.Client(transport=FaultyTransport(), timeout=20)


def _counter(tmp_path, name, central, server) -> Counter:
    return enrolled_counter(tmp_path, name, central, tmp_path.parent / "template.sqlite3", _http(), server.base_url)


def _image(src: Counter, dest: Path) -> Counter:
    """The PC switched off and its disk imaged: the store's files copied byte for byte."""
    src.agent.stop()
    src.store.dispose()
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{src.path}{suffix}").exists():
            shutil.copy(f"{src.path}{suffix}", f"{dest}{suffix}")
    src.open()
    return Counter(dest, FrozenClock(src.clock.now()), _http(), src.base_url)


def _local(c: Counter, key: str) -> str:
    with c.store.session() as s:
        return meta.get(s, key)


def _conflicts(c: Counter) -> int:
    with c.store.session() as s:
        return len(s.execute(select(SyncConflict)).scalars().all())


def _numbers(central) -> list[str]:
    with central.session() as s:
        return list(s.execute(select(Ticket.number).where(Ticket.centre_code == "c1")).scalars())


@pytest.fixture
def template(template, tmp_path):
    shutil.copy(template, tmp_path.parent / "template.sqlite3")
    return template


def test_a_copied_pc_enrolled_with_a_fresh_code_is_an_installation_of_its_own(real_db, server, template, tmp_path):
    _url, central = real_db
    a = _counter(tmp_path, "w1", central, server)
    serve_tickets(a, 3)
    a.agent.sync_once()
    unsent = {a.note() for _ in range(3)}  # on the disk image too, not yet at the central store
    b = _image(a, tmp_path / "w1-copy.sqlite3")
    enrol(b.store, b.agent.client, devices.make_enrol_code(central, SystemClock(), "c1"), "w1-copy")
    assert _local(b, CLIENT_ID_KEY) != _local(a, CLIENT_ID_KEY)
    assert _local(b, meta.BAND) not in ("", _local(a, meta.BAND))

    a_ids = unsent | {a.note() for _ in range(4)}
    b_ids = {b.note() for _ in range(5)}  # the clerk signs in again at the copy first
    a_tickets, b_tickets = serve_tickets(a, 4), serve_tickets(b, 4)  # both offline, each in its band
    for c in (a, b, a, b):
        c.agent.sync_once()
    numbers = _numbers(central)
    assert len(numbers) == len(set(numbers)) == 3 + 4 + 4  # no number issued twice
    with central.session() as s:
        done = {t.id for t in s.execute(select(Ticket).where(Ticket.status == "finished")).scalars()}
    assert set(a_tickets) | set(b_tickets) <= done
    ids = server_audit_ids(central)
    assert len(ids) == len(set(ids)) and set(ids) >= a_ids | b_ids  # each action once, none lost
    # The copy's copies of the three unsent notes were the original's: refused, and visible.
    assert (a.pending(), b.pending(), _conflicts(a), _conflicts(b)) == (0, 0, 0, 3)


def test_enrolling_with_another_counters_installation_id_gets_an_id_of_its_own(real_db, server, template, tmp_path):
    _url, central = real_db
    a = _counter(tmp_path, "w1", central, server)
    shutil.copy(template, tmp_path / "w2.sqlite3")
    b = Counter(tmp_path / "w2.sqlite3", FrozenClock(START), _http(), server.base_url)
    with b.store.write() as s:
        meta.put(s, CLIENT_ID_KEY, _local(a, CLIENT_ID_KEY))  # set up with w1's id
    enrol(b.store, b.agent.client, devices.make_enrol_code(central, SystemClock(), "c1"), "w2")
    assert _local(b, CLIENT_ID_KEY) != _local(a, CLIENT_ID_KEY)
    assert _local(b, meta.BAND) != _local(a, meta.BAND)
    b.agent.sync_once()
    ids = {c.note() for c in (a, b) for _ in range(3)}
    serve_tickets(a, 2), serve_tickets(b, 2)
    for c in (a, b):
        c.agent.sync_once()
    numbers = _numbers(central)
    assert len(numbers) == len(set(numbers)) == 4
    assert set(server_audit_ids(central)) == ids and (_conflicts(a), _conflicts(b)) == (0, 0)


def _refused(c: Counter) -> Rejected:
    with pytest.raises(Rejected) as err:
        c.agent.sync_once()
    assert err.value.code == "installation_conflict"
    return err.value


def test_a_copy_pushing_with_the_copied_credential_is_refused_and_flagged(real_db, server, template, tmp_path):
    url, central = real_db
    a = _counter(tmp_path, "w1", central, server)
    b = _image(a, tmp_path / "w1-copy.sqlite3")  # the same credential, installation and band
    a_ids = {a.note() for _ in range(2)}
    b_ids = {b.note() for _ in range(2)}
    a.agent.sync_once()
    exc = _refused(b)
    assert "共用同一登记" in exc.message
    assert b.pending() > 0  # nothing of the copy was acknowledged
    assert set(server_audit_ids(central)) == a_ids and not b_ids & set(server_audit_ids(central))
    a.note()
    _refused(a)  # the original is stopped too: the two must be told apart by the supervisor
    for c in (a, b):
        status = sync_status(c.store, c.clock)
        assert status.failing and not status.online and "共用同一登记" in status.error
    with central.session() as s:
        flagged = s.execute(select(Device).where(Device.conflict_at.is_not(None))).scalars().all()
    assert [d.name for d in flagged] == ["w1"]
    listing = subprocess.run([sys.executable, "-m", "cli.main", "devices", "--database-url", url],
                             capture_output=True, text=True, cwd=Path(__file__).parents[2], check=True)
    assert "冲突" in next(line for line in listing.stdout.splitlines() if " w1 " in line)


def test_a_pc_restored_from_its_own_old_backup_is_refused_not_dropped(real_db, server, template, tmp_path):
    _url, central = real_db
    a = _counter(tmp_path, "w1", central, server)
    backup = _image(a, tmp_path / "backup.sqlite3")
    backup.store.dispose()
    sent = {a.note() for _ in range(5)}
    a.agent.sync_once()
    restored = _image(backup, tmp_path / "restored.sqlite3")  # the disk died; last week's backup
    lost = {restored.note() for _ in range(2)}  # ids the central store already holds for w1
    exc = _refused(restored)
    assert "共用同一登记" in exc.message and restored.pending() > 0
    assert set(server_audit_ids(central)) == sent and not lost & set(server_audit_ids(central))
