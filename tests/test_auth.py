"""Sign-in: argon2 hashes, one message for unknown user and wrong password, lockout and its end."""

from datetime import UTC, datetime

import pytest

from clerk.auth import SignInError, hash_password, sign_in
from clerk.clock import FrozenClock
from clerk.store.reference import Centre, Staff


@pytest.fixture
def store(sqlite_store):
    with sqlite_store.write() as s:
        s.add(Centre(code="c", name="测试中心", level="county"))
        s.flush()
        s.add(Staff(id="li", username="li", name="李娜", role="clerk", centre_code="c", password_hash=hash_password("right-pass")))
    return sqlite_store


@pytest.fixture
def clock():
    return FrozenClock(datetime(2026, 11, 23, 1, 0, tzinfo=UTC))


def attempt(store, clock, password, username="li"):
    return sign_in(store, clock, username, password, max_failures=5, lockout_minutes=15)


def test_right_password_signs_in(store, clock):
    who = attempt(store, clock, "right-pass")
    assert (who.name, who.role_label) == ("李娜", "窗口工作人员")


def test_stored_hash_is_argon2_not_the_password(store):
    with store.session() as s:
        assert s.get(Staff, "li").password_hash.startswith("$argon2")


def test_wrong_password_and_unknown_user_get_the_same_message(store, clock):
    with pytest.raises(SignInError) as wrong:
        attempt(store, clock, "nope")
    with pytest.raises(SignInError) as unknown:
        attempt(store, clock, "nope", username="ghost")
    assert wrong.value.message == unknown.value.message == "用户名或密码错误，还可以再试4次"


def test_five_failures_lock_until_the_time_passes(store, clock):
    for _ in range(4):
        with pytest.raises(SignInError):
            attempt(store, clock, "nope")
    with pytest.raises(SignInError) as fifth:
        attempt(store, clock, "nope")
    assert "已锁定15分钟" in fifth.value.message
    with pytest.raises(SignInError) as locked:
        attempt(store, clock, "right-pass")  # even the right password waits
    assert "锁定至 09:15" in locked.value.message  # Beijing time
    clock.advance(minutes=16)
    assert attempt(store, clock, "right-pass").username == "li"


def test_success_resets_the_failure_count(store, clock):
    for _ in range(4):
        with pytest.raises(SignInError):
            attempt(store, clock, "nope")
    attempt(store, clock, "right-pass")
    with pytest.raises(SignInError) as err:
        attempt(store, clock, "nope")
    assert "还可以再试4次" in err.value.message


def test_empty_input(store, clock):
    with pytest.raises(SignInError, match="请输入"):
        attempt(store, clock, "", username="")
