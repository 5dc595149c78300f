"""Shared set-up for the sync benchmarks: scratch central databases, a seeded hall, a server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

from clerk import workflows
from clerk.central import reference, state
from clerk.staff.auth import staff_secrets
from clerk.store.engine import Store
from clerk.store.reference import Centre, Staff

workflows.install()  # the benches build workbenches and apply batches without a composition root

PG_URL = os.environ.get("CLERK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-pass"
"""clerk1's password on the seeded central store."""


def scratch_pg() -> tuple[str, str]:
    name = f"clerk_bench_{uuid.uuid4().hex[:8]}"
    _pg_admin(f'CREATE DATABASE "{name}"')
    return name, PG_URL.rsplit("/", 1)[0] + "/" + name


def drop_pg(name: str) -> None:
    _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _pg_admin(sql: str) -> None:
    engine = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(sql))
    engine.dispose()


def seeded_central(url: str) -> Store:
    store = Store.url(url)
    state.prepare(store)

    def write(session) -> None:
        session.add(Centre(code="c1", name="示范县政务服务中心", level="county"))
        session.flush()
        pw_hash, signing_key = staff_secrets(PASSWORD)
        session.add(Staff(id="clerk1", username="clerk1", name="张三", role="clerk", centre_code="c1",
                          password_hash=pw_hash, signing_key=signing_key))

    reference.publish(store, write)
    return store


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(url: str, workers: int = 1) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "serve", "--database-url", url, "--port", str(port), "--workers", str(workers)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(base + "/api/v1/health", timeout=1).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("server did not start")


def pg_available() -> bool:
    try:
        engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:  # noqa: BLE001
        return False
