"""The counter's files are its owner's only: ``clerk enrol`` run for real (a umask that
would leave them world-readable) against a real central store on 127.0.0.1."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from harness import ServerProcess, migrated_copy, seed_hall

from clerk.central import devices, state
from clerk.clock import SystemClock
from clerk.store import migrate
from clerk.store.engine import Store, StoreError


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_enrol_leaves_the_store_and_its_secret_readable_by_the_owner_only(tmp_path, template, request):
    central = migrated_copy(template, tmp_path / "central.sqlite3")
    state.ensure_state(central)
    seed_hall(central)
    server = ServerProcess(f"sqlite:///{tmp_path / 'central.sqlite3'}").start()
    request.addfinalizer(server.stop)
    code = devices.make_enrol_code(central, SystemClock(), "c1")
    home = tmp_path / "home"
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "cfg")}
    env.pop("CLERK_CONFIG", None)
    done = subprocess.run(
        [sys.executable, "-m", "cli.main", "enrol", server.base_url, code, "--name", "1号窗口"],
        env=env, cwd=Path(__file__).parents[2], capture_output=True, text=True, timeout=120,
        preexec_fn=lambda: os.umask(0o022),
    )
    assert done.returncode == 0, done.stderr
    assert "登记成功" in done.stdout
    data = home / "data" / "clerk-workstation"
    store_file = data / "clerk.sqlite3"
    with Store.sqlite(store_file).session() as s:  # the secret is in there
        from clerk.sync import meta
        assert meta.credential(s)
    assert _mode(data) == 0o700
    made = [p for p in data.iterdir() if p.name.startswith("clerk.sqlite3")]
    assert store_file in made
    assert {p.name: _mode(p) for p in made} == {p.name: 0o600 for p in made}
    assert _mode(home / "data") == 0o700  # made by the app: nobody else looks inside


def test_an_existing_world_readable_store_is_restricted_when_opened(tmp_path):
    folder = tmp_path / "counter"
    folder.mkdir()
    path = folder / "clerk.sqlite3"
    Store.sqlite(path).dispose()
    os.chmod(path, 0o644)  # a store made by an earlier version
    store = Store.sqlite(path)
    migrate.upgrade(store)  # writes: the -wal and -shm files are made
    for p in folder.iterdir():
        assert _mode(p) == 0o600, p.name
    store.dispose()
    os.chmod(path, 0o400)  # an owner's own read-only choice stays (the store then says so in Chinese)
    try:
        Store.sqlite(path).dispose()
    except StoreError as exc:
        assert "本地数据库" in exc.message
    assert _mode(path) == 0o400
