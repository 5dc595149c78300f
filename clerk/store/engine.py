"""Engine and session factory. Nothing is opened at import time: callers build a Store."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlmodel import Session

from clerk.errors import UserFacingError
from clerk.store.private import private_dir, private_file


def private_file_in(path: Path) -> None:
    """The file (0600) in its directory (0700 when made here or ours, see clerk.store.private)."""
    private_dir(path.parent)
    private_file(path)


class StoreError(UserFacingError):
    """The local database cannot be used as it is."""


class Store:
    """One database: an engine plus sessions. SQLite files get WAL and synchronous=FULL."""

    def __init__(self, engine: Engine, path: Path | None = None) -> None:
        self.engine = engine
        self.path = path
        """The SQLite file, or None for a server database."""

    @classmethod
    def sqlite(cls, path: Path | str, busy_timeout_ms: int = 5000) -> Store:
        path = Path(path)
        private_file_in(path)
        engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
        _configure_sqlite(engine, busy_timeout_ms)
        store = cls(engine, path)
        store.check_readable(path)
        return store

    @classmethod
    def url(cls, url: str) -> Store:
        if url.startswith("sqlite"):
            return cls.sqlite(url.split(":///", 1)[1])
        return cls(create_engine(url, pool_pre_ping=True))

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def session(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction, committed on success and rolled back on any error.

        On SQLite it starts with BEGIN IMMEDIATE so two writers queue on the lock
        instead of failing half-way on an upgrade from a read lock.
        """
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                if self.is_sqlite:
                    session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
                yield session
                session.commit()
            except (DatabaseError, OperationalError) as exc:
                session.rollback()
                if self.path is None:
                    raise
                raise describe_sqlite_error(exc, self.path) from exc
            except Exception:
                session.rollback()
                raise

    def check_readable(self, path: Path) -> None:
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT count(*) FROM sqlite_master")).scalar()
        except (DatabaseError, OperationalError) as exc:
            raise describe_sqlite_error(exc, path) from exc

    def dispose(self) -> None:
        self.engine.dispose()


def describe_sqlite_error(exc: Exception, path: Path | str) -> StoreError:
    """Turn a driver error into a message a clerk can act on."""
    raw = str(getattr(exc, "orig", exc))
    if "locked" in raw or "busy" in raw:
        msg = f"本地数据库正被其他程序占用（{path}），请关闭其他窗口程序后重试。"
    elif "not a database" in raw or "malformed" in raw or "corrupt" in raw:
        msg = f"本地数据库文件已损坏（{path}）。原文件已保留未改动，请联系管理员恢复。"
    elif "readonly" in raw or "unable to open" in raw:
        msg = f"无法写入本地数据库（{path}），请检查文件权限与磁盘空间。"
    else:
        msg = f"本地数据库出错（{path}）：{raw}"
    return StoreError(msg, raw)


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    # pysqlite's own transaction handling would defer BEGIN; take it over so that
    # BEGIN IMMEDIATE in Store.write is the transaction the ORM then uses.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")  # counters lose power; WAL+NORMAL may lose the last commits
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")
