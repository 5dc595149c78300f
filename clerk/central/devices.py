"""Device enrolment, credentials and revocation.

A supervisor makes a one-time code (``clerk enrol-code`` on the central host, or
``floor.enrol_code`` from the supervisor's desk); the counter exchanges it for a device id and a
random secret. The server keeps only SHA-256 hashes: the secrets are 256 random bits,
so a slow password hash would add nothing but latency to every request.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from clerk.central.bands import free_band
from clerk.clock import Clock
from clerk.errors import UserFacingError
from clerk.ids import new_id
from clerk.store.central_tables import ClientState, Device, EnrolCode
from clerk.store.engine import Store
from clerk.store.reference import Centre

_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone


class CredentialError(UserFacingError):
    """Why a request's credential is not accepted; ``status`` is 401 or 403."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message, code)
        self.status = status
        self.code = code


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def new_code() -> str:
    """A fresh one-time code, ``ABCD-EFGH-JKLM``: shown once, stored only as its hash."""
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def code_hash(code: str) -> str:
    return _hash(normalise_code(code))


def add_code(session: Session, hashed: str, centre_code: str, now: datetime, valid_hours: float) -> EnrolCode:
    """Store a code (its ``code_hash``) for enrolling one counter of ``centre_code``."""
    if session.get(Centre, centre_code) is None:
        raise UserFacingError(f"中心库中没有这个中心：{centre_code}", f"unknown centre {centre_code!r}")
    row = EnrolCode(code_hash=hashed, centre_code=centre_code, created_at=now,
                    expires_at=now + timedelta(hours=valid_hours))
    session.add(row)
    return row


def make_enrol_code(store: Store, clock: Clock, centre_code: str, valid_hours: float = 24) -> str:
    """A one-time code for enrolling one counter of ``centre_code`` (``clerk enrol-code``)."""
    code = new_code()
    with store.write() as session:
        add_code(session, code_hash(code), centre_code, clock.now(), valid_hours)
    return code


@dataclass(frozen=True)
class Enrolled:
    device_id: str
    secret: str
    centre_code: str
    band: int | None = None
    client_id: str = ""
    """The installation id enrolled: the one asked for, or a fresh one (see enrol)."""


def enrol(session: Session, now: datetime, code: str, client_id: str, name: str) -> Enrolled:
    row = session.get(EnrolCode, _hash(normalise_code(code)), with_for_update=True)
    if row is None or row.used_at is not None or row.expires_at <= now:
        raise CredentialError(403, "bad_enrol_code", "登记码无效、已使用或已过期，请向值班长重新申领")
    if _held(session, client_id):
        # Another active device has this installation id: this PC is a copy of it (disk
        # image, restored backup) or was given its id. Sharing it would share the mutation
        # sequence and the number band, so this one becomes a new installation.
        client_id = new_id()
    secret = secrets.token_urlsafe(32)
    device = Device(
        id=new_id(),
        client_id=client_id,
        centre_code=row.centre_code,
        name=name,
        secret_hash=_hash(secret),
        enrolled_at=now,
        band=free_band(session, row.centre_code, client_id),
    )
    session.add(device)
    row.used_at, row.device_id = now, device.id
    session.add(row)
    session.flush()
    _ensure_client_state(session, client_id)
    return Enrolled(device.id, secret, row.centre_code, device.band, client_id)


def _held(session: Session, client_id: str) -> bool:
    """Whether an active (not revoked) device is enrolled under ``client_id``."""
    found = session.exec(select(Device.id).where(Device.client_id == client_id, Device.revoked_at.is_(None)))
    return found.first() is not None


def flag_conflict(store: Store, client_id: str, reason: str, now: datetime) -> None:
    """Mark the active devices of ``client_id``: two PCs push as one installation. Their
    pushes are refused until the supervisor revokes the device and each PC enrols again."""
    with store.write() as session:
        session.execute(
            update(Device)
            .where(Device.client_id == client_id, Device.revoked_at.is_(None), Device.conflict_at.is_(None))
            .values(conflict_at=now, conflict_reason=reason)
        )


CONFLICT_MESSAGE = "本机与另一台电脑共用同一登记，中心库已停止接收其数据：{reason}。请值班长撤销该登记后为每台电脑分别重新登记"


def _ensure_client_state(session: Session, client_id: str) -> None:
    if session.get(ClientState, client_id) is not None:
        return  # re-enrolled installation keeps its place in the mutation sequence
    try:
        with session.begin_nested():
            session.execute(insert(ClientState.__table__).values(client_id=client_id, last_mutation_id=0))
    except IntegrityError:
        pass


def credential(device_id: str, secret: str) -> str:
    return f"{device_id}.{secret}"


def authenticate(session: Session, token: str | None) -> Device:
    """The device a bearer token belongs to, or CredentialError (401 / 403)."""
    if not token:
        raise CredentialError(401, "no_credential", "缺少本机登记凭据，请先完成登记")
    device_id, _, secret = token.partition(".")
    device = session.get(Device, device_id) if device_id and secret else None
    if device is None or not hmac.compare_digest(device.secret_hash, _hash(secret)):
        raise CredentialError(401, "bad_credential", "本机登记凭据无效")
    if device.revoked_at is not None:
        raise CredentialError(403, "device_revoked", "本机登记已被撤销，请联系值班长重新登记")
    return device


def revoke(store: Store, clock: Clock, device_id: str) -> bool:
    """Revoke a device at once: its next request is refused. False if there is no such device."""
    with store.write() as session:
        device = session.get(Device, device_id)
        if device is None:
            return False
        if device.revoked_at is None:
            device.revoked_at = clock.now()
            session.add(device)
        return True


SEEN_GRANULARITY = timedelta(minutes=1)
"""A pull refreshes ``last_seen_at`` at most this often: a write per pull would be wasted."""


def seen(store: Store, device_id: str, last_seen_at: datetime | None, now: datetime) -> None:
    """Note that a device was in contact (a pull): the supervisor's list of counters, and the
    offline periods of the shift ledger, read ``last_seen_at``."""
    if last_seen_at is not None and now - last_seen_at < SEEN_GRANULARITY:
        return
    with store.write() as session:
        session.execute(update(Device).where(Device.id == device_id).values(last_seen_at=now))


def list_devices(store: Store) -> list[Device]:
    with store.session() as session:
        return list(session.exec(select(Device).order_by(Device.enrolled_at)))
