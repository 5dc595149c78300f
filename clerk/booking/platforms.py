"""Online booking platforms: an admin registers one per centre and hands its token over once.

The token is ``<platform id>.<secret>``, the secret 256 random bits; the store keeps its
SHA-256 (as for counters, clerk.central.devices: a slow hash adds nothing to a random secret).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

from sqlmodel import Session

from clerk.errors import UserFacingError
from clerk.ids import new_id
from clerk.store.booking_tables import BookingPlatform
from clerk.store.reference import Centre


class PlatformCredentialError(UserFacingError):
    status = 401


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def add_platform(session: Session, centre_code: str, name: str, now: datetime) -> str:
    """Register a platform for ``centre_code``; returns its token (shown once, stored hashed)."""
    if session.get(Centre, centre_code) is None:
        raise UserFacingError(f"中心库中没有这个中心：{centre_code}", f"unknown centre {centre_code!r}")
    if not name.strip():
        raise UserFacingError("请给预约平台起一个名称", "empty platform name")
    secret = secrets.token_urlsafe(32)
    platform = BookingPlatform(id=new_id(), name=name.strip(), centre_code=centre_code, token_hash=_hash(secret),
                               created_at=now)
    session.add(platform)
    session.flush()
    return f"{platform.id}.{secret}"


def revoke_platform(session: Session, platform_id: str, now: datetime) -> bool:
    platform = session.get(BookingPlatform, platform_id)
    if platform is None:
        return False
    if platform.revoked_at is None:
        platform.revoked_at = now
        session.add(platform)
    return True


def authenticate(session: Session, token: str | None) -> BookingPlatform:
    """The platform a bearer token belongs to, or PlatformCredentialError (always 401)."""
    if not token:
        raise PlatformCredentialError("缺少预约平台凭据：请在 Authorization 头中携带 Bearer 令牌", "no platform token")
    platform_id, _, secret = token.partition(".")
    platform = session.get(BookingPlatform, platform_id) if platform_id and secret else None
    if platform is None or not hmac.compare_digest(platform.token_hash, _hash(secret)):
        raise PlatformCredentialError("预约平台凭据无效：令牌错误或不属于任何已登记的平台，请向中心管理员核对",
                                      "bad platform token")
    if platform.revoked_at is not None:
        raise PlatformCredentialError("该预约平台的凭据已被停用，请向中心管理员申请新的令牌", "platform revoked")
    return platform
