"""Staff sign-in: the password unlocks the staff member's signing key; lockout after failures.

The password is checked by deriving the signing key (clerk.credentials) and comparing it
with the published public key: one argon2 run that both checks the password and yields
the key the counter signs the sign-in with. ``password_hash`` is still written, for
counters one version behind that check the password with it.

The lockout is kept per counter (``sign_in_guard`` never syncs: failures typed at one PC are
that PC's business). A supervisor's unlock is a synced row, so it reaches every counter and
lifts any lock there that began before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from clerk import credentials
from clerk.clock import Clock, local_time
from clerk.credentials import SigningKey
from clerk.errors import UserFacingError
from clerk.store.engine import Store
from clerk.store.local import SignInGuard
from clerk.store.reference import ROLES, Staff
from clerk.store.shift_tables import AccountUnlock

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(pw_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(pw_hash, password)
    except (VerificationError, InvalidHashError):
        return False


Secrets = tuple[str, str | None]
"""(password hash, signing key) as a staff row holds them."""


def staff_secrets(password: str, existing: Secrets | None = None, salt: bytes | None = None) -> tuple[str, str]:
    """(password hash, signing key) to publish for ``password`` (key ``salt`` as in
    ``credentials.new_signing_key``); an existing pair is kept when the password still
    unlocks it, since deriving them takes a noticeable moment."""
    if existing is not None and credentials.unlock(existing[1], password) is not None:
        return existing[0], existing[1]
    return hash_password(password), credentials.new_signing_key(password, salt)


class SignInError(UserFacingError):
    pass


def _unlock(staff: Staff, password: str) -> SigningKey | None:
    """The staff member's signing key, or None for a wrong password."""
    if staff.signing_key is None:  # a row published before signing keys existed
        if verify_password(staff.password_hash, password):
            raise SignInError("该账号缺少签名密钥，请中心管理员重新发布人员数据后再签到")
        return None
    return credentials.unlock(staff.signing_key, password)


def _unlocked(session: Session, guard: SignInGuard, lockout_minutes: int) -> bool:
    """Whether a supervisor unlocked the user name after this counter locked it
    (``floor.unlock_account``, made at any counter and brought here by the pull)."""
    began = guard.locked_at or guard.locked_until - timedelta(minutes=lockout_minutes)
    found = session.exec(select(AccountUnlock.id).where(AccountUnlock.username == guard.username,
                                                        AccountUnlock.at > began).limit(1)).first()
    return found is not None


@dataclass(frozen=True)
class SignedIn:
    staff_id: str
    username: str
    name: str
    role: str
    centre_code: str
    department_code: str | None
    session_id: str = ""
    """The signed staff session at this counter (clerk.staff.session_handlers), once opened."""

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)


@dataclass(frozen=True)
class Unlocked:
    """A staff member whose password was right, and their signing key for this sign-in."""

    staff: SignedIn
    key: SigningKey


def sign_in(store: Store, clock: Clock, username: str, password: str, max_failures: int, lockout_minutes: int) -> Unlocked:
    """Check the password; count failures per user name and lock after ``max_failures``.

    The same message is given for an unknown user and a wrong password, so the
    screen does not reveal which user names exist.
    """
    username = username.strip()
    if not username or not password:
        raise SignInError("请输入用户名和密码")
    now = clock.now()
    with store.write() as session:
        guard = session.get(SignInGuard, username) or SignInGuard(username=username)
        if guard.locked_until and guard.locked_until > now and not _unlocked(session, guard, lockout_minutes):
            until = local_time(guard.locked_until).strftime("%H:%M")
            raise SignInError(f"密码错误次数过多，账号已锁定至 {until}，请稍后再试或联系值班长")
        staff = session.get(Staff, username)
        key = _unlock(staff, password) if staff is not None and staff.active else None
        if key is not None:
            if guard in session:  # a stored failure count ends with a good sign-in
                session.delete(guard)
            who = SignedIn(staff.id, staff.username, staff.name, staff.role, staff.centre_code, staff.department_code)
            return Unlocked(who, key)
        guard.failures += 1
        left = max_failures - guard.failures
        if left <= 0:
            guard.failures = 0
            guard.locked_at, guard.locked_until = now, now + timedelta(minutes=lockout_minutes)
            message = f"密码连续错误{max_failures}次，账号已锁定{lockout_minutes}分钟"
        else:
            message = f"用户名或密码错误，还可以再试{left}次"
        session.add(guard)
    raise SignInError(message)
