"""Shared test helpers for the sync and central-store tests: stores, a seeded hall, counters."""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, func, select, text
from sqlmodel import Session

from clerk import credentials
from clerk.central import devices, reference, state
from clerk.clock import FrozenClock, SystemClock
from clerk.credentials import SigningKey
from clerk.ids import new_id
from clerk.mutation import REGISTRY, MutationArgs, MutationContext, mutation
from clerk.outbox import Workbench
from clerk.staff.auth import SignedIn, sign_in, staff_secrets
from clerk.staff.session_handlers import statement
from clerk.staff.sessions import open_session
from clerk.store import migrate
from clerk.store.central_tables import ClientState, PushReceipt
from clerk.store.engine import Store
from clerk.store.local import Outbox
from clerk.store.operations import AuditEntry
from clerk.store.reference import Centre, Department, ServiceLine, Staff, Window, WindowLine
from clerk.sync.agent import AgentSettings, SyncAgent
from clerk.sync.client import CentralClient
from clerk.sync.enrol import enrol

PG_URL = os.environ.get("CLERK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # a Monday, 09:00 in Beijing


class ChiefNote(MutationArgs):
    id: str
    text: str


if "test.chief_note" not in REGISTRY:

    @mutation("test.chief_note", ChiefNote, roles={"chief"})
    def _chief_note(session: Session, args: ChiefNote, ctx: MutationContext) -> None:
        """A chief-only action, to prove roles are checked again on the server."""
        session.add(AuditEntry(id=args.id, at=ctx.at, staff_id=ctx.actor_id, action="chief_note", subject=args.text))


# -- databases -----------------------------------------------------------------


def pg_admin_url() -> str:
    return PG_URL


def pg_available() -> str | None:
    """None if PostgreSQL answers, else the reason."""
    try:
        engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as exc:  # noqa: BLE001 - any failure means "not available"
        return f"PostgreSQL not reachable at {PG_URL}: {exc.__class__.__name__}"


def require_pg() -> None:
    reason = pg_available()
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and {reason}")
    pytest.skip(reason)


def scratch_pg_database(name: str) -> str:
    """Create (fresh) database ``name`` next to the test database; returns its URL."""
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return PG_URL.rsplit("/", 1)[0] + "/" + name


def drop_pg_database(name: str) -> None:
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def truncate_all(store: Store) -> None:
    from sqlalchemy import inspect

    names = ", ".join(f'"{n}"' for n in inspect(store.engine).get_table_names() if n != "alembic_version")
    with store.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} CASCADE"))


def migrated_copy(template: Path, dest: Path) -> Store:
    shutil.copy(template, dest)
    return Store.sqlite(dest)


def make_template(path: Path) -> Path:
    store = Store.sqlite(path)
    migrate.upgrade(store)
    store.dispose()
    return path


# -- the hall ------------------------------------------------------------------

_SECRETS: dict[str, tuple[str, str]] = {}
CLERK_OF = {"c1": "clerk1", "c2": "far1"}
"""The clerk an enrolled counter of each centre signs in."""


def password_of(staff_id: str) -> str:
    return "pw-" + staff_id


def staff_row(sid: str, role: str, centre: str, department: str | None = None) -> Staff:
    """A staff member with password ``password_of(sid)``; the argon2 work is done once per run."""
    password = password_of(sid)
    if password not in _SECRETS:
        _SECRETS[password] = staff_secrets(password)
    pw_hash, signing_key = _SECRETS[password]
    return Staff(id=sid, username=sid, name=sid, role=role, centre_code=centre, department_code=department,
                 password_hash=pw_hash, signing_key=signing_key)


def seed_hall(store: Store) -> None:
    """Two centres, windows and staff on the central store, published to the change log."""
    state.ensure_state(store)

    def write(session: Session) -> None:
        session.add(Department(code="d1", name="市场监管局"))
        for code, name in (("c1", "示范县政务服务中心"), ("c2", "示范镇便民服务中心")):
            session.add(Centre(code=code, name=name, level="county" if code == "c1" else "township"))
            session.flush()
            session.add(ServiceLine(id=f"{code}:A", centre_code=code, letter="A", name="综合"))
            for n in (1, 2, 3):
                session.add(Window(id=f"{code}:{n}", centre_code=code, number=n, name=f"{n}号窗口", kind="general"))
            session.flush()
            for n in (1, 2, 3):
                session.add(WindowLine(window_id=f"{code}:{n}", line_id=f"{code}:A"))
        for sid, role, centre in (("clerk1", "clerk", "c1"), ("clerk2", "clerk", "c1"), ("chief1", "chief", "c1"),
                                  ("sup1", "supervisor", "c1"), ("far1", "clerk", "c2")):
            session.add(staff_row(sid, role, centre))
        session.flush()
        for sid in ("rev1", "rev2"):  # the department's back office (一审一核)
            session.add(staff_row(sid, "reviewer", "c1", "d1"))

    reference.publish(store, write)


