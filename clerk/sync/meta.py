"""Sync facts kept in ``local_meta``: credential, cursor, last contact, clock skew."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from clerk.store.local import LocalMeta

URL = "sync.central_url"
DEVICE_ID = "sync.device_id"
SECRET = "sync.secret"
CENTRE = "sync.centre_code"
BAND = "queue_band"  # offline ticket-number band from enrolment (clerk.queue.issuer)
EPOCH = "sync.epoch"
SEQ = "sync.seq"
RESYNC = "sync.resync"
LAST_ACK_AT = "sync.last_ack_at"
LAST_OK_AT = "sync.last_ok_at"
LAST_FAIL_AT = "sync.last_fail_at"
LAST_ERROR = "sync.last_error"
LAST_ERROR_KIND = "sync.last_error_kind"  # "offline" (unreachable) or "error" (it will not pass by waiting)
SKEW_MS = "sync.clock_skew_ms"
LAST_PRUNED = "last_pruned_mutation_id"  # read by clerk.outbox to keep ids gap-free
LAST_PRUNED_CHAIN = "last_pruned_chain"  # the history hash at LAST_PRUNED (clerk.outbox.chain_of)


def get(session: Session, key: str, default: str = "") -> str:
    row = session.get(LocalMeta, key)
    return row.value if row else default


def put(session: Session, key: str, value: str) -> None:
    row = session.get(LocalMeta, key)
    if row is None:
        session.add(LocalMeta(key=key, value=value))
    elif row.value != value:
        row.value = value
        session.add(row)


def get_time(session: Session, key: str) -> datetime | None:
    raw = get(session, key)
    return datetime.fromisoformat(raw) if raw else None


def put_time(session: Session, key: str, at: datetime) -> None:
    put(session, key, at.isoformat())


def credential(session: Session) -> str | None:
    device, secret = get(session, DEVICE_ID), get(session, SECRET)
    return f"{device}.{secret}" if device and secret else None
