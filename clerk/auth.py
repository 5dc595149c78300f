"""Staff sign-in: argon2 password hashes and a lockout after repeated failures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from clerk.clock import Clock, local_time
from clerk.errors import UserFacingError
from clerk.store.engine import Store
from clerk.store.local import SignInGuard
from clerk.store.reference import ROLES, Staff

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(pw_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(pw_hash, password)
    except (VerificationError, InvalidHashError):
        return False


class SignInError(UserFacingError):
    pass


@dataclass(frozen=True)
class SignedIn:
    staff_id: str
    username: str
    name: str
    role: str
    centre_code: str
    department_code: str | None

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)


def sign_in(store: Store, clock: Clock, username: str, password: str, max_failures: int, lockout_minutes: int) -> SignedIn:
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
        if guard.locked_until and guard.locked_until > now:
            until = local_time(guard.locked_until).strftime("%H:%M")
            raise SignInError(f"密码错误次数过多，账号已锁定至 {until}，请稍后再试或联系值班长")
        staff = session.get(Staff, username)
        if staff is not None and staff.active and verify_password(staff.password_hash, password):
            if guard in session:  # a stored failure count ends with a good sign-in
                session.delete(guard)
            return SignedIn(staff.id, staff.username, staff.name, staff.role, staff.centre_code, staff.department_code)
        guard.failures += 1
        left = max_failures - guard.failures
        if left <= 0:
            guard.failures = 0
            guard.locked_until = now + timedelta(minutes=lockout_minutes)
            message = f"密码连续错误{max_failures}次，账号已锁定{lockout_minutes}分钟"
        else:
            message = f"用户名或密码错误，还可以再试{left}次"
        session.add(guard)
    raise SignInError(message)