_KEYS: dict[str, SigningKey] = {}


def sign_in_args(client_id: str, staff_id: str, signer: str | None = None, signed_at: str = "") -> dict:
    """Arguments of a ``staff.sign_in`` of ``staff_id`` at ``client_id``, signed with the key
    of ``signer`` (the staff member's own by default, as only they could)."""
    signer = signer or staff_id
    if signer not in _KEYS:
        _KEYS[signer] = credentials.unlock(_SECRETS[password_of(signer)][1], password_of(signer))
    session_id, signed_at = new_id(), signed_at or START.isoformat()
    signature = _KEYS[signer].sign(statement(client_id, session_id, staff_id, signed_at))
    return {"session_id": session_id, "signed_at": signed_at, "signature": signature}


# -- counters ------------------------------------------------------------------


@dataclass
class Counter:
    """One counter PC: its SQLite file, clock, workbench and sync agent."""

    path: Path
    clock: FrozenClock
    http: httpx.Client
    base_url: str
    settings: AgentSettings = field(default_factory=lambda: AgentSettings(batch_size=300, poll_s=0.05, interval_s=0.5, max_backoff_s=0.3, listen_s=0))
    store: Store = field(init=False)
    bench: Workbench = field(init=False)
    agent: SyncAgent = field(init=False)
    signed_in: dict[str, SignedIn] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.open()

    def open(self) -> None:
        self.store = Store.sqlite(self.path)
        migrate.upgrade(self.store)
        self.bench = Workbench(self.store, self.clock)
        self.agent = SyncAgent(self.store, self.clock, CentralClient(self.base_url, http=self.http), self.settings)

    def crash(self) -> None:
        """Drop every object as a killed process would, and start again from the file."""
        self.agent.stop()
        self.store.dispose()
        self.open()

    def sign_in(self, staff_id: str) -> SignedIn:
        """The staff member types their password here: a signed session (staff.sign_in)."""
        unlocked = sign_in(self.store, self.clock, staff_id, password_of(staff_id), 5, 15)
        self.signed_in[staff_id] = open_session(self.bench, unlocked)
        return self.signed_in[staff_id]

    def note(self, actor: str = "clerk1") -> str:
        if actor not in self.signed_in:
            self.sign_in(actor)
        aid = new_id()
        self.bench.apply("audit.record", {"id": aid, "action": "note", "subject": aid[-6:]}, actor_id=actor)
        return aid

    def pending(self) -> int:
        with self.store.session() as s:
            return s.execute(select(func.count()).select_from(Outbox).where(Outbox.acked_at.is_(None))).scalar_one()

    def local_audit_ids(self) -> set[str]:
        with self.store.session() as s:
            return set(s.execute(select(AuditEntry.id)).scalars())


def enrolled_counter(tmp: Path, name: str, central: Store, template: Path, http: httpx.Client, base_url: str,
                     centre: str = "c1", clock: FrozenClock | None = None) -> Counter:
    shutil.copy(template, tmp / f"{name}.sqlite3")
    counter = Counter(tmp / f"{name}.sqlite3", clock or FrozenClock(START), http, base_url)
    code = devices.make_enrol_code(central, SystemClock(), centre)
    enrol(counter.store, counter.agent.client, code, name)
    counter.agent.sync_once()  # reference data comes down
    counter.sign_in(CLERK_OF[centre])
    counter.agent.sync_once()  # and the clerk's signed sign-in goes up
    return counter


# -- checks ---------------------------------------------------------------------


def server_audit_ids(central: Store) -> list[str]:
    with central.session() as s:
        return list(s.execute(select(AuditEntry.id)).scalars())


