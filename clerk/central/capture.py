"""Change capture for central-store endpoints other than push: what they write, counters pull."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlmodel import Session

from clerk.central import audience
from clerk.central.changes import ChangeRecorder, Entry, append


@contextmanager
def captured(session: Session, centre_code: str) -> Iterator[ChangeRecorder]:
    """Record the writes made inside the block (ORM objects and statements run through
    ``session.execute``) and append them to the change log, for the counters of ``centre_code``.

    Only writes on ``session.connection()`` itself or raw SQL text go unseen: add their
    snapshot (``changes.snapshot``) to ``recorder.entries`` before the block ends.
    """
    recorder = ChangeRecorder(session)
    try:
        yield recorder
        session.flush()
        append(session, recorder.entries, audience.pushed_by(session, centre_code, recorder.entries), recorder.inserted)
    finally:
        recorder.close()


def rows_of(entries: list[Entry], table: str) -> list[dict]:
    """The row snapshots of ``table`` among ``entries`` (last write of each row)."""
    latest: dict[str, dict] = {}
    for name, key, row in entries:
        if name == table and row is not None:
            latest[repr(key)] = row
    return list(latest.values())