def assert_exactly_once(central: Store, counters: list[Counter], expected_ids: set[str], pushed_elsewhere: int = 0) -> None:
    """Every outbox drained, the server holds exactly the actions made, each applied once.
    ``pushed_elsewhere``: mutations pushed by devices that are no Counter (a forger)."""
    for c in counters:
        assert c.pending() == 0, f"{c.path.name} still has unacknowledged actions"
    ids = server_audit_ids(central)
    assert len(ids) == len(set(ids))
    assert set(ids) == expected_ids
    with central.session() as s:
        lasts = {c.client_id: c.last_mutation_id for c in s.execute(select(ClientState)).scalars()}
        receipts = s.execute(
            select(PushReceipt).order_by(PushReceipt.client_id, PushReceipt.first_mutation_id)
        ).scalars()
        covered: dict[str, int] = {}
        for r in receipts:  # each client's receipts tile 1..last: no id applied twice, none skipped
            assert r.first_mutation_id == covered.get(r.client_id, 0) + 1
            covered[r.client_id] = r.last_mutation_id
    assert covered == {k: v for k, v in lasts.items() if v}
    lasts = sum(lasts.values())
    with_local = sum(_outbox_top(c) for c in counters) + pushed_elsewhere
    assert lasts == with_local


def _outbox_top(c: Counter) -> int:
    with c.store.session() as s:
        top = s.execute(select(func.max(Outbox.mutation_id))).scalar_one()
    return top or 0


# -- a real server process -------------------------------------------------------


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    """The central store in a uvicorn subprocess on 127.0.0.1, for faults a real socket needs."""

    def __init__(self, url: str, *, cli_workers: int = 0, env: dict[str, str] | None = None) -> None:
        self.url, self.cli_workers, self.env = url, cli_workers, env or {}
        self.port = free_port()
        self.proc = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ServerProcess:
        import subprocess
        import sys

        if self.cli_workers:  # the real `clerk serve`
            cmd = [sys.executable, "-m", "cli.main", "serve", "--database-url", self.url,
                   "--port", str(self.port), "--workers", str(self.cli_workers)]
        else:
            cmd = [sys.executable, str(Path(__file__).parent / "server_main.py"), self.url, str(self.port)]
        env = {**os.environ, **self.env}
        # A session of its own: a kill takes `clerk serve --workers N`'s workers down with it.
        self.proc = subprocess.Popen(cmd, env=env, cwd=Path(__file__).parents[2], start_new_session=True)
        try:
            self.wait_healthy()
        except Exception:  # never leave a server behind a failed start
            self.kill()
            raise
        return self

    def wait_healthy(self, timeout: float = 120.0) -> None:
        import time

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}")
            try:
                if httpx.get(self.base_url + "/api/v1/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise RuntimeError("server did not become healthy")

    def kill(self) -> None:
        """SIGKILL: no shutdown, no rollback courtesy."""
        if self.proc and self.proc.poll() is None:
            _signal_group(self.proc, "SIGKILL")
            self.proc.wait()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            _signal_group(self.proc, "SIGTERM")
            try:
                self.proc.wait(10)
            except Exception:  # noqa: BLE001
                _signal_group(self.proc, "SIGKILL")
                self.proc.wait()


def _signal_group(proc, name: str) -> None:
    import contextlib
    import signal

    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, getattr(signal, name))


class FaultyTransport(httpx.BaseTransport):
    """Wraps a real transport; the test sets what the next requests suffer."""

    def __init__(self, inner: httpx.BaseTransport | None = None) -> None:
        self.inner = inner or httpx.HTTPTransport()
        self.offline = False
        self.drop_after: list[str] = []  # paths whose next response is lost after the server acted
        self.drop_before: list[str] = []  # paths whose next request never arrives
        self.delay_s = 0.0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        import time

        path = request.url.path.rsplit("/", 1)[-1]
        if self.offline:
            raise httpx.ConnectError("offline (test partition)", request=request)
        if path in self.drop_before:
            self.drop_before.remove(path)
            raise httpx.ConnectError("request lost (test)", request=request)
        if self.delay_s:
            time.sleep(self.delay_s)
        response = self.inner.handle_request(request)
        if path in self.drop_after:
            self.drop_after.remove(path)
            response.read()
            response.close()
            raise httpx.ReadError("response lost after the server committed (test)", request=request)
        return response


def waiting_on_a_lock(store: Store, timeout: float = 30) -> bool:
    """Whether a PostgreSQL connection waits for another transaction's lock (a race test's
    second writer, held on the first's row or index), within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with store.engine.connect() as conn:
            if conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                                 " AND wait_event_type = 'Lock'")).scalar():
                return True
        time.sleep(0.05)
    return False
